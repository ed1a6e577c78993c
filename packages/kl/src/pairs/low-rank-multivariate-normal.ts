import * as tf from '@tensorflow/tfjs-core';
import { cholesky, matrixDiagonal, triangularSolve } from '@vae/distributions';
import type { LowRankMultivariateNormal, MultivariateNormal } from '@vae/distributions';
import { multivariateNormalKL } from './multivariate-normal.js';
import { expm1MinusIdentity, logRatio } from './numerics.js';

/**
 * From this dimension on the low-rank pairs go through the capacitance matrices (Woodbury and the
 * matrix determinant lemma, O(D R^2)); below it through full Cholesky factors (O(D^3), cheap at
 * such D), whose cancellation-free form keeps the relative accuracy of divergences between nearly
 * equal distributions (KL ~ 1e-7), which the Woodbury form, a difference of terms of size D, cannot.
 */
export const WOODBURY_FROM = 32;

/** Swaps the last two axes. */
function transposeLast(m: tf.Tensor): tf.Tensor {
  const perm = m.shape.map((_, i) => i);
  [perm[m.rank - 2], perm[m.rank - 1]] = [perm[m.rank - 1], perm[m.rank - 2]];
  return tf.transpose(m, perm);
}

/** ||L^-1 M||_F^2 for lower-triangular L `[..., R, R]` and M `[..., R, K]`, by one batched solve. */
function solvedSquaredNorm(tril: tf.Tensor, m: tf.Tensor): tf.Tensor {
  return tf.sum(tf.square(triangularSolve(tf.expandDims(tril, -3), transposeLast(m))), [-2, -1]);
}

/** The Cholesky factor of the capacitance I_R + W^T diag(1/d) W. */
function capacitanceTril(w: tf.Tensor, d: tf.Tensor): tf.Tensor {
  const rank = w.shape[w.rank - 1];
  return cholesky(tf.add(tf.matMul(w, tf.div(w, tf.expandDims(d, -1)), true, false), tf.eye(rank)));
}

/** 2 sum log diag L: log det of L L^T. */
function logDetOfTril(tril: tf.Tensor): tf.Tensor {
  return tf.mul(2, tf.sum(tf.log(matrixDiagonal(tril)), -1));
}

/**
 * The Woodbury pieces of q = N(mu_q, W_q W_q^T + diag(d_q)) that every pair with a low-rank q needs,
 * with C_q = L_q L_q^T the capacitance: Sigma_q^-1 = diag(1/d_q) - diag(1/d_q) W_q C_q^-1 W_q^T diag(1/d_q),
 * so for a factor S, tr(Sigma_q^-1 S S^T) = ||diag(d_q)^-1/2 S||^2 - ||L_q^-1 W_q^T diag(1/d_q) S||^2.
 */
function lowRankInverse(q: LowRankMultivariateNormal) {
  const lq = capacitanceTril(q.covFactor, q.covDiag);
  const wT = transposeLast(q.covFactor);
  /** ||L_q^-1 W_q^T diag(s / d_q)||^2 for a diagonal factor diag(s), without forming it: O(D R^2). */
  const diagonalCorrection = (s: tf.Tensor) => solvedSquaredNorm(lq, tf.mul(wT, tf.expandDims(tf.div(s, q.covDiag), -2)));
  /** ||L_q^-1 W_q^T diag(1/d_q) S||^2 for a factor S `[..., D, K]`. */
  const correction = (factor: tf.Tensor) => solvedSquaredNorm(lq, tf.matMul(wT, tf.div(factor, tf.expandDims(q.covDiag, -1))));
  return {
    logDetCapacitance: logDetOfTril(lq),
    diagonalCorrection,
    /** v^T Sigma_q^-1 v for vectors `[..., D]`. */
    quadratic: (v: tf.Tensor) => tf.sub(tf.sum(tf.div(tf.square(v), q.covDiag), -1), correction(tf.expandDims(v, -1))),
    /** tr(Sigma_q^-1 S S^T) for a factor S `[..., D, K]`. */
    trace: (factor: tf.Tensor) => tf.sub(tf.sum(tf.div(tf.square(factor), tf.expandDims(q.covDiag, -1)), [-2, -1]), correction(factor)),
  };
}

