import * as tf from '@tensorflow/tfjs-core';
import normalDist from '@stdlib/stats-base-dists-normal';
import { expectClose } from '@vae/testing';
import { expectIcdfInvertsCdf, expectScoreGradientsMatch } from '../test/gradient-checks.js';
import { errorReport, f32 } from '../test/scalar-family-helpers.js';
import { checkScaleFamilyMoments, checkScaleFamilyValues, describeScaleFamilyChecks } from '../test/scale-family-values.js';
import { HalfNormal } from './index.js';

// The oracle is |Normal(0, sigma)| through @stdlib's Normal: density doubled, CDF 2 Phi(x) - 1
// taken as 1 - 2 Phi(-x) (exact in float64 for the x used here).
const oracle = {
  logpdf: (x: number, s: number) => normalDist.logpdf(x, 0, s) + Math.LN2,
  cdf: (x: number, s: number) => (x / s < 1 ? 2 * normalDist.cdf(x, 0, s) - 1 : 1 - 2 * normalDist.cdf(-x, 0, s)),
  // For tiny z, erf(z / sqrt 2) ~ z sqrt(2 / pi) (1 - z^2 / 6): the series, exact in float64.
  logcdf: (x: number, s: number) =>
    x / s < 1e-4 ? Math.log(Math.sqrt(2 / Math.PI) * (x / s) * (1 - (x / s) ** 2 / 6)) : Math.log1p(-2 * normalDist.cdf(-x, 0, s)),
  quantile: (p: number, s: number) => s * normalDist.quantile((1 + p) / 2, 0, 1),
};

const report = errorReport('HalfNormal', '@stdlib Normal');

describe('HalfNormal against @stdlib', () => {
  it('logProb, cdf and logCdf from x = 1e-6 sigma to 30 sigma, sigma 1e-6 to 1e6', () => {
    checkScaleFamilyValues(report, (scale) => new HalfNormal({ scale }), oracle, [1e-6, 0.1, 1, 2.5, 8, 30]);
  });

  it('entropy, mean, variance, stddev and mode', () => {
    checkScaleFamilyMoments(report, (scale) => new HalfNormal({ scale }), [
      ['entropy', (v) => 0.5 * Math.log((Math.PI * v * v) / 2) + 0.5],
      ['mean', (v) => v * Math.sqrt(2 / Math.PI)],
      ['variance', (v) => v * v * (1 - 2 / Math.PI)],
      ['stddev', (v) => v * Math.sqrt(1 - 2 / Math.PI)],
      ['mode', () => 0, { ordinary: 0, extreme: 0 }],
    ]);
  });

  it('icdf matches the @stdlib quantile, keeps relative precision at p = 1e-30 and 1 - 2^-24, and inverts cdf', async () => {
    const p = [1e-30, 1e-8, 0.05, 0.1, 0.3, 0.5, 0.9, 1 - 2 ** -20, 1 - 2 ** -24].map(f32);
    const d = new HalfNormal({ scale: 2 });
    // stdlib's (1 + p) / 2 rounds p below 1e-16 away; there sqrt(pi / 2) sigma p is exact.
    const q = p.map((v) => (v < 1e-12 ? 2 * Math.sqrt(Math.PI / 2) * v : oracle.quantile(v, 2)));
    expectClose(d.icdf(p), q, { rtol: 2e-6, atol: 0 });
    await expectIcdfInvertsCdf(d, p, 2e-6, (v) => Math.exp(oracle.logpdf(oracle.quantile(v, 2), 2)));
    d.dispose();
  });
});

describe('HalfNormal gradients', () => {
  it('logProb and logCdf gradients match float64 finite differences', () => {
    expectScoreGradientsMatch((scale) => new HalfNormal({ scale }), oracle, [f32(1.7)], f32(0.4), [0.5, 3]);
  });

  it('rsample is differentiable: E[x^2] = sigma^2, its gradient 2 sigma by Monte Carlo', () => {
    const g = tf.grad((scale: tf.Tensor) => tf.mean(tf.square(new HalfNormal({ scale }).rsample([20000], 5))))(tf.scalar(1.3));
    expectClose(g, 2.6, { rtol: 0.05 });
  });
});

describeScaleFamilyChecks(HalfNormal, {}, 50);
