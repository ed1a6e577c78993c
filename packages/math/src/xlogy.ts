import * as tf from '@tensorflow/tfjs-core';
import type { TensorInput } from './tensor.js';
import { binaryOp, toFloat32Pair } from './special-util.js';
import { log1p } from './log1p-expm1.js';

function xlogyForward(x: tf.Tensor, y: tf.Tensor): tf.Tensor {
  const value = tf.mul(x, tf.log(y));
  return tf.where(tf.equal(x, 0), tf.zerosLike(value), value);
}

function xlog1pyForward(x: tf.Tensor, y: tf.Tensor): tf.Tensor {
  const value = tf.mul(x, log1p(y));
  return tf.where(tf.equal(x, 0), tf.zerosLike(value), value);
}

// Where x == 0 both partials are 0 (as in TensorFlow), so log(0) never meets a zero weight.
function guarded(x: tf.Tensor, value: tf.Tensor): tf.Tensor {
  return tf.where(tf.equal(x, 0), tf.zerosLike(value), value);
}

const xlogyOp = binaryOp(xlogyForward, (x, y, out) => [
  guarded(x, tf.add(tf.log(y), tf.zerosLike(out))),
  guarded(tf.add(x, tf.zerosLike(out)), tf.div(x, y)),
]);

const xlog1pyOp = binaryOp(xlog1pyForward, (x, y, out) => [
  guarded(x, tf.add(log1p(y), tf.zerosLike(out))),
  guarded(tf.add(x, tf.zerosLike(out)), tf.div(x, tf.add(y, 1))),
]);

/**
 * x * log(y), elementwise with broadcasting, defined as 0 wherever x == 0 (even for y = 0).
 *
 * @remarks
 * The convention `0 log 0 = 0` of entropies and log-likelihoods. The gradient is `log(y)` in x and
 * `x / y` in y, both 0 where x == 0 (as TensorFlow's `xlogy`), so a zero weight never produces NaN.
 *
 * @param x - the weight, a tensor or number
 * @param y - the argument of the log, broadcast-compatible with `x`
 * @returns a float32 tensor of the broadcast shape of `x` and `y`
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { xlogy } from '@vae/math';
 *
 * tf.tidy(() => {
 *   console.log(xlogy([0, 2], [0, Math.E]).arraySync()); // [0, 2]
 * });
 * ```
 */
export function xlogy(x: TensorInput, y: TensorInput): tf.Tensor {
  return tf.tidy(() => {
    const [tx, ty] = toFloat32Pair(x, y, ['x', 'y'], 'xlogy');
    return xlogyOp(tx, ty);
  });
}

/**
 * x * log(1 + y), elementwise with broadcasting, defined as 0 wherever x == 0 (even for y = -1).
 *
 * @remarks
 * Uses `log1p`, accurate for small y. The gradient is `log1p(y)` in x and `x / (1 + y)` in y, both
 * 0 where x == 0.
 *
 * @param x - the weight, a tensor or number
 * @param y - the argument of log1p, broadcast-compatible with `x`
 * @returns a float32 tensor of the broadcast shape of `x` and `y`
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { xlog1py } from '@vae/math';
 *
 * tf.tidy(() => {
 *   console.log(xlog1py([0, 3], [-1, 1e-8]).arraySync()); // [0, 3e-8]
 * });
 * ```
 */
export function xlog1py(x: TensorInput, y: TensorInput): tf.Tensor {
  return tf.tidy(() => {
    const [tx, ty] = toFloat32Pair(x, y, ['x', 'y'], 'xlog1py');
    return xlog1pyOp(tx, ty);
  });
}
