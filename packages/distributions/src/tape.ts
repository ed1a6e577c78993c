// Internal: evaluating boolean masks without putting them on the gradient tape.
import * as tf from '@tensorflow/tfjs-core';
import { withoutGradient } from '@vae/math';

/** `fn(x)` computed off the gradient tape (see `withoutGradient` in `@vae/math`). */
export function untaped(fn: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor): tf.Tensor {
  return withoutGradient(fn, x);
}

/**
 * A copy of `x` unknown to the gradient tape: nothing computed from it is connected to the
 * variables of an enclosing `tf.grad` (a custom-gradient op would still link it). The copy goes
 * through the host (`dataSync`), the only public way tfjs offers; use it off the hot path.
 */
export function detached(x: tf.Tensor): tf.Tensor {
  return tf.tensor(x.dataSync(), x.shape, x.dtype);
}
