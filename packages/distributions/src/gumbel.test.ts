import * as tf from '@tensorflow/tfjs-core';
import gumbelDist from '@stdlib/stats-base-dists-gumbel';
import { expectClose, expectMemoryNeutral } from '@vae/testing';
import { describeLocationScaleFamily } from '../test/location-scale-suite.js';
import { expectSamplesPassKS, f32 } from '../test/scalar-family-helpers.js';
import { Gumbel } from './index.js';

const EULER_GAMMA = 0.5772156649015329;

describeLocationScaleFamily({
  family: Gumbel,
  oracle: gumbelDist,
  // 4 scales below loc the density is already exp(-e^4) ~ 1e-24; 80 above, the tail is exp(-80).
  farOut: 80,
  logCdfGradientAt: [-3, 2],
  secondMoment: {
    formula: '(loc + gamma scale)^2 + pi^2 scale^2 / 6',
    value: (m, s) => (m + EULER_GAMMA * s) ** 2 + (Math.PI ** 2 / 6) * s * s,
  },
  finiteGradientValues: [0.3, 5],
  meanTolerance: 1e-6,
});

describe('Gumbel quantiles and samples', () => {
  it('icdf matches @stdlib quantile, in both tails, inverts cdf and is memory-neutral', async () => {
    const p = [1e-30, 1e-6, 0.1, 0.5, 0.9, 1 - 2 ** -20, 1 - 2 ** -24].map(f32);
    const d = new Gumbel({ loc: 1, scale: 2 });
    expectClose(
      d.icdf(p),
      p.map((q) => gumbelDist.quantile(q, 1, 2)),
      { rtol: 1e-5, atol: 1e-5 },
    );
    const x = d.icdf(p);
    expectClose(d.cdf(x), p, { rtol: 1e-5, atol: 0 });
    expect(() => d.icdf(1.5)).toThrow('Gumbel: probability must be in [0, 1]; got 1.5');
    x.dispose();
    await expectMemoryNeutral(() => d.icdf([0.2, 0.7]), 'Gumbel.icdf');
    d.dispose();
  });

  it('icdf: gradient 1 / pdf(icdf(p)) as in test/icdf.test.ts, and -Infinity / +Infinity at p = 0 / 1', () => {
    const d = new Gumbel({ loc: 1, scale: 2 });
    const at = [1e-6, 0.01, 0.3, 0.99, 1 - 2 ** -20].map(f32);
    const g = tf.grad((p: tf.Tensor) => d.icdf(p))(tf.tensor(at));
    expectClose(
      g,
      at.map((p) => 1 / gumbelDist.pdf(gumbelDist.quantile(p, 1, 2), 1, 2)),
      { rtol: 1e-4 },
    );
    expect(Array.from(d.icdf([0, 1]).dataSync())).toEqual([-Infinity, Infinity]);
    g.dispose();
    d.dispose();
  });

  it('the lower-tail logCdf -exp(-z) is exact where the CDF underflows', () => {
    const d = new Gumbel({ loc: 0, scale: 1 });
    expectClose(d.logCdf([-4, -50]), [-Math.exp(4), -Math.exp(50)], { rtol: 1e-6 });
    d.dispose();
  });

  it('samples pass a Kolmogorov-Smirnov test against the @stdlib CDF, and the same seed gives the same numbers', () => {
    const d = new Gumbel({ loc: -1, scale: 0.5 });
    expectSamplesPassKS(d, (v) => gumbelDist.cdf(v, -1, 0.5));
    d.dispose();
  });
});
