import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@vae/math';
import type { TensorInput } from '@vae/math';
import { splitSeed, standardNormal } from '@vae/samplers';
import { constraints } from './constraints.js';
import type { Constraint } from './constraints.js';
import { Distribution } from './distribution.js';
import type { DistributionOptions } from './distribution.js';
import { batchedMatVec, cholesky, matrixDiagonal, triangularSolve } from './linalg.js';

const LOG_TWO_PI = Math.log(2 * Math.PI);

const realMatrix: Constraint = {
  description: 'a matrix of finite real numbers',
  eventRank: 2,
  check: (m: tf.Tensor) => tf.tidy(() => tf.all(tf.equal(tf.sub(m, m), 0), [-2, -1])),
};

const positiveVector: Constraint = {
  description: 'a vector of positive (> 0) finite numbers',
  eventRank: 1,
  check: (v: tf.Tensor) => tf.tidy(() => tf.all(tf.logicalAnd(tf.greater(v, 0), tf.less(v, Infinity)), -1)),
};

/** The last two axes swapped. */
function transposeLast(m: tf.Tensor): tf.Tensor {
  const perm = m.shape.map((_, i) => i);
  [perm[m.rank - 2], perm[m.rank - 1]] = [perm[m.rank - 1], perm[m.rank - 2]];
  return tf.transpose(m, perm);
}

/** Parameters of {@link LowRankMultivariateNormal}. */
export interface LowRankMultivariateNormalParams extends DistributionOptions {
  /** Mean vectors, shape `B1 + [D]`. */
  loc: TensorInput;
  /** Low-rank factors W of the covariance, shape `B2 + [D, R]`. */
  covFactor: TensorInput;
  /** Diagonal d of the covariance, > 0, shape `B3 + [D]`. */
  covDiag: TensorInput;
}

/**
 * The multivariate normal with covariance W W^T + diag(d), W of rank R (usually R << D):
 * log density, sampling and entropy in O(D R^2) instead of O(D^3).
 *
 * @remarks
 * With the capacitance C = I_R + W^T diag(1/d) W and its Cholesky factor L_C, the Woodbury
 * identity gives (x - mu)^T Sigma^-1 (x - mu) = sum_i r_i^2 / d_i - |L_C^-1 W^T (r / d)|^2
 * (r = x - mu) and the matrix determinant lemma log det Sigma = log det C + sum_i log d_i, so
 * log p(x) = -(Mahalanobis + log det Sigma + D log 2 pi) / 2 and entropy
 * (D (1 + log 2 pi) + log det Sigma) / 2. Samples are mu + W e1 + sqrt(d) e2 with e1 ~ N(0, I_R),
 * e2 ~ N(0, I_D) from two seeds split from one, differentiable in all three parameters. Mean and
 * mode mu; variance sum_r W_ir^2 + d_i. As torch's `LowRankMultivariateNormal`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { LowRankMultivariateNormal } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const d = new LowRankMultivariateNormal({ loc: [0, 0], covFactor: [[1], [1]], covDiag: [1, 1] });
 *   console.log(d.variance().arraySync()); // [2, 2]
 *   console.log(d.logProb([0, 0]).arraySync()); // -2.3872 = -log(2 pi) - log(3) / 2
 *   console.log(d.rsample([5], 1).shape); // [5, 2]
 *   d.dispose();
 * });
 * ```
 */
export class LowRankMultivariateNormal extends Distribution {
  /** The family's name in messages, spelled out because minifiers rename classes. */
  static override readonly familyName: string = 'LowRankMultivariateNormal';

  /** Mean vectors, broadcastable to `batchShape + [D]`. */
  readonly loc: tf.Tensor;
  /** Low-rank factors W, broadcastable to `batchShape + [D, R]`. */
  readonly covFactor: tf.Tensor;
  /** Covariance diagonals d, broadcastable to `batchShape + [D]`. */
  readonly covDiag: tf.Tensor;
  readonly reparameterized = true;
  readonly support: Constraint = constraints.realVector;
  /** The event size D. */
  readonly dim: number;
  /** The rank R of the factor. */
  readonly rank: number;

