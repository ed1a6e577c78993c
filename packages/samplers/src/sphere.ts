import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@vae/math';
import type { TensorInput } from '@vae/math';
import { standardGammaLogDevice } from './gamma.js';
import {
  assembleOnSphere,
  checkDimension,
  checkPositive,
  checkUnitVectors,
  scalarParameter,
  scaleRows,
  sizeOf,
  vectorParameter,
} from './internal.js';
import { validates } from './sampler-options.js';
import type { SamplerOptions } from './sampler-options.js';
import { normalNoise } from './noise.js';
import { splitSeed } from './seed.js';
import { sampleFrame } from './scalar-parameters.js';

/** Uniform points on S^(dim-1): normalized standard normal vectors along a new last axis. */
export function uniformSphereNoise(dim: number, shape: readonly number[], seed: number): tf.Tensor {
  return tf.tidy(() => {
    const n = sizeOf(shape);
    const x = tf.reshape(normalNoise([...shape, dim], seed), [n, dim]);
    // A Gaussian vector is 0 with probability 0, but float32 can round a short one to a tiny norm.
    const inverseNorm = tf.div(1, tf.maximum(tf.sqrt(tf.sum(tf.square(x), -1, true)), 1e-30));
    return tf.reshape(scaleRows(x, inverseNorm), [...shape, dim]);
  });
}

/**
 * Uniform sample on the unit sphere S^(dim-1) in R^dim.
 *
 * @remarks
 * x / |x| with x ~ N(0, I_dim): the Gaussian is rotation invariant, so its direction is uniform.
 * dim = 1 gives the two points {-1, +1} with probability 1/2 each.
 *
 * @param dim - ambient dimension (an integer >= 1)
 * @param shape - output leading shape (sampleShape + batchShape)
 * @param seed - optional integer seed
 * @returns a float32 tensor of `shape` + [dim] with unit rows
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { uniformSphereSample } from '@vae/samplers';
 *
 * tf.tidy(() => {
 *   const x = uniformSphereSample(3, [4], 1);
 *   console.log(x.shape); // [4, 3]
 * });
 * ```
 */
export function uniformSphereSample(dim: number, shape: readonly number[], seed?: number): tf.Tensor {
  const context = 'uniformSphereSample';
  checkDimension(dim, 'dim', 1, context);
  return sampleFrame(context, shape, seed, (s, resolved) => uniformSphereNoise(dim, s, resolved));
}

/** Checks and converts the (meanDirection, concentration) pair of the spherical samplers. */
export function sphericalParameters(
  meanDirection: TensorInput,
  concentration: TensorInput,
  shape: number[],
  context: string,
  validate: boolean,
): SphericalParameters {
  const { tensor: mu, size: d } = vectorParameter(meanDirection, 'meanDirection', shape, context);
  if (d < 2) throw new InvalidArgumentError('meanDirection', 'a vector of dimension d >= 2 (its last axis)', `got d = ${d}`, context);
  const kappa = scalarParameter(concentration, 'concentration', shape, context);
  checkPositive(kappa, 'concentration', context, validate);
  if (validate) {
    const bad = tf.tidy(() => tf.any(tf.logicalNot(tf.isFinite(kappa))).dataSync()[0]);
    if (bad) throw new InvalidArgumentError('concentration', 'finite', 'got Infinity', context);
  }
  checkUnitVectors(mu, 'meanDirection', context, validate);
  return { mu, kappa, d };
}

/**
 * A directional sampler: draws of `shape` from a law on the unit sphere S^(d-1) with mean direction
 * `meanDirection` and concentration `concentration`.
 *
 * @remarks
 * The type of {@link powerSphericalSample} and {@link vonMisesFisherSample} (`R` = `tf.Tensor`),
 * and of {@link vonMisesFisherSampleWithCorrection} (`R` its result), for code that takes a
 * directional sampler. The mean directions must be unit vectors of dimension d >= 2 and the
 * concentration finite and > 0 unless `options.validateArgs` is false.
 *
 * @typeParam R - what a call returns
 * @param meanDirection - unit vectors mu, shape batchShape + [d] (d >= 2) with leading axes
 *   broadcastable to `shape`
 * @param concentration - kappa (> 0), broadcastable to `shape`
 * @param shape - output leading shape (sampleShape + batchShape)
 * @param seed - optional integer seed
 * @param options - {@link SamplerOptions}
 * @returns a float32 tensor of `shape` + [d] with unit rows (or `R`)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { powerSphericalSample, vonMisesFisherSample } from '@vae/samplers';
 * import type { DirectionalSampler } from '@vae/samplers';
 *
 * const samplers: DirectionalSampler[] = [powerSphericalSample, vonMisesFisherSample];
 * tf.tidy(() => {
 *   console.log(samplers.map((sample) => sample(tf.tensor([0, 0, 1]), 10, [5], 1).shape)); // [[5, 3], [5, 3]]
 * });
 * ```
 */
