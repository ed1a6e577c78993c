import * as tf from '@tensorflow/tfjs-core';
import { log1mexp } from '@vae/math';
import type { TensorInput } from '@vae/math';
import { checkPositive, clampOpenUnit } from './internal.js';
import type { SamplerOptions } from './sampler-options.js';
import { uniformNoise } from './noise.js';
import { logAndValueSamplers, scalarPairSampler } from './scalar-parameters.js';

/**
 * A sampler of two shape parameters `a` and `b`: draws of `shape` from a Kumaraswamy(a, b) law.
 *
 * @remarks
 * The type of {@link kumaraswamySample} and {@link kumaraswamyLogSample} (which draws log x), for
 * code that takes either. Both parameters are checked (> 0) unless `options.validateArgs` is false.
 *
 * @param a - first shape parameter (> 0), broadcastable to `shape`
 * @param b - second shape parameter (> 0), broadcastable to `shape`
 * @param shape - output shape (sampleShape + batchShape)
 * @param seed - optional integer seed
 * @param options - {@link SamplerOptions}
 * @returns a float32 tensor of `shape`
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { kumaraswamyLogSample, kumaraswamySample } from '@vae/samplers';
 * import type { ShapePairSampler } from '@vae/samplers';
 *
 * const samplers: ShapePairSampler[] = [kumaraswamySample, kumaraswamyLogSample];
 * tf.tidy(() => {
 *   console.log(samplers.map((sample) => sample(2, 3, [5], 1).shape)); // [[5], [5]]
 * });
 * ```
 */
export type ShapePairSampler = (
  a: TensorInput,
  b: TensorInput,
  shape: readonly number[],
  seed?: number,
  options?: SamplerOptions,
) => tf.Tensor;

/** The bodies of kumaraswamyLogSample (log x) and kumaraswamySample (x, in [2^-126, 1 - 2^-24]). */
const kumaraswamy = logAndValueSamplers(
  [
    ['a', checkPositive],
    ['b', checkPositive],
  ],
  ([a, b], s, seed) => {
    const logU = tf.log(uniformNoise(s, seed));
    // log(u) / b underflows to -0 for huge b; keep it strictly negative so log1mexp stays finite.
    const t = tf.minimum(tf.div(logU, b), -1e-37);
    return tf.div(log1mexp(t), a);
  },
  clampOpenUnit,
);

/**
 * Log of a reparameterized Kumaraswamy sample, computed entirely in log space.
 *
 * @remarks
 * With u ~ U(0, 1) (standing for 1 - u, which has the same law), log x = log1mexp(log(u) / b) / a
 * with `log1mexp` from `@vae/math` (log(1 - e^t), Maechler's switch between log(-expm1(t)) and
 * log1p(-e^t) at t = -log 2). Useful when x is within float32 rounding of 0 (a tiny a) or when log x is
 * what the caller needs.
 *
 * @param a - first shape parameter (> 0), broadcastable to `shape`
 * @param b - second shape parameter (> 0), broadcastable to `shape`
 * @param shape - output shape (sampleShape + batchShape)
 * @param seed - optional integer seed
 * @param options - {@link SamplerOptions}
 * @returns a float32 tensor of `shape` holding log x (finite, negative)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { kumaraswamyLogSample } from '@vae/samplers';
 *
 * tf.tidy(() => {
 *   const logX = kumaraswamyLogSample(1e-3, 1, [3], 1);
 *   console.log(tf.max(logX).dataSync()[0] < 0); // true
 * });
 * ```
 * @function
 */
export const kumaraswamyLogSample: ShapePairSampler = scalarPairSampler('kumaraswamyLogSample', kumaraswamy.log);

/**
 * Reparameterized Kumaraswamy(a, b) sample by the inverse CDF, x = (1 - (1 - u)^(1/b))^(1/a).
 *
 * @remarks
 * CDF F(x) = 1 - (1 - x^a)^b on (0, 1). The sample is exp of {@link kumaraswamyLogSample}, so it
 * is accurate for tiny and huge a and b; it is then clamped to [2^-126, 1 - 2^-24] so it stays in
 * the open interval (0, 1) in float32 (the clamp only acts where float32 cannot tell x from 0 or 1,
 * and there the gradient is zero). Gradients flow to a and b.
 *
 * @param a - first shape parameter (> 0), broadcastable to `shape`
 * @param b - second shape parameter (> 0), broadcastable to `shape`
 * @param shape - output shape (sampleShape + batchShape)
 * @param seed - optional integer seed
 * @param options - {@link SamplerOptions}
 * @returns a float32 tensor of `shape` with values in (0, 1)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { kumaraswamySample } from '@vae/samplers';
 *
 * tf.tidy(() => {
 *   const x = kumaraswamySample(2, 3, [5], 1);
 *   console.log(x.shape); // [5]
 * });
 * ```
 * @function
 */
export const kumaraswamySample: ShapePairSampler = scalarPairSampler('kumaraswamySample', kumaraswamy.value);
