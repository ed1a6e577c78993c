import * as tf from '@tensorflow/tfjs-core';
import { withoutGradient } from '@vae/math';
import { HypersphericalUniform, PowerSpherical, VonMisesFisher } from '@vae/distributions';
import { guard, guardNot, klToSphereUniform, lgammaRemainder, logSphereArea } from './numerics.js';
import { klVonMisesFisherHypersphericalUniform } from './von-mises-fisher.js';

/**
 * KL(PowerSpherical(mu, kappa) || uniform on S^{d-1}), accurate from kappa -> 0 to large kappa.
 *
 * @remarks
 * KL = log|S^{d-1}| - H(p). With beta = (d - 1)/2 and R(x, h) = lgamma(x + h) - lgamma(x) - h psi(x),
 * the normalizer of De Cao and Aziz (2020) gives exactly
 * KL = R(beta + kappa, -kappa) - R(2 beta + kappa, -kappa), two positive terms (~ kappa^2 / (2(beta +
 * kappa)) and kappa^2 / (2(2 beta + kappa))) evaluated without cancellation, used for kappa <= beta;
 * beyond, log|S^{d-1}| - H(p) with the distribution's entropy (no cancellation since KL is then
 * of order one or more). The mean direction does not matter. Where the backend has `@vae/math`'s
 * `SphericalTerms` kernel (wasm after `enableFastWasmKernels` of `@vae/backends`) the KL is that one
 * kernel (float64), with the closed-form gradient kappa (psi'(beta + kappa) - psi'(2 beta + kappa)).
 *
 * @param p - the power spherical distribution, event shape `[d]`
 * @param q - the uniform distribution on the same sphere
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { HypersphericalUniform, PowerSpherical } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const p = new PowerSpherical({ meanDirection: [0, 0, 1], concentration: [1e-3, 10] });
 *   const kl = klDivergence(p, new HypersphericalUniform({ dim: 3 }));
 *   console.log(kl.arraySync()); // [4.993e-7, 1.4888]
 * });
 * ```
 */
export function klPowerSphericalHypersphericalUniform(p: PowerSpherical, q: HypersphericalUniform): tf.Tensor {
  void q;
  return klToSphereUniform(p, 'power-spherical', (d, kappa) => {
    const beta = (d - 1) / 2;
    const small = withoutGradient((k) => tf.lessEqual(k, beta), kappa);
    const kS = guard(small, kappa, 0);
    const series = tf.sub(lgammaRemainder(tf.add(kS, beta), tf.neg(kS)), lgammaRemainder(tf.add(kS, 2 * beta), tf.neg(kS)));
    const kL = guardNot(small, kappa, beta + 1);
    const surrogate = new PowerSpherical({ meanDirection: p.meanDirection, concentration: kL, validateArgs: false });
    const large = tf.sub(logSphereArea(d), surrogate.entropy());
    return tf.where(small, series, large);
  });
}

/**
 * KL(PowerSpherical(mu_p, kappa_p) || vMF(mu_q, kappa_q)) on the same sphere (De Cao and Aziz,
 * 2020).
 *
 * @remarks
 * KL = -H(p) - kappa_q mu_q^T E_p[x] - log C_d(kappa_q), with E_p[x] = m mu_p,
 * m = (alpha - beta) / (alpha + beta) = kappa_p / (kappa_p + d - 1), and log C_d the vMF log
 * normalizer. Written as
 * KL = KL(p || U) - KL(q || U) + kappa_q (A_d(kappa_q) - m) + kappa_q m |mu_p - mu_q|^2 / 2, with U
 * the uniform distribution on the sphere, A_d(kappa_q) = |E_q[x]| and 1 - mu_q^T mu_p =
 * |mu_p - mu_q|^2 / 2 for unit vectors (nearly aligned directions do not cancel). Taken through the
 * two divergences to U (each accurate as kappa -> 0) rather than through -H(p) - log C_d(kappa_q),
 * whose terms of size log|S^{d-1}| (some 2600 at d = 1000) cancelled to divergences of 1e-10 and
 * even gave negative values. For very large kappa_q (>~1e4) A_d(kappa_q) - m is a difference of
 * numbers near 1 (absolute error ~ 1e-7 kappa_q).
 *
 * @param p - the power spherical distribution
 * @param q - the von Mises-Fisher distribution
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { PowerSpherical, VonMisesFisher } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const p = new PowerSpherical({ meanDirection: [0, 0, 1], concentration: 10 });
 *   const q = new VonMisesFisher({ meanDirection: [0, 0, 1], concentration: 10 });
 *   console.log(klDivergence(p, q).dataSync()[0]); // 0.1597: similar shapes
 * });
 * ```
 */
export function klPowerSphericalVonMisesFisher(p: PowerSpherical, q: VonMisesFisher): tf.Tensor {
  return tf.tidy(() => {
    const kq = q.concentration;
    const m = tf.div(p.concentration, tf.add(p.concentration, p.dim - 1));
    const halfGap = tf.mul(0.5, tf.sum(tf.square(tf.sub(p.meanDirection, q.meanDirection)), -1));
    // A_d(kappa_q) = |E_q[x]|, read off a twin of q pointing along the first axis (q's own direction
    // would add rounding-sized gradients in mu_q to a term that does not depend on it).
    const axis = tf.reshape(tf.oneHot(tf.tensor1d([0], 'int32'), p.dim), [p.dim]);
    const twin = new VonMisesFisher({ meanDirection: axis, concentration: kq, validateArgs: false });
    const meanNormQ = tf.sum(tf.mul(twin.mean(), axis), -1);
    const uniform = new HypersphericalUniform({ dim: p.dim, validateArgs: false });
    const toUniform = tf.sub(klPowerSphericalHypersphericalUniform(p, uniform), klVonMisesFisherHypersphericalUniform(q, uniform));
    return tf.add(toUniform, tf.mul(kq, tf.add(tf.sub(meanNormQ, m), tf.mul(m, halfGap))));
  });
}
