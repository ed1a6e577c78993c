import * as tf from '@tensorflow/tfjs-core';
import { expm1, log1p, softplus, withoutGradient } from '@vae/math';
import { Bernoulli } from '@vae/distributions';
import type { Binomial, Geometric, Poisson } from '@vae/distributions';
import { klBernoulliBernoulli } from './bernoulli.js';
import { expm1MinusIdentity, guard, log1pMinusIdentity, mulLog } from './numerics.js';

/** Below this |logit difference| (both logits finite) the Geometric pair uses its cancellation-free form. */
const NEAR = 0.5;

/**
 * KL(Poisson(a) || Poisson(b)), from the log rates: exact when the rates nearly agree and at rate 0.
 *
 * @remarks
 * KL = a log(a / b) - a + b. When |b - a| < a / 4 it is evaluated as a (e^d - 1 - d) with
 * d = log1p((b - a) / a) (b - a exact), so nearly equal rates give their tiny divergence
 * (~ a d^2 / 2) to float32 relative precision instead of cancelling; elsewhere directly, whose
 * gradient log(a / b) does not cancel. a = 0 gives b (0 log 0 = 0); b = 0 < a gives
 * +Infinity.
 *
 * @param p - first Poisson
 * @param q - second Poisson
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Poisson } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   console.log(klDivergence(new Poisson({ rate: [0.5, 0] }), new Poisson({ rate: 2 })).arraySync()); // [0.8069, 2]
 * });
 * ```
 */
export function klPoissonPoisson(p: Poisson, q: Poisson): tf.Tensor {
  return tf.tidy(() => {
    const a = p.rate;
    const shape = tf.broadcast_util.assertAndGetBroadcastShape(a.shape, q.rate.shape);
    // Nearly equal rates: a (e^d - 1 - d) with d = log1p((b - a) / a), where b - a is exact; elsewhere
    // a log(a / b) - a + b, whose gradient log(a / b) does not cancel (that of the first form does).
    const b = q.rate;
    const near = withoutGradient(
      (x, y) => tf.broadcastTo(tf.logicalAnd(tf.greater(x, 0), tf.less(tf.abs(tf.sub(y, x)), tf.mul(0.25, x))), shape),
      a,
      b,
    );
    const aN = guard(near, tf.broadcastTo(a, shape), 1);
    const bN = guard(near, tf.broadcastTo(b, shape), 1);
    const nearValue = tf.mul(aN, expm1MinusIdentity(log1p(tf.div(tf.sub(bN, aN), aN))));
    const far = tf.add(mulLog(a, tf.sub(p.logRate, q.logRate)), tf.sub(b, a));
    return tf.where(near, nearValue, tf.broadcastTo(far, shape));
  });
}

/**
 * KL(Bernoulli(p) || Poisson(lambda)), torch's pair: -H(p) - (p log lambda - lambda).
 *
 * @remarks
 * KL = p log p + (1 - p) log(1 - p) - p log lambda + lambda (the Poisson mass at 0 and 1 is
 * e^-lambda and lambda e^-lambda), from the logits with log p = -softplus(-l) and
 * log(1 - p) = -softplus(l) so logits +-80 are exact; lambda = 0 gives +Infinity (p > 0).
 *
 * @param p - the Bernoulli
 * @param q - the Poisson
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Bernoulli, Poisson } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   console.log(klDivergence(new Bernoulli({ logits: 0 }), new Poisson({ rate: 1 })).arraySync()); // 0.3069 = 1 - log 2
 * });
 * ```
 */
export function klBernoulliPoisson(p: Bernoulli, q: Poisson): tf.Tensor {
  return tf.tidy(() => {
    const l = p.logits;
    const logP1 = tf.neg(softplus(tf.neg(l)));
    const logP0 = tf.neg(softplus(l));
    const one = mulLog(tf.sigmoid(l), tf.sub(logP1, q.logRate));
    return tf.add(tf.add(one, mulLog(tf.sigmoid(tf.neg(l)), logP0)), q.rate);
  });
}

