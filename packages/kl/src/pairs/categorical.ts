import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, log1p, logSumExp, withoutGradient } from '@vae/math';
import type { Categorical, OneHotCategorical } from '@vae/distributions';
import { expm1MinusIdentity, guard, guardNot, mulLog } from './numerics.js';

/** Below this largest |log q_k - log p_k| (all finite) the cancellation-free form is used. */
/**
 * KL between two categorical tables given as normalized log probabilities along the last axis.
 * @param logP - log p, shape `B1 + [K]`
 * @param logQ - log q, shape `B2 + [K]`
 * @returns KL, shape broadcast(B1, B2)
 */
function categoricalKL(logP: tf.Tensor, logQ: tf.Tensor): tf.Tensor {
  const probs = tf.exp(logP);
  const far = tf.sum(mulLog(probs, tf.sub(logP, logQ)), -1);
  // KL = log sum_k p_k e^{d_k} - sum_k p_k d_k for d_k = log q_k - log p_k plus ANY constant: the
  // normalizations' rounding (log-sum-exps of logits of size 100 carry ~1e-5) is such a constant and
  // drops out. With u_k = d_k - sum_j p_j d_j, KL = log1p(sum_k p_k (e^{u_k} - 1 - u_k)), a sum of
  // non-negative terms: tiny divergences keep their digits instead of cancelling against the
  // normalizations (a KL of 9.6e-10 came out 1.5e-6, and some small ones negative). Where
  // u_k > 30 the term is e^{log p_k + u_k}, from logs; categories with p_k = 0 drop out.
  const pFinite = withoutGradient((x) => tf.isFinite(x), logP);
  const qFinite = withoutGradient((x) => tf.isFinite(x), logQ);
  const both = withoutGradient((a, b) => tf.logicalAnd(tf.isFinite(a), tf.isFinite(b)), logP, logQ);
  const zero = tf.zerosLike(logP);
  const d = tf.where(both, tf.sub(tf.where(both, logQ, zero), tf.where(both, logP, zero)), zero);
  const weights = tf.div(probs, tf.sum(probs, -1, true));
  const u = tf.sub(d, tf.sum(tf.mul(weights, d), -1, true));
  const big = withoutGradient((x) => tf.greater(x, 30), u);
  const uSmall = guardNot(big, u, 0);
  const uBig = guard(big, u, 31);
  const logWeights = tf.where(pFinite, tf.sub(tf.where(pFinite, logP, zero), tf.log(tf.sum(probs, -1, true))), tf.fill(logP.shape, -1e30));
  const exponent = tf.add(logWeights, uBig);
  // A term past e^80 means a divergence past 80, where the direct form is accurate: keep the
  // exponent finite here (so neither branch's gradient sees Infinity) and let `usable` pick it.
  const terms = tf.where(big, tf.exp(tf.minimum(exponent, 80)), tf.mul(weights, expm1MinusIdentity(uSmall)));
  const total = tf.sum(tf.where(both, terms, zero), -1);
  // q_k = 0 where p_k > 0: +Infinity, as the direct form gives.
  const usable = withoutGradient(
    (t, e, uu, a, b) => {
      const finite = tf.logicalAnd(tf.isFinite(a), tf.isFinite(b));
      const overflow = tf.any(tf.logicalAnd(tf.logicalAnd(finite, tf.greater(uu, 30)), tf.greater(e, 80)), -1);
      const outside = tf.any(tf.logicalAnd(tf.isFinite(a), tf.logicalNot(tf.isFinite(b))), -1);
      return tf.logicalAnd(tf.isFinite(t), tf.logicalNot(tf.logicalOr(overflow, outside)));
    },
    total,
    exponent,
    u,
    logP,
    logQ,
  );
  // The rearrangement measures KL + log Q, Q = q's mass on p's support; Q = 1 unless p has zero
  // categories (its rounding is the constant that must not enter otherwise).
  const hasZero = withoutGradient((a) => tf.any(tf.logicalNot(tf.isFinite(a)), -1), logP);
  const onSupport = tf.where(pFinite, tf.where(qFinite, logQ, tf.fill(logQ.shape, -1e30)), tf.fill(logQ.shape, -1e30));
  const logMass = tf.where(hasZero, logSumExp(onSupport, -1), tf.zerosLike(total));
  return tf.where(usable, tf.sub(log1p(guard(usable, total, 0)), logMass), far);
}

function assertSameCategories(
  p: { numCategories: number; name: string },
  q: { numCategories: number; name: string },
  context: string,
): void {
  if (p.numCategories !== q.numCategories) {
    throw new InvalidArgumentError(
      'p and q',
      'distributions over the same number of categories',
      `${p.name} has ${p.numCategories}, ${q.name} has ${q.numCategories}`,
      context,
    );
  }
}

/**
 * KL(Categorical(p) || Categorical(q)) over K categories.
 *
 * @remarks
 * KL = sum_k p_k (log p_k - log q_k), with 0 log 0 = 0 (a category impossible under p contributes
 * nothing) and +Infinity when q gives 0 to a category p does not. It is evaluated as
 * log1p(sum_k p_k (e^{u_k} - 1 - u_k)) with d_k = log q_k - log p_k and u_k = d_k - sum_j p_j d_j,
 * an exact rearrangement that is blind to any constant added to d (so the rounding of the two
 * normalizations drops out) and sums non-negative terms, so tiny divergences keep their relative
 * accuracy even beside logits of size 100; it is then limited by the rounding of the normalized log
 * probabilities (~1e-7 |log p_k| each): a divergence that lives only in log-probabilities within
 * ~1e-7 of 0 (below ~1e-25 when logits reach 100, e.g. log(1 - 1e-30)) cannot be resolved in float32
 * and comes out as a tiny non-negative number. Both must have the same number of categories.
 *
 * @param p - first categorical
 * @param q - second categorical
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Categorical } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const p = new Categorical({ probs: [0.5, 0.5, 0] });
 *   const q = new Categorical({ probs: [0.25, 0.25, 0.5] });
 *   console.log(klDivergence(p, q).dataSync()[0]); // 0.6931 = log 2
 * });
 * ```
 */
export function klCategoricalCategorical(p: Categorical, q: Categorical): tf.Tensor {
  assertSameCategories(p, q, 'klCategoricalCategorical');
  return tf.tidy(() => categoricalKL(p.logits, q.logits));
}

/**
 * KL(OneHotCategorical(p) || OneHotCategorical(q)): the categorical divergence of the same
 * probability tables.
 *
 * @remarks
 * Identical to {@link klCategoricalCategorical}: KL = sum_k p_k (log p_k - log q_k), with the same
 * conventions for zero probabilities and the same cancellation-free form near p = q.
 *
 * @param p - first one-hot categorical
 * @param q - second one-hot categorical
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { OneHotCategorical } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const p = new OneHotCategorical({ logits: [0, 0] });
 *   const q = new OneHotCategorical({ probs: [0.9, 0.1] });
 *   console.log(klDivergence(p, q).dataSync()[0]); // 0.5108
 * });
 * ```
 */
export function klOneHotCategoricalOneHotCategorical(p: OneHotCategorical, q: OneHotCategorical): tf.Tensor {
  assertSameCategories(p, q, 'klOneHotCategoricalOneHotCategorical');
  return tf.tidy(() => categoricalKL(p.logits, q.logits));
}
