import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@vae/math';
import { Independent, Normal, matrixDiagonal, triangularSolve } from '@vae/distributions';
import type { MultivariateNormal } from '@vae/distributions';
import { expm1MinusIdentity, logRatio } from './numerics.js';

/** Swaps the last two axes. */
function transposeLast(m: tf.Tensor): tf.Tensor {
  const perm = m.shape.map((_, i) => i);
  [perm[m.rank - 2], perm[m.rank - 1]] = [perm[m.rank - 1], perm[m.rank - 2]];
  return tf.transpose(m, perm);
}

/**
 * KL between two multivariate normals given by means and lower Cholesky factors.
 * @param locP - mean of p, `B1 + [d]`
 * @param trilP - Cholesky factor of p, `B2 + [d, d]`
 * @param locQ - mean of q, `B3 + [d]`
 * @param trilQ - Cholesky factor of q, `B4 + [d, d]`
 * @returns KL, shape broadcast of the batch shapes
 */
export function multivariateNormalKL(locP: tf.Tensor, trilP: tf.Tensor, locQ: tf.Tensor, trilQ: tf.Tensor): tf.Tensor {
  const d = trilQ.shape[trilQ.rank - 1];
  // X = L_q^{-1} (L_p - L_q): its diagonal is expm1(u_i), u_i = log(L_p,ii / L_q,ii), its
  // off-diagonal part equals that of L_q^{-1} L_p. Solved column by column (rows of X^T).
  const difference = tf.sub(trilP, trilQ);
  const xT = triangularSolve(tf.expandDims(trilQ, -3), transposeLast(difference));
  const offDiagonal = tf.sum(tf.mul(tf.square(xT), tf.sub(1, tf.eye(d))), [-2, -1]);
  const u = logRatio(matrixDiagonal(trilP), matrixDiagonal(trilQ));
  const logDetTerm = tf.sum(expm1MinusIdentity(tf.mul(2, u)), -1);
  const z = triangularSolve(trilQ, tf.sub(locQ, locP));
  const mahalanobis = tf.sum(tf.square(z), -1);
  return tf.mul(0.5, tf.add(tf.add(logDetTerm, offDiagonal), mahalanobis));
}

/**
 * KL(N(mu_p, L_p L_p^T) || N(mu_q, L_q L_q^T)) between multivariate normals, accurate when the two
 * are nearly equal.
 *
 * @remarks
 * KL = [tr(S_q^{-1} S_p) + (mu_q - mu_p)^T S_q^{-1} (mu_q - mu_p) - d + log det S_q - log det S_p] / 2
 * (torch's `_kl_multivariatenormal_multivariatenormal`). With M = L_q^{-1} L_p (lower-triangular,
 * diagonal m_i = L_p,ii / L_q,ii) the trace and log-determinant terms combine into
 * sum_i (m_i^2 - 1 - 2 log m_i) + sum_{i != j} M_ij^2; the first sum is taken as expm1(2u_i) - 2u_i
 * with u_i = log1p((L_p,ii - L_q,ii) / L_q,ii) and the off-diagonal entries from
 * L_q^{-1} (L_p - L_q), so nothing of size d cancels and tiny divergences stay accurate. Solves
 * use the batched `triangularSolve` (O(d) tf ops, fine for d up to a few hundred).
 *
 * @param p - first multivariate normal
 * @param q - second multivariate normal
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { MultivariateNormal } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const p = new MultivariateNormal({ loc: [0, 0], scaleTril: [[1, 0], [0, 1]] });
 *   const q = new MultivariateNormal({ loc: [1, 0], scaleTril: [[1, 0], [0, 1]] });
 *   console.log(klDivergence(p, q).dataSync()[0]); // 0.5
 * });
 * ```
 */
export function klMultivariateNormalMultivariateNormal(p: MultivariateNormal, q: MultivariateNormal): tf.Tensor {
  return tf.tidy(() => multivariateNormalKL(p.loc, p.scaleTril, q.loc, q.scaleTril));
}

/**
 * KL(diagonal Gaussian || MultivariateNormal): p an `Independent` over a `Normal` with one
 * reinterpreted dimension (the usual VAE posterior), q a full-covariance normal.
 *
 * @remarks
 * p is N(mu, diag(s^2)) with L_p = diag(s), so this is {@link klMultivariateNormalMultivariateNormal}
 * with that factor. Throws unless p's base is a `Normal` with scalar events and
 * `reinterpretedBatchNdims` is 1.
 *
 * @param p - `Independent({ distribution: Normal, reinterpretedBatchNdims: 1 })`, event shape `[d]`
 * @param q - multivariate normal over R^d
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Independent, MultivariateNormal, Normal } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const p = new Independent({ distribution: new Normal({ loc: [0, 0], scale: [1, 1] }), reinterpretedBatchNdims: 1 });
 *   const q = new MultivariateNormal({ loc: [0, 0], scaleTril: [[2, 0], [0, 2]] });
 *   console.log(klDivergence(p, q).dataSync()[0]); // 0.6363 = 2 log 2 - 3/4
 * });
 * ```
 */
export function klIndependentMultivariateNormal(p: Independent, q: MultivariateNormal): tf.Tensor {
  const base = p instanceof Independent ? p.distribution : undefined;
  if (!(base instanceof Normal) || p.reinterpretedBatchNdims !== 1 || base.eventShape.length !== 0) {
    throw new InvalidArgumentError(
      'p',
      'an Independent over a Normal with reinterpretedBatchNdims 1 (a diagonal Gaussian) to compare with a MultivariateNormal',
      `got ${p.name}(${base?.name ?? '?'}) with reinterpretedBatchNdims ${p.reinterpretedBatchNdims}`,
      'klIndependentMultivariateNormal',
    );
  }
  return tf.tidy(() => {
    const scale = base.stddev();
    const d = scale.shape[scale.rank - 1];
    const trilP = tf.mul(tf.expandDims(scale, -1), tf.eye(d));
    return multivariateNormalKL(base.mean(), trilP, q.loc, q.scaleTril);
  });
}
