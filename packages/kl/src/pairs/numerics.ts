// Numerical building blocks shared by the analytic pairs (internal: not exported from the package).
// Everything here is built from ordinary tfjs ops, so gradients come from autodiff; every branch
// of a `tf.where` is fed harmless stand-in values where it is not taken, so neither values nor
// gradients pick up NaN from the branch that is thrown away.
import * as tf from '@tensorflow/tfjs-core';
import { broadcastShapes, digamma, expm1, lgamma, log1p, polyval, sphericalTerm, withoutGradient } from '@vae/math';
import type { SphericalFamily } from '@vae/math';

/**
 * expm1(t) - t, accurate for small |t| where the difference cancels (series to t^7 for |t| < 0.1).
 * @param t - any tensor
 * @returns expm1(t) - t elementwise
 */
export function expm1MinusIdentity(t: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const small = withoutGradient((x) => tf.less(tf.abs(x), 0.1), t);
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
  const zero = tf.broadcastTo(
    withoutGradient((x) => tf.equal(x, 0), c),
    shape,
  );
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
  const small = withoutGradient((x) => tf.less(tf.abs(x), 0.25), u);
  const us = guard(small, u, 0);
  const t = tf.div(us, tf.add(us, 2));
  const t2 = tf.square(t);
  let odd: tf.Tensor = tf.add(tf.mul(t2, 1 / 11), 1 / 9);
  for (const c of [1 / 7, 1 / 5, 1 / 3]) odd = tf.add(tf.mul(odd, t2), c);
  const series = tf.sub(tf.mul(tf.mul(2, tf.mul(t2, t)), odd), tf.div(tf.mul(2, t2), tf.sub(1, t)));
  const ul = guardNot(small, u, 1);
  return tf.where(small, series, tf.sub(log1p(ul), ul));
}

/**
 * log1p(u) - u where 1 + u = num / den is also known as the ratio of two positive numbers: where
 * num < den / 2, 1 + u formed in float32 would keep only the digits of num / den that survive
 * rounding next to 1 (none at all once num / den < 6e-8), so the logarithm is taken of the ratio
 * itself, log(num) - log(den).
 * @param u - num / den - 1
 * @param num - positive numerator
 * @param den - positive denominator
 * @returns log(num / den) - u, shape broadcast(u, num, den)
 */
export function logRatioMinusIdentity(u: tf.Tensor, num: tf.Tensor, den: tf.Tensor): tf.Tensor {
  const far = withoutGradient((n, d) => tf.less(tf.mul(2, n), d), num, den);
  const shape = broadcastShapes([u.shape, far.shape]);
  const ub = tf.broadcastTo(u, shape);
  const farB = tf.broadcastTo(far, shape);
  const near = log1pMinusIdentity(guardNot(farB, ub, 0));
  const logRatioFar = tf.sub(tf.log(guard(farB, num, 1)), tf.log(guard(farB, den, 1)));
  return tf.where(farB, tf.sub(logRatioFar, ub), near);
}

/** Shifts z = a + SHIFTS before Stirling's series is used (so z >= 6 and z + h >= 6). */
const SHIFTS = 6;

/**
 * r^{-m} - 1 + m x with r = 1 + x, by its binomial series in x for |x| < 1/4 (where the direct form
 * cancels) and directly from the ratio r elsewhere (r keeps its digits when it is tiny; 1 + x
 * would not).
 * @param x - values > -1
 * @param r - 1 + x, computed as a ratio
 * @param m - the power
 * @param small - mask of |x| < 1/4
 * @returns the bracket, shape of x
 */
function powerBracket(x: tf.Tensor, r: tf.Tensor, m: number, small: tf.Tensor): tf.Tensor {
  const xs = guard(small, x, 0);
  // sum_{j >= 2} C(m + j - 1, j) (-x)^j, to j = 9 (|x| < 1/4: truncation < 1e-7 relative).
  const coefficients: number[] = [];
  for (let j = 2, c = (m * (m + 1)) / 2; j <= 9; j++, c = (c * (m + j - 1)) / j) coefficients.push(j % 2 === 0 ? c : -c);
  let series: tf.Tensor = tf.fill(xs.shape, coefficients[coefficients.length - 1]);
  for (let k = coefficients.length - 2; k >= 0; k--) series = tf.add(tf.mul(series, xs), coefficients[k]);
  series = tf.mul(series, tf.square(xs));
  const xl = guardNot(small, x, 1);
  const rl = guardNot(small, r, 2);
  const direct = tf.add(tf.sub(tf.pow(rl, -m), 1), tf.mul(m, xl));
  return tf.where(small, series, direct);
}

