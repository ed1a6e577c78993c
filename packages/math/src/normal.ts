import * as tf from '@tensorflow/tfjs-core';
import { publicUnaryOp, toFloat32, type TensorInput, type UnaryOp } from './tensor.js';
import { HALF_LOG_TWO_PI, polyval, unaryOp } from './special-util.js';
import { log1p } from './log1p-expm1.js';

// log of Mills' ratio R(u) = Phi(-u) / phi(u) for u >= 0, written as log t + G(t) with
// t = 2 / (2 + u) in (0, 1] and G a Chebyshev series in s = 2t - 1 (max error 1e-9 over all u >= 0).
// Fitted to mpmath by test/fixtures/generate_special.py.
const MILLS_CHEBYSHEV = [
  -0.2041234842299909, 0.46744648563244673, -0.03116483373090903, -0.00817660233513922, 0.0017281297964032998, 0.00019296628143838256,
  -0.0001247183719716111, 8.305341771888211e-6, 7.127312066440263e-6, -2.0740613092905225e-6, -1.0016520119328024e-7, 1.9291750474289018e-7,
  -3.960453325415297e-8, -6.3998304855379604e-9, 5.275591040182218e-9, -9.203336224973551e-10, -2.1602393424779656e-10,
];

// Acklam's rational approximations to the normal quantile (relative error 1.15e-9 in float64).
const ACKLAM_A = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
const ACKLAM_B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572, 1];
const ACKLAM_C = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const ACKLAM_D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416, 1];
const ACKLAM_TAIL = 0.02425;
const NEWTON_BELOW = 0.3;

/** Evaluates sum c_k T_k(s) by Clenshaw's recurrence. */
function chebyshev(coefficients: readonly number[], s: tf.Tensor): tf.Tensor {
  const twoS = tf.mul(s, 2);
  let b1: tf.Tensor = tf.zerosLike(s);
  let b2: tf.Tensor = tf.zerosLike(s);
  for (let k = coefficients.length - 1; k >= 1; k--) {
    const b0 = tf.add(tf.sub(tf.mul(twoS, b1), b2), coefficients[k]);
    b2 = b1;
    b1 = b0;
  }
  return tf.add(tf.sub(tf.mul(s, b1), b2), coefficients[0]);
}

/** log of Mills' ratio Phi(-u) / phi(u), for u >= 0. */
export function logMillsRatio(u: tf.Tensor): tf.Tensor {
  const t = tf.div(2, tf.add(u, 2));
  return tf.add(tf.log(t), chebyshev(MILLS_CHEBYSHEV, tf.sub(tf.mul(t, 2), 1)));
}

/** Coefficients, in v = 1/x^2, of 1 + sum_k (-1)^k (2k-1)!! v^k (the asymptotic series of TFP's log_ndtr). */
const LOG_NDTR_ASYMPTOTIC = [1, -1, 3, -15, 105, -945];
const LOG_NDTR_ASYMPTOTIC_BELOW = -20;

/** log Phi(x) for x <= 0. */
function logNdtrLower(x: tf.Tensor): tf.Tensor {
  const halfSquare = tf.mul(0.5, tf.square(x));
  const mid = tf.sub(tf.sub(logMillsRatio(tf.neg(tf.minimum(x, 0))), halfSquare), HALF_LOG_TWO_PI);
  // Far in the tail: -x^2/2 - log(-x) - log(2 pi)/2 + log(1 - 1/x^2 + 3/x^4 - ...).
  const xa = tf.minimum(x, LOG_NDTR_ASYMPTOTIC_BELOW);
  const series = polyval(LOG_NDTR_ASYMPTOTIC, tf.reciprocal(tf.square(xa)));
  const asymptotic = tf.sub(tf.sub(tf.neg(halfSquare), tf.log(tf.neg(xa))), tf.sub(HALF_LOG_TWO_PI, tf.log(series)));
  return tf.where(tf.less(x, LOG_NDTR_ASYMPTOTIC_BELOW), asymptotic, mid);
}

