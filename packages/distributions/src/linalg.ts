import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, broadcastShapes, toFloat32 } from '@vae/math';
import type { TensorInput } from '@vae/math';

function squareSize(matrix: tf.Tensor, argument: string, context: string): number {
  const d = matrix.shape[matrix.rank - 1];
  if (matrix.rank < 2 || matrix.shape[matrix.rank - 2] !== d) {
    throw new InvalidArgumentError(argument, 'a batch of square matrices shaped [..., d, d]', `got shape [${matrix.shape}]`, context);
  }
  return d;
}

/**
 * Lays out a batch of matrices `[..., m, d]` and vectors `[..., d]` for batched `matMul`: the
 * matrices become `[C, m, d]` and the vectors the columns of `[C, d, P]`, where C is the size of the
 * common batch and P the size of the vectors' extra leading (sample) dimensions. tfjs's CPU kernels
 * take a slow generic path for every elementwise op whose operands differ in shape, while `matMul`
 * on matching batches is fast, so the hot loops below use only same-shape ops and `matMul`.
 */
function columnLayout(matrix: tf.Tensor, vectors: tf.Tensor, d: number, context: string) {
  const m = matrix.shape[matrix.rank - 2];
  const matrixBatch = matrix.shape.slice(0, -2);
  const vectorBatch = vectors.shape.slice(0, -1);
  const lead = vectorBatch.slice(0, Math.max(0, vectorBatch.length - matrixBatch.length));
  const common = broadcastShapes([vectorBatch.slice(lead.length), matrixBatch], ['rhs', 'scaleTril'], context);
  const p = lead.reduce((a, b) => a * b, 1);
  const c = common.reduce((a, b) => a * b, 1);
  const matrices = tf.reshape(tf.broadcastTo(matrix, [...common, m, d]), [c, m, d]);
  const flat = tf.reshape(tf.broadcastTo(vectors, [...lead, ...common, d]), [p, c, d]);
  const columns = tf.transpose(flat, [1, 2, 0]);
  const restore = (x: tf.Tensor) => tf.reshape(tf.transpose(x, [2, 0, 1]), [...lead, ...common, x.shape[1] as number]);
  return { matrices, columns, restore, c, p };
}

/**
 * Solves `L x = b` for `x` by forward substitution, with `L` lower-triangular, batched and
 * differentiable.
 *
 * @remarks
 * Column-oriented forward substitution on the unit-diagonal system D^{-1} L x = D^{-1} b
 * (D = diag L): for j = 0..d-1, x_j = r_j and then r <- r - (L[:, j] / L_jj) x_j, starting from
 * r = D^{-1} b. The right-hand sides are gathered as the columns of one matrix per batch member,
 * so each step is one batched outer product (`matMul`) and one subtraction: d steps of
 * O(batch d samples) work, fine for d up to a few hundred. Gradients flow to both `L` and `b`
 * because every step is an ordinary tfjs op. Entries above the diagonal are never read. The batch
 * dimensions of `L` (`[..., d, d]`) and the trailing batch dimensions of `b` (`[..., d]`)
 * broadcast; extra leading dimensions of `b` (sample dimensions) are solved against the same `L`.
 * A zero on the diagonal gives Infinity or NaN, as a singular system must.
 *
 * @param scaleTril - lower-triangular matrices, shape `B1 + [d, d]`
 * @param rhs - right-hand sides, shape `S + B2 + [d]`
 * @returns `x` with `L x = b`, shape `S + broadcast(B1, B2) + [d]`
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { triangularSolve } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const L = tf.tensor([[2, 0], [1, 4]]);
 *   const x = triangularSolve(L, tf.tensor([2, 9]));
 *   console.log(x.arraySync()); // [1, 2]
 * });
 * ```
 */
export function triangularSolve(scaleTril: TensorInput, rhs: TensorInput): tf.Tensor {
  return tf.tidy(() => {
    const L = toFloat32(scaleTril, 'scaleTril', 'triangularSolve');
    const b = toFloat32(rhs, 'rhs', 'triangularSolve');
    const d = squareSize(L, 'scaleTril', 'triangularSolve');
    if (b.rank < 1 || b.shape[b.rank - 1] !== d) {
      throw new InvalidArgumentError('rhs', `shaped [..., ${d}] to match scaleTril`, `got shape [${b.shape}]`, 'triangularSolve');
    }
    const { matrices, columns, restore, c, p } = columnLayout(L, b, d, 'triangularSolve');
    const inverseDiagonal = tf.expandDims(tf.reciprocal(matrixDiagonal(matrices)), -1); // [C, d, 1]
    const unit = tf.mul(matrices, inverseDiagonal); // row i divided by L_ii
    let residual = tf.mul(columns, inverseDiagonal); // [C, d, P]
    const rows: tf.Tensor[] = [];
    for (let j = 0; j < d; j++) {
      const xj = tf.slice(residual, [0, j, 0], [c, 1, p]);
      rows.push(xj);
      if (j < d - 1) residual = tf.sub(residual, tf.matMul(tf.slice(unit, [0, 0, j], [c, d, 1]), xj));
    }
    return restore(tf.concat(rows, 1));
  });
}