/**
 * R(a, h) = lgamma(a + h) - lgamma(a) - h psi(a), the remainder of the first-order Taylor
 * expansion of log Gamma, accurate to float32 relative precision for every a > 0 and a + h > 0,
 * in particular when |h| << a, where the direct difference of log-gammas cancels catastrophically,
 * and when a + h << a, where h / a rounds towards -1.
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
 * Every 1 + x_k = (b + k) / (a + k) with b = a + h is formed as that ratio, and log1p(x_k) as
 * log(b + k) - log(a + k) once the ratio is below 1/2: when q's concentration b is far below p's
 * a, h = b - a rounds to -a in float32 and 1 + h / a keeps none of b's digits (KL(Gamma(50, 1) ||
 * Gamma(1e-6, 1)) was +Infinity, and Gamma(141730, .) || Exponential lost 2%). Pass b exactly
 * when the caller has it (it is q's own parameter in every divergence).
 *
 * @param a - positive tensor
 * @param h - increment, a + h > 0
 * @param b - a + h as the caller knows it (default: computed as a + h)
 * @returns R(a, h), shape broadcast(a, h, b), >= 0
 */
export function lgammaRemainder(a: tf.Tensor, h: tf.Tensor, b?: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const endpoint = b ?? tf.add(a, h);
    const shape = broadcastShapes([a.shape, h.shape, endpoint.shape]);
    const ab = tf.broadcastTo(a, shape);
    const hb = tf.broadcastTo(h, shape);
    const bb = tf.broadcastTo(endpoint, shape);
    let shifted: tf.Tensor = tf.zeros(shape);
    for (let k = 0; k < SHIFTS; k++) {
      const ak = tf.add(ab, k);
      shifted = tf.sub(shifted, logRatioMinusIdentity(tf.div(hb, ak), tf.add(bb, k), ak));
    }
    const z = tf.add(ab, SHIFTS);
    const w = tf.add(bb, SHIFTS);
    const x = tf.div(hb, z);
    const r = tf.div(w, z); // 1 + x, with its digits when it is tiny
    const small = withoutGradient((t) => tf.less(tf.abs(t), 0.25), x);
    // log r: from the ratio's parts where r < 1/2, log1p(x) elsewhere (never log1p(x) - x with x
    // added back, which would lose log r's digits to x's rounding when x is large).
    const far = withoutGradient((n, d) => tf.less(tf.mul(2, n), d), w, z);
    const logR = tf.where(far, tf.sub(tf.log(guard(far, w, 1)), tf.log(guard(far, z, 1))), log1p(guardNot(far, x, 0)));
    const xs = guard(small, x, 0);
    const seriesB = log1pMinusIdentity(xs);
    const logMinus = tf.where(small, seriesB, tf.sub(logR, x)); // log1p(x) - x
    // (1 + x) log1p(x) - x = x^2 + (1 + x) (log1p(x) - x) near 0 (no cancellation there), r log r - x elsewhere.
    const xl = guardNot(small, x, 1);
    const rl = guardNot(small, r, 2);
    const logRl = guardNot(small, logR, Math.log(2));
    const stirlingA = tf.where(small, tf.add(tf.square(xs), tf.mul(tf.add(1, xs), seriesB)), tf.sub(tf.mul(rl, logRl), xl));
    const zInv = tf.reciprocal(z);
    const zInv2 = tf.square(zInv);
    const k1 = tf.div(tf.mul(zInv, tf.square(x)), tf.mul(12, r));
    const k2 = tf.mul(tf.mul(zInv, zInv2), tf.mul(powerBracket(x, r, 3, small), -1 / 360));
    const k3 = tf.mul(tf.mul(zInv, tf.square(zInv2)), tf.mul(powerBracket(x, r, 5, small), 1 / 1260));
    return tf.add(shifted, tf.addN([tf.mul(z, stirlingA), tf.mul(-0.5, logMinus), k1, k2, k3]));
  });
}

/** Below this, {@link gammaEntropyExcess} evaluates its definition directly (magnitudes stay ~10). */
const EXCESS_DIRECT_BELOW = 6;

/**
 * E(a) = a psi(a) - lgamma(a) - a, the part of a log-gamma remainder that does not grow with a.
 *
 * @remarks
 * Stirling's series for lgamma and psi give, for a >= 6,
 * E(a) = log(a) / 2 - 1/2 - log(2 pi) / 2 - 1 / (6a) + 1 / (90 a^3) - 1 / (210 a^5) (truncation
 * below 1e-8); below 6 the definition itself has terms of size ~10 and loses nothing.
 * @param a - positive tensor
 * @returns E(a), same shape
 */
