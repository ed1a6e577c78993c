import * as tf from '@tensorflow/tfjs-core';
import { lgamma, log1p, logBeta, withoutGradient, xlogy } from '@vae/math';
import type { Beta, ContinuousBernoulli, Exponential, Gamma, Normal, Uniform } from '@vae/distributions';
import { continuousBernoulliLogPartition } from './continuous-bernoulli.js';
import { infiniteWhere, logRatio } from './numerics.js';

/** Terms of the series for E[log x] on a narrow interval (t < 1/2: the tail is below 1e-9 t). */
const MEAN_LOG_SERIES_TERMS = 24;

/**
 * E[log x] for x ~ Uniform(low, high), 0 <= low < high: (h log h - l log l) / (h - l) - 1, taken as
 * log h - 1 - r log r / t with r = l / h and t = (h - l) / h. For t < 1/2 that form cancels (both
 * h log h and l log l are near h log h: a width of 1e-5 lost 1e-3 of E[log x], and so 1% of KL
 * Uniform || Beta, Gamma), so there it is the series log h - sum_k t^k / (k (k + 1)).
 */
function meanLog(low: tf.Tensor, high: tf.Tensor, width: tf.Tensor): tf.Tensor {
  const t = tf.div(width, high);
  const narrow = withoutGradient((v) => tf.less(v, 0.5), t);
  // Each branch sees only the arguments it is used for, so the other's gradient stays finite.
  const tSeries = tf.where(narrow, t, tf.onesLike(t));
  let series: tf.Tensor = tf.zerosLike(t);
  for (let k = MEAN_LOG_SERIES_TERMS; k >= 1; k--) series = tf.mul(tSeries, tf.add(series, 1 / (k * (k + 1))));
  const tWide = tf.where(narrow, tf.onesLike(t), t);
  const r = tf.where(narrow, tf.zerosLike(t), tf.div(low, high));
  const closed = tf.add(1, tf.div(xlogy(r, r), tWide));
  return tf.sub(tf.log(high), tf.where(narrow, series, closed));
}

/**
 * KL(Uniform(l_p, h_p) || Uniform(l_q, h_q)): finite only when p's interval lies inside q's.
 *
 * @remarks
 * KL = log((h_q - l_q) / (h_p - l_p)) when l_q <= l_p and h_p <= h_q, +Infinity otherwise
 * (torch's `_kl_uniform_uniform`). The log is taken as log1p of ((h_q - h_p) + (l_p - l_q)) /
 * (h_p - l_p), exact when the intervals nearly coincide.
 *
 * @param p - first uniform
 * @param q - second uniform
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Uniform } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const p = new Uniform({ low: 0, high: 1 });
 *   console.log(klDivergence(p, new Uniform({ low: [0, 0.5], high: [2, 2] })).arraySync()); // [0.6931, Infinity]
 * });
 * ```
 */
export function klUniformUniform(p: Uniform, q: Uniform): tf.Tensor {
  return tf.tidy(() => {
    const widthP = tf.sub(p.high, p.low);
    const extra = tf.add(tf.sub(q.high, p.high), tf.sub(p.low, q.low));
    const outside = withoutGradient((ql, pl, qh, ph) => tf.logicalOr(tf.greater(ql, pl), tf.less(qh, ph)), q.low, p.low, q.high, p.high);
    return infiniteWhere(outside, log1p(tf.div(extra, widthP)));
  });
}

/**
 * KL(Uniform(l, h) || Beta(a, b)): finite only when [l, h] lies inside [0, 1].
 *
 * @remarks
 * KL = -log(h - l) - (a - 1) E[log x] - (b - 1) E[log(1 - x)] + log B(a, b) with
 * E[log x] = (h log h - l log l) / (h - l) - 1 and E[log(1 - x)] likewise on 1 - x (torch's
 * `_kl_uniform_beta`); +Infinity when l < 0 or h > 1.
 *
 * @param p - the uniform
 * @param q - the beta distribution
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Beta, Uniform } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new Uniform({ low: 0, high: 1 }), new Beta({ concentration1: 2, concentration0: 1 }));
 *   console.log(kl.dataSync()[0]); // 0.3069 = 1 - log 2
 * });
 * ```
 */
export function klUniformBeta(p: Uniform, q: Beta): tf.Tensor {
  return tf.tidy(() => {
    const outside = withoutGradient((low, high) => tf.logicalOr(tf.less(low, 0), tf.greater(high, 1)), p.low, p.high);
    const low = tf.clipByValue(p.low, 0, 1);
    const high = tf.clipByValue(p.high, 0, 1);
    const width = tf.sub(p.high, p.low);
    const logX = meanLog(low, high, width);
    const log1mX = meanLog(tf.sub(1, high), tf.sub(1, low), width);
    const cross = tf.add(tf.mul(tf.sub(q.concentration1, 1), logX), tf.mul(tf.sub(q.concentration0, 1), log1mX));
    const value = tf.sub(tf.sub(logBeta(q.concentration1, q.concentration0), tf.log(width)), cross);
    return infiniteWhere(outside, value);
  });
}

