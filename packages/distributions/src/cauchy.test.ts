import * as tf from '@tensorflow/tfjs-core';
import cauchyDist from '@stdlib/stats-base-dists-cauchy';
import { expectClose, expectMemoryNeutral } from '@vae/testing';
import { describeLocationScaleFamily } from '../test/location-scale-suite.js';
import { expectSamplesPassKS, f32 } from '../test/scalar-family-helpers.js';
import { Cauchy } from './index.js';

describeLocationScaleFamily({
  family: Cauchy,
  // The mean is undefined and the variance infinite: NaN and +Infinity, as torch gives them.
  oracle: { ...cauchyDist, mean: () => NaN, variance: () => Infinity, stdev: () => Infinity },
  farOut: 1e6,
  logCdfGradientAt: [-3, 2],
  // E[x^2] is infinite; E[1 / (1 + x^2)] = pi times the Cauchy(loc, scale + 1) density at 0.
  secondMoment: {
    formula: 'E[1 / (1 + x^2)] = (scale + 1) / ((scale + 1)^2 + loc^2)',
    value: (m, s) => (s + 1) / ((s + 1) ** 2 + m * m),
    statistic: (x) => tf.reciprocal(tf.add(1, tf.square(x))),
  },
  monteCarlo: { skip: ['mean', 'variance'] },
  finiteGradientValues: [0.3, 1e20],
});

describe('Cauchy quantiles and samples', () => {
  it('icdf matches @stdlib quantile and the float64 tail form, inverts cdf, has the right gradient and is memory-neutral', async () => {
    const p = [1e-30, 1e-6, 0.1, 0.5, 0.9, 1 - 2 ** -20, 1 - 2 ** -24].map(f32);
    const d = new Cauchy({ loc: 1, scale: 2 });
    // stdlib's tan(pi (p - 1/2)) loses the far tails (at p = 1e-30 it is off by 1e13), so there
    // the oracle is the cotangent form in float64; both agree in the middle.
    const tails = (q: number) => (q < 0.5 ? 1 - 2 / Math.tan(Math.PI * q) : 1 + 2 / Math.tan(Math.PI * (1 - q)));
    expectClose(d.icdf(p), p.map(tails), { rtol: 1e-5, atol: 1e-5 });
    expectClose(
      d.icdf(p.slice(1, 5)),
      p.slice(1, 5).map((q) => cauchyDist.quantile(q, 1, 2)),
      { rtol: 1e-5, atol: 1e-5 },
    );
    const x = d.icdf(p.slice(1));
    expectClose(d.cdf(x), p.slice(1), { rtol: 1e-5, atol: 0 });
    // d icdf / dp = scale pi / sin^2(pi p)
    const g = tf.grad((q: tf.Tensor) => d.icdf(q))(tf.tensor([0.01, 0.3, 0.99]));
    expectClose(
      g,
      [0.01, 0.3, 0.99].map((q) => (2 * Math.PI) / Math.sin(Math.PI * f32(q)) ** 2),
      { rtol: 1e-4 },
    );
    expect(() => d.icdf(-0.5)).toThrow('Cauchy: probability must be in [0, 1]; got -0.5');
    tf.dispose([x, g]);
    await expectMemoryNeutral(() => d.icdf([0.2, 0.7]), 'Cauchy.icdf');
    d.dispose();
  });

  it('logProb stays finite and exact where z^2 overflows float32', () => {
    const d = new Cauchy({ loc: 0, scale: 1 });
    expectClose(
      d.logProb([1e20, -3e30]),
      [1e20, -3e30].map((x) => cauchyDist.logpdf(f32(x), 0, 1)),
      { rtol: 1e-6 },
    );
    d.dispose();
  });

  it('samples pass a Kolmogorov-Smirnov test against the @stdlib CDF, and the same seed gives the same numbers', () => {
    const d = new Cauchy({ loc: -1, scale: 0.5 });
    expectSamplesPassKS(d, (v) => cauchyDist.cdf(v, -1, 0.5));
    d.dispose();
  });
});
