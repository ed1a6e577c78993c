import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectMemoryNeutral } from '@vae/testing';
import { batchedMatVec, cholesky, matrixDiagonal, triangularSolve } from './linalg.js';

// Float64 references by plain loops.
function matmul(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, aik, k) => s + aik * b[k][j], 0)));
}
const transpose = (a: number[][]) => a[0].map((_, j) => a.map((row) => row[j]));

// A well-conditioned SPD matrix A = M M^T + d I and its lower factor.
const M = [
  [1, 0.5, -0.3, 0.2],
  [0.1, 2, 0.4, -0.5],
  [-0.7, 0.3, 1.5, 0.6],
  [0.2, -0.1, 0.9, 1.2],
];
const A = matmul(M, transpose(M)).map((row, i) => row.map((v, j) => v + (i === j ? 4 : 0)));

describe('cholesky', () => {
  it('returns a lower-triangular L with positive diagonal and L L^T = A', () => {
    const L = cholesky(A).arraySync() as number[][];
    L.forEach((row, i) => row.forEach((v, j) => (j > i ? expect(Math.abs(v)).toBe(0) : undefined)));
    L.forEach((row, i) => expect(row[i]).toBeGreaterThan(0));
    expectClose(matmul(L, transpose(L)), A, { rtol: 1e-5, atol: 1e-5 });
  });

  it('matches the closed form of a 2 x 2 and works on batches', () => {
    // [[4, 2], [2, 5]] = [[2, 0], [1, 2]] [[2, 1], [0, 2]]
    const L = cholesky([
      [
        [4, 2],
        [2, 5],
      ],
      [
        [9, 0],
        [0, 1],
      ],
    ]);
    expect(L.shape).toEqual([2, 2, 2]);
    expectClose(L, [
      [
        [2, 0],
        [1, 2],
      ],
      [
        [3, 0],
        [0, 1],
      ],
    ]);
  });

  it('rejects a matrix that is not square, naming it', () => {
    expect(() => cholesky([[1, 2, 3]])).toThrow('cholesky: matrix must be a batch of square matrices shaped [..., d, d]; got shape [1,3]');
    expect(() => cholesky([1, 2])).toThrow(/got shape \[2\]/);
  });
});

describe('triangularSolve', () => {
  it('solves L x = b: L times the solution gives b back', () => {
    const L = cholesky(A);
    const b = [
      [1, -2, 0.5, 3],
      [0, 0, 1, 0],
    ]; // two right-hand sides, batch [2]
    const x = triangularSolve(L, b).arraySync() as number[][];
    const Lv = L.arraySync() as number[][];
    x.forEach((xi, n) =>
      expectClose(
        matmul(
          Lv,
          xi.map((v) => [v]),
        ).map((r) => r[0]),
        b[n],
        { rtol: 1e-5, atol: 1e-5 },
      ),
    );
  });

  it('broadcasts a batch of matrices against vectors with extra leading dimensions', () => {
    const Ls = [
      [
        [2, 0],
        [1, 2],
      ],
      [
        [1, 0],
        [-1, 4],
      ],
    ]; // [2, 2, 2]
    const rhs = tf.ones([3, 2, 2]); // sample [3], batch [2], d 2
    const x = triangularSolve(Ls, rhs);
    expect(x.shape).toEqual([3, 2, 2]);
    // [[2, 0], [1, 2]] x = [1, 1]: x = [1/2, 1/4]; [[1, 0], [-1, 4]] x = [1, 1]: x = [1, 1/2]
    expectClose(tf.reshape(tf.slice(x, [0, 0, 0], [1, 2, 2]), [2, 2]), [
      [0.5, 0.25],
      [1, 0.5],
    ]);
  });

  it('has the gradient of the linear solve: d/db sum(L^-1 b) = L^-T 1', () => {
    const L = [
      [2, 0],
      [1, 4],
    ];
    const g = tf.grad((b: tf.Tensor) => tf.sum(triangularSolve(L, b)))(tf.tensor1d([1, 1]));
    // L^-T 1: solve [[2, 1], [0, 4]] y = [1, 1]: y2 = 1/4, y1 = (1 - 1/4) / 2 = 3/8
    expectClose(g, [0.375, 0.25]);
  });

  it('rejects a right-hand side of the wrong size, and is memory-neutral', async () => {
    expect(() => triangularSolve([[1]], [1, 2])).toThrow('triangularSolve: rhs must be shaped [..., 1] to match scaleTril; got shape [2]');
    const L = tf.tensor2d([
      [1, 0],
      [2, 3],
    ]);
    const b = tf.tensor1d([1, 2]);
    await expectMemoryNeutral(() => triangularSolve(L, b));
    await expectMemoryNeutral(() => cholesky(A));
    tf.dispose([L, b]);
  });
});

describe('batchedMatVec and matrixDiagonal', () => {
  it('multiplies each matrix by each vector, broadcasting leading dimensions', () => {
    const m = tf.tensor3d([
      [
        [1, 2],
        [3, 4],
      ],
      [
        [0, 1],
        [1, 0],
      ],
    ]);
    const v = tf.tensor3d([
      [
        [1, 1],
        [2, -1],
      ],
      [
        [0, 1],
        [5, 7],
      ],
    ]); // [2 samples, 2 batch, 2]
    const out = batchedMatVec(m, v);
    expect(out.shape).toEqual([2, 2, 2]);
    expectClose(out, [
      [
        [3, 7],
        [-1, 2],
      ],
      [
        [2, 4],
        [7, 5],
      ],
    ]);
  });

  it('reads the diagonal of a batch of square matrices', () => {
    expectClose(
      matrixDiagonal(A),
      [0, 1, 2, 3].map((i) => A[i][i]),
      { rtol: 1e-6 },
    );
    expect(matrixDiagonal(tf.zeros([3, 2, 2])).shape).toEqual([3, 2]);
    expect(() => matrixDiagonal([[1, 2]])).toThrow(/matrixDiagonal: matrix must be a batch of square matrices/);
  });
});
