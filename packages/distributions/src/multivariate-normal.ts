import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@vae/math';
import type { TensorInput } from '@vae/math';
import { standardNormal } from '@vae/samplers';
import { constraints } from './constraints.js';
import type { Constraint } from './constraints.js';
import { Distribution } from './distribution.js';
import type { DistributionOptions } from './distribution.js';
import { batchedMatVec, cholesky, matrixDiagonal, triangularSolve } from './linalg.js';

const LOG_TWO_PI = Math.log(2 * Math.PI);

/** Lower-triangular matrices (entries above the diagonal exactly 0) with a positive, finite diagonal. */
const lowerCholesky: Constraint = {
  description: 'lower-triangular (zeros above the diagonal) with a positive finite diagonal',
  eventRank: 2,
  check: (m: tf.Tensor) =>
    tf.tidy(() => {
      const d = m.shape[m.rank - 1];
      const upper = tf.sub(1, tf.linalg.bandPart(tf.ones([d, d]), -1, 0));
      const upperIsZero = tf.all(tf.equal(tf.mul(tf.where(tf.isNaN(m), tf.onesLike(m), m), upper), 0), [-2, -1]);
      const diag = matrixDiagonal(m);
      const diagOk = tf.all(tf.logicalAnd(tf.greater(diag, 0), tf.logicalNot(tf.isInf(diag))), -1);
      const finite = tf.all(tf.logicalNot(tf.logicalOr(tf.isNaN(m), tf.isInf(m))), [-2, -1]);
      return tf.logicalAnd(tf.logicalAnd(upperIsZero, diagOk), finite);
    }),
};

function transposeLast(m: tf.Tensor): tf.Tensor {
  const perm = m.shape.map((_, i) => i);
  [perm[m.rank - 2], perm[m.rank - 1]] = [perm[m.rank - 1], perm[m.rank - 2]];
  return tf.transpose(m, perm);
}

/** Symmetric matrices (within a relative tolerance) whose Cholesky factor exists. */
function symmetricPositiveDefinite(factor: tf.Tensor): Constraint {
  return {
    description: 'symmetric positive-definite',
    eventRank: 2,
    check: (m: tf.Tensor) =>
      tf.tidy(() => {
        const asym = tf.max(tf.abs(tf.sub(m, transposeLast(m))), [-2, -1]);
        const scale = tf.max(tf.abs(m), [-2, -1]);
        const symmetric = tf.lessEqual(asym, tf.mul(scale, 1e-5));
        return tf.logicalAnd(symmetric, lowerCholesky.check(factor));
      }),
  };
}

/** Parameters of {@link MultivariateNormal}: `loc` and exactly one of `scaleTril` or `covarianceMatrix`. */
export interface MultivariateNormalParams extends DistributionOptions {
  /** Mean vectors, shape `B1 + [d]`. */
  loc: TensorInput;
  /**
   * Lower-triangular Cholesky factors L of the covariance (Sigma = L L^T), zeros above the
   * diagonal and a positive diagonal, shape `B2 + [d, d]`.
   */
  scaleTril?: TensorInput;
  /**
   * Symmetric positive-definite covariance matrices, shape `B2 + [d, d]`; factored once with
   * {@link cholesky} (differentiably). Give this or `scaleTril`, not both.
   */
  covarianceMatrix?: TensorInput;
}

/**
 * The multivariate normal distribution N(loc, L L^T) over vectors in R^d, reparameterized.
 *
 * @remarks
 * With Sigma = L L^T and z = L^{-1} (x - loc) (a batched {@link triangularSolve}):
 * log p(x) = -|z|^2 / 2 - (d/2) log(2 pi) - sum_i log L_ii. Entropy:
 * (d/2)(1 + log(2 pi)) + sum_i log L_ii. Mean and mode are `loc`; the variance is the diagonal of
 * L L^T, i.e. the row sums of L^2; {@link MultivariateNormal.covariance} gives the whole matrix.
 * Samples are loc + L eps with eps ~ N(0, I), differentiable in `loc` and `scaleTril` (or in
 * `covarianceMatrix` through the differentiable Cholesky factorization).
 *
 * The batch shape is the broadcast of `loc.shape[:-1]` and `scaleTril.shape[:-2]`; the event shape
 * is `[d]`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { MultivariateNormal } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const mvn = new MultivariateNormal({ loc: [1, -1], scaleTril: [[1, 0], [0.5, 2]] });
 *   const z = mvn.rsample([4], 3);
 *   console.log(z.shape, mvn.logProb(z).shape); // [4, 2] [4]
 *   console.log(mvn.covariance().arraySync()); // [[1, 0.5], [0.5, 4.25]]
 *   const fromCov = new MultivariateNormal({ loc: [0, 0], covarianceMatrix: [[4, 2], [2, 5]] });
 *   console.log(fromCov.scaleTril.arraySync()); // [[2, 0], [1, 2]]
 * });
 * ```
 */
export class MultivariateNormal extends Distribution {
  /** The family's name in messages, spelled out because minifiers rename classes. */
  static override readonly familyName: string = 'MultivariateNormal';

  /** Mean vectors, shape broadcastable to `batchShape + [d]`. */
  readonly loc: tf.Tensor;
  /**
   * Lower-triangular scale factors L (Sigma = L L^T), shape broadcastable to `batchShape + [d, d]`:
   * the given `scaleTril` with anything above its diagonal ignored, or the Cholesky factor of the
   * given `covarianceMatrix`.
   */
  readonly scaleTril: tf.Tensor;
  readonly reparameterized = true;
  readonly support: Constraint = constraints.realVector;
  /** The event size d. */
  readonly dim: number;

