import * as tf from '@tensorflow/tfjs-core';
import { withoutGradient } from '@vae/math';

/**
 * `f(x)` where x > 0 and a fixed value elsewhere (x <= 0 or NaN), with `f` given a safe 1 in
 * place of those entries, so neither its value nor its gradient meets log 0 or 0/0 there: the
 * masked branch's gradient is 0 times a finite number. (Internal: not exported from the package.)
 * @param x - values whose positive entries are `f`'s domain
 * @param f - the function on x > 0 (a log density, a log CDF, a moment)
 * @param elsewhere - the value where x is not positive: -Infinity for a log, 0 for a CDF, +Infinity for a moment that diverges
 * @returns f(x) where x > 0 and `elsewhere` elsewhere, the broadcast shape of `x` and `f(x)`
 */
export function onPositive(x: tf.Tensor, f: (positive: tf.Tensor) => tf.Tensor, elsewhere: number): tf.Tensor {
  const positive = withoutGradient((v) => tf.greater(v, 0), x);
  const value = f(tf.where(positive, x, tf.onesLike(x)));
  return tf.where(positive, value, tf.fill(value.shape, elsewhere));
}
