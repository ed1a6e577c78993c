import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from './errors.js';

function unravel(index: number, shape: readonly number[]): number[] {
  const out: number[] = new Array(shape.length).fill(0);
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = index % shape[i];
    index = Math.floor(index / shape[i]);
  }
  return out;
}

/**
 * Checks every element of `value` against a predicate on plain numbers and throws an
 * {@link InvalidArgumentError} naming the argument, the constraint, the first bad value and its
 * index. NaN always fails.
 *
 * @remarks
 * Reads the tensor back synchronously (`dataSync`), which is what argument validation costs; callers
 * let users turn validation off where that matters.
 *
 * @param value - the tensor to check (not disposed)
 * @param argument - the argument's name
 * @param constraint - the constraint in words, e.g. `positive (> 0)`
 * @param predicate - true for a valid element
 * @param context - who is checking (a function or distribution name)
 * @returns nothing; throws when an element fails
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { assertElementwise } from '@vae/math';
 * const scale = tf.tensor([1, -2]);
 * try {
 *   assertElementwise(scale, 'scale', 'positive (> 0)', (s) => s > 0, 'Normal');
 * } catch (e) {
 *   console.log((e as Error).message); // 'Normal: scale must be positive (> 0); got -2 at index [1]'
 * }
 * scale.dispose();
 * ```
 */
export function assertElementwise(
  value: tf.Tensor,
  argument: string,
  constraint: string,
  predicate: (x: number) => boolean,
  context?: string,
): void {
  const data = value.dataSync() as ArrayLike<number>;
  for (let i = 0; i < data.length; i++) {
    const x = data[i];
    if (Number.isNaN(x) || !predicate(x)) {
      const at = value.rank === 0 ? '' : ` at index [${unravel(i, value.shape)}]`;
      throw new InvalidArgumentError(argument, constraint, `got ${x}${at}`, context);
    }
  }
}

/**
 * Throws unless every element is finite and not NaN; see {@link assertElementwise}.
 *
 * @param value - the tensor to check
 * @param argument - the argument's name
 * @param context - who is checking
 * @returns nothing; throws on a NaN or infinite element
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { assertFinite } from '@vae/math';
 * const x = tf.tensor([1, 2]);
 * assertFinite(x, 'x');
 * x.dispose();
 * ```
 */
export function assertFinite(value: tf.Tensor, argument: string, context?: string): void {
  assertElementwise(value, argument, 'finite', Number.isFinite, context);
}

/**
 * Throws unless every element is NaN-free (infinities allowed); see {@link assertElementwise}.
 *
 * @param value - the tensor to check
 * @param argument - the argument's name
 * @param context - who is checking
 * @returns nothing; throws on a NaN element
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { assertNotNaN } from '@vae/math';
 * const x = tf.tensor([1, -Infinity]);
 * assertNotNaN(x, 'x');
 * x.dispose();
 * ```
 */
export function assertNotNaN(value: tf.Tensor, argument: string, context?: string): void {
  assertElementwise(value, argument, 'a number (not NaN)', () => true, context);
}