  /**
   * @param params - `loc`, `covFactor` and `covDiag` (numbers, nested arrays or tensors; batch axes broadcast), and options
   */
  constructor(params: LowRankMultivariateNormalParams) {
    const { loc, covFactor, covDiag, ...options } = params;
    super([], [], options);
    ({ loc: this.loc } = this.parameters({ loc }, { loc: { constraint: constraints.realVector, eventRank: 1 } }));
    const D = this.loc.shape[this.loc.rank - 1];
    ({ covFactor: this.covFactor, covDiag: this.covDiag } = this.parameters(
      { covFactor, covDiag },
      {
        covFactor: {
          constraint: realMatrix,
          eventRank: 2,
          checkShape: (t, family) => {
            if (t.rank < 2 || t.shape[t.rank - 2] !== D || t.shape[t.rank - 1] < 1)
              throw new InvalidArgumentError(
                'covFactor',
                `shaped [..., ${D}, R] (R >= 1) to match loc's last axis`,
                `got shape [${t.shape}]`,
                family,
              );
          },
        },
        covDiag: {
          constraint: positiveVector,
          eventRank: 1,
          checkShape: (t, family) => {
            if (t.rank < 1 || t.shape[t.rank - 1] !== D)
              throw new InvalidArgumentError('covDiag', `shaped [..., ${D}] to match loc's last axis`, `got shape [${t.shape}]`, family);
          },
        },
      },
    ));
    this.dim = this.loc.shape[this.loc.rank - 1];
    this.rank = this.covFactor.shape[this.covFactor.rank - 1];
    this.eventShape.push(this.dim);
  }

  /** The Cholesky factor of the capacitance I_R + W^T diag(1/d) W, shape `batch + [R, R]`. */
  private capacitanceTril(): tf.Tensor {
    const scaledFactor = tf.div(this.covFactor, tf.expandDims(this.covDiag, -1));
    const product = tf.matMul(transposeLast(this.covFactor), scaledFactor);
    return cholesky(tf.add(product, tf.eye(this.rank)));
  }

  /** log det Sigma = log det C + sum log d, shape of the parameters' batch. */
  private logDet(capacitanceTril: tf.Tensor): tf.Tensor {
    return tf.add(tf.mul(2, tf.sum(tf.log(matrixDiagonal(capacitanceTril)), -1)), tf.sum(tf.log(this.covDiag), -1));
  }

  protected _sampleN(n: number, seed?: number): tf.Tensor {
    const [s1, s2] = seed === undefined ? [undefined, undefined] : splitSeed(seed, 2);
    const e1 = standardNormal([n, ...this.batchShape, this.rank], s1);
    const e2 = standardNormal([n, ...this.batchShape, this.dim], s2);
    return tf.add(tf.add(this.loc, batchedMatVec(this.covFactor, e1)), tf.mul(tf.sqrt(this.covDiag), e2));
  }

  protected _logProb(x: tf.Tensor): tf.Tensor {
    const lc = this.capacitanceTril();
    const r = tf.sub(x, this.loc);
    const scaled = tf.div(r, this.covDiag);
    const diagonalTerm = tf.sum(tf.mul(r, scaled), -1);
    const projected = triangularSolve(lc, batchedMatVec(transposeLast(this.covFactor), scaled));
    const mahalanobis = tf.sub(diagonalTerm, tf.sum(tf.square(projected), -1));
    return tf.mul(-0.5, tf.add(tf.add(mahalanobis, this.logDet(lc)), this.dim * LOG_TWO_PI));
  }

  protected override _entropy(): tf.Tensor {
    const entropy = tf.mul(0.5, tf.add(this.logDet(this.capacitanceTril()), this.dim * (1 + LOG_TWO_PI)));
    return tf.broadcastTo(entropy, this.batchShape);
  }

  protected override _mean(): tf.Tensor {
    return tf.broadcastTo(this.loc, [...this.batchShape, this.dim]);
  }

  protected override _mode(): tf.Tensor {
    return this._mean();
  }

  protected override _variance(): tf.Tensor {
    return tf.broadcastTo(tf.add(tf.sum(tf.square(this.covFactor), -1), this.covDiag), [...this.batchShape, this.dim]);
  }

  protected override _stddev(): tf.Tensor {
    return tf.sqrt(this._variance());
  }
}