/**
 * M v for batches of matrices `[..., m, d]` and vectors `S + [..., d]` (batch dimensions
 * broadcast, extra leading dimensions of `v` share the matrices), through one batched `matMul`;
 * the result is `S + batch + [m]`. Internal: the samplers and dot products of the vector families.
 */
export function batchedMatVec(matrix: tf.Tensor, vectors: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const d = matrix.shape[matrix.rank - 1];
    const { matrices, columns, restore } = columnLayout(matrix, vectors, d, 'batchedMatVec');
    // (columnLayout names its arguments scaleTril and rhs in broadcast errors; callers check shapes.)
    return restore(tf.matMul(matrices, columns));
  });
}

/**
 * The diagonals of a batch of square matrices.
 *
 * @remarks
 * Computed as `sum(M * I, -1)`, which is differentiable (tfjs has no `matrixDiagPart` gradient).
 *
 * @param matrix - shape `B + [d, d]`
 * @returns the diagonals, shape `B + [d]`
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { matrixDiagonal } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   console.log(matrixDiagonal(tf.tensor([[1, 2], [3, 4]])).arraySync()); // [1, 4]
 * });
 * ```
 */
export function matrixDiagonal(matrix: TensorInput): tf.Tensor {
  return tf.tidy(() => {
    const m = toFloat32(matrix, 'matrix', 'matrixDiagonal');
    const d = squareSize(m, 'matrix', 'matrixDiagonal');
    return tf.sum(tf.mul(m, tf.eye(d)), -1);
  });
}

/**
 * The Cholesky factor of a batch of symmetric positive-definite matrices, differentiable.
 *
 * @remarks
 * Outer-product (right-looking) Cholesky in tf ops: with S = A, for j = 0..d-1 the column
 * L[:, j] = S[:, j] / sqrt(S_jj) restricted to rows i >= j, then S <- S - L[:, j] L[:, j]^T.
 * O(d) steps of O(batch d^2) work, vectorized over the batch; meant for small d (up to ~100).
 * Only the lower triangle of A is effectively used for the result when A is symmetric. A matrix
 * that is not positive definite gives NaN entries (validate before, or check the result's
 * diagonal, as {@link MultivariateNormal} does).
 *
 * @param matrix - symmetric positive-definite matrices, shape `B + [d, d]`
 * @returns the lower-triangular factor L with L L^T = A and a positive diagonal, shape `B + [d, d]`
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { cholesky } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const L = cholesky(tf.tensor([[4, 2], [2, 5]]));
 *   console.log(L.arraySync()); // [[2, 0], [1, 2]]
 * });
 * ```
 */
export function cholesky(matrix: TensorInput): tf.Tensor {
  return tf.tidy(() => {
    const A = toFloat32(matrix, 'matrix', 'cholesky');
    const d = squareSize(A, 'matrix', 'cholesky');
    const batch = A.shape.slice(0, -2);
    const c = batch.reduce((a, b) => a * b, 1);
    // Flattened to [C, d, d] so the rank-one updates are batched matMuls (see columnLayout).
    let schur = tf.reshape(A, [c, d, d]);
    const columns: tf.Tensor[] = [];
    for (let j = 0; j < d; j++) {
      const column = tf.slice(schur, [0, 0, j], [c, d, 1]);
      const pivot = tf.slice(column, [0, j, 0], [c, 1, 1]);
      const below = tf.reshape(tf.tensor1d(Array.from({ length: d }, (_, i) => (i >= j ? 1 : 0))), [1, d, 1]);
      const lj = tf.mul(tf.div(column, tf.sqrt(pivot)), below); // [C, d, 1], zero above row j
      columns.push(lj);
      if (j < d - 1) schur = tf.sub(schur, tf.matMul(lj, lj, false, true));
    }
    return tf.reshape(tf.concat(columns, 2), [...batch, d, d]);
  });
}
