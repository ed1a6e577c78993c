import * as tf from '@tensorflow/tfjs-core';
import { publicUnaryOp, type UnaryOp } from './tensor.js';
import { unaryOp } from './special-util.js';

// Why not always tf.log1p and tf.expm1: a backend may compute them naively. tfjs-backend-wasm's
// Log1p kernel is log(1 + x) (0 for |x| < 6e-8, 5% wrong at 1e-6) and tfjs-backend-webgl's
// Expm1 is exp(x) - 1. The cpu backend's kernels (Math.log1p, Math.expm1) and wasm's Expm1 are
// exact to an ulp (measured) and cost one kernel, less than any formula. Rather than keep a list of
// backend names that goes stale with each tfjs release, the first call on each backend checks its
// kernel at points where a naive formula fails and keeps the verdict; a kernel that fails (or
// cannot be read back synchronously) is replaced by the formulas below, which need no comparisons
// or selects: on wasm each of those costs about as much as a log (so do maximum and minimum, which
// only the expm1 formula uses, and wasm's own Expm1 passes the check).

const FLOAT32_MAX = 3.4028234663852886e38;
// Added to quantities that are either exactly 0 or at least 2^-25 in magnitude: it changes the
// latter by less than 2^-75 relatively, and turns 0 / 0 into 2^-100 / 2^-100 = 1 exactly.
const TINY = 2 ** -100;
// expm1 rounds to -1 in float32 below -17.33; at -40, exp is still a normal number, so its log
// gives the argument back to full relative precision.
const EXPM1_FLOOR = -40;

/**
 * log(1 + x) from add, sub, div and one log, accurate on any backend whose log is.
 *
 * With u = fl(1 + x), e = x - (u - 1) is exactly the rounding error of 1 + x for x < 2^24 (u - 1
 * is exact, and so is the difference: Fast2Sum for |x| <= 1, Sterbenz's lemma above; beyond, e / u
 * < 2^-24 is negligible beside log(u) > 16), and
 * log(1 + x) = log(u + e) = log(u) + e / u to within (e / u)^2 / 2 < 2^-49. Worst error measured
 * 1.3e-7 relative (cpu and wasm). Edge cases without selects: the clamp keeps u finite at x = +Inf
 * (so e = +Inf and the result +Inf instead of Inf - Inf); at x = -1, u = e = 0 and TINY makes the
 * correction 0 / TINY = 0, leaving log(0) = -Inf; NaN stays in e on backends whose clamp drops it.
 */
export function log1pFormula(x: tf.Tensor): tf.Tensor {
  const u = tf.clipByValue(tf.add(x, 1), -FLOAT32_MAX, FLOAT32_MAX);
  const roundingError = tf.sub(x, tf.sub(u, 1));
  return tf.add(tf.log(u), tf.div(roundingError, tf.add(u, TINY)));
}

/**
 * exp(x) - 1 from exp, log and arithmetic (Kahan's trick), accurate on any backend whose exp and
 * log are.
 *
 * With u = fl(exp(x)), expm1(x) = (u - 1) x / log(u): u - 1 is exact near u = 1, and x / log(u)
 * corrects the rounding error of u to first order (Kahan; Higham, Accuracy and Stability of
 * Numerical Algorithms, 2nd ed., sec. 1.14.1). Chosen over a Taylor series below |x| = 1/2 because
 * that needs a comparison, a select and a dozen multiply-adds besides the exp for the large-|x|
 * branch; this costs one exp and one log. Worst error measured 1.5e-7 relative (cpu and wasm).
 * Kahan's three special cases are folded into the arithmetic: at u == 1 (|x| below about 3e-8),
 * TINY makes (u - 1 + TINY) * (x / (log u + TINY)) = TINY * (x / TINY) = x exactly; the floor on
 * x keeps u away from 0 and from subnormals (whose log would not give x back), where the result is
 * -1; the ceiling on u makes x = +Inf give FLOAT32_MAX * (Inf / 88.7) = +Inf instead of Inf / Inf,
 * and overflow past x = 88.72 gives FLOAT32_MAX * (x / 88.72) = +Inf. maximum and minimum (not a
 * clamp, which drops NaN on wasm) keep NaN.
 */
