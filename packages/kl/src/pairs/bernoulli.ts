import * as tf from '@tensorflow/tfjs-core';
import { expm1, softplus, withoutGradient } from '@vae/math';
import type { Bernoulli } from '@vae/distributions';
import { expm1MinusIdentity, guard, log1pMinusIdentity, mulLog } from './numerics.js';

/** Below this |logit difference| (both logits finite) the cancellation-free form is used. */
const NEAR = 0.5;

/**
 * KL(Bernoulli(p) || Bernoulli(q)), computed from the logits: exact for logits of any size and
 * accurate to float32 relative precision when the two are nearly equal.
 *
 * @remarks
 * KL = p log(p/q) + (1 - p) log((1 - p)/(1 - q)) with log p = -softplus(-l) and
 * log(1 - p) = -softplus(l), so logits -80 and 80 give 80 (not Infinity) and 0 log 0 = 0
 * (probs 0 or 1 give exact 0 or +Infinity, never NaN). When both logits are finite and differ by
 * d = l_q - l_p with |d| < 0.5, the equivalent form (after flipping signs so that p <= 1/2)
 * KL = [log1p(u) - u] + p [expm1(d) - d], u = p expm1(d), keeps tiny divergences (~ p(1-p) d^2 / 2)
 * accurate instead of cancelling.
 *
 * @param p - first Bernoulli
 * @param q - second Bernoulli
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Bernoulli } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new Bernoulli({ logits: -80 }), new Bernoulli({ logits: 80 }));
 *   console.log(kl.dataSync()[0]); // 80
 * });
 * ```
 */
export function klBernoulliBernoulli(p: Bernoulli, q: Bernoulli): tf.Tensor {
  return tf.tidy(() => {
    const lp = p.logits;
    const lq = q.logits;
    // General form in log space.
    const logP1 = tf.neg(softplus(tf.neg(lp)));
    const logP0 = tf.neg(softplus(lp));
    const logQ1 = tf.neg(softplus(tf.neg(lq)));
    const logQ0 = tf.neg(softplus(lq));
    const far = tf.add(mulLog(tf.sigmoid(lp), tf.sub(logP1, logQ1)), mulLog(tf.sigmoid(tf.neg(lp)), tf.sub(logP0, logQ0)));
    // Nearly equal logits: the cancellation-free form.
    const diff = tf.sub(lq, lp);
    const near = withoutGradient(
      (a, b) => {
        const d = tf.sub(b, a);
        const finite = tf.logicalAnd(tf.isFinite(a), tf.isFinite(b));
        return tf.logicalAnd(finite, tf.less(tf.abs(tf.where(finite, d, tf.onesLike(d))), NEAR));
      },
      lp,
      lq,
    );
    const flip = withoutGradient((a) => tf.greater(a, 0), lp);
    const lpN = guard(near, tf.where(flip, tf.neg(lp), lp), 0);
    const dN = guard(near, tf.where(flip, tf.neg(diff), diff), 0);
    const pN = tf.sigmoid(lpN);
    const u = tf.mul(pN, expm1(dN));
    const nearValue = tf.add(log1pMinusIdentity(u), tf.mul(pN, expm1MinusIdentity(dN)));
    return tf.where(tf.broadcastTo(near, far.shape), tf.broadcastTo(nearValue, far.shape), far);
  });
}
