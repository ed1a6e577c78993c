import * as tf from '@tensorflow/tfjs-core';
import { compareClose, expectClose, expectFinite } from './close.js';
import { expectMemoryNeutral } from './memory.js';
import { expectKSPass, expectWithinStandardErrors, ksTest, summarize } from './monte-carlo.js';
import { derivative64, gradient64 } from './finite-difference.js';

describe('expectClose', () => {
  it('reports the worst element', () => {
    const r = compareClose([1, 2, 3.1], [1, 2, 3], { rtol: 1e-3, atol: 0 });
    expect(r.ok).toBe(false);
    expect(r.worstIndex).toBe(2);
    expect(() => expectClose([1, 2, 3.1], [1, 2, 3], { rtol: 1e-3, atol: 0, label: 'v' })).toThrow(
      /v not close.*flat index 2: actual 3.1, expected 3/,
    );
  });
  it('accepts equal infinities and rejects NaN against a number', () => {
    expectClose([Infinity, -Infinity], [Infinity, -Infinity]);
    expect(() => expectClose([NaN], [1])).toThrow(/not close/);
    expect(() => expectFinite([1, NaN])).toThrow(/element 1 is NaN/);
  });
  it('checks tensor shapes', () => {
    const a = tf.zeros([2, 1]);
    const b = tf.zeros([2]);
    expect(() => expectClose(a, b)).toThrow(/shape/);
    tf.dispose([a, b]);
  });
});

describe('expectMemoryNeutral', () => {
  it('catches a leak and accepts a clean call', async () => {
    const x = tf.ones([3]);
    await expect(expectMemoryNeutral(() => tf.add(tf.mul(x, 2), 1))).rejects.toThrow(/1 tensor/);
    await expect(expectMemoryNeutral(() => tf.tidy(() => tf.add(tf.mul(x, 2), 1)))).resolves.toBe(1);
    x.dispose();
  });
});

describe('Monte Carlo helpers', () => {
  // A deterministic low-discrepancy "sample" of U(0, 1) passes KS; a shifted one fails.
  const grid = Array.from({ length: 1000 }, (_, i) => (i + 0.5) / 1000);
  it('ksTest', () => {
    expect(ksTest(grid, (x) => x).pValue).toBeGreaterThan(0.99);
    expect(() =>
      expectKSPass(
        grid.map((x) => x * 0.9),
        (x) => Math.min(Math.max(x, 0), 1),
      ),
    ).toThrow(/Kolmogorov/);
  });
  it('summarize and standard errors', () => {
    const s = summarize([1, 2, 3, 4]);
    expect(s.mean).toBe(2.5);
    expect(s.variance).toBeCloseTo(5 / 3, 12);
    expectWithinStandardErrors(2.6, 2.5, 0.05, { z: 3 });
    expect(() => expectWithinStandardErrors(3, 2.5, 0.05)).toThrow(/10.00 standard errors/);
  });
  it('finite differences in float64', () => {
    expect(derivative64(Math.exp, 1)).toBeCloseTo(Math.E, 9);
    const g = gradient64(([a, b]) => a * a * b, [2, 3]);
    expect(g[0]).toBeCloseTo(12, 8);
    expect(g[1]).toBeCloseTo(4, 8);
  });
});
