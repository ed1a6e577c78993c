import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from './errors.js';

/** Anything `@vae` functions accept where a tensor is expected: a tensor, a number or nested arrays. */
export type TensorInput = tf.Tensor | number | number[] | number[][] | number[][][] | number[][][][] | Float32Array;

/**
 * Converts an input to a float32 tensor. Tensors of another dtype are cast; float32 tensors are
 * returned as they are (not copied), so gradients flow through them.
 *
 * @param value - a tensor, number or nested array
 * @param argument - the argument's name, for the error message when the value is not numeric
 * @param context - who is asking, for the error message
 * @returns a float32 tensor of the value's shape
 *
 * @example
 * ```ts
 * import { toFloat32 } from '@vae/math';
 * const t = toFloat32([[1, 2], [3, 4]], 'x');
 * console.log(t.shape); // [2, 2]
 * t.dispose();
 * ```
 */
export function toFloat32(value: TensorInput, argument: string, context?: string): tf.Tensor {
  if (value instanceof tf.Tensor) {
    if (value.dtype === 'float32') return value;
    if (value.dtype === 'string' || value.dtype === 'complex64') {
      throw new InvalidArgumentError(argument, 'a real-valued tensor', `got dtype ${value.dtype}`, context);
    }
    return tf.cast(value, 'float32');
  }
  if (typeof value === 'number' || Array.isArray(value) || value instanceof Float32Array) {
    try {
      return tf.tensor(value as number[], undefined, 'float32');
    } catch (e) {
      throw new InvalidArgumentError(argument, 'a number, a rectangular nested array or a tensor', (e as Error).message, context);
    }
  }
  throw new InvalidArgumentError(argument, 'a number, a nested array or a tensor', `got ${typeof value}`, context);
}

/**
 * A public elementwise function of one input: `x` converted to float32, the function applied,
 * nothing else left behind.
 *
 * @remarks
 * The type of `lgamma`, `digamma`, `trigamma`, `softplus`, `log1pexp`, `log1mexp`,
 * `logSigmoid`, `log1p`, `expm1`, `ndtr` and `logNdtr`, for code that takes any of them. An input that is not numeric throws an
 * `InvalidArgumentError` naming `x` and the function.
 *
 * @param x - any real tensor or number
 * @returns a float32 tensor of the shape of `x`
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { lgamma, ndtr, softplus } from '@vae/math';
 * import type { UnaryOp } from '@vae/math';
 *
 * const ops: UnaryOp[] = [lgamma, ndtr, softplus];
 * tf.tidy(() => {
 *   console.log(ops.map((op) => op(1).arraySync())); // [0, 0.8413, 1.3133]
 * });
 * ```
 */
export type UnaryOp = (x: TensorInput) => tf.Tensor;

/**
 * The public {@link UnaryOp} `name` of an op on float32 tensors: converts `x` (naming `x` and
 * `name` in messages) and runs `op` inside one `tf.tidy`.
 * @param name - the public function's name, for messages
 * @param op - the elementwise op on a float32 tensor
 * @returns the public function
 */
export function publicUnaryOp(name: string, op: (x: tf.Tensor) => tf.Tensor): UnaryOp {
  return (x) => tf.tidy(() => op(toFloat32(x, 'x', name)));
}

/**
 * Broadcasts shapes by NumPy rules and names the offending arguments when they do not broadcast.
 *
 * @param shapes - the shapes, in argument order
 * @param names - the arguments' names, for the error message
 * @param context - who is asking, for the error message
 * @returns the broadcast shape
 *
 * @example
 * ```ts
 * import { broadcastShapes } from '@vae/math';
 * console.log(broadcastShapes([[2, 1], [3]], ['loc', 'scale'])); // [2, 3]
 * ```
 */
export function broadcastShapes(shapes: readonly (readonly number[])[], names?: readonly string[], context?: string): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out: number[] = new Array(rank).fill(1);
  const owner: number[] = new Array(rank).fill(-1);
  shapes.forEach((shape, k) => {
    for (let i = 0; i < shape.length; i++) {
      const axis = rank - shape.length + i;
      const d = shape[i];
      if (d === 1) continue;
      if (out[axis] === 1) {
        out[axis] = d;
        owner[axis] = k;
      } else if (out[axis] !== d) {
        const a = names?.[owner[axis]] ?? `argument ${owner[axis]}`;
        const b = names?.[k] ?? `argument ${k}`;
        throw new InvalidArgumentError(
          `${a} and ${b}`,
          'broadcast-compatible',
          `shapes [${shapes[owner[axis]]}] and [${shape}] differ at axis ${axis - rank} (${out[axis]} vs ${d})`,
          context,
        );
      }
    }
  });
  return out;
}

/**
 * Stops gradients: the identity in the forward pass, a zero gradient in the backward pass.
 *
 * @remarks
 * tfjs has no `stopGradient`; this is the `tf.customGrad` that gives one. Use it for score-function
 * estimators, sticking-the-landing gradients and non-reparameterized `sample`.
 *
 * @param x - any float tensor
 * @returns a tensor equal to `x`, of the same shape, through which no gradient flows
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { stopGradient } from '@vae/math';
 *
 * tf.tidy(() => {
 *   const g = tf.grad((x: tf.Tensor) => tf.add(tf.square(x), stopGradient(tf.square(x))))(tf.scalar(3));
 *   console.log(g.dataSync()[0]); // 6, not 12
 * });
 * ```
 */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = args[0] as tf.Tensor;
    return { value: tf.clone(input), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) };
  });
  return op(x) as T;
}

/**
 * Runs `fn` on `inputs` as one opaque op whose gradient is zero: for masks and other values that
 * need no gradient but are computed from tensors that do.
 *
 * @remarks
 * tfjs registers no gradient for comparisons and logical ops (Less, Equal, LogicalAnd, IsNaN,
 * ...). A mask computed from a tensor that depends on the variables of `tf.grad` (a parameter, or a
 * value drawn by `rsample`) therefore makes the whole gradient fail with "gradient function not
 * found", even when the mask only feeds the condition of `tf.where`. Ops run inside a custom
 * gradient's forward pass are not taped, so computing the mask here keeps it off the tape.
 *
 * @param fn - computes the result from the inputs
 * @param inputs - the (possibly differentiable) tensors it reads
 * @returns `fn(...inputs)`, through which no gradient flows
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { withoutGradient } from '@vae/math';
 *
 * tf.tidy(() => {
 *   // d/dx where(x > 0, x^2, 0) at x = 3 is 6; the mask alone would break tf.grad.
 *   const g = tf.grad((x: tf.Tensor) => {
 *     const positive = withoutGradient((t) => tf.greater(t, 0), x);
 *     return tf.where(positive, tf.square(x), tf.zerosLike(x));
 *   })(tf.scalar(3));
 *   console.log(g.dataSync()[0]); // 6
 * });
 * ```
 */
export function withoutGradient(fn: (...xs: tf.Tensor[]) => tf.Tensor, ...inputs: tf.Tensor[]): tf.Tensor {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xs = args.slice(0, inputs.length) as tf.Tensor[];
    // The gradient runs after the forward pass has disposed its intermediates, inputs included, so
    // it keeps only their shapes and dtypes (TensorFlow's ZerosLike reads its input's data).
    const specs = xs.map((x) => ({ shape: x.shape.slice(), dtype: x.dtype }));
    return { value: fn(...xs), gradFunc: () => specs.map(({ shape, dtype }) => tf.zeros(shape, dtype)) };
  });
  return op(...inputs);
}