export function ndtrForward(x: tf.Tensor): tf.Tensor {
  // Beyond 40 the tail underflows anyway; the clamp keeps infinities out of the splitting below.
  const u = tf.where(tf.isInf(x), tf.fill(x.shape, 40), tf.abs(x));
  // exp(-u^2/2) loses relative accuracy through the rounding of u^2; split u = h + l with h on a
  // 1/16 grid so that h^2 is exact and u^2 = h^2 + l (u + h).
  const h = tf.div(tf.round(tf.mul(u, 16)), 16);
  const rest = tf.mul(tf.sub(u, h), tf.add(u, h));
  const tail = tf.mul(tf.exp(tf.mul(-0.5, tf.square(h))), tf.exp(tf.sub(tf.sub(logMillsRatio(u), tf.mul(0.5, rest)), HALF_LOG_TWO_PI)));
  return tf.where(tf.greater(x, 0), tf.sub(1, tail), tail);
}

export function logNdtrForward(x: tf.Tensor): tf.Tensor {
  const negAbs = tf.neg(tf.abs(x));
  // For x > 0: log(1 - Phi(-x)), with Phi(-x) from ndtr (exp(log Phi(-x)) would lose 50 ulps).
  const upper = log1p(tf.neg(ndtrForward(negAbs)));
  return tf.where(tf.greater(x, 0), upper, logNdtrLower(negAbs));
}

/** Acklam's approximation for 0 < q <= 1/2, refined by one Newton step on log Phi below q = 0.3. */
function ndtriLower(q: tf.Tensor): tf.Tensor {
  const logQ = tf.log(q);
  const r = tf.sqrt(tf.mul(-2, logQ));
  const tail = tf.div(polyval([...ACKLAM_C].reverse(), r), polyval([...ACKLAM_D].reverse(), r));
  const c = tf.sub(q, 0.5);
  const c2 = tf.square(c);
  const central = tf.div(tf.mul(polyval([...ACKLAM_A].reverse(), c2), c), polyval([...ACKLAM_B].reverse(), c2));
  const inTail = tf.less(q, ACKLAM_TAIL);
  const guess = tf.where(inTail, tail, central);
  // In float32 the central rational function cancels (its coefficients reach 276) and loses up to
  // 4e-5 near q = 0.03; one Newton step on f(z) = log Phi(z) - log q, f'(z) = 1 / R(-z), restores
  // float32 accuracy. Not near the median (q >= 0.3), where the rounding of the residual would
  // swamp a small z and the rational function is accurate anyway.
  const zt = tf.minimum(guess, 0);
  const step = tf.mul(tf.sub(logNdtrLower(zt), logQ), tf.exp(logMillsRatio(tf.neg(zt))));
  const refined = tf.sub(zt, step);
  return tf.where(tf.less(q, NEWTON_BELOW), refined, guess);
}

export function ndtriForward(p: tf.Tensor): tf.Tensor {
  const upperHalf = tf.greater(p, 0.5);
  const q = tf.where(upperHalf, tf.sub(1, p), p); // exact for p >= 1/2
  const z = tf.where(tf.equal(q, 0), tf.fill(q.shape, -Infinity), ndtriLower(tf.where(tf.greater(q, 0), q, tf.onesLike(q))));
  const signed = tf.where(upperHalf, tf.neg(z), z);
  const outside = tf.logicalNot(tf.logicalAnd(tf.greaterEqual(p, 0), tf.lessEqual(p, 1))); // NaN too
  return tf.where(outside, tf.fill(p.shape, NaN), signed);
}

