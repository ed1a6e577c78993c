import * as tf from '@tensorflow/tfjs-core';
import { withoutGradient } from '@vae/math';

/**
 * A function of a probability p computed from the nearer tail: `lower(min(p, 1/2))` for
 * p <= 1/2 and `upper(1 - max(p, 1/2))` above. An inverse CDF near p = 1 loses its digits in
 * 1 - p unless it is written in terms of the upper tail q = 1 - p; each branch gets an argument
 * clamped to its own half, so the branch not taken never meets the other tail's pole and its
 * gradient stays finite (0 times a finite number). (Internal: not exported from the package.)
 * @param p - probabilities in [0, 1]
 * @param lower - the function of p on [0, 1/2]
 * @param upper - the same function written in q = 1 - p, on [0, 1/2]
 * @returns `lower` or `upper` at each entry, the broadcast shape of their results
 */
export function fromNearerTail(p: tf.Tensor, lower: (p: tf.Tensor) => tf.Tensor, upper: (q: tf.Tensor) => tf.Tensor): tf.Tensor {
  const upperHalf = withoutGradient((v) => tf.greater(v, 0.5), p);
  return tf.where(upperHalf, upper(tf.sub(1, tf.maximum(p, 0.5))), lower(tf.minimum(p, 0.5)));
}
