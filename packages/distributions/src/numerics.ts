// Internal numerics shared by the vector families (not exported from the package).
import * as tf from '@tensorflow/tfjs-core';

/**
 * log(1 + x), accurate on every backend. tfjs-wasm's Log1p kernel evaluates log(1 + x), which
 * returns 0 for x = 1e-8 and loses all relative accuracy as x -> 0. Goldberg's trick recovers it:
 * with u = fl(1 + x), log1p(x) = log(u) * x / (u - 1) (and x when u = 1), accurate to a few ulps.
 * The gradient is 1 / (1 + x), given explicitly because differentiating the trick amplifies the
 * rounding of u.
 */
export const robustLog1p: (x: tf.Tensor) => tf.Tensor = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor;
  const save = args[1] as tf.GradSaveFunc;
  save([x]);
  const u = tf.add(1, x);
  const exact = tf.equal(u, 1);
  const denominator = tf.where(exact, tf.onesLike(u), tf.sub(u, 1));
  const value = tf.where(exact, x, tf.div(tf.mul(tf.log(u), x), denominator));
  return { value, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.div(dy, tf.add(1, saved[0])) };
}) as (x: tf.Tensor) => tf.Tensor;