export function gammaEntropyExcess(a: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const large = withoutGradient((x) => tf.greaterEqual(x, EXCESS_DIRECT_BELOW), a);
    const al = guard(large, a, EXCESS_DIRECT_BELOW);
    const inv = tf.reciprocal(al);
    const inv2 = tf.square(inv);
    const tail = tf.mul(inv, polyval([-1 / 6, 1 / 90, -1 / 210], inv2));
    const series = tf.add(tf.sub(tf.mul(0.5, tf.log(al)), 0.5 + 0.5 * Math.log(2 * Math.PI)), tail);
    const as = guardNot(large, a, 1);
    const direct = tf.sub(tf.sub(tf.mul(as, digamma(as)), lgamma(as)), as);
    return tf.where(large, series, direct);
  });
}

/**
 * R(a, b - a) - a = lgamma(b) - b psi(a) + E(a), the log-gamma remainder with its leading -a
 * taken out exactly, with the sum of the magnitudes of its terms.
 *
 * @remarks
 * When b is far below a, R(a, b - a) = lgamma(b) - lgamma(a) + (a - b) psi(a) is about a, and
 * every divergence built from it cancels that a against another term of size a (a_p e^t in the
 * Gamma divergence, the other remainders in the Beta and Dirichlet ones): in float32 that costs
 * eps * a absolutely. Taking the a out symbolically leaves terms no larger than |lgamma(b)|,
 * |b psi(a)| and log a. The callers evaluate both forms and keep, per element, the one whose terms
 * are smaller (the float32 error of a sum is eps times the sum of its terms' magnitudes).
 * @param a - positive tensor
 * @param b - positive tensor
 * @returns the value and the magnitude bound, shape broadcast(a, b)
 */
export function lgammaRemainderMinusA(a: tf.Tensor, b: tf.Tensor): { value: tf.Tensor; magnitude: tf.Tensor } {
  const lgb = lgamma(b);
  const bPsi = tf.mul(b, digamma(a));
  const excess = gammaEntropyExcess(a);
  return {
    value: tf.add(tf.sub(lgb, bPsi), excess),
    magnitude: tf.addN([tf.abs(lgb), tf.abs(bPsi), tf.abs(excess)].map((t) => tf.broadcastTo(t, broadcastShapes([a.shape, b.shape])))),
  };
}

/**
 * sum_i R(a_i, b_i - a_i) - R(sum a, sum b - sum a) over the last axis (a Beta's two
 * concentrations, a Dirichlet's K): the Beta and Dirichlet divergences.
 *
 * @remarks
 * Evaluated in two exact forms: from {@link lgammaRemainder} (small terms when q is near p), and
 * from {@link lgammaRemainderMinusA}, where the sizes a_i and sum a cancel symbolically (small terms
 * when some of q's concentrations are far below p's, where the first form would cancel terms of
 * size sum a). Each batch element keeps the form whose terms have the smaller total magnitude.
 * @param a - p's concentrations, last axis the categories
 * @param b - q's concentrations, same last axis
 * @param present - a 0/1 mask over the coordinates to include (default: all)
 * @returns shape broadcast(a, b) without the last axis
 */
export function remainderDivergence(a: tf.Tensor, b: tf.Tensor, present?: tf.Tensor): tf.Tensor {
  return remainderDivergenceWithMagnitude(a, b, undefined, present).value;
}

/**
 * {@link remainderDivergence} with the total magnitude of the terms of the form it kept (its
 * float32 error is about eps times that), for callers that weigh it against another form.
 * @param a - p's concentrations, last axis the categories
 * @param b - q's concentrations, same last axis
 * @param increments - b - a where the caller knows it better than the float32 difference (sums of
 *   concentrations carry their own rounding; their increment is the sum of exact differences)
 * @param present - a 0/1 float32 mask over the coordinates to include (default: all)
 * @returns the divergence and the magnitude, each of shape broadcast(a, b) without the last axis
 */
export function remainderDivergenceWithMagnitude(
  a: tf.Tensor,
  b: tf.Tensor,
  increments?: tf.Tensor,
  present?: tf.Tensor,
): { value: tf.Tensor; magnitude: tf.Tensor } {
  return tf.tidy(() => {
    const shape = broadcastShapes([a.shape, b.shape]);
    // Coordinates outside `present` (finite there like the others) are multiplied out of every sum.
    const weight = (t: tf.Tensor) => (present === undefined ? t : tf.mul(t, present));
    const ab = tf.broadcastTo(a, shape);
    const bb = tf.broadcastTo(b, shape);
    const sa = tf.sum(weight(ab), -1);
    const sb = tf.sum(weight(bb), -1);
    // The total's increment is the sum of the coordinates' (exact differences), not sb - sa (which
    // would carry the rounding of both sums).
    const h = increments === undefined ? tf.sub(bb, ab) : tf.broadcastTo(increments, shape);
    const perCoordinate = weight(lgammaRemainder(ab, h, bb));
    const total = lgammaRemainder(sa, tf.sum(weight(h), -1), sb);
    const near = tf.sub(tf.sum(perCoordinate, -1), total);
    const nearMagnitude = tf.add(tf.sum(perCoordinate, -1), total);
    const farCoordinates = lgammaRemainderMinusA(ab, bb);
    const farTotal = lgammaRemainderMinusA(sa, sb);
    const far = tf.sub(tf.sum(weight(farCoordinates.value), -1), farTotal.value);
    const farMagnitude = tf.add(tf.sum(weight(farCoordinates.magnitude), -1), farTotal.magnitude);
    const useFar = withoutGradient((n, f) => tf.less(f, n), nearMagnitude, farMagnitude);
    return { value: tf.where(useFar, far, near), magnitude: tf.minimum(nearMagnitude, farMagnitude) };
  });
}