/**
 * KL(Uniform(l, h) || ContinuousBernoulli(lambda)): finite only when [l, h] lies inside [0, 1].
 *
 * @remarks
 * With eta = logit(lambda) and F(eta) = log((e^eta - 1) / eta):
 * KL = -log(h - l) - eta (l + h) / 2 + F(eta) when 0 <= l and h <= 1, +Infinity otherwise. (torch
 * 1.13's `_kl_uniform_continuous_bernoulli` also returns +Infinity when l = 0 or h = 1, where the
 * divergence is finite; this follows the mathematics.)
 *
 * @param p - the uniform
 * @param q - the continuous Bernoulli
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { ContinuousBernoulli, Uniform } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new Uniform({ low: 0, high: 1 }), new ContinuousBernoulli({ probs: 0.5 }));
 *   console.log(kl.dataSync()[0]); // 0
 * });
 * ```
 */
export function klUniformContinuousBernoulli(p: Uniform, q: ContinuousBernoulli): tf.Tensor {
  return tf.tidy(() => {
    const outside = withoutGradient((low, high) => tf.logicalOr(tf.less(low, 0), tf.greater(high, 1)), p.low, p.high);
    const mean = tf.mul(0.5, tf.add(p.low, p.high));
    const value = tf.sub(tf.sub(continuousBernoulliLogPartition(q.logits), tf.mul(q.logits, mean)), tf.log(tf.sub(p.high, p.low)));
    return infiniteWhere(outside, value);
  });
}

/**
 * KL(Uniform(l, h) || Exponential(lambda)): finite only when l >= 0.
 *
 * @remarks
 * KL = lambda (l + h) / 2 - log((h - l) lambda), +Infinity when l < 0 (torch's
 * `_kl_uniform_exponetial`).
 *
 * @param p - the uniform
 * @param q - the exponential
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Exponential, Uniform } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new Uniform({ low: 0, high: 1 }), new Exponential({ rate: 1 }));
 *   console.log(kl.dataSync()[0]); // 0.5
 * });
 * ```
 */
export function klUniformExponential(p: Uniform, q: Exponential): tf.Tensor {
  return tf.tidy(() => {
    const value = tf.sub(tf.mul(q.rate, tf.mul(0.5, tf.add(p.low, p.high))), tf.log(tf.mul(tf.sub(p.high, p.low), q.rate)));
    return infiniteWhere(
      withoutGradient((low) => tf.less(low, 0), p.low),
      value,
    );
  });
}

/**
 * KL(Uniform(l, h) || Gamma(c, r)) (concentration, rate): finite only when l >= 0.
 *
 * @remarks
 * KL = -log(h - l) + lgamma(c) - c log r - (c - 1) E[log x] + r (l + h) / 2 with
 * E[log x] = (h log h - l log l) / (h - l) - 1; +Infinity when l < 0 (torch's `_kl_uniform_gamma`).
 *
 * @param p - the uniform
 * @param q - the gamma distribution
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Gamma, Uniform } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new Uniform({ low: 0, high: 1 }), new Gamma({ concentration: 1, rate: 1 }));
 *   console.log(kl.dataSync()[0]); // 0.5
 * });
 * ```
 */
export function klUniformGamma(p: Uniform, q: Gamma): tf.Tensor {
  return tf.tidy(() => {
    const outside = withoutGradient((low) => tf.less(low, 0), p.low);
    const low = tf.relu(p.low);
    const high = tf.relu(p.high);
    const width = tf.sub(p.high, p.low);
    const logNormalizer = tf.sub(lgamma(q.concentration), tf.mul(q.concentration, tf.log(q.rate)));
    const cross = tf.sub(tf.mul(q.rate, tf.mul(0.5, tf.add(p.low, p.high))), tf.mul(tf.sub(q.concentration, 1), meanLog(low, high, width)));
    return infiniteWhere(outside, tf.add(tf.sub(logNormalizer, tf.log(width)), cross));
  });
}

/**
 * KL(Uniform(l, h) || N(mu, s^2)).
 *
 * @remarks
 * KL = log(s sqrt(2 pi) / (h - l)) + ((h - l)^2 / 12 + ((l + h) / 2 - mu)^2) / (2 s^2) (torch's
 * `_kl_uniform_normal`).
 *
 * @param p - the uniform
 * @param q - the normal
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Normal, Uniform } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new Uniform({ low: 0, high: 1 }), new Normal({ loc: 0.5, scale: 1 }));
 *   console.log(kl.dataSync()[0]); // 0.9606 = log(sqrt(2 pi)) + 1/24
 * });
 * ```
 */
export function klUniformNormal(p: Uniform, q: Normal): tf.Tensor {
  return tf.tidy(() => {
    const width = tf.sub(p.high, p.low);
    const offset = tf.sub(tf.mul(0.5, tf.add(p.low, p.high)), q.loc);
    const second = tf.add(tf.div(tf.square(width), 12), tf.square(offset));
    const logTerm = tf.add(logRatio(q.scale, width), 0.5 * Math.log(2 * Math.PI));
    return tf.add(logTerm, tf.div(second, tf.mul(2, tf.square(q.scale))));
  });
}
