import * as tf from '@tensorflow/tfjs-core';
import paretoDist from '@stdlib/stats-base-dists-pareto-type1';
import { expectClose } from '@vae/testing';
import { expectIcdfInvertsCdf, expectLogProbGradientsMatch, expectRsampleGradientsMatch } from '../test/gradient-checks.js';
import { errorReport, describeStandardChecks, f32 } from '../test/scalar-family-helpers.js';
import { Pareto } from './index.js';
import type { ParetoParams } from './index.js';
import { scalarEventShapes } from '../test/shape-rows.js';

// @stdlib's Pareto type I takes (alpha, beta) = (shape, scale).
const logcdf = (x: number, s: number, a: number) => {
  const t = a * Math.log(x / s);
  return t < Math.LN2 ? Math.log(-Math.expm1(-t)) : Math.log1p(-Math.exp(-t));
};

const report = errorReport('Pareto', '@stdlib');

describe('Pareto against @stdlib', () => {
  it('logProb, cdf and logCdf, alpha 1e-3 to 1e3, scale 1e-6 to 1e6, x from 1 + 2^-20 scales to 1e30 scales', () => {
    const cases: { s: number; a: number; x: number; extreme: boolean }[] = [];
    for (const s of [1e-6, 1, 1e6])
      for (const a of [1e-3, 0.5, 3, 1e3])
        for (const k of [1 + 2 ** -20, 1.5, 10, 1e30])
          cases.push({ s: f32(s), a: f32(a), x: f32(k * f32(s)), extreme: s !== 1 || a === 1e-3 || a === 1e3 || k < 1.1 || k > 100 });
    const ext = cases.map((c) => c.extreme);
    const d = new Pareto({ scale: cases.map((c) => c.s), alpha: cases.map((c) => c.a) });
    const x = cases.map((c) => c.x);
    report.checkEach(ext, { ordinary: 1e-6, extreme: 2e-5 }, [
      ['logProb', d.logProb(x), cases.map((c) => paretoDist.logpdf(c.x, c.a, c.s))],
      ['cdf', d.cdf(x), cases.map((c) => -Math.expm1(-c.a * Math.log(c.x / c.s)))],
      ['logCdf', d.logCdf(x), cases.map((c) => logcdf(c.x, c.s, c.a))],
    ]);
    expectClose(
      d.cdf(x),
      cases.map((c) => paretoDist.cdf(c.x, c.a, c.s)),
      { rtol: 2e-5, atol: 1e-12 },
    );
    d.dispose();
  });

  it('entropy and mode as @stdlib; mean +Infinity for alpha <= 1 and variance +Infinity for alpha <= 2, as torch', () => {
    const a = [0.5, 1, 1.5, 2, 3, 1e3].map(f32);
    const ext = a.map((v) => v > 100);
    const d = new Pareto({ scale: 2, alpha: a });
    report.checkEach(ext, { ordinary: 1e-6, extreme: 1e-6 }, [
      ['entropy', d.entropy(), a.map((v) => paretoDist.entropy(v, 2))],
      ['mean', d.mean(), a.map((v) => (v <= 1 ? Infinity : paretoDist.mean(v, 2)))],
      ['variance', d.variance(), a.map((v) => (v <= 2 ? Infinity : paretoDist.variance(v, 2))), { ordinary: 1e-6, extreme: 1e-5 }],
      ['mode', d.mode(), a.map(() => 2), { ordinary: 0, extreme: 0 }],
    ]);
    d.dispose();
  });

  it('icdf matches the @stdlib quantile, keeps precision at p = 1e-30 and 1 - 2^-24, inverts cdf, gradient 1 / pdf', async () => {
    const p = [1e-30, 1e-8, 0.05, 0.5, 0.9, 1 - 2 ** -20, 1 - 2 ** -24].map(f32);
    const d = new Pareto({ scale: 2, alpha: 3 });
    expectClose(
      d.icdf(p),
      p.map((v) => 2 * Math.exp(-Math.log1p(-v) / 3)),
      { rtol: 1e-6, atol: 0 },
    );
    expectClose(
      d.icdf(p.slice(2)),
      p.slice(2).map((v) => paretoDist.quantile(v, 3, 2)),
      { rtol: 1e-6, atol: 0 },
    );
    // Rounding x to float32 (6e-8) moves cdf by 6e-8 x pdf(x) / cdf(x), 3e-6 relative at p = 0.05.
    await expectIcdfInvertsCdf(d, p.slice(2), 1e-5, (v) => paretoDist.pdf(paretoDist.quantile(v, 3, 2), 3, 2));
    d.dispose();
  });
});

describe('Pareto gradients', () => {
  it('logProb and logCdf gradients match float64 finite differences', () => {
    const make = (scale: tf.Tensor, alpha: tf.Tensor) => new Pareto({ scale, alpha });
    const [s, a, v] = [f32(1.7), f32(2.5), f32(2.4)];
    expectLogProbGradientsMatch(make, (x, sc, al) => paretoDist.logpdf(x, al, sc), [s, a], v, { atol: 0 });
    expectLogProbGradientsMatch(make, logcdf, [s, a], 4, { method: 'logCdf', atol: 0 });
  });

  it('rsample is differentiable: E[x] = alpha scale / (alpha - 1), its gradients by Monte Carlo', () => {
    const [s, a] = [1.3, 6];
    const make = (scale: tf.Tensor, alpha: tf.Tensor) => new Pareto({ scale, alpha });
    expectRsampleGradientsMatch(make, [s, a], [a / (a - 1), -s / (a - 1) ** 2], [{ rtol: 0.02 }, { rtol: 0.05 }]);
  });
});

describeStandardChecks<ParetoParams>({
  family: Pareto,
  shapes: scalarEventShapes({ scale: 1, alpha: 2 }, { scale: [1, 2], alpha: 3 }, { scale: [[1], [2]], alpha: [1, 2, 3] }),
  params: { scale: [0.5, 2, 1e-3], alpha: [5, 9, 6] },
  // A heavy tail (alpha down to 5): the sample variance converges too slowly to check the variance.
  monteCarlo: { skip: ['variance'] },
  value: [0.6, 2, 1e-3],
  badParams: [
    [{ scale: [1, -1], alpha: 1 }, 'Pareto: scale must be positive (> 0) and finite; got -1 at index [1]'],
    [{ scale: 1, alpha: 0 }, /Pareto: alpha must be positive/],
  ],
  outside: [1e-4, NaN, Infinity],
  supportMessage: /Pareto: value must be in the support: at least scale/,
  finiteGradients: { build: (p) => new Pareto({ scale: p, alpha: 2 }), param: [0.3, 2], values: [0.3, 1e30] },
});
