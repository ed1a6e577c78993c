// Numerical building blocks shared by the analytic pairs (internal: not exported from the package).
// Everything here is built from ordinary tfjs ops, so gradients come from autodiff; every branch
// of a `tf.where` is fed harmless stand-in values where it is not taken, so neither values nor
// gradients pick up NaN from the branch that is thrown away.
import * as tf from '@tensorflow/tfjs-core';
import { broadcastShapes, expm1, log1p, polyval, withoutGradient } from '@vae/math';

/** Masks computed off the gradient tape: `withoutGradient` of `@vae/math`. */
export const mask = withoutGradient;

/**
 * expm1(t) - t, accurate for small |t| where the difference cancels (series to t^7 for |t| < 0.1).
 * @param t - any tensor
 * @returns expm1(t) - t elementwise
 */
export function expm1MinusIdentity(t: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const small = mask((x) => tf.less(tf.abs(x), 0.1), t);
    const ts = guard(small, t, 0);
    // t^2/2! + t^3/3! + ... + t^7/7!.
    const series = tf.mul(polyval([1 / 2, 1 / 6, 1 / 24, 1 / 120, 1 / 720, 1 / 5040], ts), tf.square(ts));
    const tl = guardNot(small, t, 1);
    return tf.where(small, series, tf.sub(expm1(tl), tl));
  });
}

/**
 * `x` where `cond` holds and the constant `safe` elsewhere, broadcast to the common shape: the
 * input a branch of a `tf.where` should see.
 * @param cond - where the branch is taken
 * @param x - the real argument
 * @param safe - a value at which the branch is finite with a finite gradient
 * @returns shape broadcast(cond, x)
 */
export function guard(cond: tf.Tensor, x: tf.Tensor, safe: number): tf.Tensor {
  const shape = broadcastShapes([cond.shape, x.shape]);
  return tf.where(tf.broadcastTo(cond, shape), tf.broadcastTo(x, shape), tf.fill(shape, safe));
}

/**
 * The constant `safe` where `cond` holds and `x` elsewhere: the input of the other branch.
 * @param cond - where the branch is NOT taken
 * @param x - the real argument
 * @param safe - a value at which the branch is finite with a finite gradient
 * @returns shape broadcast(cond, x)
 */
export function guardNot(cond: tf.Tensor, x: tf.Tensor, safe: number): tf.Tensor {
  const shape = broadcastShapes([cond.shape, x.shape]);
  return tf.where(tf.broadcastTo(cond, shape), tf.fill(shape, safe), tf.broadcastTo(x, shape));
}

/**
 * `c * logValue` with the convention 0 * log 0 = 0 (also in the gradient): where c is 0 the
 * product is 0 whatever logValue is, even -Infinity.
 * @param c - the coefficient (a probability)
 * @param logValue - the logarithm it multiplies
 * @returns shape broadcast(c, logValue)
 */
export function mulLog(c: tf.Tensor, logValue: tf.Tensor): tf.Tensor {
  const shape = broadcastShapes([c.shape, logValue.shape]);
  const zero = tf.broadcastTo(mask((x) => tf.equal(x, 0), c), shape);
  const safe = tf.where(zero, tf.zeros(shape), tf.broadcastTo(logValue, shape));
  return tf.where(zero, tf.zeros(shape), tf.mul(c, safe));
}

/**
 * log1p(u) - u, accurate for small |u| where the difference cancels.
 *
 * @remarks
 * For |u| < 1/4, with t = u / (2 + u) (so log1p(u) = 2 atanh(t) and u = 2t / (1 - t)):
 * log1p(u) - u = -2t^2 / (1 - t) + 2t^3 (1/3 + t^2/5 + t^4/7 + t^6/9 + t^8/11), |t| < 1/7, no
 * cancellation; the direct difference elsewhere.
 * @param u - values > -1
 * @returns log1p(u) - u elementwise (<= 0)
 */
