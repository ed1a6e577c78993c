// Helpers shared by the distributions on the unit sphere (internal: not exported from the package).
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, log1p } from '@vae/math';
import { batchedMatVec } from './linalg.js';

/**
 * log Gamma(n / 2) for a positive integer n, in float64 by exact products (n/2 is an integer or a
 * half-integer, so Gamma has a closed form): JS has no lgamma and the dimension is a plain number.
 */
export function logGammaHalfInteger(n: number): number {
  let out = n % 2 === 0 ? 0 : 0.5 * Math.log(Math.PI);
  for (let k = n % 2 === 0 ? 1 : 0.5; k < n / 2 - 0.25; k++) out += Math.log(k);
  return out;
}

/** log of the surface area of the unit sphere S^{d-1} in R^d: log 2 + (d/2) log pi - lgamma(d/2). */
export function logSphereArea(d: number): number {
  return Math.log(2) + (d / 2) * Math.log(Math.PI) - logGammaHalfInteger(d);
}

/** Checks an ambient dimension: an integer >= 2. */
export function checkAmbientDimension(d: number, argument: string, context: string): void {
  if (!Number.isInteger(d) || d < 2) {
    throw new InvalidArgumentError(argument, 'an integer >= 2 (the ambient dimension d of S^{d-1} in R^d)', `got ${d}`, context);
  }
}

/**
 * mu^T x along the last axis for parameters `mu` (`B + [d]`) and values `x` (`S + B' + [d]`), shape
 * `S + broadcast(B, B')`: a batched matMul, since tfjs's CPU elementwise ops are slow whenever the
 * operands' shapes differ.
 */
export function dotLast(mu: tf.Tensor, x: tf.Tensor): tf.Tensor {
  return tf.squeeze(batchedMatVec(tf.expandDims(mu, -2), x), [-1]);
}

/**
 * The diagonal of the covariance of a rotation-symmetric law about the unit vector mu:
 * Cov = varT mu mu^T + varPerp (I - mu mu^T), so its diagonal is varT mu_i^2 + varPerp (1 - mu_i^2)
 * (not varPerp + (varT - varPerp) mu_i^2, which cancels when varT << varPerp at large concentration).
 * `varT` and `varPerp` are shaped like the batch; the result is batch + [d].
 */
export function axialVarianceDiagonal(mu: tf.Tensor, varT: tf.Tensor, varPerp: tf.Tensor): tf.Tensor {
  const mu2 = tf.square(mu);
  return tf.add(tf.mul(tf.expandDims(varT, -1), mu2), tf.mul(tf.expandDims(varPerp, -1), tf.sub(1, mu2)));
}

/**
 * log(1 + s_v(k)) with sqrt(2 pi k) e^-k I_v(k) = 1 + s_v(k), Hankel's asymptotic series
 * s_v = sum_(j = 1..terms) prod_(i <= j) -(4 v^2 - (2i - 1)^2) / (8 i k): the large-k form of the
 * Bessel function that von Mises (v = 0) and von Mises-Fisher (v = d/2 - 1) normalizers need
 * without the cancellation of log I_v(k) against k. Accurate once k is large against v^2 (each term
 * at most 1/16 of the previous for k >= 8 v^2 + 400, and below 1e-9 after 8 terms for v <= 1, k >= 50).
 */
export function logHankel(order: number, k: tf.Tensor, terms = 10): tf.Tensor {
  const m = 4 * order * order;
  let term: tf.Tensor = tf.onesLike(k);
  let sum: tf.Tensor = tf.zerosLike(k);
  for (let j = 1; j <= terms; j++) {
    term = tf.mul(term, tf.div(-(m - (2 * j - 1) ** 2) / (8 * j), k));
    sum = tf.add(sum, term);
  }
  return log1p(sum);
}
