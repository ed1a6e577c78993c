import * as tf from '@tensorflow/tfjs-core';
import { broadcastShapes, lgamma, withoutGradient } from '@vae/math';
import { Beta } from '@vae/distributions';
import type { ContinuousBernoulli, Exponential, Gamma, Normal, Uniform } from '@vae/distributions';
import { continuousBernoulliLogPartition } from './continuous-bernoulli.js';
import { digammaDifference, infiniteWhere, lgammaRemainder, remainderDivergenceWithMagnitude } from './numerics.js';

/**
 * KL(Beta(a_p, b_p) || Beta(a_q, b_q)) (concentration1, concentration0), accurate when the two
 * are nearly equal.
 *
 * @remarks
 * The closed form (torch's `_kl_beta_beta`)
 * log B(a_q, b_q) - log B(a_p, b_p) + (a_p - a_q) psi(a_p) + (b_p - b_q) psi(b_p) +
 * (s_q - s_p) psi(s_p), s = a + b, is rewritten exactly as
 * KL = R(a_p, a_q - a_p) + R(b_p, b_q - b_p) - R(s_p, s_q - s_p) with
 * R(x, h) = lgamma(x + h) - lgamma(x) - h psi(x), each R computed from Stirling's series without
 * cancellation. When q's concentrations are far below p's, each R is about its x and the three
 * cancel; there the x's are taken out symbolically (R(x, h) - x = lgamma(x + h) - (x + h) psi(x) +
 * E(x)), and each element keeps the form with the smaller terms. When one concentration of each
 * side is below 1e-3 of the other (b << a), both forms cancel terms of size a; a third exact
 * arrangement, R(b_p, b_q - b_p) + R(a_p, b_p) - R(a_q, b_q) + b_q (psi(s_p) - psi(a_q)) +
 * (a_q - a_p - b_p)(psi(s_p) - psi(a_p)), has only small terms and is used there. What remains is
 * the cancellation between the terms of the chosen form, i.e. the conditioning of the divergence
 * itself.
 *
 * @param p - first beta distribution
 * @param q - second beta distribution
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Beta } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new Beta({ concentration1: 1, concentration0: 1 }), new Beta({ concentration1: 2, concentration0: 1 }));
 *   console.log(kl.dataSync()[0]); // 0.3069 = 1 - log 2
 * });
 * ```
 */
export function klBetaBeta(p: Beta, q: Beta): tf.Tensor {
  return betaKL(p.concentration1, p.concentration0, q.concentration1, q.concentration0);
}

/**
 * The Beta divergence from its four concentrations (shared with the two-category Dirichlet).
 * @param pa - p's concentration1
 * @param pb - p's concentration0
 * @param qa - q's concentration1
 * @param qb - q's concentration0
 * @param increments - qa - pa and qb - pb where the caller knows them better than their float32
 *   differences (the Dirichlet's stick-breaking passes sums of concentrations, whose increments are
 *   sums of exact differences); by default the differences themselves
 * @returns KL, shape broadcast of the four
 */
export function betaKL(pa: tf.Tensor, pb: tf.Tensor, qa: tf.Tensor, qb: tf.Tensor, increments?: [tf.Tensor, tf.Tensor]): tf.Tensor {
  return tf.tidy(() => {
    const a = tf.stack(broadcastPair(pa, pb), -1);
    const b = tf.stack(broadcastPair(qa, qb), -1);
    const [ha, hb] = increments ?? [tf.sub(qa, pa), tf.sub(qb, pb)];
    const { value: general, magnitude: generalMagnitude } = remainderDivergenceWithMagnitude(a, b, tf.stack(broadcastPair(ha, hb), -1));
    const shape = general.shape;
    const [a1, b1, a2, b2, h1, h2] = [pa, pb, qa, qb, ha, hb].map((t) => tf.broadcastTo(t, shape));
    // One concentration of each side negligible beside the other (b << a): both general forms
    // cancel terms of size a against each other (p = (39011, 2.55e-5), q = (35785, 2.56e-5) gave 0
    // for 1.05e-7); this form has only terms of the divergence's own size. Each element keeps the
    // form whose terms are smaller.
    const safe = (cond: tf.Tensor, t: tf.Tensor) => tf.where(cond, t, tf.onesLike(t));
    const zeroWhereNot = (cond: tf.Tensor, t: tf.Tensor) => tf.where(cond, t, tf.zerosLike(t));
    // The form for `small` << `big` on both sides, and where it is the one to use; the other side's
    // case is the same with a and b swapped.
    const tinyForm = (big1: tf.Tensor, small1: tf.Tensor, big2: tf.Tensor, small2: tf.Tensor, hBig: tf.Tensor, hSmall: tf.Tensor) => {
      const tiny = withoutGradient(smallOnBothSides, big1, small1, big2, small2);
      const form = tinyShareDivergence(
        safe(tiny, big1),
        safe(tiny, small1),
        safe(tiny, big2),
        safe(tiny, small2),
        zeroWhereNot(tiny, hBig),
        zeroWhereNot(tiny, hSmall),
      );
      const use = withoutGradient(
        (x1, y1, x2, y2, m, g) => tf.logicalAnd(smallOnBothSides(x1, y1, x2, y2), tf.less(m, g)),
        big1,
        small1,
        big2,
        small2,
        form.magnitude,
        generalMagnitude,
      );
      return { use, value: form.value };
    };
    const byTinyB = tinyForm(a1, b1, a2, b2, h1, h2);
    const byTinyA = tinyForm(b1, a1, b2, a2, h2, h1);
    return tf.where(byTinyB.use, byTinyB.value, tf.where(byTinyA.use, byTinyA.value, general));
  });
}