export function log1pMinusIdentity(u: tf.Tensor): tf.Tensor {
  const small = mask((x) => tf.less(tf.abs(x), 0.25), u);
  const us = guard(small, u, 0);
  const t = tf.div(us, tf.add(us, 2));
  const t2 = tf.square(t);
  let odd: tf.Tensor = tf.add(tf.mul(t2, 1 / 11), 1 / 9);
  for (const c of [1 / 7, 1 / 5, 1 / 3]) odd = tf.add(tf.mul(odd, t2), c);
  const series = tf.sub(tf.mul(tf.mul(2, tf.mul(t2, t)), odd), tf.div(tf.mul(2, t2), tf.sub(1, t)));
  const ul = guardNot(small, u, 1);
  return tf.where(small, series, tf.sub(log1p(ul), ul));
}

/** Shifts z = a + SHIFTS before Stirling's series is used (so z >= 6 and z + h >= 6). */
const SHIFTS = 6;

/**
 * (1 + x)^{-m} - 1 + m x, by its binomial series for |x| < 1/4 (where the direct form cancels)
 * and directly elsewhere.
 * @param x - values > -1
 * @param m - the power
 * @param small - mask of |x| < 1/4
 * @returns the bracket, shape of x
 */
function powerBracket(x: tf.Tensor, m: number, small: tf.Tensor): tf.Tensor {
  const xs = guard(small, x, 0);
  // sum_{j >= 2} C(m + j - 1, j) (-x)^j, to j = 9 (|x| < 1/4: truncation < 1e-7 relative).
  const coefficients: number[] = [];
  for (let j = 2, c = (m * (m + 1)) / 2; j <= 9; j++, c = (c * (m + j - 1)) / j) coefficients.push(j % 2 === 0 ? c : -c);
  let series: tf.Tensor = tf.fill(xs.shape, coefficients[coefficients.length - 1]);
  for (let k = coefficients.length - 2; k >= 0; k--) series = tf.add(tf.mul(series, xs), coefficients[k]);
  series = tf.mul(series, tf.square(xs));
  const xl = guardNot(small, x, 1);
  const direct = tf.add(tf.sub(tf.pow(tf.add(1, xl), -m), 1), tf.mul(m, xl));
  return tf.where(small, series, direct);
}

/**
 * R(a, h) = lgamma(a + h) - lgamma(a) - h psi(a), the remainder of the first-order Taylor
 * expansion of log Gamma, accurate to float32 relative precision for every a > 0 and a + h > 0,
 * in particular when |h| << a, where the direct difference of log-gammas cancels catastrophically.
 *
 * @remarks
 * From the product formula of Gamma, R(a, h) = sum_{k >= 0} [x_k - log1p(x_k)], x_k = h / (a + k),
 * so R(a, h) = sum_{k < 6} [x_k - log1p(x_k)] + R(z, h) with z = a + 6 (z and z + h are then >= 6).
 * With x = h / z, Stirling's series log Gamma(z) = (z - 1/2) log z - z + log(2 pi)/2 +
 * sum_k B_2k / (2k (2k-1) z^{2k-1}) and psi = (log Gamma)' give, term by term and exactly,
 * R(z, h) = z [(1 + x) log1p(x) - x] - [log1p(x) - x] / 2
 *         + sum_{k=1..3} B_2k / (2k (2k-1)) z^{1-2k} [(1 + x)^{1-2k} - 1 + (2k-1) x]
 * (truncation error below 1e-9 absolute). Every bracket is evaluated without cancellation (series in
 * x for |x| < 1/4), and every term of the first sum is non-negative, so nothing cancels at any
 * scale. No lgamma or digamma is evaluated.
 *
 * @param a - positive tensor
 * @param h - increment, a + h > 0
 * @returns R(a, h), shape broadcast(a, h), >= 0
 */
