// Float-float ("double-float") arithmetic on float32 tensors: a value is the unevaluated sum
// hi + lo of two float32 tensors, which carries about 44 significant bits. logBesselI needs it
// because log I_v(x) is the small difference of terms of size ~v (for v = 1000 near I_v(x) = 1,
// nu * eta ~ 5 comes from pieces of size ~1000), and one float32 rounding of such a piece costs
// ~1e-4 absolute, far above the 1e-6 budget. The error-free transformations (Knuth's TwoSum,
// Dekker's split and product) need correctly rounded +, -, * and /, which the cpu backend
// (float64 arithmetic rounded once to float32; 53 >= 2 * 24 + 2, so the double rounding is
// harmless) and the wasm backend (native float32) both give. Internal to @vae/math: nothing here is
// exported from the package's index. Valid for normal numbers whose error terms do not underflow
// (ffLog also takes subnormal float32 arguments).
import * as tf from '@tensorflow/tfjs-core';

/** A float-float tensor: the value is `hi + lo` with `|lo| <= ulp(hi) / 2` (internal). */
export interface FF {
  hi: tf.Tensor;
  lo: tf.Tensor;
}

/**
 * Splits a JS number (float64) into a float-float constant (internal).
 *
 * @param value - the constant
 * @returns hi = fround(value) and lo = fround(value - hi) as scalar tensors
 */
export function ffConstant(value: number): FF {
  const hi = Math.fround(value);
  return { hi: tf.scalar(hi), lo: tf.scalar(Math.fround(value - hi)) };
}

/**
 * Wraps a float32 tensor as an exact float-float value (internal).
 *
 * @param value - a float32 tensor
 * @returns `{ hi: value, lo: 0 }`
 */
export function ffFromFloat(value: tf.Tensor): FF {
  return { hi: value, lo: tf.zerosLike(value) };
}

/**
 * Knuth's TwoSum: `a + b = s + e` exactly (internal).
 *
 * @param a - float32 tensor
 * @param b - float32 tensor
 * @returns the rounded sum and its rounding error
 */
export function twoSum(a: tf.Tensor, b: tf.Tensor): FF {
  const s = tf.add(a, b);
  const bb = tf.sub(s, a);
  const e = tf.add(tf.sub(a, tf.sub(s, bb)), tf.sub(b, bb));
  return { hi: s, lo: e };
}

/** TwoSum when |a| >= |b| is known (or a = 0): three operations instead of six. */
function quickTwoSum(a: tf.Tensor, b: tf.Tensor): FF {
  const s = tf.add(a, b);
  return { hi: s, lo: tf.sub(b, tf.sub(s, a)) };
}

// Dekker's splitter for a 24-bit significand: 2^12 + 1.
const SPLITTER = 4097;

function split(a: tf.Tensor): [tf.Tensor, tf.Tensor] {
  const t = tf.mul(a, SPLITTER);
  const hi = tf.sub(t, tf.sub(t, a));
  return [hi, tf.sub(a, hi)];
}

/**
 * Dekker's TwoProduct: `a * b = p + e` exactly, barring underflow (internal).
 *
 * @param a - float32 tensor, |a| < 2^115
 * @param b - float32 tensor, |b| < 2^115
 * @returns the rounded product and its rounding error
 */
export function twoProd(a: tf.Tensor, b: tf.Tensor): FF {
  const p = tf.mul(a, b);
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  const err = tf.add(tf.add(tf.add(tf.sub(tf.mul(ah, bh), p), tf.mul(ah, bl)), tf.mul(al, bh)), tf.mul(al, bl));
  return { hi: p, lo: err };
}

/**
 * Float-float sum (internal).
 *
 * @param a - float-float
 * @param b - float-float
 * @returns a + b
 */
export function ffAdd(a: FF, b: FF): FF {
  const s = twoSum(a.hi, b.hi);
  return quickTwoSum(s.hi, tf.add(s.lo, tf.add(a.lo, b.lo)));
}

/**
 * Float-float difference (internal).
 *
 * @param a - float-float
 * @param b - float-float
 * @returns a - b
 */