/** Below this share of the other concentration, {@link tinyShareDivergence} takes over. */
const TINY_SHARE = 1e-3;

/** Whether y1 << x1 and y2 << x2 (each below {@link TINY_SHARE} of the other). */
const smallOnBothSides = (x1: tf.Tensor, y1: tf.Tensor, x2: tf.Tensor, y2: tf.Tensor): tf.Tensor =>
  tf.logicalAnd(tf.less(y1, tf.mul(TINY_SHARE, x1)), tf.less(y2, tf.mul(TINY_SHARE, x2)));

/**
 * KL(Beta(a1, b1) || Beta(a2, b2)) when b1 << a1 and b2 << a2, rearranged exactly as
 * R(b1, b2 - b1) + R(a1, b1) - R(a2, b2) + b2 (psi(s1) - psi(a2)) + (a2 - a1 - b1)(psi(s1) - psi(a1)),
 * s1 = a1 + b1, with R the log-gamma remainder and the digamma differences from the exact
 * increments ha = a2 - a1 and hb = b2 - b1 (digammaDifference); every term is then of the
 * divergence's own size or smaller.
 */
function tinyShareDivergence(
  a1: tf.Tensor,
  b1: tf.Tensor,
  a2: tf.Tensor,
  b2: tf.Tensor,
  ha: tf.Tensor,
  hb: tf.Tensor,
): { value: tf.Tensor; magnitude: tf.Tensor } {
  const s1 = tf.add(a1, b1);
  const shift = digammaDifference(s1, a1, b1); // psi(s1) - psi(a1)
  const rb = lgammaRemainder(b1, hb, b2);
  const r1 = lgammaRemainder(a1, b1, s1);
  const r2 = lgammaRemainder(a2, b2, tf.add(a2, b2));
  // psi(s1) - psi(a2) with s1 - a2 = b1 - (a2 - a1) formed from the exact difference a2 - a1 (s1
  // itself carries the rounding of a1 + b1, too much beside the tiny divergence).
  const across = tf.mul(b2, digammaDifference(s1, a2, tf.sub(b1, ha)));
  const shifted = tf.mul(tf.sub(ha, b1), shift);
  return {
    value: tf.add(tf.add(tf.sub(tf.add(rb, r1), r2), across), shifted),
    magnitude: tf.addN([rb, r1, r2, tf.abs(across), tf.abs(shifted)]),
  };
}

/** Two tensors broadcast to their common shape (for stacking). */
function broadcastPair(x: tf.Tensor, y: tf.Tensor): [tf.Tensor, tf.Tensor] {
  const shape = broadcastShapes([x.shape, y.shape]);
  return [tf.broadcastTo(x, shape), tf.broadcastTo(y, shape)];
}

/** E[x] = a / (a + b) of a beta distribution. */
function betaMean(p: Beta): tf.Tensor {
  return tf.div(p.concentration1, tf.add(p.concentration1, p.concentration0));
}

/**
 * KL(Beta(a, b) || N(mu, s^2)).
 *
 * @remarks
 * KL = -H(p) + log(s sqrt(2 pi)) + (Var_p + (E_p[x] - mu)^2) / (2 s^2) with E_p[x] = a / (a + b)
 * and Var_p = ab / ((a + b)^2 (a + b + 1)) (torch's `_kl_beta_normal`).
 *
 * @param p - the beta distribution
 * @param q - the normal
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Beta, Normal } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new Beta({ concentration1: 1, concentration0: 1 }), new Normal({ loc: 0.5, scale: 1 }));
 *   console.log(kl.dataSync()[0]); // 0.9606 = log(sqrt(2 pi)) + 1/24
 * });
 * ```
 */
