import * as tf from '@tensorflow/tfjs-core';
import { Independent, Normal } from '@vae/distributions';
import { expectClose, expectMemoryNeutral, gradient64 } from '@vae/testing';
import { VampPrior } from './index.js';

// A linear Gaussian encoder: q(z | x) = N(x W, diag(s^2)), W of shape [3, 2].
const W = [
  [0.5, -0.2],
  [0.1, 0.8],
  [-0.3, 0.4],
];
const S = [0.7, 0.4];

function makeEncoder(w: tf.Tensor) {
  return (x: tf.Tensor) =>
    new Independent({
      distribution: new Normal({ loc: tf.matMul(x, w), scale: tf.tensor(S), validateArgs: false }),
      reinterpretedBatchNdims: 1,
    });
}

/** float64 log (1/K) sum_k N(z; u_k W, diag(S^2)). */
function vampLogDensity64(u: number[][], z: number[]): number {
  const terms = u.map((uk) =>
    z.reduce((acc, v, j) => {
      const mean = uk.reduce((a, ui, i) => a + ui * W[i][j], 0);
      return acc - 0.5 * ((v - mean) / S[j]) ** 2 - Math.log(S[j]) - 0.5 * Math.log(2 * Math.PI);
    }, 0),
  );
  const m = Math.max(...terms);
  return m + Math.log(terms.reduce((a, t) => a + Math.exp(t - m), 0)) - Math.log(u.length);
}

describe('VampPrior', () => {
  let w: tf.Tensor;
  beforeAll(() => {
    w = tf.tensor(W);
  });
  afterAll(() => w.dispose());

  it('is the uniform mixture of the encoder at the pseudo-inputs (float64 check)', () => {
    const u0 = [
      [1, 0, -1],
      [0.5, 2, 0],
      [-1, -1, 3],
      [0, 0, 0],
    ];
    const prior = new VampPrior({ encoder: makeEncoder(w), pseudoInputs: u0 });
    expect(prior.numPseudoInputs).toBe(4);
    expect(prior.trainableVariables).toEqual([prior.pseudoInputs]);
    const z = [
      [0, 0],
      [1, -1],
      [-5, 7],
    ];
    const lp = tf.tidy(() => prior.distribution().logProb(tf.tensor(z)));
    expectClose(
      lp,
      z.map((row) => vampLogDensity64(u0, row)),
      { rtol: 2e-6 },
    );
    lp.dispose();
    prior.dispose();
  });

  it('the gradient with respect to the pseudo-inputs matches float64 finite differences', () => {
    const u0 = [
      [0.3, -0.2, 0.1],
      [1, 0.4, -0.6],
    ];
    const prior = new VampPrior({ encoder: makeEncoder(w), pseudoInputs: u0 });
    const z = [0.4, -0.3];
    const grad = tf.tidy(() => tf.grad(() => tf.sum(prior.distribution().logProb(tf.tensor([z]))))(prior.pseudoInputs));
    const flat = u0.flat();
    const fd = gradient64((v) => vampLogDensity64([v.slice(0, 3), v.slice(3)], z), flat);
    expectClose(grad, fd, { rtol: 1e-3, atol: 1e-5 });
    // Through the optimizer: the pseudo-inputs move.
    const optimizer = tf.train.adam(0.1);
    optimizer.minimize(() => tf.neg(tf.sum(prior.distribution().logProb(tf.tensor([z])))) as tf.Scalar, false, prior.trainableVariables);
    expect(compareArrays(prior.pseudoInputs.arraySync() as number[][], u0)).toBe(false);
    optimizer.dispose();
    grad.dispose();
    prior.dispose();
  });

  it('draws seeded pseudo-inputs from { numPseudoInputs, inputDim, seed }', () => {
    const a = new VampPrior({ encoder: makeEncoder(w), pseudoInputs: { numPseudoInputs: 5, inputDim: 3, seed: 9 } });
    const b = new VampPrior({ encoder: makeEncoder(w), pseudoInputs: { numPseudoInputs: 5, inputDim: 3, seed: 9 } });
    expect(a.pseudoInputs.shape).toEqual([5, 3]);
    expectClose(a.pseudoInputs, b.pseudoInputs, { rtol: 0, atol: 0 });
    const values = Array.from(a.pseudoInputs.dataSync());
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.15); // default N(0.5, 0.1^2)
    a.dispose();
    b.dispose();
  });

  it('applies pseudoInputTransform before the encoder', () => {
    const u0 = [[0, 0, 0]];
    const prior = new VampPrior({ encoder: makeEncoder(w), pseudoInputs: u0, pseudoInputTransform: (u) => tf.add(u, 1) });
    const lp = tf.tidy(() => prior.distribution().logProb(tf.tensor([[0, 0]])));
    expectClose(lp, [vampLogDensity64([[1, 1, 1]], [0, 0])], { rtol: 1e-6 });
    lp.dispose();
    prior.dispose();
  });

  it('is memory-neutral inside a tidy and frees its pseudo-inputs', async () => {
    const before = tf.memory().numTensors;
    const prior = new VampPrior({ encoder: makeEncoder(w), pseudoInputs: { numPseudoInputs: 3, inputDim: 3, seed: 1 } });
    await expectMemoryNeutral(() => tf.tidy(() => prior.distribution().logProb(tf.ones([4, 2]))), 'VampPrior logProb');
    prior.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a missing encoder, bad pseudo-inputs and an encoder with the wrong batch', () => {
    expect(() => new VampPrior({ encoder: undefined as never, pseudoInputs: [[0]] })).toThrow(/encoder must be a function/);
    expect(() => new VampPrior({ encoder: makeEncoder(w), pseudoInputs: { numPseudoInputs: 0, inputDim: 3 } })).toThrow(/numPseudoInputs/);
    const wrongBatch = new VampPrior({
      encoder: (x) => makeEncoder(w)(tf.concat([x, x])),
      pseudoInputs: [[0, 0, 0]],
    });
    expect(() =>
      tf.tidy(() => {
        wrongBatch.distribution();
      }),
    ).toThrow(/batch shape \[1\].*got batch shape \[2\]/);
    wrongBatch.dispose();
  });
});

function compareArrays(a: number[][], b: number[][]): boolean {
  return a.every((row, i) => row.every((v, j) => v === b[i][j]));
}
