import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, log1p } from '@vae/math';
import { checkShape, UNIFORM_MAX, UNIFORM_MIN } from './internal.js';
import { resolveSeed, tfjsSeed } from './seed.js';

// Internal versions take an already resolved seed and do no validation; samplers use these.

/** Standard normal noise of `shape` from an integer seed. */
export function normalNoise(shape: readonly number[], seed: number): tf.Tensor {
  return tf.randomNormal(shape.slice(), 0, 1, 'float32', tfjsSeed(seed));
}

/**
 * U(0, 1) noise, never exactly 0 or 1: tfjs's generator can return 0 (probability 2^-32) and a
 * double just below 1 rounds to 1 in float32, so both ends are clamped.
 */
export function uniformNoise(shape: readonly number[], seed: number): tf.Tensor {
  return tf.tidy(() => tf.clipByValue(tf.randomUniform(shape.slice(), 0, 1, 'float32', tfjsSeed(seed)), UNIFORM_MIN, UNIFORM_MAX));
}

/** Standard Gumbel noise, -log(E) with E = -log(1 - U) standard exponential. */
export function gumbelNoise(shape: readonly number[], seed: number): tf.Tensor {
  return tf.tidy(() => tf.neg(tf.log(tf.neg(log1p(tf.neg(uniformNoise(shape, seed)))))));
}

/** Standard logistic noise, log(U) - log(1 - U). */
export function logisticNoise(shape: readonly number[], seed: number): tf.Tensor {
  return tf.tidy(() => {
    const u = uniformNoise(shape, seed);
    // Only beside log(u) (see the logit in @vae/distributions): the plain kernel's error is below
    // the rounding of log(u), and this noise feeds every relaxed Bernoulli sample.
    return tf.sub(tf.log(u), tf.log1p(tf.neg(u)));
  });
}

/**
 * Standard normal noise.
 *
 * @remarks
 * Drawn by tfjs's `randomNormal` (Marsaglia's polar method on the alea generator), which runs in
 * JavaScript whatever the backend, so a seed gives the same numbers on cpu and wasm.
 *
 * @param shape - the output shape (non-negative integers)
 * @param seed - optional integer seed; omitted means random
 * @returns a float32 tensor of `shape`, i.i.d. N(0, 1)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { standardNormal } from '@vae/samplers';
 *
 * tf.tidy(() => {
 *   const eps = standardNormal([2, 3], 1);
 *   console.log(eps.shape); // [2, 3]
 * });
 * ```
 */
export function standardNormal(shape: readonly number[], seed?: number): tf.Tensor {
  const s = checkShape(shape, 'standardNormal');
  const resolved = resolveSeed(seed);
  return normalNoise(s, resolved);
}

/**
 * Uniform noise on the open interval (low, high).
 *
 * @remarks
 * For the default (0, 1) the values are guaranteed to lie strictly inside: they are clamped to
 * [2^-32, 1 - 2^-24], so -log(u) and -log(1 - u) are finite (at most 22.2 and 16.6). The result is
 * low + (high - low) u.
 *
 * @param shape - the output shape
 * @param seed - optional integer seed
 * @param low - lower end (default 0)
 * @param high - upper end (default 1), greater than `low`
 * @returns a float32 tensor of `shape`, i.i.d. U(low, high)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { uniform } from '@vae/samplers';
 *
 * tf.tidy(() => {
 *   const u = uniform([1000], 3);
 *   console.log(tf.min(u).dataSync()[0] > 0); // true
 * });
 * ```
 */
export function uniform(shape: readonly number[], seed?: number, low = 0, high = 1): tf.Tensor {
  const s = checkShape(shape, 'uniform');
  if (!Number.isFinite(low)) throw new InvalidArgumentError('low', 'finite', `got ${low}`, 'uniform');
  if (!Number.isFinite(high) || !(high > low))
    throw new InvalidArgumentError('high', 'finite and greater than low', `got ${high} (low = ${low})`, 'uniform');
  const resolved = resolveSeed(seed);
  if (low === 0 && high === 1) return uniformNoise(s, resolved);
  return tf.tidy(() => tf.add(low, tf.mul(high - low, uniformNoise(s, resolved))));
}

/**
 * Standard Gumbel noise.
 *
 * @remarks
 * G = -log(E) with E = -log1p(-U) a standard exponential; the log1p keeps the upper tail (small
 * E) accurate. CDF exp(-exp(-g)), mean the Euler-Mascheroni constant, variance pi^2 / 6.
 *
 * @param shape - the output shape
 * @param seed - optional integer seed
 * @returns a float32 tensor of `shape`, i.i.d. Gumbel(0, 1), always finite
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { gumbel } from '@vae/samplers';
 *
 * tf.tidy(() => {
 *   const g = gumbel([4], 5);
 *   console.log(g.shape); // [4]
 * });
 * ```
 */
export function gumbel(shape: readonly number[], seed?: number): tf.Tensor {
  const s = checkShape(shape, 'gumbel');
  return gumbelNoise(s, resolveSeed(seed));
}
