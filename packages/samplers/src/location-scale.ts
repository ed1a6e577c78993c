import * as tf from '@tensorflow/tfjs-core';
import type { TensorInput } from '@vae/math';
import { checkFiniteValues, checkPositive } from './internal.js';
import type { SamplerOptions } from './sampler-options.js';
import { normalNoise, logisticNoise, uniformNoise } from './noise.js';
import { scalarPairSampler, scalarSampler } from './scalar-parameters.js';
import type { ScalarSamplerBody } from './scalar-parameters.js';

/**
 * A sampler of a location and a scale: draws of `shape` from its family at `loc` and `scale`.
 *
 * @remarks
 * The type of {@link normalSample}, {@link laplaceSample} and {@link logisticSample} (loc + scale
 * times their standard noise), for code that takes any of them. The parameters are checked (loc
 * finite, scale > 0) unless `options.validateArgs` is false.
 *
 * @param loc - location, broadcastable to `shape`
 * @param scale - scale (> 0), broadcastable to `shape`
 * @param shape - output shape (sampleShape + batchShape)
 * @param seed - optional integer seed
 * @param options - {@link SamplerOptions}
 * @returns a float32 tensor of `shape`
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { laplaceSample, logisticSample, normalSample } from '@vae/samplers';
 * import type { LocationScaleSampler } from '@vae/samplers';
 *
 * const samplers: LocationScaleSampler[] = [normalSample, laplaceSample, logisticSample];
 * tf.tidy(() => {
 *   console.log(samplers.map((sample) => sample(0, 1, [2, 3], 1).shape)); // [[2, 3], [2, 3], [2, 3]]
 * });
 * ```
 */
export type LocationScaleSampler = (
  loc: TensorInput,
  scale: TensorInput,
  shape: readonly number[],
  seed?: number,
  options?: SamplerOptions,
) => tf.Tensor;

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
 * @function
 */
export const normalSample: LocationScaleSampler = scalarPairSampler('normalSample', locationScale(normalNoise));

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
 * @function
 */
export const laplaceSample: LocationScaleSampler = scalarPairSampler('laplaceSample', locationScale(laplaceNoise));

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
 * @function
 */
export const logisticSample: LocationScaleSampler = scalarPairSampler('logisticSample', locationScale(logisticNoise));
