import * as tf from '@tensorflow/tfjs-core';
import { Independent, Laplace, Logistic, Normal } from '@vae/distributions';
import { expectClose, expectMemoryNeutral } from '@vae/testing';
import { defaultKLRegistry, klDivergence } from './kl-divergence.js';
import { monteCarloKL } from './monte-carlo.js';
import { createKLRegistry } from './registry.js';

const klNormal = (m1: number, s1: number, m2: number, s2: number) => Math.log(s2 / s1) + (s1 ** 2 + (m1 - m2) ** 2) / (2 * s2 ** 2) - 0.5;

describe('klDivergence', () => {
  it('dispatches to the registered closed form and broadcasts to the joint batch shape', () => {
    const q = new Normal({ loc: [[0], [1]], scale: [[1], [0.5]] }); // batch [2, 1]
    const prior = new Normal({ loc: [0, 2, -1], scale: 1.5 }); // batch [3]
    const kl = klDivergence(q, prior);
    expect(kl.shape).toEqual([2, 3]);
    expectClose(kl, [[0, 2, -1].map((m) => klNormal(0, 1, m, 1.5)), [0, 2, -1].map((m) => klNormal(1, 0.5, m, 1.5))], { rtol: 1e-5 });
    kl.dispose();
  });

  it('agrees with a Monte Carlo estimate of the same pair', () => {
    const p = new Normal({ loc: 0.3, scale: 0.8 });
    const q = new Normal({ loc: -0.2, scale: 1.1 });
    const exact = klDivergence(p, q).dataSync()[0];
    const estimate = monteCarloKL(p, q, { numSamples: 50000, seed: 4, estimator: 'lowVariance' }).dataSync()[0];
    expect(Math.abs(exact - estimate)).toBeLessThan(0.01);
    expect(exact).toBeCloseTo(klNormal(0.3, 0.8, -0.2, 1.1), 5);
  });

  it('uses the registry passed in, and not the default one', () => {
    const constant = createKLRegistry([{ p: Normal, q: Normal, kl: (p: Normal) => tf.fill(p.batchShape, 42) }]);
    const n = new Normal({ loc: [0, 1], scale: 1 });
    expect(Array.from(klDivergence(n, n, { registry: constant }).dataSync())).toEqual([42, 42]);
    expect(Array.from(klDivergence(n, n).dataSync())).toEqual([0, 0]);
    expect(defaultKLRegistry.has(Normal, Normal)).toBe(true);
  });

  it('falls back to Monte Carlo only when asked, with the same numbers as monteCarloKL', () => {
    const p = new Logistic({ loc: 0, scale: 1 });
    const q = new Laplace({ loc: 0, scale: 1 });
    const empty = createKLRegistry([]);
    expect(() => klDivergence(p, q, { registry: empty })).toThrow(
      /No analytic KL\(Logistic \|\| Laplace\) is registered.*fallback: 'monteCarlo'/,
    );
    const viaFallback = klDivergence(p, q, { registry: empty, fallback: 'monteCarlo', numSamples: 100, seed: 2 });
    const direct = monteCarloKL(p, q, { numSamples: 100, seed: 2 });
    expect(Array.from(viaFallback.dataSync())).toEqual(Array.from(direct.dataSync()));
  });

  it('rejects distributions over different event shapes before computing anything', () => {
    const vector = new Independent({ distribution: new Normal({ loc: [0, 0], scale: 1 }), reinterpretedBatchNdims: 1 });
    const scalar = new Normal({ loc: 0, scale: 1 });
    const registry = createKLRegistry([{ p: Independent, q: Normal, kl: () => tf.scalar(0) }]);
    expect(() => klDivergence(vector, scalar, { registry })).toThrow(
      /klDivergence: p and q must be distributions over the same event shape/,
    );
  });

  it('is differentiable in the parameters and memory-neutral', async () => {
    const prior = new Normal({ loc: 0, scale: 1 });
    // d/dm KL(N(m, s) || N(0, 1)) = m, d/ds = s - 1/s
    const [dm, ds] = tf.grads((m: tf.Tensor, s: tf.Tensor) => klDivergence(new Normal({ loc: m, scale: s }), prior))([
      tf.scalar(0.4),
      tf.scalar(2),
    ]);
    expect(dm.dataSync()[0]).toBeCloseTo(0.4, 5);
    expect(ds.dataSync()[0]).toBeCloseTo(2 - 0.5, 5);
    const q = new Normal({ loc: [0, 1], scale: [1, 2] });
    await expectMemoryNeutral(() => klDivergence(q, prior));
  });
});
