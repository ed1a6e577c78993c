import * as tf from '@tensorflow/tfjs-core';
import { lgamma, log1mexp, log1p } from '@vae/math';
import type { Distribution, Exponential, Gamma, Gumbel, Normal, Uniform } from '@vae/distributions';
import { expm1MinusIdentity, lgammaRemainder } from './numerics.js';

const EULER_GAMMA = 0.5772156649015329;

/**
 * KL(p || Gumbel(m, b)) from p's entropy, its mean and log E_p[exp(-x / b)]: the Gumbel log
 * density is -(x - m)/b - exp(-(x - m)/b) - log b, so
 * KL = -H(p) + log b + (E_p[x] - m)/b + exp(m/b + log E_p[exp(-x/b)]).
 */
function klToGumbel(p: Distribution, q: Gumbel, logMgf: tf.Tensor): tf.Tensor {
  const linear = tf.div(tf.sub(p.mean(), q.loc), q.scale);
  const exponential = tf.exp(tf.add(tf.div(q.loc, q.scale), logMgf));
  return tf.add(tf.add(tf.sub(tf.log(q.scale), p.entropy()), linear), exponential);
}

/**
 * KL(Gumbel(m1, b1) || Gumbel(m2, b2)), accurate when the two are nearly equal.
 *
 * @remarks
 * With t = b1 / b2 and d = (m1 - m2) / b2, KL = log(1/t) + gamma_E (t - 1) + d - 1 +
 * exp(lgamma(1 + t) - d) (torch's `_kl_gumbel_gumbel`). Written as (e^u - 1 - u) + R(1, t - 1),
 * u = lgamma(1 + t) - d and R(1, h) = lgamma(1 + h) + gamma_E h the lgamma remainder, both free
 * of cancellation, so nearly equal pairs keep their relative accuracy.
 *
 * @param p - first Gumbel
 * @param q - second Gumbel
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Gumbel } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new Gumbel({ loc: 0, scale: 1 }), new Gumbel({ loc: 1, scale: 1 }));
 *   console.log(kl.dataSync()[0]); // 0.7183 = e - 2
 * });
 * ```
 */
export function klGumbelGumbel(p: Gumbel, q: Gumbel): tf.Tensor {
  return tf.tidy(() => {
    const t = tf.div(p.scale, q.scale);
    const d = tf.div(tf.sub(p.loc, q.loc), q.scale);
    const u = tf.sub(lgamma(tf.add(1, t)), d);
    return tf.add(expm1MinusIdentity(u), lgammaRemainder(tf.onesLike(t), tf.sub(t, 1), t));
  });
}

/**
 * KL(Gamma(a, r) || Gumbel(m, b)).
 *
 * @remarks
 * KL = -H(p) + log b + (a/r - m)/b + exp(m/b - a log1p(1/(r b))), the last from the Gamma
 * moment generating function E[exp(-x/b)] = (1 + 1/(r b))^(-a) (torch's `_kl_gamma_gumbel`),
 * exponentiated once from logs so it neither overflows early nor underflows.
 *
 * @param p - the gamma distribution (or a subclass such as Chi2)
 * @param q - the Gumbel
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Gamma, Gumbel } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new Gamma({ concentration: 2, rate: 1 }), new Gumbel({ loc: 1, scale: 2 }));
 *   console.log(kl.dataSync()[0]); // 0.3487
 * });
 * ```
 */
export function klGammaGumbel(p: Gamma, q: Gumbel): tf.Tensor {
  return tf.tidy(() => klToGumbel(p, q, tf.neg(tf.mul(p.concentration, log1p(tf.reciprocal(tf.mul(p.rate, q.scale)))))));
}

/**
 * KL(Exponential(r) || Gumbel(m, b)).
 *
 * @remarks
 * The Gamma(1, r) case of {@link klGammaGumbel}: KL = log(r b) - 1 + (1/r - m)/b +
 * exp(m/b) r b / (r b + 1) (torch's `_kl_exponential_gumbel`).
 *
 * @param p - the exponential
 * @param q - the Gumbel
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Exponential, Gumbel } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new Exponential({ rate: 1 }), new Gumbel({ loc: 0, scale: 1 }));
 *   console.log(kl.dataSync()[0]); // 0.5 = 0 - 1 + 1 + 1/2
 * });
 * ```
 */
