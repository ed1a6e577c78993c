import * as tf from '@tensorflow/tfjs-core';
import { withoutGradient } from '@vae/math';
import type { Exponential, Gamma, Normal } from '@vae/distributions';
import { expm1MinusIdentity, lgammaRemainder, lgammaRemainderMinusA, logRatio } from './numerics.js';

/**
 * The Gamma-Gamma divergence from parameter tensors (shared with the Exponential pairs).
 * @param ap - concentration of p
 * @param bp - rate of p
 * @param aq - concentration of q
 * @param bq - rate of q
 * @returns KL, shape broadcast of the four
 */
export function gammaKL(ap: tf.Tensor, bp: tf.Tensor, aq: tf.Tensor, bq: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const h = tf.sub(aq, ap);
    const t = logRatio(bq, bp);
    // Near form: R(a_p, h) + a_p (expm1(t) - t) - h t; its terms are small when q is close to p.
    const remainder = lgammaRemainder(ap, h, aq);
    const curvature = tf.mul(ap, expm1MinusIdentity(t));
    const ht = tf.mul(h, t);
    const near = tf.sub(tf.add(remainder, curvature), ht);
    const nearMagnitude = tf.addN([remainder, tf.abs(curvature), tf.abs(ht)]);
    // Far form: with R(a_p, h) = a_p + R', the a_p cancels exactly against a_p expm1(t) - h t + a_p t:
    // KL = R' + a_p e^t - a_q t, free of the size-a_p terms when a_q << a_p.
    const rest = lgammaRemainderMinusA(ap, aq);
    const exponential = tf.mul(ap, tf.exp(t));
    const aqT = tf.mul(aq, t);
    const far = tf.sub(tf.add(rest.value, exponential), aqT);
    const farMagnitude = tf.addN([rest.magnitude, exponential, tf.abs(aqT)]);
    const useFar = withoutGradient((n, f) => tf.less(f, n), nearMagnitude, farMagnitude);
    return tf.where(useFar, far, near);
  });
}

/**
 * KL(Gamma(a_p, b_p) || Gamma(a_q, b_q)) (concentration, rate), accurate when the two are nearly
 * equal.
 *
 * @remarks
 * The closed form a_q log(b_p / b_q) + lgamma(a_q) - lgamma(a_p) + (a_p - a_q) psi(a_p) +
 * a_p (b_q - b_p) / b_p (torch's `_kl_gamma_gamma`) is rewritten with h = a_q - a_p and
 * t = log(b_q / b_p) = log1p((b_q - b_p) / b_p) as
 * KL = R(a_p, h) + a_p (expm1(t) - t) - h t, where R(a, h) = lgamma(a + h) - lgamma(a) - h psi(a)
 * is evaluated from Stirling's series without cancellation (relative error ~1e-6 or better over
 * the tested range). What remains is the cancellation between R(a_p, h) and -h t when both parameters move
 * together, which is that of the divergence itself (its conditioning grows like a_p).
 * When a_q << a_p, R(a_p, h) is about a_p and cancels against a_p expm1(t) - h t; there the a_p is
 * taken out symbolically, KL = lgamma(a_q) - a_q (psi(a_p) + t) + E(a_p) + a_p e^t with
 * E(a) = a psi(a) - lgamma(a) - a ~ log(a) / 2, and each element keeps the form whose terms are
 * smaller (Gamma(50, 1) || Gamma(1e-6, 1) = 64.349, not +Infinity).
 *
 * @param p - first gamma distribution
 * @param q - second gamma distribution
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Gamma } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new Gamma({ concentration: 2, rate: 1 }), new Gamma({ concentration: 2, rate: 2 }));
 *   console.log(kl.dataSync()[0]); // 0.6137 = 2 (1 - log 2)
 * });
 * ```
 */
export function klGammaGamma(p: Gamma, q: Gamma): tf.Tensor {
  return tf.tidy(() => gammaKL(p.concentration, p.rate, q.concentration, q.rate));
}

/**
 * KL(Gamma(a, b) || Exponential(lambda)): the Gamma-Gamma divergence with q = Gamma(1, lambda).
 *
 * @remarks
 * KL = -H(p) - log lambda + lambda a / b (torch's `_kl_gamma_exponential`), evaluated as
 * {@link klGammaGamma} with q's concentration 1, so a Gamma close to the exponential gives an
 * accurate small divergence.
 *
 * @param p - the gamma distribution
 * @param q - the exponential
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Exponential, Gamma } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new Gamma({ concentration: 1, rate: 1 }), new Exponential({ rate: 2 }));
 *   console.log(kl.dataSync()[0]); // 0.3069 = 1 - log 2
 * });
 * ```
 */
export function klGammaExponential(p: Gamma, q: Exponential): tf.Tensor {
  return tf.tidy(() => gammaKL(p.concentration, p.rate, tf.onesLike(q.rate), q.rate));
}

/**
 * KL(Gamma(a, b) || N(mu, s^2)).
 *
 * @remarks
 * KL = -H(p) + log(s sqrt(2 pi)) + (a / b^2 + (a / b - mu)^2) / (2 s^2): minus the gamma entropy
 * plus the expected normal negative log density (torch's `_kl_gamma_normal`).
 *
 * @param p - the gamma distribution
 * @param q - the normal
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Gamma, Normal } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new Gamma({ concentration: 1, rate: 1 }), new Normal({ loc: 1, scale: 1 }));
 *   console.log(kl.dataSync()[0]); // 0.4189 = log(sqrt(2 pi)) - 1/2
 * });
 * ```
 */
export function klGammaNormal(p: Gamma, q: Normal): tf.Tensor {
  return tf.tidy(() => {
    const mean = tf.div(p.concentration, p.rate);
    const second = tf.add(tf.div(mean, p.rate), tf.square(tf.sub(mean, q.loc)));
    const logTerm = tf.add(tf.log(q.scale), 0.5 * Math.log(2 * Math.PI));
    return tf.add(tf.sub(logTerm, p.entropy()), tf.div(second, tf.mul(2, tf.square(q.scale))));
  });
}