const ndtrOp = unaryOp(ndtrForward, (x) => tf.exp(tf.sub(tf.mul(-0.5, tf.square(x)), HALF_LOG_TWO_PI)));
// d/dx log Phi(x) = phi(x) / Phi(x): 1 / R(-x) for x <= 0, without cancellation.
const logNdtrOp = unaryOp(logNdtrForward, (x, y) =>
  tf.where(
    tf.lessEqual(x, 0),
    tf.exp(tf.neg(logMillsRatio(tf.neg(tf.minimum(x, 0))))),
    tf.exp(tf.sub(tf.sub(tf.mul(-0.5, tf.square(x)), HALF_LOG_TWO_PI), y)),
  ),
);
// d/dp ndtri(p) = 1 / phi(ndtri(p))
const ndtriOp = unaryOp(ndtriForward, (_p, z) => tf.exp(tf.add(tf.mul(0.5, tf.square(z)), HALF_LOG_TWO_PI)));

/**
 * The standard normal CDF Phi(x) = (1 + erf(x / sqrt 2)) / 2, elementwise.
 *
 * @remarks
 * For x <= 0, `Phi(x) = phi(x) R(-x)` with Mills' ratio R from a Chebyshev fit of log R (max error
 * 1e-9), and `exp(-x^2/2)` evaluated with x split so that x^2 is exact: relative accuracy holds deep
 * in the lower tail (down to the float32 underflow near x = -14). For x > 0, `1 - Phi(-x)`.
 * The gradient is the density phi(x).
 *
 * @param x - any real tensor or number
 * @returns a float32 tensor of the shape of `x`, values in [0, 1]
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { ndtr } from '@vae/math';
 *
 * tf.tidy(() => {
 *   console.log(ndtr([-10, 0, 1.96]).arraySync()); // [7.62e-24, 0.5, 0.975]
 * });
 * ```
 * @function
 */
export const ndtr: UnaryOp = publicUnaryOp('ndtr', ndtrOp);

/**
 * The log of the standard normal CDF, log Phi(x), elementwise; finite down to x = -1e3 and beyond.
 *
 * @remarks
 * For -20 <= x <= 0, `-x^2/2 - log(2 pi)/2 + log R(-x)` (R is Mills' ratio, see {@link ndtr}); below
 * -20, as TFP's `log_ndtr`, the asymptotic series
 * `-x^2/2 - log(-x) - log(2 pi)/2 + log(1 - 1/x^2 + 3/x^4 - 15/x^6 + 105/x^8 - 945/x^10)`; for x > 0,
 * `log1p(-Phi(-x))`. The gradient phi(x)/Phi(x) is evaluated as 1/R(-x) for x <= 0 (about -x in the
 * far tail), so it stays finite where phi and Phi both underflow.
 *
 * @param x - any real tensor or number
 * @returns a float32 tensor of the shape of `x`, values <= 0
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { logNdtr } from '@vae/math';
 *
 * tf.tidy(() => {
 *   console.log(logNdtr([-1000, 0, 5]).arraySync()); // [-500007.8, -0.6931, -2.87e-7]
 * });
 * ```
 * @function
 */
export const logNdtr: UnaryOp = publicUnaryOp('logNdtr', logNdtrOp);

/**
 * The standard normal quantile (inverse CDF) Phi^-1(p), elementwise.
 *
 * @remarks
 * Works on q = min(p, 1 - p) (1 - p is exact in float32 for p >= 1/2) and uses the symmetry
 * `Phi^-1(p) = -Phi^-1(1 - p)`. Acklam's rational approximations give the start; in the tails
 * (q < 0.3) one Newton step on `log Phi(z) = log q` refines it to float32 accuracy. p = 0 and
 * p = 1 give -Infinity and +Infinity; p outside [0, 1] gives NaN. The gradient is
 * `1 / phi(Phi^-1(p))`.
 *
 * @param p - probabilities, a tensor or number
 * @returns a float32 tensor of the shape of `p`
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { ndtri } from '@vae/math';
 *
 * tf.tidy(() => {
 *   console.log(ndtri([1e-30, 0.5, 0.975]).arraySync()); // [-11.464, 0, 1.96]
 * });
 * ```
 */
export function ndtri(p: TensorInput): tf.Tensor {
  return tf.tidy(() => ndtriOp(toFloat32(p, 'p', 'ndtri')));
}