export function klBetaNormal(p: Beta, q: Normal): tf.Tensor {
  return tf.tidy(() => {
    const mean = betaMean(p);
    const total = tf.add(p.concentration1, p.concentration0);
    const variance = tf.div(tf.mul(mean, tf.sub(1, mean)), tf.add(total, 1));
    const second = tf.add(variance, tf.square(tf.sub(mean, q.loc)));
    const logTerm = tf.add(tf.log(q.scale), 0.5 * Math.log(2 * Math.PI));
    return tf.add(tf.sub(logTerm, p.entropy()), tf.div(second, tf.mul(2, tf.square(q.scale))));
  });
}

/**
 * KL(Beta || Uniform(low, high)): finite only when [0, 1] lies inside [low, high].
 *
 * @remarks
 * KL = -H(p) + log(high - low) when low <= 0 and high >= 1, +Infinity otherwise (torch's
 * `_kl_beta_uniform`).
 *
 * @param p - the beta distribution
 * @param q - the uniform
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Beta, Uniform } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const p = new Beta({ concentration1: 1, concentration0: 1 });
 *   console.log(klDivergence(p, new Uniform({ low: [0, 0.1], high: [1, 1] })).arraySync()); // [0, Infinity]
 * });
 * ```
 */
export function klBetaUniform(p: Beta, q: Uniform): tf.Tensor {
  return tf.tidy(() => {
    const outside = withoutGradient((low, high) => tf.logicalOr(tf.greater(low, 0), tf.less(high, 1)), q.low, q.high);
    return infiniteWhere(outside, tf.sub(tf.log(tf.sub(q.high, q.low)), p.entropy()));
  });
}

/**
 * KL(Beta(a, b) || Exponential(lambda)).
 *
 * @remarks
 * KL = -H(p) - log lambda + lambda a / (a + b) (torch's `_kl_beta_exponential`).
 *
 * @param p - the beta distribution
 * @param q - the exponential
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Beta, Exponential } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new Beta({ concentration1: 1, concentration0: 1 }), new Exponential({ rate: 1 }));
 *   console.log(kl.dataSync()[0]); // 0.5
 * });
 * ```
 */
export function klBetaExponential(p: Beta, q: Exponential): tf.Tensor {
  return tf.tidy(() => tf.sub(tf.sub(tf.mul(q.rate, betaMean(p)), tf.log(q.rate)), p.entropy()));
}

/**
 * KL(Beta(a, b) || Gamma(c, r)) (concentration, rate).
 *
 * @remarks
 * KL = -H(p) + lgamma(c) - c log r - (c - 1) (psi(a) - psi(a + b)) + r a / (a + b), using
 * E_p[log x] = psi(a) - psi(a + b) (torch's `_kl_beta_gamma`). Since the Gamma density is
 * Beta(c, 1)'s times r^c e^{-r x} / Gamma(c + 1), this is computed as
 * KL(p || Beta(c, 1)) + lgamma(c + 1) - c log r + r a / (a + b): {@link klBetaBeta} cancels the
 * a-sized terms (a - 1) psi(a) of H(p) against (c - 1) psi(a) exactly, where taken apart they lost
 * 0.005 absolute for a ~ c ~ 1e-5 (psi(a) ~ -1e5).
 *
 * @param p - the beta distribution
 * @param q - the gamma distribution
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Beta, Gamma } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new Beta({ concentration1: 1, concentration0: 1 }), new Gamma({ concentration: 1, rate: 1 }));
 *   console.log(kl.dataSync()[0]); // 0.5
 * });
 * ```
 */
export function klBetaGamma(p: Beta, q: Gamma): tf.Tensor {
  return tf.tidy(() => {
    const powerLaw = new Beta({ concentration1: q.concentration, concentration0: tf.onesLike(q.concentration), validateArgs: false });
    const logNormalizer = tf.sub(lgamma(tf.add(q.concentration, 1)), tf.mul(q.concentration, tf.log(q.rate)));
    return tf.add(klBetaBeta(p, powerLaw), tf.add(logNormalizer, tf.mul(q.rate, betaMean(p))));
  });
}

/**
 * KL(Beta(a, b) || ContinuousBernoulli(lambda)).
 *
 * @remarks
 * With eta = logit(lambda) and F(eta) = log((e^eta - 1) / eta) the continuous Bernoulli's log
 * partition: KL = -H(p) - eta a / (a + b) + F(eta) (torch's `_kl_beta_continuous_bernoulli`).
 *
 * @param p - the beta distribution
 * @param q - the continuous Bernoulli
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Beta, ContinuousBernoulli } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new Beta({ concentration1: 1, concentration0: 1 }), new ContinuousBernoulli({ probs: 0.5 }));
 *   console.log(kl.dataSync()[0]); // 0
 * });
 * ```
 */
export function klBetaContinuousBernoulli(p: Beta, q: ContinuousBernoulli): tf.Tensor {
  return tf.tidy(() => tf.sub(tf.sub(continuousBernoulliLogPartition(q.logits), tf.mul(q.logits, betaMean(p))), p.entropy()));
}
