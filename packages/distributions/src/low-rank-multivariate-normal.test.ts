import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectMemoryNeutral, expectWithinStandardErrors, summarize } from '@vae/testing';
import { LowRankMultivariateNormal, MultivariateNormal } from './index.js';

// Batch of 2, D = 4, R = 2: the oracle is MultivariateNormal with the full covariance W W^T + diag(d).
const LOC = [
  [0.5, -1, 2, 0],
  [0, 0, 0, 0],
];
const W = [
  [
    [1, 0.2],
    [-0.5, 1.5],
    [0.3, -0.7],
    [2, 0.1],
  ],
  [
    [0.01, 0],
    [0, 0.02],
    [3, -3],
    [1e-3, 5],
  ],
];
const DIAG = [
  [0.5, 1, 2, 0.1],
  [1e-3, 4, 0.2, 1],
];

function fullCovariance(w: tf.Tensor, d: tf.Tensor): tf.Tensor {
  return tf.add(tf.matMul(w, w, false, true), tf.linalg.bandPart(tf.mul(tf.expandDims(d, -1), tf.eye(d.shape[d.rank - 1])), 0, 0));
}

describe('LowRankMultivariateNormal against MultivariateNormal with the full covariance', () => {
  it('logProb, entropy, mean and variance agree, and the logProb gradients in every parameter agree', () => {
    tf.tidy(() => {
      const low = new LowRankMultivariateNormal({ loc: LOC, covFactor: W, covDiag: DIAG });
      const full = new MultivariateNormal({ loc: LOC, covarianceMatrix: fullCovariance(tf.tensor(W), tf.tensor(DIAG)) });
      expect(low.batchShape).toEqual([2]);
      expect(low.eventShape).toEqual([4]);
      const x = tf.tensor([
        [
          [1, 0, -1, 2],
          [0.3, 0.3, 0.3, 0.3],
        ],
        [
          [-2, 1, 0, 0.5],
          [5, -5, 1, 0],
        ],
      ]);
      expectClose(low.logProb(x), full.logProb(x), { rtol: 2e-5 });
      expectClose(low.entropy(), full.entropy(), { rtol: 1e-5 });
      expectClose(low.mean(), LOC, { rtol: 0 });
      expectClose(low.variance(), tf.stack([0, 1].map((b) => tf.add(tf.sum(tf.square(tf.tensor(W[b])), -1), DIAG[b]))), { rtol: 1e-6 });
      const lp = (loc: tf.Tensor, w: tf.Tensor, d: tf.Tensor) =>
        tf.sum(new LowRankMultivariateNormal({ loc, covFactor: w, covDiag: d }).logProb(x));
      const lpFull = (loc: tf.Tensor, w: tf.Tensor, d: tf.Tensor) =>
        tf.sum(new MultivariateNormal({ loc, covarianceMatrix: fullCovariance(w, d), validateArgs: false }).logProb(x));
      const args = [tf.tensor(LOC), tf.tensor(W), tf.tensor(DIAG)];
      const g = tf.grads(lp)(args);
      const gFull = tf.grads(lpFull)(args);
      g.forEach((gi, i) => expectClose(gi, gFull[i], { rtol: 1e-3, atol: 1e-3 }));
    });
  });

  it('samples have the mean and covariance W W^T + diag(d) (seeded Monte Carlo), and rsample is differentiable', () => {
    tf.tidy(() => {
      const d = new LowRankMultivariateNormal({ loc: LOC[0], covFactor: W[0], covDiag: DIAG[0] });
      const n = 6000;
      const x = d.sample([n], 3);
      expect(x.shape).toEqual([n, 4]);
      const cov = fullCovariance(tf.tensor(W[0]), tf.tensor(DIAG[0])).arraySync() as number[][];
      const xs = x.arraySync() as number[][];
      for (let i = 0; i < 4; i++) {
        const col = Float64Array.from(xs.map((r) => r[i]));
        const s = summarize(col);
        expectWithinStandardErrors(s.mean, LOC[0][i], s.standardError, { z: 5, label: `mean[${i}]` });
        for (let j = 0; j <= i; j++) {
          const prod = Float64Array.from(xs.map((r) => (r[i] - LOC[0][i]) * (r[j] - LOC[0][j])));
          const p = summarize(prod);
          expectWithinStandardErrors(p.mean, cov[i][j], p.standardError, { z: 5, label: `cov[${i}][${j}]` });
        }
      }
      expect(Array.from(d.sample([5], 0).dataSync())).toEqual(Array.from(d.sample([5], 0).dataSync()));
      // d/dW_ij of E[sum_k x_k^2] = 2 W_ij (the expected squares are loc^2 + variance).
      const g = tf.grad((w: tf.Tensor) =>
        tf.mean(
          tf.sum(tf.square(new LowRankMultivariateNormal({ loc: [0, 0, 0, 0], covFactor: w, covDiag: DIAG[0] }).rsample([n], 4)), -1),
        ),
      )(tf.tensor(W[0]));
      expectClose(g, tf.mul(2, tf.tensor(W[0])), { rtol: 0.15, atol: 0.15 });
    });
  });

  it('broadcasts batch axes of loc, covFactor and covDiag, and rejects bad shapes and values by name', () => {
    const d = new LowRankMultivariateNormal({
      loc: [0, 0],
      covFactor: [
        [[1], [0]],
        [[0], [1]],
        [[1], [1]],
      ],
      covDiag: [1, 2],
    });
    expect(d.batchShape).toEqual([3]);
    const s = d.sample([2], 1);
    expect(s.shape).toEqual([2, 3, 2]);
    expect(d.logProb(s).shape).toEqual([2, 3]);
    tf.dispose(s);
    d.dispose();
    expect(() => new LowRankMultivariateNormal({ loc: [0, 0], covFactor: [[1, 2, 3]], covDiag: [1, 1] })).toThrow(
      /LowRankMultivariateNormal: covFactor must be shaped \[\.\.\., 2, R\]/,
    );
    expect(() => new LowRankMultivariateNormal({ loc: [0, 0], covFactor: [[1], [1]], covDiag: [1, 1, 1] })).toThrow(
      /covDiag must be shaped \[\.\.\., 2\]/,
    );
    expect(() => new LowRankMultivariateNormal({ loc: [0, 0], covFactor: [[1], [1]], covDiag: [1, 0] })).toThrow(
      /covDiag must be a vector of positive/,
    );
    expect(() => new LowRankMultivariateNormal({ loc: [0, 0], covFactor: [[NaN], [1]], covDiag: [1, 1] })).toThrow(
      /covFactor must be a matrix of finite real numbers/,
    );
  });

  it('every public method is memory-neutral', async () => {
    const d = new LowRankMultivariateNormal({ loc: LOC, covFactor: W, covDiag: DIAG });
    const x = [0.1, 0.2, 0.3, 0.4];
    for (const [name, call] of Object.entries({
      sample: () => d.sample([3], 1),
      rsample: () => d.rsample([3], 1),
      logProb: () => d.logProb(x),
      entropy: () => d.entropy(),
      mean: () => d.mean(),
      variance: () => d.variance(),
      stddev: () => d.stddev(),
      mode: () => d.mode(),
      construct: () => new LowRankMultivariateNormal({ loc: LOC, covFactor: W, covDiag: DIAG }).dispose(),
    }))
      await expectMemoryNeutral(call, `LowRankMultivariateNormal.${name}`);
    d.dispose();
  });
});
