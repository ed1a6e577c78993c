import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, toFloat32 } from '@vae/math';
import type { TensorInput } from '@vae/math';
import { standardNormal } from '@vae/samplers';

/**
 * A trainable float32 variable for a flow layer: the given initial value, or N(0, stddev^2) noise
 * drawn from `seed` (seed 0 included) when none is given.
 * @param initial - the initial value, or undefined for seeded noise
 * @param shape - the variable's shape; a given value must have it
 * @param stddev - the noise's standard deviation
 * @param seed - the noise's seed
 * @param argument - the parameter's name, for error messages
 * @param context - the bijector's name, for error messages
 * @returns a new `tf.Variable` the caller owns
 */
export function flowVariable(
  initial: TensorInput | undefined,
  shape: number[],
  stddev: number,
  seed: number | undefined,
  argument: string,
  context: string,
): tf.Variable {
  const value = tf.tidy(() => {
    if (initial === undefined) return tf.mul(standardNormal(shape, seed), stddev);
    const t = toFloat32(initial, argument, context);
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw new InvalidArgumentError(argument, `of shape [${shape}]`, `got shape [${t.shape}]`, context);
    }
    const finite = tf.all(tf.isFinite(t)).dataSync()[0];
    if (!finite) throw new InvalidArgumentError(argument, 'finite', 'it has NaN or infinite entries', context);
    return tf.clone(t);
  });
  const variable = tf.variable(value, true, undefined, 'float32');
  value.dispose();
  return variable;
}

/**
 * Checks a flow layer's dimension.
 * @param value - the dimension
 * @param argument - its name
 * @param min - its least allowed value
 * @param context - the bijector's name
 * @returns the dimension
 */
export function checkDimension(value: unknown, argument: string, min: number, context: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new InvalidArgumentError(argument, `an integer >= ${min}`, `got ${String(value)}`, context);
  }
  return value;
}
