import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@vae/math';
import type { Categorical, OneHotCategorical } from '@vae/distributions';
import { expm1MinusIdentity, guard, mask, mulLog } from './numerics.js';

/** Below this largest |log q_k - log p_k| (all finite) the cancellation-free form is used. */
const NEAR = 0.5;

/**
 * KL between two categorical tables given as normalized log probabilities along the last axis.
 * @param logP - log p, shape `B1 + [K]`
 * @param logQ - log q, shape `B2 + [K]`
 * @returns KL, shape broadcast(B1, B2)
 */
function categoricalKL(logP: tf.Tensor, logQ: tf.Tensor): tf.Tensor {
  const probs = tf.exp(logP);
  const far = tf.sum(mulLog(probs, tf.sub(logP, logQ)), -1);
  // sum_k p_k (expm1(d_k) - d_k) with d_k = log q_k - log p_k: the same value (sum_k p_k expm1(d_k)
  // = sum q - sum p = 0), but a sum of non-negative terms, so tiny divergences do not cancel.
  const d = tf.sub(logQ, logP);
  const close = mask((x) => {
    const finite = tf.isFinite(x);
    return tf.all(tf.logicalAnd(finite, tf.less(tf.abs(tf.where(finite, x, tf.onesLike(x))), NEAR)), -1);
  }, d);
  const dN = guard(tf.expandDims(close, -1), d, 0);
  const near = tf.sum(tf.mul(probs, expm1MinusIdentity(dN)), -1);
  return tf.where(close, near, far);
}

function assertSameCategories(p: { numCategories: number; name: string }, q: { numCategories: number; name: string }, context: string): void {
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
 * nothing) and +Infinity when q gives 0 to a category p does not. When every log ratio
 * d_k = log q_k - log p_k is finite and below 0.5 in size, the equal form
 * sum_k p_k (expm1(d_k) - d_k) (a sum of non-negative terms) is used so tiny divergences keep their
 * relative accuracy; it is then limited by the rounding of the normalized log probabilities
 * (~1e-7 |log p_k| each). Both must have the same number of categories.
 *
 * @param p - first categorical
 * @param q - second categorical
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import { Categorical } from '@vae/distributions';
 * import { klCategoricalCategorical } from '@vae/kl';
 * const p = new Categorical({ probs: [0.5, 0.5, 0] });
 * const q = new Categorical({ probs: [0.25, 0.25, 0.5] });
 * console.log(klCategoricalCategorical(p, q).dataSync()[0]); // log 2 = 0.6931
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
 * import { OneHotCategorical } from '@vae/distributions';
 * import { klOneHotCategoricalOneHotCategorical } from '@vae/kl';
 * const p = new OneHotCategorical({ logits: [0, 0] });
 * const q = new OneHotCategorical({ probs: [0.9, 0.1] });
 * console.log(klOneHotCategoricalOneHotCategorical(p, q).dataSync()[0]); // 0.5108
 * ```
 */
export function klOneHotCategoricalOneHotCategorical(p: OneHotCategorical, q: OneHotCategorical): tf.Tensor {
  assertSameCategories(p, q, 'klOneHotCategoricalOneHotCategorical');
  return tf.tidy(() => categoricalKL(p.logits, q.logits));
}