/**
 * psi(x) - psi(y) for positive x and y with h = x - y given exactly, to float32 relative accuracy
 * even when x and y agree to many digits (where two float32 digammas of size log x would cancel).
 *
 * @remarks
 * psi(z) = psi(z + 6) - sum_{k<6} 1 / (z + k) gives sum_{k<6} h / ((x + k)(y + k)) plus the
 * difference at X = x + 6, Y = y + 6, which Stirling's series psi(z) = log z - 1/(2z) - 1/(12z^2) +
 * 1/(120z^4) - 1/(252z^6) gives term by term as log(X / Y) (log1p(h / Y) when |h| < Y / 2) and
 * multiples of h with no cancellation: h/(2XY), h (1/X + 1/Y)/(12XY), -h (1/X + 1/Y)(1/X^2 + 1/Y^2)/(120XY)
 * and h/(252XY) sum_{i<6} X^{i-5} Y^{-i} (truncation below 1e-9 relative).
 * @param x - positive tensor
 * @param y - positive tensor
 * @param h - x - y, computed exactly by the caller
 * @returns psi(x) - psi(y), shape broadcast(x, y, h)
 */
export function digammaDifference(x: tf.Tensor, y: tf.Tensor, h: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    let shifted: tf.Tensor = tf.zerosLike(tf.add(tf.add(x, y), h));
    for (let k = 0; k < SHIFTS; k++) shifted = tf.add(shifted, tf.div(tf.div(h, tf.add(x, k)), tf.add(y, k)));
    const bigX = tf.add(x, SHIFTS);
    const bigY = tf.add(y, SHIFTS);
    const close = withoutGradient((d, yy) => tf.less(tf.abs(d), tf.mul(0.5, yy)), h, bigY);
    const logRatioXY = tf.where(
      close,
      log1p(tf.div(guard(close, h, 0), guard(close, bigY, 1))),
      tf.sub(tf.log(guardNot(close, bigX, 1)), tf.log(guardNot(close, bigY, 1))),
    );
    const iX = tf.reciprocal(bigX);
    const iY = tf.reciprocal(bigY);
    const iXY = tf.mul(iX, iY);
    const iSum = tf.add(iX, iY);
    const powers = tf.addN([0, 1, 2, 3, 4, 5].map((i) => tf.mul(tf.pow(iX, 5 - i), tf.pow(iY, i))));
    const bracket = tf.addN([
      tf.mul(0.5, iXY),
      tf.mul(tf.mul(iSum, iXY), 1 / 12),
      tf.mul(tf.mul(tf.mul(iSum, tf.add(tf.square(iX), tf.square(iY))), iXY), -1 / 120),
      tf.mul(tf.mul(powers, iXY), 1 / 252),
    ]);
    return tf.add(tf.add(logRatioXY, tf.mul(h, bracket)), shifted);
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
  const close = withoutGradient((x, y) => tf.logicalAnd(tf.less(x, tf.mul(2, y)), tf.less(y, tf.mul(2, x))), b, a);
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

/**
 * KL(p || the uniform distribution on p's sphere) for a directional p: the backend's fused term
 * where there is one (see `sphericalTerm` in `@vae/math`), else `compute(d, kappa)`, inside one tidy.
 * @param p - the directional distribution (its ambient dimension, concentrations and batch shape)
 * @param family - its family, for the fused term
 * @param compute - the KL from the dimension and the concentrations, with tfjs ops
 * @returns shape `p.batchShape`
 */
export function klToSphereUniform(
  p: { readonly dim: number; readonly concentration: tf.Tensor; readonly batchShape: number[] },
  family: SphericalFamily,
  compute: (d: number, kappa: tf.Tensor) => tf.Tensor,
): tf.Tensor {
  return tf.tidy(() => {
    const fast = sphericalTerm(family, 'kl-uniform', p.dim, p.concentration);
    if (fast) return tf.broadcastTo(fast, p.batchShape);
    return compute(p.dim, p.concentration);
  });
}