export function ffSub(a: FF, b: FF): FF {
  const d = tf.sub(a.hi, b.hi);
  const bb = tf.sub(d, a.hi);
  const e = tf.sub(tf.sub(a.hi, tf.sub(d, bb)), tf.add(b.hi, bb));
  return quickTwoSum(d, tf.add(e, tf.sub(a.lo, b.lo)));
}

/**
 * Float-float plus float32 (internal).
 *
 * @param a - float-float
 * @param b - float32 tensor
 * @returns a + b
 */
export function ffAddFloat(a: FF, b: tf.Tensor): FF {
  const s = twoSum(a.hi, b);
  return quickTwoSum(s.hi, tf.add(s.lo, a.lo));
}

/**
 * Float-float product (internal).
 *
 * @param a - float-float
 * @param b - float-float
 * @returns a * b
 */
export function ffMul(a: FF, b: FF): FF {
  const p = twoProd(a.hi, b.hi);
  return quickTwoSum(p.hi, tf.add(p.lo, tf.add(tf.mul(a.hi, b.lo), tf.mul(a.lo, b.hi))));
}

/**
 * Float-float times float32 (internal).
 *
 * @param a - float-float
 * @param b - float32 tensor
 * @returns a * b
 */
export function ffMulFloat(a: FF, b: tf.Tensor): FF {
  const p = twoProd(a.hi, b);
  return quickTwoSum(p.hi, tf.add(p.lo, tf.mul(a.lo, b)));
}

/**
 * Multiplies by a power of two (exact, no rounding) (internal).
 *
 * @param a - float-float
 * @param scale - a power of two
 * @returns a * scale
 */
export function ffScale(a: FF, scale: number | tf.Tensor): FF {
  return { hi: tf.mul(a.hi, scale), lo: tf.mul(a.lo, scale) };
}

/**
 * Float-float quotient by one correction step (relative error ~2^-44) (internal).
 *
 * @param a - float-float numerator
 * @param b - float-float denominator, non-zero
 * @returns a / b
 */
export function ffDiv(a: FF, b: FF): FF {
  const q1 = tf.div(a.hi, b.hi);
  const r = ffSub(a, ffMulFloat(b, q1));
  return quickTwoSum(q1, tf.div(r.hi, b.hi));
}

/**
 * Float-float square root by one Newton step (internal).
 *
 * @param a - float-float, positive
 * @returns sqrt(a)
 */
export function ffSqrt(a: FF): FF {
  const s = tf.sqrt(a.hi);
  const r = ffSub(a, twoProd(s, s));
  return quickTwoSum(s, tf.div(r.hi, tf.mul(s, 2)));
}

// ln 2 in three parts of 15 significant bits each (Cody and Waite), so k * LN2_A and k * LN2_B are
// exact for the integers |k| < 2^9 that ffLog needs.
const LN2_A = Math.fround(Math.round(Math.LN2 * 2 ** 15) / 2 ** 15);
const LN2_B = Math.fround(Math.round((Math.LN2 - LN2_A) * 2 ** 30) / 2 ** 30);
const LN2_C = Math.fround(Math.LN2 - LN2_A - LN2_B);

// The float32 table d_j ~ 2^(-j/16), j = -8..8, and log(d_j) as float-float (computed in float64).
const TABLE_STEPS = 16;
const TABLE_D: number[] = [];
const TABLE_LOG_HI: number[] = [];
const TABLE_LOG_LO: number[] = [];
const TABLE_J: number[] = [];
for (let j = -TABLE_STEPS / 2; j <= TABLE_STEPS / 2; j++) {
  TABLE_J.push(j);
  const d = Math.fround(Math.pow(2, -j / TABLE_STEPS));
  const logD = Math.log(d);
  TABLE_D.push(d);
  TABLE_LOG_HI.push(Math.fround(logD));
  TABLE_LOG_LO.push(Math.fround(logD - Math.fround(logD)));
}

