import * as tf from '@tensorflow/tfjs-core';
import type { Exponential, Gamma, Normal } from '@vae/distributions';
import { expm1MinusIdentity, logRatio } from './numerics.js';
import { gammaKL } from './gamma.js';

/**
 * KL(Exponential(rate_p) || Exponential(rate_q)), accurate when the rates are nearly equal.
 *
 * @remarks
 * KL = r - 1 - log r with r = rate_q / rate_p, evaluated as expm1(t) - t, t = log1p((rate_q -
 * rate_p) / rate_p), by series for small t (torch's `_kl_exponential_exponential` cancels there).
 *
 * @param p - first exponential
 * @param q - second exponential
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Exponential } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new Exponential({ rate: 1 }), new Exponential({ rate: 2 }));
 *   console.log(kl.dataSync()[0]); // 0.3069 = 1 - log 2
 * });
 * ```
 */
export function klExponentialExponential(p: Exponential, q: Exponential): tf.Tensor {
  return tf.tidy(() => expm1MinusIdentity(logRatio(q.rate, p.rate)));
}

/**
 * KL(Exponential(lambda) || Gamma(a, b)): the Gamma-Gamma divergence with p = Gamma(1, lambda).
 *
 * @remarks
 * KL = -a log(b / lambda) + b / lambda + lgamma(a) + a gamma_E - (1 + gamma_E) (torch's
 * `_kl_exponential_gamma`), evaluated as the Gamma-Gamma form of {@link klGammaGamma} with
 * concentration 1, so it stays accurate when q is nearly the same exponential.
 *
 * @param p - the exponential
 * @param q - the gamma distribution
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Exponential, Gamma } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new Exponential({ rate: 1 }), new Gamma({ concentration: 2, rate: 1 }));
 *   console.log(kl.dataSync()[0]); // 0.5772 = gamma_E
 * });
 * ```
 */
export function klExponentialGamma(p: Exponential, q: Gamma): tf.Tensor {
  return tf.tidy(() => gammaKL(tf.onesLike(p.rate), p.rate, q.concentration, q.rate));
}

/**
 * KL(Exponential(lambda) || N(mu, s^2)).
 *
 * @remarks
 * KL = log(lambda s sqrt(2 pi)) - 1 + (1/lambda^2 + (1/lambda - mu)^2) / (2 s^2): minus the
 * exponential's entropy 1 - log lambda plus the expected normal negative log density (torch's
 * `_kl_exponential_normal`).
 *
 * @param p - the exponential
 * @param q - the normal
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Exponential, Normal } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new Exponential({ rate: 1 }), new Normal({ loc: 1, scale: 1 }));
 *   console.log(kl.dataSync()[0]); // 0.4189 = log(sqrt(2 pi)) - 1/2
 * });
 * ```
 */
export function klExponentialNormal(p: Exponential, q: Normal): tf.Tensor {
  return tf.tidy(() => {
    const mean = tf.reciprocal(p.rate);
    const second = tf.add(tf.square(mean), tf.square(tf.sub(mean, q.loc)));
    const logTerm = tf.add(tf.log(tf.mul(p.rate, q.scale)), 0.5 * Math.log(2 * Math.PI) - 1);
    return tf.add(logTerm, tf.div(second, tf.mul(2, tf.square(q.scale))));
  });
}
