import * as tf from '@tensorflow/tfjs-core';
import cauchyDist from '@stdlib/stats-base-dists-cauchy';
import { expectClose } from '@vae/testing';
import { expectIcdfInvertsCdf, expectScoreGradientsMatch } from '../test/gradient-checks.js';
import { errorReport, f32 } from '../test/scalar-family-helpers.js';
import { checkScaleFamilyMoments, checkScaleFamilyValues, describeScaleFamilyChecks } from '../test/scale-family-values.js';
import { HalfCauchy } from './index.js';

// |Cauchy(0, gamma)| through @stdlib's Cauchy; the CDF (2 / pi) atan(x / gamma) in float64.
const oracle = {
  logpdf: (x: number, s: number) => cauchyDist.logpdf(x, 0, s) + Math.LN2,
  cdf: (x: number, s: number) => (2 / Math.PI) * Math.atan(x / s),
  logcdf: (x: number, s: number) =>
    x / s > 1 ? Math.log1p((-2 / Math.PI) * Math.atan(s / x)) : Math.log((2 / Math.PI) * Math.atan(x / s)),
};

const report = errorReport('HalfCauchy', '@stdlib Cauchy');

describe('HalfCauchy against @stdlib', () => {
  it('logProb, cdf and logCdf from x = 1e-6 gamma to 1e20 gamma, gamma 1e-6 to 1e6', () => {
    checkScaleFamilyValues(report, (scale) => new HalfCauchy({ scale }), oracle, [1e-6, 0.1, 1, 2.5, 1e3, 1e20]);
  });

  it('entropy log(2 pi gamma); mean, variance and stddev +Infinity as in torch; mode 0', () => {
    const exact = { ordinary: 0, extreme: 0 };
    checkScaleFamilyMoments(report, (scale) => new HalfCauchy({ scale }), [
      ['entropy', (v) => cauchyDist.entropy(0, v) - Math.LN2],
      ['mean', () => Infinity, exact],
      ['variance', () => Infinity, exact],
      ['stddev', () => Infinity, exact],
      ['mode', () => 0, exact],
    ]);
  });

  it('icdf is exact in both tails, inverts cdf, has gradient 1 / pdf, and is memory-neutral', async () => {
    const p = [1e-30, 1e-8, 0.05, 0.5, 0.9, 1 - 2 ** -20, 1 - 2 ** -24].map(f32);
    const d = new HalfCauchy({ scale: 2 });
    const q = p.map((v) => (v < 0.5 ? 2 * Math.tan((Math.PI * v) / 2) : 2 / Math.tan((Math.PI * (1 - v)) / 2)));
    expectClose(d.icdf(p), q, { rtol: 2e-6, atol: 0 });
    await expectIcdfInvertsCdf(d, p, 2e-6, (v) => Math.exp(oracle.logpdf(2 * Math.tan((Math.PI * v) / 2), 2)));
    d.dispose();
  });
});

describe('HalfCauchy gradients', () => {
  it('logProb and logCdf gradients match float64 finite differences', () => {
    expectScoreGradientsMatch((scale) => new HalfCauchy({ scale }), oracle, [f32(1.7)], f32(0.4), [0.5, 3]);
  });

  it('rsample is differentiable: E[1 / (1 + x^2)] = 1 / (1 + gamma), its gradient by Monte Carlo', () => {
    // |X| has the same 1 / (1 + x^2) as X ~ Cauchy(0, gamma), whose expectation is 1 / (1 + gamma).
    const g = tf.grad((scale: tf.Tensor) => tf.mean(tf.reciprocal(tf.add(1, tf.square(new HalfCauchy({ scale }).rsample([20000], 5))))))(
      tf.scalar(1.3),
    );
    expectClose(g, -1 / 2.3 ** 2, { rtol: 0.05 });
  });
});

// The mean and variance are infinite.
describeScaleFamilyChecks(HalfCauchy, { skip: ['mean', 'variance'] }, 1e20);