export type DirectionalSampler<R = tf.Tensor> = (
  meanDirection: TensorInput,
  concentration: TensorInput,
  shape: readonly number[],
  seed?: number,
  options?: SamplerOptions,
) => R;

/** The checked parameters of a directional sampler: unit vectors mu of dimension d and kappa. */
export interface SphericalParameters {
  mu: tf.Tensor;
  kappa: tf.Tensor;
  d: number;
}

/**
 * The directional sampler `context`: checks the shape and seed, then inside one `tf.tidy` the
 * (meanDirection, concentration) pair ({@link sphericalParameters}), and returns what `draw` makes
 * of them.
 */
export function directionalSampler<R extends tf.TensorContainer>(
  context: string,
  draw: (parameters: SphericalParameters, shape: number[], seed: number) => R,
): DirectionalSampler<R> {
  return (meanDirection, concentration, shape, seed, options = {}) =>
    sampleFrame(context, shape, seed, (s, resolved) =>
      draw(sphericalParameters(meanDirection, concentration, s, context, validates(options)), s, resolved),
    );
}

/**
 * Reparameterized Power Spherical sample (De Cao and Aziz 2020) on S^(d-1).
 *
 * @remarks
 * Density proportional to (1 + mu^T x)^kappa. With alpha = (d - 1)/2 + kappa and beta = (d - 1)/2:
 * Z ~ Beta(alpha, beta), t = 2 Z - 1, v uniform on S^(d-2), y = [t, sqrt(1 - t^2) v], and the
 * sample is an orthogonal (Householder-type) map of y taking e1 to mu. No rejection: the only
 * dependence on kappa is through the Beta sample, whose implicit gradient (two Gammas) carries it;
 * the dependence on mu is through the reflection. Z is kept as log X - log Y of its two Gammas,
 * so t = tanh((log X - log Y) / 2) and sqrt(1 - t^2) = 2 exp(-(softplus(delta) + softplus(-delta))/2)
 * stay accurate when t is within float32 rounding of 1 (kappa = 1e5). E[t] = (alpha - beta) /
 * (alpha + beta).
 *
 * @param meanDirection - unit vectors, shape batchShape + [d] (d >= 2) with leading axes
 *   broadcastable to `shape`
 * @param concentration - kappa (> 0), broadcastable to `shape`
 * @param shape - output leading shape (sampleShape + batchShape)
 * @param seed - optional integer seed
 * @param options - {@link SamplerOptions}
 * @returns a float32 tensor of `shape` + [d] with unit rows
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { powerSphericalSample } from '@vae/samplers';
 *
 * tf.tidy(() => {
 *   const z = powerSphericalSample(tf.tensor([0, 0, 1]), 10, [100], 1);
 *   console.log(z.shape); // [100, 3]
 * });
 * ```
 * @function
 */
export const powerSphericalSample: DirectionalSampler = directionalSampler('powerSphericalSample', ({ mu, kappa, d }, s, resolved) => {
  const [seedBeta, seedTangent] = splitSeed(resolved, 2);
  const half = (d - 1) / 2;
  // The Beta(kappa + half, half) marginal as X / (X + Y), both gammas drawn on the device (no
  // read-back; X's implicit gradient by the GammaLogSampleGrad kernel where the backend has it).
  const [seedX, seedY] = splitSeed(seedBeta, 2);
  const logX = standardGammaLogDevice(tf.broadcastTo(tf.add(kappa, half), s), seedX);
  const logY = standardGammaLogDevice(tf.fill(s, half), seedY);
  const delta = tf.sub(logX, logY);
  const t = tf.tanh(tf.mul(0.5, delta));
  // sqrt(1 - t^2) = 2 sqrt(Z (1 - Z)) = 2 exp(-(softplus(-delta) + softplus(delta)) / 2)
  const radial = tf.mul(2, tf.exp(tf.mul(-0.5, tf.add(tf.softplus(delta), tf.softplus(tf.neg(delta))))));
  return assembleOnSphere(t, radial, mu, normalNoise([...s, d - 1], seedTangent));
});