export function lgammaRemainder(a: tf.Tensor, h: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const shape = broadcastShapes([a.shape, h.shape]);
    const ab = tf.broadcastTo(a, shape);
    const hb = tf.broadcastTo(h, shape);
    let shifted: tf.Tensor = tf.zeros(shape);
    for (let k = 0; k < SHIFTS; k++) shifted = tf.sub(shifted, log1pMinusIdentity(tf.div(hb, tf.add(ab, k))));
    const z = tf.add(ab, SHIFTS);
    const x = tf.div(hb, z);
    const small = mask((t) => tf.less(tf.abs(t), 0.25), x);
    const b = log1pMinusIdentity(x); // log1p(x) - x
    // (1 + x) log1p(x) - x = x^2 + (1 + x) b near 0 (no cancellation there), directly elsewhere.
    const xs = guard(small, x, 0);
    const bs = guard(small, b, 0);
    const xl = guardNot(small, x, 1);
    const stirlingA = tf.where(small, tf.add(tf.square(xs), tf.mul(tf.add(1, xs), bs)), tf.sub(tf.mul(tf.add(1, xl), log1p(xl)), xl));
    const zInv = tf.reciprocal(z);
    const zInv2 = tf.square(zInv);
    const k1 = tf.div(tf.mul(zInv, tf.square(x)), tf.mul(12, tf.add(1, x)));
    const k2 = tf.mul(tf.mul(zInv, zInv2), tf.mul(powerBracket(x, 3, small), -1 / 360));
    const k3 = tf.mul(tf.mul(zInv, tf.square(zInv2)), tf.mul(powerBracket(x, 5, small), 1 / 1260));
    return tf.add(shifted, tf.addN([tf.mul(z, stirlingA), tf.mul(-0.5, b), k1, k2, k3]));
  });
}

/**
 * log(b / a) for positive a and b: log1p((b - a) / a) when b is within a factor 2 of a (the
 * difference b - a is then exact, so nearly equal values keep a relative accuracy), log(b) - log(a)
 * otherwise (log1p of a value near -1 would lose the digits of a tiny b / a).
 * @param b - numerator
 * @param a - denominator
 * @returns log(b / a), shape broadcast(a, b)
 */
export function logRatio(b: tf.Tensor, a: tf.Tensor): tf.Tensor {
  const close = mask((x, y) => tf.logicalAnd(tf.less(x, tf.mul(2, y)), tf.less(y, tf.mul(2, x))), b, a);
  const shape = broadcastShapes([a.shape, b.shape]);
  const bb = tf.broadcastTo(b, shape);
  const ab = tf.broadcastTo(a, shape);
  const aN = guard(close, ab, 1);
  const bN = guard(close, bb, 1);
  const near = log1p(tf.div(tf.sub(bN, aN), aN));
  const far = tf.sub(tf.log(guardNot(close, bb, 1)), tf.log(guardNot(close, ab, 1)));
  return tf.where(close, near, far);
}

/**
 * +Infinity where `outside` holds, `value` elsewhere (no gradient flows where it is infinite).
 * @param outside - where p's support is not inside q's (a mask computed with {@link mask})
 * @param value - the finite formula
 * @returns shape broadcast(outside, value)
 */
export function infiniteWhere(outside: tf.Tensor, value: tf.Tensor): tf.Tensor {
  const shape = broadcastShapes([outside.shape, value.shape]);
  const o = tf.broadcastTo(outside, shape);
  const v = tf.broadcastTo(value, shape);
  return tf.where(o, tf.fill(shape, Infinity), v);
}

/**
 * log Gamma(n / 2) for a positive integer n, in float64 by exact products (a dimension is a plain
 * number, so a float64 constant is better than a float32 lgamma).
 * @param n - positive integer
 * @returns log Gamma(n / 2)
 */
function logGammaHalfInteger(n: number): number {
  let out = n % 2 === 0 ? 0 : 0.5 * Math.log(Math.PI);
  for (let k = n % 2 === 0 ? 1 : 0.5; k < n / 2 - 0.25; k++) out += Math.log(k);
  return out;
}

/**
 * log |S^{d-1}|, the log surface area of the unit sphere in R^d, in float64.
 * @param d - ambient dimension
 * @returns log 2 + (d/2) log pi - lgamma(d/2)
 */
export function logSphereArea(d: number): number {
  return Math.log(2) + (d / 2) * Math.log(Math.PI) - logGammaHalfInteger(d);
}