export function expm1Formula(x: tf.Tensor): tf.Tensor {
  const floored = tf.maximum(x, EXPM1_FLOOR);
  const u = tf.minimum(tf.exp(floored), FLOAT32_MAX);
  return tf.mul(tf.add(tf.sub(u, 1), TINY), tf.div(floored, tf.add(tf.log(u), TINY)));
}

/** log1p by the formula, with the derivative 1 / (1 + x). */
export const log1pByFormula = unaryOp(log1pFormula, (x) => tf.reciprocal(tf.add(x, 1)));
/** expm1 by the formula, with the derivative exp(x) (not y + 1, which cancels for x << 0). */
export const expm1ByFormula = unaryOp(expm1Formula, (x) => tf.exp(x));

/** The function a backend kernel is checked against. */
export type Log1pOrExpm1 = 'log1p' | 'expm1';

// Arguments where log(1 + x) or exp(x) - 1 lose from 1 to all digits, both signs, every decade
// from 1e-30 to 1, and a few large ones; the references are float64 at the float32 arguments.
const PROBE_ARGUMENTS: Record<Log1pOrExpm1, number[]> = {
  log1p: [
    -0.75, -0.3, -0.02, -7.3e-4, -2.5e-5, -3.1e-7, -2e-9, 1e-30, 3e-20, 1e-10, 2.2e-8, 4.7e-7, 6.1e-6, 8.9e-5, 1.3e-3, 0.047, 0.6, 7, 3e4,
    1e30,
  ],
  expm1: [
    -60, -15, -2.2, -0.6, -0.02, -7.3e-4, -2.5e-5, -3.1e-7, -2e-9, 1e-30, 3e-20, 1e-10, 2.2e-8, 4.7e-7, 6.1e-6, 8.9e-5, 1.3e-3, 0.047, 0.6,
    7, 80,
  ],
};
const PROBE_REFERENCES: Record<Log1pOrExpm1, (x: number) => number> = { log1p: Math.log1p, expm1: Math.expm1 };
// Two float32 ulps at worst (an ulp is 2^-23 to 2^-24 relative); a naive formula is off by 5e-2
// or more at 1e-6 and by 100% below 6e-8.
const PROBE_RTOL = 2 ** -22;
// Infinities the kernel must get right too: log1p(-1) = -Inf, log1p(Inf) = Inf, expm1(Inf) = Inf,
// expm1(-Inf) = -1.
const PROBE_LIMITS: Record<Log1pOrExpm1, [number, number][]> = {
  log1p: [
    [-1, -Infinity],
    [Infinity, Infinity],
  ],
  expm1: [
    [Infinity, Infinity],
    [-Infinity, -1],
  ],
};

/**
 * Whether `kernel` computes log1p (or expm1) on the active backend to two float32 ulps at the probe
 * arguments and gets the infinities right. Reads the result back synchronously; a backend that
 * cannot (webgpu for tensors on the GPU) counts as inaccurate. Memory-neutral.
 */
export function kernelIsAccurate(kind: Log1pOrExpm1, kernel: (x: tf.Tensor) => tf.Tensor): boolean {
  const xs = [...PROBE_ARGUMENTS[kind].map(Math.fround), ...PROBE_LIMITS[kind].map(([x]) => x)];
  const want = [...xs.slice(0, PROBE_ARGUMENTS[kind].length).map(PROBE_REFERENCES[kind]), ...PROBE_LIMITS[kind].map(([, y]) => y)];
  let got: ArrayLike<number>;
  try {
    const result = tf.tidy(() => kernel(tf.tensor1d(xs, 'float32')));
    try {
      got = result.dataSync();
    } finally {
      result.dispose();
    }
  } catch {
    return false;
  }
  return want.every((w, i) => got[i] === w || Math.abs(got[i] - w) <= PROBE_RTOL * Math.abs(w));
}

