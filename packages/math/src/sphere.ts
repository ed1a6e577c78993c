import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from './errors.js';
import { gammaOps } from './gamma.js';
import { toFloat32, type TensorInput } from './tensor.js';
import { assertElementwise } from './validate.js';

const HALF_LOG_PI = 0.5723649429247001;

/**
 * The log of the surface area of the unit sphere S^(d-1) in R^d, elementwise.
 *
 * @remarks
 * `log(2 pi^(d/2) / Gamma(d/2)) = log 2 + (d/2) log(pi) - log Gamma(d/2)`. `d` is the ambient
 * dimension (d = 2: the circle, area 2 pi; d = 3: the sphere, area 4 pi) and must be a positive
 * integer; it is validated (a tensor is read back once for that). The normalizer of von Mises-Fisher
 * and Power Spherical distributions uses it. Differentiable in d through {@link lgamma}.
 *
 * @param d - the ambient dimension, a positive integer (number, array or tensor)
 * @returns a float32 tensor of the shape of `d`
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { logSphereSurfaceArea } from '@vae/math';
 *
 * tf.tidy(() => {
 *   console.log(logSphereSurfaceArea([2, 3]).arraySync()); // [1.8379, 2.5310] (log 2pi, log 4pi)
 *   try {
 *     logSphereSurfaceArea(2.5);
 *   } catch (e) {
 *     console.log((e as Error).message); // 'logSphereSurfaceArea: d must be a positive integer; got 2.5'
 *   }
 * });
 * ```
 */
export function logSphereSurfaceArea(d: TensorInput): tf.Tensor {
  const constraint = 'a positive integer';
  if (typeof d === 'number' && !(Number.isInteger(d) && d > 0)) {
    throw new InvalidArgumentError('d', constraint, `got ${d}`, 'logSphereSurfaceArea');
  }
  return tf.tidy(() => {
    const t = toFloat32(d, 'd', 'logSphereSurfaceArea');
    if (typeof d !== 'number') assertElementwise(t, 'd', constraint, (v) => Number.isInteger(v) && v > 0, 'logSphereSurfaceArea');
    const half = tf.mul(t, 0.5);
    return tf.sub(tf.add(Math.LN2, tf.mul(half, 2 * HALF_LOG_PI)), gammaOps.lgamma(half));
  });
}