/**
 * KL(Geometric(p) || Geometric(q)) from the logits, torch's pair, without cancellation when the
 * two are nearly equal.
 *
 * @remarks
 * KL = log(p / q) + (1 - p) / p (log(1 - p) - log(1 - q)), with log p = -softplus(-l) and
 * log(1 - p) = -softplus(l). When both logits are finite and d = l_q - l_p has |d| < 0.5 the
 * equivalent KL = [log1p(u) - u + (1 - p)(e^-d - 1 + d)] / p, u = (1 - p) expm1(-d), whose two
 * terms are each O(d^2), keeps tiny divergences accurate (torch's float64 formula itself goes
 * negative at logits 20 vs 25).
 *
 * @param p - first Geometric
 * @param q - second Geometric
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Geometric } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   console.log(klDivergence(new Geometric({ logits: 0 }), new Geometric({ logits: 1 })).arraySync()); // 0.2402
 * });
 * ```
 */
export function klGeometricGeometric(p: Geometric, q: Geometric): tf.Tensor {
  return tf.tidy(() => {
    const lp = p.logits;
    const lq = q.logits;
    const far = tf.add(tf.sub(softplus(tf.neg(lq)), softplus(tf.neg(lp))), tf.mul(tf.exp(tf.neg(lp)), tf.sub(softplus(lq), softplus(lp))));
    const near = withoutGradient(
      (a, b) => {
        const finite = tf.logicalAnd(tf.isFinite(a), tf.isFinite(b));
        return tf.logicalAnd(finite, tf.less(tf.abs(tf.where(finite, tf.sub(b, a), tf.onesLike(a))), NEAR));
      },
      lp,
      lq,
    );
    const lpN = guard(near, lp, 0);
    const dN = guard(near, tf.sub(lq, lp), 0);
    const failure = tf.sigmoid(tf.neg(lpN));
    const u = tf.mul(failure, expm1(tf.neg(dN)));
    // 1 / p = 1 + e^-l.
    const nearValue = tf.mul(
      tf.add(1, tf.exp(tf.neg(lpN))),
      tf.add(log1pMinusIdentity(u), tf.mul(failure, expm1MinusIdentity(tf.neg(dN)))),
    );
    return tf.where(tf.broadcastTo(near, far.shape), tf.broadcastTo(nearValue, far.shape), far);
  });
}

/**
 * KL(Binomial(n, p) || Binomial(m, q)), torch's pair: n KL(Bernoulli(p) || Bernoulli(q)) for
 * n = m, +Infinity for n > m, an error for n < m.
 *
 * @remarks
 * With n = m the divergence is n [p log(p/q) + (1 - p) log((1 - p)/(1 - q))], taken from
 * KL(Bernoulli || Bernoulli) (exact at logits +-80 and for nearly equal logits). For n > m, p puts
 * mass where q has none: +Infinity. For n < m the divergence is finite but has no closed form;
 * like torch this throws (the check reads the total counts back to the host when either
 * distribution validates its arguments; with both unvalidated those elements are NaN).
 *
 * @param p - first Binomial
 * @param q - second Binomial
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Binomial } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const p = new Binomial({ totalCount: [10, 12], logits: 0.3 });
 *   console.log(klDivergence(p, new Binomial({ totalCount: 10, logits: -1 })).arraySync()); // [2.0568, Infinity]
 * });
 * ```
 */
export function klBinomialBinomial(p: Binomial, q: Binomial): tf.Tensor {
  return tf.tidy(() => {
    const n = p.totalCount;
    const m = q.totalCount;
    if (p.validateArgs || q.validateArgs) {
      if (tf.any(tf.less(n, m)).dataSync()[0]) {
        throw new Error('KL(Binomial || Binomial): p.totalCount must be >= q.totalCount (torch has no closed form for fewer trials in p)');
      }
    }
    const perTrial = klBernoulliBernoulli(
      new Bernoulli({ logits: p.logits, validateArgs: false }),
      new Bernoulli({ logits: q.logits, validateArgs: false }),
    );
    const kl = mulLog(n, perTrial);
    const shape = kl.shape;
    const more = withoutGradient((a, b) => tf.broadcastTo(tf.greater(a, b), shape), n, m);
    const fewer = withoutGradient((a, b) => tf.broadcastTo(tf.less(a, b), shape), n, m);
    return tf.where(more, tf.fill(shape, Infinity), tf.where(fewer, tf.fill(shape, NaN), kl));
  });
}
