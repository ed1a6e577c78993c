import * as tf from '@tensorflow/tfjs-core';
import { lgamma } from '@vae/math';
import type { Gamma, Weibull } from '@vae/distributions';

const EULER_GAMMA = 0.5772156649015329;

/**
 * KL(Weibull(lambda, k) || Gamma(a, r)).
 *
 * @remarks
 * With E_p[log x] = log lambda - gamma_E / k and E_p[x] = lambda Gamma(1 + 1/k) (TFP's
 * `_kl_weibull_gamma`): KL = -H(p) - a log r + lgamma(a) - (a - 1)(log lambda - gamma_E / k) +
 * r lambda Gamma(1 + 1/k), H(p) = gamma_E (1 - 1/k) + log(lambda / k) + 1.
 *
 * @param p - the Weibull
 * @param q - the gamma distribution (or a subclass such as Chi2)
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Gamma, Weibull } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new Weibull({ scale: 1, concentration: 2 }), new Gamma({ concentration: 1, rate: 1 }));
 *   console.log(kl.dataSync()[0]); // 0.2908
 * });
 * ```
 */
export function klWeibullGamma(p: Weibull, q: Gamma): tf.Tensor {
  return tf.tidy(() => {
    const a = q.concentration;
    const inverseK = tf.reciprocal(p.concentration);
    const meanLog = tf.sub(tf.log(p.scale), tf.mul(EULER_GAMMA, inverseK));
    const mean = tf.mul(p.scale, tf.exp(lgamma(tf.add(1, inverseK))));
    const crossEntropy = tf.add(tf.sub(tf.sub(lgamma(a), tf.mul(a, tf.log(q.rate))), tf.mul(tf.sub(a, 1), meanLog)), tf.mul(q.rate, mean));
    return tf.sub(crossEntropy, p.entropy());
  });
}