export function klExponentialGumbel(p: Exponential, q: Gumbel): tf.Tensor {
  return tf.tidy(() => klToGumbel(p, q, tf.neg(log1p(tf.reciprocal(tf.mul(p.rate, q.scale))))));
}

/**
 * KL(N(mu, s^2) || Gumbel(m, b)).
 *
 * @remarks
 * KL = -log(s / b) - (1 + log 2 pi)/2 + (mu - m)/b + exp(-(mu - m)/b + s^2 / (2 b^2)), from the
 * normal moment generating function (torch's `_kl_normal_gumbel`).
 *
 * @param p - the normal
 * @param q - the Gumbel
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Gumbel, Normal } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new Normal({ loc: 0, scale: 1 }), new Gumbel({ loc: 0, scale: 1 }));
 *   console.log(kl.dataSync()[0]); // 0.2298 = e^(1/2) - (1 + log 2 pi)/2
 * });
 * ```
 */
export function klNormalGumbel(p: Normal, q: Gumbel): tf.Tensor {
  return tf.tidy(() => klToGumbel(p, q, tf.sub(tf.div(tf.square(tf.div(p.scale, q.scale)), 2), tf.div(p.loc, q.scale))));
}

/**
 * KL(Uniform(l, h) || Gumbel(m, b)).
 *
 * @remarks
 * KL = -log(h - l) + log b + ((l + h)/2 - m)/b + (b / (h - l)) (e^(-(l - m)/b) - e^(-(h - m)/b))
 * (torch's `_kl_uniform_gumbel`); the last term is formed in logs as
 * exp(log(b / (h - l)) + (m - l)/b + log1mexp((h - l)/b)), so a narrow or far uniform neither
 * cancels nor overflows early.
 *
 * @param p - the uniform
 * @param q - the Gumbel
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Gumbel, Uniform } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new Uniform({ low: 0, high: 1 }), new Gumbel({ loc: 0, scale: 1 }));
 *   console.log(kl.dataSync()[0]); // 1.1321 = 1/2 + 1 - 1/e
 * });
 * ```
 */
export function klUniformGumbel(p: Uniform, q: Gumbel): tf.Tensor {
  return tf.tidy(() => {
    const width = tf.sub(p.high, p.low);
    const w = tf.div(width, q.scale);
    const linear = tf.div(tf.sub(tf.div(tf.add(p.low, p.high), 2), q.loc), q.scale);
    const exponential = tf.exp(tf.add(tf.sub(tf.div(tf.sub(q.loc, p.low), q.scale), tf.log(w)), log1mexp(w)));
    return tf.add(tf.sub(linear, tf.log(w)), exponential);
  });
}

/**
 * KL(Gumbel(m, b) || N(mu, s^2)).
 *
 * @remarks
 * KL = -(log b + gamma_E + 1) + log(s sqrt(2 pi)) + (pi^2 b^2 / 6 + (m + gamma_E b - mu)^2) / (2 s^2):
 * minus the Gumbel entropy plus the expected normal negative log density (torch's `_kl_gumbel_normal`).
 *
 * @param p - the Gumbel
 * @param q - the normal
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Gumbel, Normal } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new Gumbel({ loc: 0, scale: 1 }), new Normal({ loc: 0, scale: 1 }));
 *   console.log(kl.dataSync()[0]); // 0.3308
 * });
 * ```
 */
export function klGumbelNormal(p: Gumbel, q: Normal): tf.Tensor {
  return tf.tidy(() => {
    const mean = tf.add(p.loc, tf.mul(EULER_GAMMA, p.scale));
    const second = tf.add(tf.mul((Math.PI * Math.PI) / 6, tf.square(p.scale)), tf.square(tf.sub(mean, q.loc)));
    const logRatio = tf.sub(tf.log(q.scale), tf.log(p.scale));
    return tf.add(tf.add(logRatio, 0.5 * Math.log(2 * Math.PI) - EULER_GAMMA - 1), tf.div(second, tf.mul(2, tf.square(q.scale))));
  });
}
