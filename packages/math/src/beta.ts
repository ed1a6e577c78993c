import * as tf from '@tensorflow/tfjs-core';
import type { TensorInput } from './tensor.js';
import { gammaOps, lgammaForward, stirlingCorrection } from './gamma.js';
import { HALF_LOG_TWO_PI, binaryOp, polyval, toFloat32Pair } from './special-util.js';
import { log1p } from './log1p-expm1.js';

const LARGE = 8;

export function logBetaForward(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const x = tf.minimum(a, b);
  const y = tf.maximum(a, b);
  const direct = tf.sub(tf.add(lgammaForward(a), lgammaForward(b)), lgammaForward(tf.add(a, b)));

  // x < 8 <= y: log Gamma(y) - log Gamma(x + y) by Stirling, where the large parts cancel exactly:
  // c(y) - c(x + y) + x (1 - log(x + y)) - (y - 1/2) log1p(x / y).
  const xs = tf.clipByValue(x, 1e-30, LARGE);
  const ys = tf.maximum(y, LARGE);
  const sumS = tf.add(xs, ys);
  const smallLarge = tf.sub(
    tf.add(tf.add(lgammaForward(xs), tf.sub(stirlingCorrection(ys), stirlingCorrection(sumS))), tf.mul(xs, tf.sub(1, tf.log(sumS)))),
    tf.mul(tf.sub(ys, 0.5), log1p(tf.div(xs, ys))),
  );

  // 8 <= x <= y: Stirling for all three terms,
  // -log(y)/2 + log(2 pi)/2 + c(x) + c(y) - c(x + y) + (x - 1/2) log(x / (x + y)) - y log1p(x / y).
  const xl = tf.maximum(x, LARGE);
  const yl = tf.maximum(y, LARGE);
  const sumL = tf.add(xl, yl);
  const corrections = tf.sub(tf.add(stirlingCorrection(xl), stirlingCorrection(yl)), stirlingCorrection(sumL));
  const largeLarge = tf.sub(
    tf.add(tf.add(tf.sub(HALF_LOG_TWO_PI, tf.mul(0.5, tf.log(yl))), corrections), tf.mul(tf.sub(xl, 0.5), tf.log(tf.div(xl, sumL)))),
    tf.mul(yl, log1p(tf.div(xl, yl))),
  );

  const useDirect = tf.logicalOr(tf.less(y, LARGE), tf.lessEqual(x, 0));
  const value = tf.where(useDirect, direct, tf.where(tf.less(x, LARGE), smallLarge, largeLarge));
  // Beta(inf, b) = 0 for b > 0.
  return tf.where(tf.logicalAnd(tf.equal(y, Infinity), tf.greater(x, 0)), tf.fill(value.shape, -Infinity), value);
}

/** sum_k B_2k / (2k z^2k), the tail of digamma's asymptotic series. */
export function digammaTail(z: tf.Tensor): tf.Tensor {
  const w = tf.reciprocal(tf.square(z));
  return tf.mul(w, polyval([1 / 12, -1 / 120, 1 / 252, -1 / 240, 1 / 132], w));
}

/** psi(a) - psi(a + c) for a > 0, c >= 0, without the cancellation of two large digammas. */
export function digammaDifference(a: tf.Tensor, c: tf.Tensor): tf.Tensor {
  const direct = tf.sub(gammaOps.digamma(a), gammaOps.digamma(tf.add(a, c)));
  const al = tf.maximum(a, LARGE);
  const sum = tf.add(al, c);
  const asymptotic = tf.add(
    tf.sub(tf.neg(log1p(tf.div(c, al))), tf.div(0.5, al)),
    tf.add(tf.div(0.5, sum), tf.sub(digammaTail(sum), digammaTail(al))),
  );
  return tf.where(tf.less(a, LARGE), direct, asymptotic);
}

const logBetaOp = binaryOp(logBetaForward, (a, b) => {
  const shape = tf.add(a, b).shape;
  const ab = tf.broadcastTo(a, shape);
  const bb = tf.broadcastTo(b, shape);
  return [digammaDifference(ab, bb), digammaDifference(bb, ab)];
});

/**
 * The log of the beta function, log B(a, b) = log Gamma(a) + log Gamma(b) - log Gamma(a + b),
 * elementwise with broadcasting; accurate when one or both arguments are huge.
 *
 * @remarks
 * As TFP's `lbeta`, with x = min(a, b), y = max(a, b): for y < 8 the three log-gammas directly; for
 * x < 8 <= y, `log Gamma(x) + c(y) - c(x+y) + x (1 - log(x+y)) - (y - 1/2) log1p(x/y)`; for x >= 8,
 * `log(2 pi)/2 - log(y)/2 + c(x) + c(y) - c(x+y) + (x - 1/2) log(x/(x+y)) - y log1p(x/y)`, where c is
 * Stirling's correction. The large terms cancel algebraically, not in float32, so
 * logBeta(1, 1e7) = -log(1e7) to float32 accuracy. Defined for a, b > 0 (0 gives +Infinity; negative
 * non-integers give log|B| through {@link lgamma}'s reflection when both are below 8). The
 * gradient is `psi(a) - psi(a + b)` and `psi(b) - psi(a + b)`, with the difference taken by the
 * asymptotic series when the smaller digamma argument is >= 8.
 *
 * @param a - first parameter, a tensor or number
 * @param b - second parameter, broadcast-compatible with `a`
 * @returns a float32 tensor of the broadcast shape of `a` and `b`
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { logBeta } from '@vae/math';
 *
 * tf.tidy(() => {
 *   console.log(logBeta([1, 0.5, 1], [1, 0.5, 1e7]).arraySync()); // [0, 1.1447, -16.1181]
 * });
 * ```
 */
export function logBeta(a: TensorInput, b: TensorInput): tf.Tensor {
  return tf.tidy(() => {
    const [ta, tb] = toFloat32Pair(a, b, ['a', 'b'], 'logBeta');
    return logBetaOp(ta, tb);
  });
}