/**
 * Float-float natural logarithm, absolute error ~1e-12 for arguments of moderate size (internal).
 *
 * @remarks
 * a = 2^k * m exactly (k from the float32 log, the scaling done in two exact halves so that
 * subnormal arguments work), then m * d_j = 1 + delta with a 17-entry float32 table
 * d_j ~ 2^(-j/16) whose logarithms are stored as float-float, |delta| < 0.0221, and finally
 * log(1 + delta) = delta - delta^2 / 2 (float-float) + delta^3 (1/3 - delta/4 + ... - delta^5/8)
 * (float32, below 4e-6). k ln 2 is exact in two of its three parts.
 *
 * @param a - float-float, positive and finite
 * @returns log(a)
 */
export function ffLog(a: FF): FF {
  const k = tf.round(tf.mul(tf.log(a.hi), 1 / Math.LN2));
  const k1 = tf.floor(tf.mul(k, 0.5));
  // Two exact steps: a single 2^-k overflows for subnormal a.
  const p1 = tf.pow(0.5, k1);
  const p2 = tf.pow(0.5, tf.sub(k, k1));
  const mh = tf.mul(tf.mul(a.hi, p1), p2);
  const ml = tf.mul(tf.mul(a.lo, p1), p2);
  const j = tf.clipByValue(tf.round(tf.mul(tf.log(mh), TABLE_STEPS / Math.LN2)), -TABLE_STEPS / 2, TABLE_STEPS / 2);
  // The table entry as a one-hot sum (exact: all other products are 0), not tf.gather, whose wasm
  // and webgl kernels read the indices back to the host.
  const oneHot = tf.cast(tf.equal(tf.expandDims(j, -1), TABLE_J), 'float32');
  const lookup = (table: readonly number[]) => tf.sum(tf.mul(oneHot, tf.tensor1d(table as number[])), -1);
  const d = lookup(TABLE_D);
  const reduced = twoProd(mh, d);
  // delta = m d - 1: reduced.hi - 1 is exact (Sterbenz), the rest is small.
  const delta = quickTwoSum(tf.sub(reduced.hi, 1), tf.add(reduced.lo, tf.mul(ml, d)));
  const [dh, dl] = split(delta.hi);
  const sq = tf.square(delta.hi);
  const sqErr = tf.add(tf.add(tf.sub(tf.mul(dh, dh), sq), tf.mul(tf.mul(dh, dl), 2)), tf.mul(dl, dl));
  const halfSquare: FF = { hi: tf.mul(sq, 0.5), lo: tf.add(tf.mul(sqErr, 0.5), tf.mul(delta.hi, delta.lo)) };
  let poly = tf.add(tf.mul(delta.hi, -1 / 8), 1 / 7);
  for (const c of [-1 / 6, 1 / 5, -1 / 4, 1 / 3]) poly = tf.add(tf.mul(poly, delta.hi), c);
  const tail = tf.mul(tf.mul(sq, delta.hi), poly);
  const logReduced = ffAddFloat(ffSub(delta, halfSquare), tail);
  const kLn2Parts = twoSum(tf.mul(k, LN2_A), tf.mul(k, LN2_B));
  const kLn2: FF = { hi: kLn2Parts.hi, lo: tf.add(kLn2Parts.lo, tf.mul(k, LN2_C)) };
  const logD: FF = { hi: lookup(TABLE_LOG_HI), lo: lookup(TABLE_LOG_LO) };
  return ffSub(ffAdd(kLn2, logReduced), logD);
}

/**
 * Rounds a float-float to the nearest float32 tensor (internal).
 *
 * @param a - float-float
 * @returns hi + lo in float32
 */
export function ffToFloat(a: FF): tf.Tensor {
  return tf.add(a.hi, a.lo);
}

/**
 * Elementwise select between two float-float values (internal).
 *
 * @param condition - boolean tensor
 * @param a - taken where condition is true
 * @param b - taken elsewhere
 * @returns the selection
 */
export function ffWhere(condition: tf.Tensor, a: FF, b: FF): FF {
  return { hi: tf.where(condition, a.hi, b.hi), lo: tf.where(condition, a.lo, b.lo) };
}