  /**
   * @param params - `loc` and `scaleTril` (or `covarianceMatrix`), plus options
   */
  constructor(params: MultivariateNormalParams) {
    const { loc, scaleTril, covarianceMatrix, ...options } = params;
    super([], [], options);
    this.loc = this.param(loc, 'loc');
    if ((scaleTril === undefined) === (covarianceMatrix === undefined)) {
      throw new InvalidArgumentError('scaleTril or covarianceMatrix', 'given (exactly one of them)', undefined, this.name);
    }
    if (this.loc.rank < 1) {
      throw new InvalidArgumentError('loc', 'a vector or batch of vectors shaped [..., d]', `got shape [${this.loc.shape}]`, this.name);
    }
    this.dim = this.loc.shape[this.loc.rank - 1];
    const matrixName = scaleTril !== undefined ? 'scaleTril' : 'covarianceMatrix';
    const matrix = this.param((scaleTril ?? covarianceMatrix) as TensorInput, matrixName);
    if (matrix.rank < 2 || matrix.shape[matrix.rank - 1] !== this.dim || matrix.shape[matrix.rank - 2] !== this.dim) {
      throw new InvalidArgumentError(
        matrixName,
        `shaped [..., ${this.dim}, ${this.dim}] to match loc's last axis`,
        `got shape [${matrix.shape}]`,
        this.name,
      );
    }
    this.checkParam(this.loc, 'loc', constraints.realVector);
    if (scaleTril !== undefined) {
      this.checkParam(matrix, 'scaleTril', lowerCholesky);
      // The law depends on the lower triangle only; masking makes sampling, moments and every
      // gradient agree with logProb (which never reads above the diagonal) even without validation.
      const d = this.dim;
      this.scaleTril = this.own(tf.tidy(() => tf.mul(matrix, tf.linalg.bandPart(tf.ones([d, d]), -1, 0))));
    } else {
      this.scaleTril = this.own(cholesky(matrix));
      this.checkParam(matrix, 'covarianceMatrix', symmetricPositiveDefinite(this.scaleTril));
    }
    this.batchShape.push(...this.broadcastParams([this.loc.shape.slice(0, -1), this.scaleTril.shape.slice(0, -2)], ['loc', matrixName]));
    this.eventShape.push(this.dim);
  }

  /** Broadcasts loc and the Cholesky factor (the constructor keeps no other state). */
  protected override _expand(batchShape: number[]): MultivariateNormal {
    return this.rebuildWith((t, event) => tf.broadcastTo(t, [...batchShape, ...event]));
  }

  /** Broadcasts loc and the Cholesky factor to the current batch and reshapes them to the new one. */
  protected override _reshapeBatch(batchShape: number[]): MultivariateNormal {
    return this.rebuildWith((t, event) =>
      tf.tidy(() => tf.reshape(tf.broadcastTo(t, [...this.batchShape, ...event]), [...batchShape, ...event])),
    );
  }

  private rebuildWith(map: (t: tf.Tensor, eventShape: number[]) => tf.Tensor): MultivariateNormal {
    const d = this.dim;
    const loc = map(this.loc, [d]);
    const scaleTril = map(this.scaleTril, [d, d]);
    const rebuilt = new MultivariateNormal({ loc, scaleTril, validateArgs: this.validateArgs });
    rebuilt.own(loc);
    rebuilt.own(scaleTril);
    return rebuilt;
  }

  protected _sampleN(n: number, seed?: number): tf.Tensor {
    const eps = standardNormal([n, ...this.batchShape, this.dim], seed);
    // L eps with the batch laid out explicitly: tfjs's BatchMatMul gradient does not reduce over
    // broadcast batch axes, so a plain matMul of [batch, d, d] against [n, batch, d, 1] would break rsample.
    const scaled = batchedMatVec(this.scaleTril, eps);
    return tf.add(this.loc, scaled);
  }

  protected _logProb(x: tf.Tensor): tf.Tensor {
    const z = triangularSolve(this.scaleTril, tf.sub(x, this.loc));
    const halfMahalanobis = tf.mul(0.5, tf.sum(tf.square(z), -1));
    return tf.neg(tf.add(halfMahalanobis, tf.add(this.halfLogDet(), 0.5 * this.dim * LOG_TWO_PI)));
  }

  /** sum_i log L_ii = log det(Sigma) / 2, shape of the factor's batch. */
  private halfLogDet(): tf.Tensor {
    return tf.sum(tf.log(matrixDiagonal(this.scaleTril)), -1);
  }

  protected override _entropy(): tf.Tensor {
    return tf.add(this.halfLogDet(), 0.5 * this.dim * (1 + LOG_TWO_PI));
  }

  protected override _mean(): tf.Tensor {
    return this.loc;
  }

  protected override _mode(): tf.Tensor {
    return this.loc;
  }

  protected override _variance(): tf.Tensor {
    return tf.sum(tf.square(this.scaleTril), -1);
  }

  /**
   * The covariance matrices Sigma = L L^T.
   *
   * @remarks
   * Computed as a batched `L @ L^T`; symmetric by construction up to float32 rounding.
   *
   * @returns shape `batchShape + [d, d]`
   *
   * @example
   * ```ts
   * import * as tf from '@tensorflow/tfjs-core';
   * import { MultivariateNormal } from '@vae/distributions';
   *
   * tf.tidy(() => {
   *   const mvn = new MultivariateNormal({ loc: [0, 0], scaleTril: [[2, 0], [1, 1]] });
   *   console.log(mvn.covariance().arraySync()); // [[4, 2], [2, 2]]
   * });
   * ```
   */
  covariance(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(tf.matMul(this.scaleTril, this.scaleTril, false, true), [...this.batchShape, this.dim, this.dim]));
  }
}
