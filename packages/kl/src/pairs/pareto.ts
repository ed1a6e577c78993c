import * as tf from '@tensorflow/tfjs-core';
import { lgamma, log1p, withoutGradient } from '@vae/math';
import type { Exponential, Gamma, Normal, Pareto, Uniform } from '@vae/distributions';
import { guardNot, infiniteWhere, logRatio } from './numerics.js';

/**
 * p's shape alpha where it exceeds `above`, and a harmless stand-in elsewhere, with the mask: the
 * divergences to the light-tailed families need E_p[x] (alpha > 1) or E_p[x^2] (alpha > 2), and
 * diverge otherwise.
 */
function shapeAbove(p: Pareto, above: number): { infinite: tf.Tensor; alpha: tf.Tensor } {
  const infinite = withoutGradient((a) => tf.lessEqual(a, above), p.alpha);
  return { infinite, alpha: guardNot(infinite, p.alpha, above + 1) };
}

/**
 * KL(Pareto(x_m, alpha) || Exponential(lambda)); +Infinity for alpha <= 1 (p's mean is infinite).
 *
 * @remarks
 * -H(p) - E_p[log q] with H(p) = log(x_m / alpha) + 1/alpha + 1 and E_p[x] = alpha x_m / (alpha - 1):
 * log alpha - log(x_m lambda) - 1/alpha - 1 + alpha x_m lambda / (alpha - 1), as torch's
 * `_kl_pareto_exponential`; log(x_m lambda) is taken as a sum of logs.
 *
 * @param p - a Pareto distribution (scale x_m, shape alpha)
 * @param q - an exponential distribution
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Exponential, Pareto } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new Pareto({ scale: 1, alpha: [3, 1] }), new Exponential({ rate: 1 }));
 *   console.log(kl.arraySync()); // [1.2653, Infinity] (log 3 - 1/3 - 1 + 3/2)
 * });
 * ```
 */
export function klParetoExponential(p: Pareto, q: Exponential): tf.Tensor {
  return tf.tidy(() => {
    const { infinite, alpha } = shapeAbove(p, 1);
    const logScaleRate = tf.add(tf.log(p.scale), tf.log(q.rate));
    const meanTerm = tf.mul(tf.div(alpha, tf.sub(alpha, 1)), tf.exp(logScaleRate));
    const value = tf.add(tf.sub(tf.log(alpha), tf.add(logScaleRate, tf.reciprocal(alpha))), tf.sub(meanTerm, 1));
    return infiniteWhere(infinite, value);
  });
}

/**
 * KL(Pareto(x_m, alpha) || Gamma(c, r)); +Infinity for alpha <= 1 (p's mean is infinite).
 *
 * @remarks
 * -H(p) - E_p[log q] with E_p[log x] = log x_m + 1/alpha:
 * log alpha + lgamma(c) - c (log x_m + log r + 1/alpha) + r alpha x_m / (alpha - 1) - 1, torch's
 * `_kl_pareto_gamma` with its two (1 - c)(log x_m + 1/alpha) and -(log x_m + 1/alpha) terms merged,
 * and log(x_m r) as a sum of logs.
 *
 * @param p - a Pareto distribution (scale x_m, shape alpha)
 * @param q - a gamma distribution (concentration c, rate r)
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Gamma, Pareto } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new Pareto({ scale: 1, alpha: 3 }), new Gamma({ concentration: 1, rate: 1 }));
 *   console.log(kl.dataSync()[0]); // 1.2653 (Gamma(1, 1) is Exponential(1))
 * });
 * ```
 */
export function klParetoGamma(p: Pareto, q: Gamma): tf.Tensor {
  return tf.tidy(() => {
    const { infinite, alpha } = shapeAbove(p, 1);
    const c = q.concentration;
    const logScaleRate = tf.add(tf.log(p.scale), tf.log(q.rate));
    const meanTerm = tf.mul(tf.div(alpha, tf.sub(alpha, 1)), tf.exp(logScaleRate));
    const cross = tf.mul(c, tf.add(logScaleRate, tf.reciprocal(alpha)));
    const value = tf.add(tf.sub(tf.add(tf.log(alpha), lgamma(c)), cross), tf.sub(meanTerm, 1));
    return infiniteWhere(infinite, value);
  });
}

