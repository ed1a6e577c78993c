// Internal: values kept off the gradient tape. Masks use `withoutGradient` of @vae/math directly.
import * as tf from '@tensorflow/tfjs-core';

/**
 * A copy of `x` unknown to the gradient tape: nothing computed from it is connected to the
 * variables of an enclosing `tf.grad` (a custom-gradient op would still link it). The copy goes
 * through the host (`dataSync`), the only public way tfjs offers; use it off the hot path.
 */
export function detached(x: tf.Tensor): tf.Tensor {
  return tf.tensor(x.dataSync(), x.shape, x.dtype);
}
