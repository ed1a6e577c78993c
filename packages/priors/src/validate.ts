// Argument checks shared by the priors (internal: not exported from the package).
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@vae/math';

/** Throws unless `value` is an integer >= `min`. */
export function checkInteger(value: number, argument: string, min: number, context: string): void {
  if (!Number.isInteger(value) || value < min) {
    throw new InvalidArgumentError(argument, `an integer >= ${min}`, `got ${String(value)}`, context);
  }
}

/** Throws unless `value` is a finite number > 0. */
export function checkPositive(value: number, argument: string, context: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError(argument, 'a finite number > 0', `got ${String(value)}`, context);
  }
}

/** Throws unless `seed` is undefined or an integer. */
export function checkSeed(seed: number | undefined, context: string): void {
  if (seed !== undefined && !Number.isInteger(seed)) {
    throw new InvalidArgumentError('seed', 'an integer', `got ${String(seed)}`, context);
  }
}

/** log(exp(y) - 1) in float64 for y > 0, the inverse of softplus (for initial values). */
export function softplusInverse64(y: number): number {
  return y < 20 ? Math.log(Math.expm1(y)) : y + Math.log(-Math.expm1(-y));
}

/** A trainable float32 variable initialized from a tensor built by `init` (which is then freed). */
export function trainableVariable(init: () => tf.Tensor, name?: string): tf.Variable {
  const value = tf.tidy(init);
  const variable = tf.variable(value, true, name, 'float32');
  value.dispose();
  return variable;
}