/**
 * KL(Pareto(x_m, alpha) || Normal(mu, sigma)); +Infinity for alpha <= 2 (p's variance is infinite).
 *
 * @remarks
 * -H(p) - E_p[log q] = log(sqrt(2 pi) sigma alpha / x_m) - 1/alpha - 1 + (Var_p + (E_p[x] - mu)^2) / (2 sigma^2)
 * with E_p[x] = alpha x_m / (alpha - 1) and Var_p = alpha x_m^2 / ((alpha - 1)^2 (alpha - 2)), as
 * torch's `_kl_pareto_normal`; both squares are formed from ratios to sigma (x_m / sigma and
 * (E_p[x] - mu) / sigma), so they do not overflow float32 before the division.
 *
 * @param p - a Pareto distribution (scale x_m, shape alpha)
 * @param q - a normal distribution
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Normal, Pareto } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new Pareto({ scale: 1, alpha: [3, 2] }), new Normal({ loc: 1.5, scale: 1 }));
 *   console.log(kl.arraySync()); // [1.0592, Infinity]
 * });
 * ```
 */
export function klParetoNormal(p: Pareto, q: Normal): tf.Tensor {
  return tf.tidy(() => {
    const { infinite, alpha } = shapeAbove(p, 2);
    const am1 = tf.sub(alpha, 1);
    const scaleRatio = tf.div(p.scale, q.scale);
    const variance = tf.div(tf.mul(alpha, tf.square(tf.div(scaleRatio, am1))), tf.sub(alpha, 2));
    const offset = tf.div(tf.sub(tf.div(tf.mul(alpha, p.scale), am1), q.loc), q.scale);
    const quadratic = tf.mul(0.5, tf.add(variance, tf.square(offset)));
    const logTerm = tf.add(tf.sub(tf.log(alpha), tf.log(scaleRatio)), 0.5 * Math.log(2 * Math.PI));
    const value = tf.add(tf.sub(logTerm, tf.add(tf.reciprocal(alpha), 1)), quadratic);
    return infiniteWhere(infinite, value);
  });
}

/**
 * KL(Uniform(a, b) || Pareto(x_m, alpha)); +Infinity where a < x_m (p puts mass below q's support).
 *
 * @remarks
 * -H(p) - E_p[log q] = -log(b - a) - log alpha - alpha log x_m + (alpha + 1) E_p[log x], with
 * E_p[log x] = (b log b - a log a) / (b - a) - 1 (torch's `_kl_uniform_pareto`). With t = a / b and
 * u = (b - a) / b this is `E_p[log x] = log b + g`, g = -1 - t log1p(-u) / u in (-1, 0], and the
 * divergence `alpha log(b / x_m) + (alpha + 1) g - log u - log alpha`: no b log b - a log a
 * cancellation when the interval is narrow, and log(b / x_m) stays exact when b is near x_m.
 *
 * @param p - a uniform distribution on (a, b)
 * @param q - a Pareto distribution (scale x_m, shape alpha)
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Pareto, Uniform } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new Uniform({ low: [1, 0.5], high: 2 }), new Pareto({ scale: 1, alpha: 2 }));
 *   console.log(kl.arraySync()); // [0.4657, Infinity]
 * });
 * ```
 */
export function klUniformPareto(p: Uniform, q: Pareto): tf.Tensor {
  return tf.tidy(() => {
    const infinite = withoutGradient((low, scale) => tf.less(low, scale), p.low, q.scale);
    // Stand-ins where the divergence is infinite: a = 1 < b = 2, x_m = 1.
    const a = guardNot(infinite, p.low, 1);
    const b = guardNot(infinite, p.high, 2);
    const scale = guardNot(infinite, q.scale, 1);
    const u = tf.div(tf.sub(b, a), b);
    const t = tf.div(a, b);
    const g = tf.sub(-1, tf.div(tf.mul(t, log1p(tf.neg(u))), u));
    const alpha = q.alpha;
    const value = tf.sub(tf.add(tf.mul(alpha, logRatio(b, scale)), tf.mul(tf.add(alpha, 1), g)), tf.add(tf.log(u), tf.log(alpha)));
    return infiniteWhere(infinite, value);
  });
}
