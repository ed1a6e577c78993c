import * as tf from '@tensorflow/tfjs-core';
import { cholesky } from '@vae/distributions';
import type { LowRankMultivariateNormal, MultivariateNormal } from '@vae/distributions';
import { multivariateNormalKL } from './multivariate-normal.js';

/** The Cholesky factor of W W^T + diag(d), the full covariance of a low-rank normal. */
function fullScaleTril(d: LowRankMultivariateNormal): tf.Tensor {
  const w = d.covFactor;
  const diagonal = tf.mul(tf.expandDims(d.covDiag, -1), tf.eye(d.dim));
  return cholesky(tf.add(tf.matMul(w, w, false, true), diagonal));
}

/**
 * KL(LowRankMVN(mu_p, W_p, d_p) || LowRankMVN(mu_q, W_q, d_q)).
 *
 * @remarks
 * The Gaussian divergence (tr(Sigma_q^-1 Sigma_p) + Mahalanobis - D + log det Sigma_q - log det
 * Sigma_p) / 2 (torch's `_kl_lowrankmultivariatenormal_lowrankmultivariatenormal`), evaluated by
 * the MultivariateNormal rule on the Cholesky factors of the full covariances W W^T + diag(d):
 * O(D^3) per pair, which is exact and stable (the same cancellation-free form as
 * MultivariateNormal||MultivariateNormal) rather than torch's O(D R^2) Woodbury route.
 *
 * @param p - first low-rank normal
 * @param q - second low-rank normal
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { LowRankMultivariateNormal } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const p = new LowRankMultivariateNormal({ loc: [0, 0], covFactor: [[1], [0]], covDiag: [1, 1] });
 *   const q = new LowRankMultivariateNormal({ loc: [0, 0], covFactor: [[0], [0]], covDiag: [1, 1] });
 *   console.log(klDivergence(p, q).dataSync()[0]); // 0.1534 = (2 - 1 - log 2) / 2
 * });
 * ```
 */
export function klLowRankMultivariateNormalLowRankMultivariateNormal(
  p: LowRankMultivariateNormal,
  q: LowRankMultivariateNormal,
): tf.Tensor {
  return tf.tidy(() => multivariateNormalKL(p.loc, fullScaleTril(p), q.loc, fullScaleTril(q)));
}

/**
 * KL(LowRankMVN(mu_p, W, d) || MVN(mu_q, L L^T)).
 *
 * @remarks
 * As {@link klLowRankMultivariateNormalLowRankMultivariateNormal}, with q's own Cholesky factor
 * (torch's `_kl_lowrankmultivariatenormal_multivariatenormal`).
 *
 * @param p - the low-rank normal
 * @param q - the multivariate normal
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { LowRankMultivariateNormal, MultivariateNormal } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const p = new LowRankMultivariateNormal({ loc: [0, 0], covFactor: [[1], [0]], covDiag: [1, 1] });
 *   const q = new MultivariateNormal({ loc: [0, 0], scaleTril: [[1, 0], [0, 1]] });
 *   console.log(klDivergence(p, q).dataSync()[0]); // 0.1534
 * });
 * ```
 */
export function klLowRankMultivariateNormalMultivariateNormal(p: LowRankMultivariateNormal, q: MultivariateNormal): tf.Tensor {
  return tf.tidy(() => multivariateNormalKL(p.loc, fullScaleTril(p), q.loc, q.scaleTril));
}

/**
 * KL(MVN(mu_p, L L^T) || LowRankMVN(mu_q, W, d)).
 *
 * @remarks
 * As {@link klLowRankMultivariateNormalLowRankMultivariateNormal}, with p's own Cholesky factor
 * (torch's `_kl_multivariatenormal_lowrankmultivariatenormal`).
 *
 * @param p - the multivariate normal
 * @param q - the low-rank normal
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { LowRankMultivariateNormal, MultivariateNormal } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const p = new MultivariateNormal({ loc: [0, 0], scaleTril: [[1, 0], [0, 1]] });
 *   const q = new LowRankMultivariateNormal({ loc: [0, 0], covFactor: [[1], [0]], covDiag: [1, 1] });
 *   console.log(klDivergence(p, q).dataSync()[0]); // 0.0966 = (1/2 + 1 - 2 + log 2) / 2
 * });
 * ```
 */
export function klMultivariateNormalLowRankMultivariateNormal(p: MultivariateNormal, q: LowRankMultivariateNormal): tf.Tensor {
  return tf.tidy(() => multivariateNormalKL(p.loc, p.scaleTril, q.loc, fullScaleTril(q)));
}