// Verdicts per backend instance (not name: a backend registered again under the same name is
// checked again) and function.
const verdicts = new WeakMap<object, Partial<Record<Log1pOrExpm1, boolean>>>();

/** Whether the active backend's own Log1p or Expm1 kernel passed {@link kernelIsAccurate}. */
export function nativeKernelIsAccurate(kind: Log1pOrExpm1): boolean {
  const backend = tf.backend();
  let known = verdicts.get(backend);
  if (known === undefined) {
    known = {};
    verdicts.set(backend, known);
  }
  let verdict = known[kind];
  if (verdict === undefined) {
    verdict = kernelIsAccurate(kind, kind === 'log1p' ? tf.log1p : tf.expm1);
    known[kind] = verdict;
  }
  return verdict;
}

/**
 * log(1 + x), elementwise, accurate to float32 precision for every x on every backend (tfjs's own
 * `tf.log1p` is `log(1 + x)` on the wasm backend and returns 0 for |x| < 6e-8).
 *
 * @remarks
 * Where the backend's `Log1p` kernel is accurate (cpu; checked once per backend at arguments where
 * the naive formula fails) it is used as it is. Elsewhere (wasm, webgl), with u = fl(1 + x), the
 * rounding error e = x - (u - 1) is exact and `log1p(x) = log(u) + e / u` to within 2^-49: a
 * log, a clamp and six arithmetic kernels, no comparisons or selects. Worst relative error against
 * float64 `Math.log1p` over 1e-38 <= |x| <= 3e38: 6e-8 on cpu, 1.3e-7 on wasm. log1p(-1) =
 * -Infinity, log1p(Infinity) = Infinity, x < -1 gives NaN. The gradient is `1 / (1 + x)`.
 *
 * @param x - a tensor or number, >= -1
 * @returns a float32 tensor of the shape of `x`
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { log1p } from '@vae/math';
 *
 * tf.tidy(() => {
 *   console.log(log1p([1e-10, -0.5, -1, 1e30]).arraySync()); // [1e-10, -0.6931, -Infinity, 69.0776]
 *   console.log(tf.grad((x: tf.Tensor) => log1p(x))(tf.scalar(-0.5)).arraySync()); // 2
 * });
 * ```
 * @function
 */
export const log1p: UnaryOp = publicUnaryOp('log1p', (t) => (nativeKernelIsAccurate('log1p') ? tf.log1p(t) : log1pByFormula(t)));

/**
 * exp(x) - 1, elementwise, accurate to float32 precision for every x on every backend (tfjs's own
 * `tf.expm1` is `exp(x) - 1` on the webgl backend and returns 0 for |x| < 6e-8).
 *
 * @remarks
 * Where the backend's `Expm1` kernel is accurate (cpu and wasm; checked once per backend at
 * arguments where the naive formula fails) it is used as it is. Elsewhere, Kahan's
 * `expm1(x) = (u - 1) x / log(u)` with u = fl(exp(x)): u - 1 is exact near 0 and x / log(u)
 * corrects the rounding of u; an exp, a log, a maximum, a minimum and five arithmetic kernels, no
 * comparisons or selects. Worst relative error measured against float64 `Math.expm1` over
 * 1e-38 <= |x| <= 88.7: 6e-8 on cpu, 7e-8 on wasm (the formula alone: 1.5e-7 on both).
 * expm1(-Infinity) = -1, overflow past x = 88.72 gives Infinity. The gradient is `exp(x)`.
 *
 * @param x - a tensor or number
 * @returns a float32 tensor of the shape of `x`, all values >= -1
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { expm1 } from '@vae/math';
 *
 * tf.tidy(() => {
 *   console.log(expm1([1e-10, Math.LN2, -Infinity, 100]).arraySync()); // [1e-10, 1, -1, Infinity]
 *   console.log(tf.grad((x: tf.Tensor) => expm1(x))(tf.scalar(0)).arraySync()); // 1
 * });
 * ```
 * @function
 */
export const expm1: UnaryOp = publicUnaryOp('expm1', (t) => (nativeKernelIsAccurate('expm1') ? tf.expm1(t) : expm1ByFormula(t)));