/**
 * KL(LowRankMVN p || LowRankMVN q) through the capacitance matrices, O(D (R_p + R_q)^2): half of
 * sum_i f(d_p,i / d_q,i) + tr(Sigma_q^-1 W_p W_p^T) - ||L_q^-1 W_q^T diag(sqrt(d_p) / d_q)||^2
 * + log det C_q - log det C_p + Mahalanobis, with f(r) = r - 1 - log r taken as expm1(u) - u: the
 * diagonal parts of the trace and of the two log determinants paired elementwise.
 */
export function klLowRankByWoodbury(p: LowRankMultivariateNormal, q: LowRankMultivariateNormal): tf.Tensor {
  return tf.tidy(() => {
    const inverse = lowRankInverse(q);
    const diagonalTerm = tf.sum(expm1MinusIdentity(logRatio(p.covDiag, q.covDiag)), -1);
    const diagonalCorrection = inverse.diagonalCorrection(tf.sqrt(p.covDiag));
    const traceFactor = inverse.trace(p.covFactor);
    const logDets = tf.sub(inverse.logDetCapacitance, logDetOfTril(capacitanceTril(p.covFactor, p.covDiag)));
    const mahalanobis = inverse.quadratic(tf.sub(q.loc, p.loc));
    return tf.mul(0.5, tf.add(tf.add(tf.sub(diagonalTerm, diagonalCorrection), tf.add(traceFactor, logDets)), mahalanobis));
  });
}

/**
 * KL(MVN(mu_p, L_p L_p^T) || LowRankMVN q) through q's capacitance, O(D^2 R_q):
 * (tr(Sigma_q^-1 L_p L_p^T) - D + log det C_q + sum log d_q - 2 sum log diag L_p + Mahalanobis) / 2,
 * with -D + sum log d_q - 2 sum log diag L_p regrouped as sum_i (-1 + log(d_q,i / L_p,ii^2)).
 */
export function klMultivariateNormalLowRankByWoodbury(p: MultivariateNormal, q: LowRankMultivariateNormal): tf.Tensor {
  return tf.tidy(() => {
    const inverse = lowRankInverse(q);
    const trace = inverse.trace(p.scaleTril);
    const logDets = tf.add(
      inverse.logDetCapacitance,
      tf.sum(tf.sub(tf.mul(2, logRatio(tf.sqrt(q.covDiag), matrixDiagonal(p.scaleTril))), 1), -1),
    );
    const mahalanobis = inverse.quadratic(tf.sub(q.loc, p.loc));
    return tf.mul(0.5, tf.add(tf.add(trace, logDets), mahalanobis));
  });
}

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
 * torch's O(D R^2) route from dimension 32 on: with the capacitances C = I + W^T diag(1/d) W,
 * Woodbury's identity for Sigma_q^-1 and the determinant lemma log det Sigma = log det C + sum log d,
 * so only R x R Cholesky factors are formed (the diagonal parts of the trace and log determinants
 * are paired as d_p/d_q - 1 - log(d_p/d_q) per coordinate). Below dimension 32 it is the
 * MultivariateNormal rule on the Cholesky factors of the full covariances W W^T + diag(d) (O(D^3),
 * cheap there), whose cancellation-free form keeps the relative accuracy of divergences between
 * nearly equal distributions (KL ~ 1e-7); the Woodbury form is a difference of terms of size D and
 * holds such a divergence only to an absolute ~1e-7 D.
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
  if (q.dim >= WOODBURY_FROM) return klLowRankByWoodbury(p, q);
  return tf.tidy(() => multivariateNormalKL(p.loc, fullScaleTril(p), q.loc, fullScaleTril(q)));
}

/**
 * KL(LowRankMVN(mu_p, W, d) || MVN(mu_q, L L^T)).
 *
 * @remarks
 * As {@link klLowRankMultivariateNormalLowRankMultivariateNormal}, with q's own Cholesky factor
 * (torch's `_kl_lowrankmultivariatenormal_multivariatenormal`). q's full factor makes this pair
 * O(D^3) whichever way (torch's too: it solves L_q against diag(sqrt d_p)), so it always takes the
 * cancellation-free Cholesky form.
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
 * (torch's `_kl_multivariatenormal_lowrankmultivariatenormal`): from dimension 32 on through q's
 * capacitance, tr(Sigma_q^-1 L_p L_p^T) by Woodbury (O(D^2 R), no D x D factorization of q).
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
  if (q.dim >= WOODBURY_FROM) return klMultivariateNormalLowRankByWoodbury(p, q);
  return tf.tidy(() => multivariateNormalKL(p.loc, p.scaleTril, q.loc, fullScaleTril(q)));
}
