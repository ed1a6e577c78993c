import * as tf from '@tensorflow/tfjs-core';
import type { TensorInput } from '@vae/math';
import { checkFiniteValues, checkPositive } from './internal.js';
import type { SamplerOptions } from './sampler-options.js';
import { normalNoise, logisticNoise, uniformNoise } from './noise.js';
import { scalarSampler } from './scalar-parameters.js';
import type { ScalarSamplerBody } from './scalar-parameters.js';

/** The location-scale samplers' parameters: a finite location and a positive scale. */
const LOC_SCALE = [
  ['loc', checkFiniteValues],
  ['scale', checkPositive],
] as const;

/** loc + scale * noise: the one body of the location-scale samplers, which differ in their standard noise. */
function locationScale(noise: (shape: number[], seed: number) => tf.Tensor): ScalarSamplerBody<typeof LOC_SCALE> {
  return scalarSampler(LOC_SCALE, ([loc, scale], s, seed) => tf.add(loc, tf.mul(scale, noise(s, seed))));
}

// Standard Laplace noise from one uniform: a random sign times a standard exponential,
// -log(2 min(u, 1 - u)); 1 - u is exact for u >= 1/2, so both tails keep full precision.
function laplaceNoise(shape: number[], seed: number): tf.Tensor {
  return tf.tidy(() => {
    const u = uniformNoise(shape, seed);
    const lower = tf.less(u, 0.5);
    const tail = tf.mul(2, tf.minimum(u, tf.sub(1, u)));
    const magnitude = tf.neg(tf.log(tail));
    return tf.where(lower, tf.neg(magnitude), magnitude);
  });
}

const normal = locationScale(normalNoise);
const laplace = locationScale(laplaceNoise);
const logistic = locationScale(logisticNoise);

/**
 * Reparameterized Normal sample: loc + scale * eps with eps ~ N(0, 1).
 *
 * @remarks
 * The sample is differentiable in loc (d/dloc = 1) and scale (d/dscale = eps).
 *
 * @param loc - mean, broadcastable to `shape`
 * @param scale - standard deviation (> 0), broadcastable to `shape`
 * @param shape - output shape (sampleShape + batchShape)
 * @param seed - optional integer seed
 * @param options - {@link SamplerOptions}
 * @returns a float32 tensor of `shape`
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { normalSample } from '@vae/samplers';
 *
 * tf.tidy(() => {
 *   const z = normalSample(tf.tensor([0, 10]), 2, [5, 2], 1);
 *   console.log(z.shape); // [5, 2]
 * });
 * ```
 */
export function normalSample(
  loc: TensorInput,
  scale: TensorInput,
  shape: readonly number[],
  seed?: number,
  options: SamplerOptions = {},
): tf.Tensor {
  return normal('normalSample', [loc, scale], shape, seed, options);
}

/**
 * Reparameterized Laplace sample: loc + scale * L with L standard Laplace.
 *
 * @remarks
 * L = S * E with S a random sign and E = -log(2 min(u, 1 - u)) standard exponential, one uniform
 * per element (the inverse CDF). Density exp(-|x - loc| / scale) / (2 scale).
 *
 * @param loc - location, broadcastable to `shape`
 * @param scale - scale (> 0), broadcastable to `shape`
 * @param shape - output shape
 * @param seed - optional integer seed
 * @param options - {@link SamplerOptions}
 * @returns a float32 tensor of `shape`
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { laplaceSample } from '@vae/samplers';
 *
 * tf.tidy(() => {
 *   const z = laplaceSample(0, 1, [3], 2);
 *   console.log(z.shape); // [3]
 * });
 * ```
 */
export function laplaceSample(
  loc: TensorInput,
  scale: TensorInput,
  shape: readonly number[],
  seed?: number,
  options: SamplerOptions = {},
): tf.Tensor {
  return laplace('laplaceSample', [loc, scale], shape, seed, options);
}

/**
 * Reparameterized logistic sample: loc + scale * (log u - log(1 - u)).
 *
 * @remarks
 * The inverse CDF of the logistic distribution, CDF sigmoid((x - loc) / scale).
 *
 * @param loc - location, broadcastable to `shape`
 * @param scale - scale (> 0), broadcastable to `shape`
 * @param shape - output shape
 * @param seed - optional integer seed
 * @param options - {@link SamplerOptions}
 * @returns a float32 tensor of `shape`
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { logisticSample } from '@vae/samplers';
 *
 * tf.tidy(() => {
 *   const z = logisticSample(1, 0.5, [2, 2], 3);
 *   console.log(z.shape); // [2, 2]
 * });
 * ```
 */
export function logisticSample(
  loc: TensorInput,
  scale: TensorInput,
  shape: readonly number[],
  seed?: number,
  options: SamplerOptions = {},
): tf.Tensor {
  return logistic('logisticSample', [loc, scale], shape, seed, options);
}
