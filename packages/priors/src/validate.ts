// Argument checks shared by the priors (internal: not exported from the package).
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
