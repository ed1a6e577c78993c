import * as tf from '@tensorflow/tfjs-core';
import uniformDist from '@stdlib/stats-base-dists-uniform';
import { expectClose, expectKSPass } from '@vae/testing';
import { expectLogProbGradientsMatch } from '../test/gradient-checks.js';
import { errorReport, columns, describeStandardChecks, f32 } from '../test/scalar-family-helpers.js';
import { scalarEventShapes } from '../test/shape-rows.js';
import { Uniform } from './index.js';
import type { UniformParams } from './index.js';

const report = errorReport('Uniform', '@stdlib');

const BOUNDS: [number, number, boolean][] = [
  [0, 1, false],
  [-2, 3, false],
  [10, 10.5, false],
  [-1e6, 1e6, true],
  [1, 1 + 1e-5, true],
  [-1e-6, 1e-6, true],
];

describe('Uniform against @stdlib', () => {
  const cases: { low: number; high: number; x: number; extreme: boolean }[] = [];
  for (const [low, high, extreme] of BOUNDS) {
    for (const t of [0, 0.25, 0.5, 0.999]) {
      const x = f32(low + t * (high - low));
      if (x < f32(high)) cases.push({ low: f32(low), high: f32(high), x, extreme });
    }
  }
  const ext = cases.map((c) => c.extreme);

  it('logProb, cdf and logCdf on [low, high)', () => {
    const d = new Uniform({ low: cases.map((c) => c.low), high: cases.map((c) => c.high) });
    const x = cases.map((c) => c.x);
    const oracle = (f: (x: number, a: number, b: number) => number) => cases.map((c) => f(c.x, c.low, c.high));
    report.checkEach(ext, { ordinary: 1e-6, extreme: 2e-6 }, [
      ['logProb', d.logProb(x), oracle(uniformDist.logpdf), { ordinary: 1e-6, extreme: 1e-6 }],
      ['cdf', d.cdf(x), oracle(uniformDist.cdf)],
      ['logCdf', d.logCdf(x), oracle(uniformDist.logcdf)],
    ]);
    d.dispose();
  });

  it('entropy, mean, variance and stddev', () => {
    const low = BOUNDS.map((b) => f32(b[0]));
    const high = BOUNDS.map((b) => f32(b[1]));
    const ext = BOUNDS.map((b) => b[2]);
    const d = new Uniform({ low, high });
    const oracle = (f: (a: number, b: number) => number) => low.map((a, i) => f(a, high[i]));
    report.checkEach(ext, { ordinary: 1e-7, extreme: 1e-7 }, [
      ['entropy', d.entropy(), oracle(uniformDist.entropy), { ordinary: 1e-6, extreme: 1e-6 }],
      ['mean', d.mean(), oracle(uniformDist.mean)],
      ['variance', d.variance(), oracle(uniformDist.variance), { ordinary: 2e-7, extreme: 2e-7 }],
      ['stddev', d.stddev(), oracle(uniformDist.stdev)],
    ]);
    d.dispose();
  });

  it('samples pass a Kolmogorov-Smirnov test against the CDF', () => {
    const d = new Uniform({ low: [-2, 5], high: [3, 5.5] });
    const cols = columns(d.sample([5000], 3));
    expectKSPass(cols[0], (x) => uniformDist.cdf(x, -2, 3));
    expectKSPass(cols[1], (x) => uniformDist.cdf(x, 5, 5.5));
    d.dispose();
  });
});

describe('Uniform samples stay in [low, high)', () => {
  it('a width of a few ulps of low: low + u (high - low) rounding to high wraps to low (issue 15)', () => {
    // Width 5e-5 beside |low| ~ 52 (ulp 3.8e-6): about 4% of draws rounded to high itself, where
    // logProb was -Infinity (a support error with validation on).
    const d = new Uniform({ low: -51.85859, high: -51.85854 });
    tf.tidy(() => {
      const x = d.rsample(2000, 15);
      const [lo, hi] = [d.low.dataSync()[0], d.high.dataSync()[0]];
      const xs = Array.from(x.dataSync());
      expect(xs.every((v) => v >= lo && v < hi)).toBe(true);
      expect(new Set(xs).size).toBeGreaterThan(5);
      expect(Array.from(d.logProb(x).dataSync()).every(Number.isFinite)).toBe(true);
      const [gLow, gHigh] = tf.grads((l: tf.Tensor, h: tf.Tensor) => tf.sum(new Uniform({ low: l, high: h }).rsample(2000, 15)))([
        d.low,
        d.high,
      ]);
      expect(Number.isFinite(gLow.dataSync()[0]) && Number.isFinite(gHigh.dataSync()[0])).toBe(true);
      expect(gLow.dataSync()[0] + gHigh.dataSync()[0]).toBeCloseTo(2000, 0);
    });
    d.dispose();
  });
});

describe('Uniform gradients', () => {
  it('logProb gradients in low and high match float64 finite differences', () => {
    const [a, b, v] = [f32(-0.5), f32(2), f32(0.4)];
    expectLogProbGradientsMatch((low, high) => new Uniform({ low, high }), uniformDist.logpdf, [a, b], v, { atol: 0 });
  });

  it('rsample is differentiable: d/dlow E[x] = d/dhigh E[x] = 1/2', () => {
    const g = tf.grads((low: tf.Tensor, high: tf.Tensor) => tf.mean(new Uniform({ low, high }).rsample([20000], 5)))([
      tf.scalar(-1),
      tf.scalar(2),
    ]);
    expectClose(g[0], 0.5, { rtol: 0.03 });
    expectClose(g[1], 0.5, { rtol: 0.03 });
  });
});

describeStandardChecks<UniformParams>({
  family: Uniform,
  shapes: scalarEventShapes({ low: 0, high: 1 }, { low: [0, 1], high: 2 }, { low: [[0], [1]], high: [2, 3, 4] }),
  params: { low: [-1, 0, 10], high: [1, 1e-3, 20] },
  value: [0.5, 0, 15],
  badParams: [
    [{ low: [0, 2], high: 1 }, 'Uniform: high must be greater than low; got 1 at index [1] of its broadcast shape [2]'],
    [{ low: 0, high: NaN }, /Uniform: high must be a real number/],
  ],
  outside: [
    [-2, -1, 9],
    [1, 1e-3, 20],
    [NaN, NaN, NaN],
  ],
  supportMessage: /Uniform: value must be in the support: in \[low, high\)/,
  finiteGradients: { build: (p) => new Uniform({ low: p, high: 2 }), param: [-1, 0], values: [-1, 1.5] },
});
