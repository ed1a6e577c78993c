// Internal helpers shared by the special functions; nothing here is exported from the package.
import * as tf from '@tensorflow/tfjs-core';
import { broadcastShapes, toFloat32, type TensorInput } from './tensor.js';

/** 0.5 * log(2 pi). */
export const HALF_LOG_TWO_PI = 0.9189385332046728;
/** log(pi). */
export const LOG_PI = 1.1447298858494002;

/** The signature `tf.customGrad` expects of a one-input op. */
export type UnaryGradOp = (x: tf.Tensor) => tf.Tensor;
/** The signature `tf.customGrad` expects of a two-input op. */
export type BinaryGradOp = (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

/**
 * Wraps a forward function and its derivative into a one-input `tf.customGrad` op. `derivative`
 * receives the saved input and must build its result from differentiable ops (so that higher
 * derivatives work where the derivative itself is a custom op).
 */
export function unaryOp(forward: (x: tf.Tensor) => tf.Tensor, derivative: (x: tf.Tensor, y: tf.Tensor) => tf.Tensor): UnaryGradOp {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor;
    const save = args[1] as tf.GradSaveFunc;
    const value = forward(x);
    save([x, value]);
    return { value, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, derivative(saved[0], saved[1])) };
  });
  return (x: tf.Tensor) => op(x) as tf.Tensor;
}

/**
 * Wraps a broadcasting two-input forward function and its two partial derivatives into a
 * `tf.customGrad` op; the gradients are summed back to each input's shape.
 */
export function binaryOp(
  forward: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor,
  partials: (a: tf.Tensor, b: tf.Tensor, y: tf.Tensor) => [tf.Tensor, tf.Tensor],
): BinaryGradOp {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const a = args[0] as tf.Tensor;
    const b = args[1] as tf.Tensor;
    const save = args[2] as tf.GradSaveFunc;
    const value = forward(a, b);
    save([a, b, value]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [da, db] = partials(saved[0], saved[1], saved[2]);
        return [sumToShape(tf.mul(dy, da), saved[0].shape), sumToShape(tf.mul(dy, db), saved[1].shape)];
      },
    };
  });
  return (a: tf.Tensor, b: tf.Tensor) => op(a, b) as tf.Tensor;
}

/**
 * Sums a broadcast gradient back to the shape of the input it belongs to: the reduction a
 * custom-gradient op needs when its inputs broadcast against each other.
 *
 * @remarks
 * Leading axes that `shape` lacks are summed away, and so are axes where `shape` has 1 and the
 * gradient does not; the result is reshaped to `shape`. A gradient already of that shape is
 * returned as it is.
 *
 * @param grad - the gradient, shaped like the broadcast output
 * @param shape - the shape of the input the gradient is for (it must broadcast to `grad.shape`)
 * @returns a tensor of shape `shape`
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { sumToShape } from '@vae/math';
 *
 * tf.tidy(() => {
 *   const g = tf.ones([4, 2, 3]);
 *   console.log(sumToShape(g, [1, 3]).arraySync()); // [[8, 8, 8]]
 * });
 * ```
 */
export function sumToShape(grad: tf.Tensor, shape: readonly number[]): tf.Tensor {
  if (grad.shape.length === shape.length && grad.shape.every((d, i) => d === shape[i])) return grad;
  const lead = grad.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < grad.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && grad.shape[i] !== 1)) axes.push(i);
  }
  const summed = axes.length > 0 ? tf.sum(grad, axes) : grad;
  return tf.reshape(summed, shape as number[]);
}

/** Converts two inputs to float32 and checks that their shapes broadcast, naming both on failure. */
export function toFloat32Pair(a: TensorInput, b: TensorInput, names: [string, string], context: string): [tf.Tensor, tf.Tensor] {
  const ta = toFloat32(a, names[0], context);
  const tb = toFloat32(b, names[1], context);
  broadcastShapes([ta.shape, tb.shape], names, context);
  return [ta, tb];
}

/**
 * Evaluates the polynomial sum_k coefficients[k] t^k elementwise, by Horner's rule: the building
 * block of the series and asymptotic expansions in the special functions.
 *
 * @remarks
 * Coefficients run from the constant term up (`[c0, c1, c2]` is c0 + c1 t + c2 t^2). Each partial
 * sum is freed once the next exists, so the peak memory is a few tensors of t's size whatever the
 * degree (on a [250, 1000, 784] batch each one is 784 MB, and the wasm heap stops at 4 GB).
 * Differentiable through ordinary tfjs ops.
 *
 * @param coefficients - c0, c1, ..., at least one
 * @param t - the argument
 * @returns a tensor of t's shape
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { polyval } from '@vae/math';
 *
 * tf.tidy(() => {
 *   console.log(polyval([1, -3, 2], tf.tensor([0, 1, 2])).arraySync()); // [1, 0, 3] = 1 - 3t + 2t^2
 * });
 * ```
 */
export function polyval(coefficients: readonly number[], t: tf.Tensor): tf.Tensor {
  let acc: tf.Tensor = tf.scalar(coefficients[coefficients.length - 1]);
  for (let k = coefficients.length - 2; k >= 0; k--) {
    const next = tf.tidy(() => tf.add(tf.mul(acc, t), coefficients[k]));
    acc.dispose();
    acc = next;
  }
  return acc;
}

/** r = x - round(x) in [-1/2, 1/2], exact in float32; sin(pi x) = +-sin(pi r). */
export function reducedHalfTurn(x: tf.Tensor): tf.Tensor {
  return tf.sub(x, tf.round(x));
}

// Taylor coefficients of sin(z)/z and cos(z) in z^2, enough for |z| <= pi/2 to 1e-9.
const SIN_SERIES = [1, -1 / 6, 1 / 120, -1 / 5040, 1 / 362880, -1 / 39916800, 1 / 6227020800, -1 / 1307674368000];
const COS_SERIES = [1, -1 / 2, 1 / 24, -1 / 720, 1 / 40320, -1 / 3628800, 1 / 479001600, -1 / 87178291200, 1 / 20922789888000];

/**
 * sin(pi r) for |r| <= 1/2 with full relative accuracy near r = 0 on every backend (the wasm
 * backend's `sin` is only absolutely accurate, 3e-5 relative at r = 0.007).
 */
export function sinPiReduced(r: tf.Tensor): tf.Tensor {
  const z = tf.mul(r, Math.PI);
  return tf.mul(z, polyval(SIN_SERIES, tf.square(z)));
}

/** cos(pi r) for |r| <= 1/2. */
export function cosPiReduced(r: tf.Tensor): tf.Tensor {
  return polyval(COS_SERIES, tf.square(tf.mul(r, Math.PI)));
}
