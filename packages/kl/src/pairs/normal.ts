import * as tf from '@tensorflow/tfjs-core';
import type { Normal } from '@vae/distributions';

/**
 * expm1(t) - t, accurate for small |t| where the difference cancels (series to t^6).
 * @param t - any tensor
 * @returns expm1(t) - t elementwise
 */
export function expm1MinusIdentity(t: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const small = tf.less(tf.abs(t), 0.1);
    const ts = tf.where(small, t, tf.zerosLike(t));
    // t^2/2! + t^3/3! + ... + t^7/7!, Horner form.
    let series = tf.scalar(1 / 5040);
    for (const c of [1 / 720, 1 / 120, 1 / 24, 1 / 6, 1 / 2]) series = tf.add(tf.mul(series, ts), c);
    series = tf.mul(series, tf.square(ts));
    const tl = tf.where(small, tf.onesLike(t), t);
    return tf.where(small, series, tf.sub(tf.expm1(tl), tl));
  });
}

/**
 * KL(N(mu_p, s_p^2) || N(mu_q, s_q^2)), accurate even when the two are nearly equal.
 *
 * @remarks
 * KL = [ (r - 1 - log r) + ((mu_p - mu_q) / s_q)^2 ] / 2 with r = (s_p / s_q)^2. Writing
 * log r = 2 log1p((s_p - s_q) / s_q) and r - 1 - log r = expm1(log r) - log r (by series for small
 * log r) keeps tiny divergences accurate to float32 relative precision instead of cancelling.
 *
 * @param p - first normal
 * @param q - second normal
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import { Normal } from '@vae/distributions';
 * import { klNormalNormal } from '@vae/kl';
 * const kl = klNormalNormal(new Normal({ loc: 0, scale: 1 }), new Normal({ loc: 0, scale: 1.001 }));
 * console.log(kl.dataSync()[0]); // 9.98e-7, no cancellation
 * ```
 */
export function klNormalNormal(p: Normal, q: Normal): tf.Tensor {
  return tf.tidy(() => {
    const logRatio = tf.mul(2, tf.log1p(tf.div(tf.sub(p.scale, q.scale), q.scale)));
    const meanTerm = tf.square(tf.div(tf.sub(p.loc, q.loc), q.scale));
    return tf.mul(0.5, tf.add(expm1MinusIdentity(logRatio), meanTerm));
  });
}
