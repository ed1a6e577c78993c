// Internal: evaluating boolean masks without putting them on the gradient tape.
import * as tf from '@tensorflow/tfjs-core';

/**
 * Runs `fn(x)` as one opaque op with a zero gradient. Comparisons and logical ops (Less,
 * LogicalAnd, IsNaN, ...) have no registered gradients in tfjs, so a mask computed from a tensor
 * that depends on the variables of `tf.grad` (a parameter, or a value drawn by `rsample`) makes the
 * whole gradient fail with "gradient function not found", even when the mask only feeds the
 * condition of `tf.where`. Ops run inside a custom gradient's forward pass are not taped, so this
 * cuts the mask off the tape.
 */
export function untaped(fn: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor): tf.Tensor {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = args[0] as tf.Tensor;
    return { value: fn(input), gradFunc: () => tf.zerosLike(input) };
  });
  return op(x);
}

/**
 * A copy of `x` unknown to the gradient tape: nothing computed from it is connected to the
 * variables of an enclosing `tf.grad` (a custom-gradient op would still link it). The copy goes
 * through the host (`dataSync`), the only public way tfjs offers; use it off the hot path.
 */
export function detached(x: tf.Tensor): tf.Tensor {
  return tf.tensor(x.dataSync(), x.shape, x.dtype);
}
