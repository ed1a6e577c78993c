import * as tf from '@tensorflow/tfjs-core';
import {
  type FF,
  ffAdd,
  ffAddFloat,
  ffConstant,
  ffDiv,
  ffFromFloat,
  ffLog,
  ffMul,
  ffMulFloat,
  ffScale,
  ffSqrt,
  ffSub,
  ffToFloat,
  ffWhere,
  twoProd,
  twoSum,
} from './bessel-ff.js';
import { log1p } from './log1p-expm1.js';
import { broadcastShapes, toFloat32, type TensorInput } from './tensor.js';
import { assertElementwise } from './validate.js';

// Where S = sqrt(v^2 + x^2) is large the uniform expansion is used at the order v itself: for
// v >= 10 (any x) and for x >= 16 (any v). Elsewhere (v < 10 and x < 16) it starts at order
// v + ceil(10 - v) and the ratio recurrence brings it down. With 8 correction terms the truncation
// error is below 1e-9 in log I and 1e-6 relative in the ratio's derivative at S = 10 (about
// |u_9| / S^9; checked against mpmath in the tests).
const DEBYE_MIN_ORDER = 10;
const DEBYE_MIN_X = 16;

/**
 * Olver's polynomials u_k(t) = t^k * sum_j DEBYE_U[k-1][j] t^(2j), k = 1..8 (from the recurrence
 * u_{k+1} = t^2 (1 - t^2) u_k' / 2 + (1/8) int_0^t (1 - 5 s^2) u_k(s) ds, in exact rationals).
 * Internal to @vae/math (also used by spherical-terms.ts).
 */
export const DEBYE_U: readonly (readonly number[])[] = [
  [0.125, -0.20833333333333334],
  [0.0703125, -0.4010416666666667, 0.3342013888888889],
  [0.0732421875, -0.8912109375, 1.8464626736111112, -1.0258125964506173],
  [0.112152099609375, -2.3640869140625, 8.78912353515625, -11.207002616222994, 4.669584423426247],
  [0.22710800170898438, -7.368794359479632, 42.53499874538846, -91.81824154324002, 84.63621767460073, -28.212072558200244],
  [
    0.5725014209747314, -26.491430486951554, 218.1905117442116, -699.5796273761325, 1059.9904525279999, -765.2524681411817,
    212.57013003921713,
  ],
  [
    1.7277275025844574, -108.09091978839466, 1200.9029132163525, -5305.646978613403, 11655.393336864534, -13586.550006434138,
    8061.722181737309, -1919.457662318407,
  ],
  [
    6.074042001273483, -493.915304773088, 7109.514302489364, -41192.65496889755, 122200.46498301746, -203400.17728041555,
    192547.00123253153, -96980.59838863752, 20204.29133096615,
  ],
];

/** One term of a derivative of sum_k w^k u_k(t): w^k t^power * (polynomial in y = t^2). */
interface SeriesTerm {
  order: number;
  power: number;
  coefficients: number[];
}

// The d-th t-derivative of u_k is t^(k-d) * sum_j fall(k + 2j, d) a_kj t^(2j); a negative power is
// folded into the polynomial (whose low coefficients then vanish) so only t^0..t^8 are needed.
function seriesTerms(derivative: number): SeriesTerm[] {
  return DEBYE_U.map((row, index) => {
    const order = index + 1;
    let coefficients = row.map((a, j) => {
      let factor = a;
      for (let i = 0; i < derivative; i++) factor *= order + 2 * j - i;
      return factor;
    });
    let power = order - derivative;
    while (power < 0) {
      coefficients = coefficients.slice(1);
      power += 2;
    }
    return { order, power, coefficients };
  });
}

const SERIES = [seriesTerms(0), seriesTerms(1), seriesTerms(2)];

/**
 * nu^d d^d/dt^d sum_{k=1..8} u_k(t) / nu^k, in float32 (below 0.01 where it is used). Since
 * t / nu = 1 / S, each term is S^(d-k) t^(0 or 2) times a polynomial in t^2: finite at nu = 0, where
 * the expansion becomes Hankel's large-x series in 1 / x.
 */
function debyeSeries(derivative: number, s: tf.Tensor, t: tf.Tensor): tf.Tensor {
  const y = tf.square(t);
  const invS = tf.reciprocal(s);
  const invSPowers: tf.Tensor[] = [tf.onesLike(s), invS];
  for (let i = 2; i <= DEBYE_U.length; i++) invSPowers.push(tf.mul(invSPowers[i - 1], invS));
  let sum = tf.zerosLike(t);
  for (const term of SERIES[derivative]) {
    const c = term.coefficients;
    let poly: tf.Tensor | number = c[c.length - 1];
    for (let j = c.length - 2; j >= 0; j--) poly = tf.add(tf.mul(y, poly), c[j]);
    const sPower = derivative - term.order;
    let factor = sPower > 0 ? tf.pow(s, sPower) : invSPowers[-sPower];
    if (term.power - term.order + derivative === 2) factor = tf.mul(factor, y);
    sum = tf.add(sum, tf.mul(factor, poly));
  }
  return sum;
}

interface Wanted {
  logI: boolean;
  ratio: boolean;
  ratioGrad: boolean;
}

interface BesselParts {
  logI?: FF;
  logX?: FF;
  ratio?: tf.Tensor;
  ratioGrad?: tf.Tensor;
}

/**
 * Olver's uniform asymptotic expansion at (float-float) order nu, x > 0, used where
 * S = sqrt(nu^2 + x^2) >= 10 (the expansion is in powers of 1 / S: see debyeSeries):
 * log I = S + nu log(x / (nu + S)) - log(2 pi S) / 2 + log(1 + P), P = sum_k u_k(t) / nu^k,
 * t = nu / S (the same as nu eta - log(2 pi nu) / 2 - log(1 + z^2) / 4 + log(1 + P)). The leading
 * terms are float-float; the ratio and its derivative are d/dx of it minus nu / x, with the
 * cancelling S / x - nu / x written as x / (S + nu).
 */
function debye(nu: FF, x: tf.Tensor, want: Wanted): BesselParts {
  const s = ffSqrt(ffAdd(ffMul(nu, nu), twoProd(x, x)));
  const sh = s.hi;
  const t = tf.div(nu.hi, sh);
  const series = debyeSeries(0, sh, t);
  const parts: BesselParts = {};
  if (want.logI) {
    const logX = ffLog(ffFromFloat(x));
    const logA = ffLog(ffAdd(nu, s));
    const logS = ffLog(s);
    const leading = ffAdd(s, ffMul(nu, ffSub(logX, logA)));
    const logI = ffSub(leading, ffScale(ffAdd(logS, ffConstant(Math.log(2 * Math.PI))), 0.5));
    parts.logI = ffAddFloat(logI, log1p(series));
    parts.logX = logX;
  }
  if (want.ratio || want.ratioGrad) {
    // R = x / (S + nu) - x / (2 S^2) - (x / S^3) nu P'(t) / (1 + P), with u = x / S.
    const u = tf.div(x, sh);
    const onePlusP = tf.add(1, series);
    const logSeries1 = tf.div(debyeSeries(1, sh, t), onePlusP);
    const s2 = tf.square(sh);
    const base = tf.div(x, tf.add(sh, nu.hi));
    parts.ratio = tf.sub(tf.sub(base, tf.mul(0.5, tf.div(u, sh))), tf.mul(tf.div(u, s2), logSeries1));
    if (want.ratioGrad) {
      // R' = t / (S + nu) - (t^2 - u^2) / (2 S^2) - ((t^2 - 2 u^2) / S^3) nu P' / (1 + P)
      //      + (u / S^2)^2 (nu^2 P'' / (1 + P) - (nu P' / (1 + P))^2).
      const logSeries2 = tf.sub(tf.div(debyeSeries(2, sh, t), onePlusP), tf.square(logSeries1));
      const t2 = tf.square(t);
      const u2 = tf.square(u);
      const g1 = tf.div(t, tf.add(sh, nu.hi));
      const g2 = tf.mul(0.5, tf.div(tf.sub(t2, u2), s2));
      const g3 = tf.mul(tf.div(tf.sub(t2, tf.mul(2, u2)), tf.mul(s2, sh)), logSeries1);
      const g4 = tf.mul(tf.square(tf.div(u, s2)), logSeries2);
      parts.ratioGrad = tf.add(tf.sub(tf.sub(g1, g2), g3), g4);
    }
  }
  return parts;
}

/**
 * log I_v(x), R_v(x) and R_v'(x) for v >= 0 and x > 0 (same shapes). Where v < 10 and x < 16 the
 * uniform expansion starts at nu = v + n, n = ceil(10 - v), and recurs down n steps with
 * R_{mu-1} = x / D, D = 2 mu + x R_mu (backward recurrence: errors shrink), R'_{mu-1} =
 * (2 mu - x^2 R'_mu) / D^2, and log I_{mu-1} = log I_mu + log(D / x), the product of the
 * D / max(x, 1) kept in float-float (it cannot overflow) and logged once. Elsewhere n = 0.
 * `steps` bounds n over the batch (0 when no element needs the recurrence); extra steps are masked.
 */
function besselParts(v: tf.Tensor, x: tf.Tensor, steps: number, want: Wanted): BesselParts {
  const recur = tf.logicalAnd(tf.less(v, DEBYE_MIN_ORDER), tf.less(x, DEBYE_MIN_X));
  const n = steps > 0 ? tf.where(recur, tf.ceil(tf.sub(DEBYE_MIN_ORDER, v)), 0) : tf.zerosLike(v);
  const needRatio = want.ratio || want.ratioGrad || (want.logI && steps > 0);
  const top = debye(twoSum(v, n), x, { logI: want.logI, ratio: needRatio, ratioGrad: want.ratioGrad });
  if (steps === 0) return top;
  let ratio = top.ratio as tf.Tensor;
  let ratioGrad = top.ratioGrad;
  let product: FF = ffFromFloat(tf.onesLike(x));
  const scale = ffFromFloat(tf.maximum(x, 1));
  const x2 = tf.square(x);
  for (let i = 0; i < steps; i++) {
    const remaining = tf.sub(n, i);
    const active = tf.greater(remaining, 0);
    // mu = v + remaining exactly; inactive lanes get a harmless mu >= 1 and are masked below.
    const twoMu = ffScale(twoSum(v, tf.maximum(remaining, 1)), 2);
    const d = ffAdd(twoMu, twoProd(x, ratio));
    if (want.logI) product = ffWhere(active, ffMul(product, ffDiv(d, scale)), product);
    if (ratioGrad) {
      ratioGrad = tf.where(active, tf.div(tf.sub(twoMu.hi, tf.mul(x2, ratioGrad)), tf.square(d.hi)), ratioGrad);
    }
    ratio = tf.where(active, tf.div(x, d.hi), ratio);
  }
  const parts: BesselParts = { ratio, ratioGrad };
  if (want.logI) {
    // sum log(D / x) = log prod(D / max(x, 1)) - n log x where x <= 1.
    const logX = top.logX as FF;
    const logRest = ffWhere(tf.greater(x, 1), ffFromFloat(tf.zerosLike(x)), logX);
    parts.logI = ffSub(ffAdd(top.logI as FF, ffLog(product)), ffMulFloat(logRest, n));
  }
  return parts;
}

interface Prepared {
  v: tf.Tensor;
  x: tf.Tensor;
  steps: number;
}

/**
 * Options of {@link logBesselI} and {@link besselIRatio}.
 *
 * @example
 * ```ts
 * import { logBesselI } from '@vae/math';
 * import type { BesselOptions } from '@vae/math';
 * const options: BesselOptions = { validateArgs: false };
 * const value = logBesselI(1.5, 2, options); // nothing read back
 * console.log(value.dataSync()[0]); // 0.09483 = log I_1.5(2)
 * value.dispose();
 * ```
 */
export interface BesselOptions {
  /**
   * Check that every order and x is finite and >= 0 (reads both arguments back to the host).
   * Default true. Off, nothing is read back (for values a model produced, on a training path): the
   * recurrence then runs the steps the order needs when it is a number, else the most (10).
   */
  validateArgs?: boolean;
}

/** Recurrence steps for orders >= minOrder (the uniform expansion starts at order 10). */
function stepsFor(minOrder: number): number {
  return minOrder < DEBYE_MIN_ORDER ? Math.ceil(DEBYE_MIN_ORDER - minOrder) : 0;
}

/** Converts, validates (reading both tensors back, unless told not to) and broadcasts the arguments. */
function prepare(v: TensorInput, x: TensorInput, context: string, options: BesselOptions): Prepared {
  const vt = toFloat32(v, 'order', context);
  const xt = toFloat32(x, 'x', context);
  const shape = broadcastShapes([vt.shape, xt.shape], ['order', 'x'], context);
  let steps: number;
  if (options.validateArgs === false) {
    steps = typeof v === 'number' ? stepsFor(Math.max(v, 0)) : stepsFor(0);
  } else {
    const finiteNonNegative = (value: number): boolean => value >= 0 && Number.isFinite(value);
    assertElementwise(vt, 'order', 'finite and non-negative (>= 0)', finiteNonNegative, context);
    assertElementwise(xt, 'x', 'finite and non-negative (>= 0)', finiteNonNegative, context);
    // The values were read back for validation anyway; they also bound the recurrence's length.
    const minOf = (t: tf.Tensor): number => (t.dataSync() as Float32Array).reduce((a, b) => Math.min(a, b), Infinity);
    steps = minOf(xt) < DEBYE_MIN_X ? stepsFor(minOf(vt)) : 0;
  }
  return { v: tf.broadcastTo(vt, shape), x: tf.broadcastTo(xt, shape), steps };
}

/** x with zeros replaced by 1, so the x > 0 formulas stay finite where x = 0 is handled apart. */
function positivePart(x: tf.Tensor): tf.Tensor {
  return tf.where(tf.greater(x, 0), x, tf.onesLike(x));
}

/** d/dx log I_v(x) = R_v(x) + v / x; at x = 0 it is 0 for v = 0 and +Infinity for v > 0. */
function logBesselIGradient(v: tf.Tensor, x: tf.Tensor, steps: number): tf.Tensor {
  const xs = positivePart(x);
  const ratio = besselParts(v, xs, steps, { logI: false, ratio: true, ratioGrad: false }).ratio as tf.Tensor;
  const atZero = tf.where(tf.equal(v, 0), tf.zerosLike(v), tf.fill(v.shape, Infinity));
  return tf.where(tf.greater(x, 0), tf.add(ratio, tf.div(v, xs)), atZero);
}

/**
 * Natural logarithm of the modified Bessel function of the first kind, log I_v(x), as a
 * differentiable float32 op that neither overflows nor underflows.
 *
 * @remarks
 * Valid and accurate (relative error below 1e-5, absolute below 1e-6 where the value is near 0)
 * for orders v in [0, 1000] and x in [0, 1e5]; v broadcasts against x.
 *
 * - v >= 10 (any x) or x >= 16 (any v): Olver's uniform asymptotic (Debye) expansion,
 *   log I_v(x) = v eta - log(2 pi v) / 2 - log(1 + z^2) / 4 + log(1 + sum_k u_k(t) / v^k) with
 *   z = x / v, t = 1 / sqrt(1 + z^2), eta = sqrt(1 + z^2) + log(z / (1 + sqrt(1 + z^2))) and
 *   the correction polynomials u_1..u_8. Since u_k(t) / v^k = (t^k / v^k) * poly(t^2) and
 *   t / v = 1 / sqrt(v^2 + x^2), it is a series in 1 / sqrt(v^2 + x^2): for small v and large x it
 *   is Hankel's large-x expansion. Its leading terms are computed in float-float arithmetic (pairs
 *   of float32), because near I_v(x) = 1 they cancel from magnitudes of order v.
 * - v < 10 and x < 16: the same expansion at order v + n, n = ceil(10 - v), then n steps of the
 *   backward recurrence log I_{mu-1}(x) = log I_mu(x) + log(2 mu / x + R_mu(x)),
 *   R_{mu-1}(x) = x / (2 mu + x R_mu(x)), which is stable (errors shrink going down). This takes
 *   the place of the power series at small x (the sum of the logs is kept in float-float, so
 *   log I_0(x) ~ x^2 / 4 keeps its accuracy).
 * - x = 0: log I_0(0) = 0 and log I_v(0) = -Infinity for v > 0.
 *
 * Gradient: d/dx log I_v(x) = I_{v+1}(x) / I_v(x) + v / x through `tf.customGrad` (at x = 0:
 * 0 for v = 0, +Infinity for v > 0). The gradient with respect to the order v is NOT
 * implemented: it is returned as zeros.
 *
 * Validation reads both arguments back (`dataSync`) to check them; `{ validateArgs: false }`
 * skips it, and then nothing is read back.
 *
 * @param v - the order, >= 0 (a tensor, number or nested array)
 * @param x - the argument, >= 0
 * @param options - {@link BesselOptions}
 * @returns a float32 tensor of the broadcast shape of v and x
 * @throws InvalidArgumentError when an order or an x is negative, NaN or infinite, or when the
 *   shapes do not broadcast
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { logBesselI } from '@vae/math';
 *
 * tf.tidy(() => {
 *   const y = logBesselI(tf.tensor([0, 0.5, 1000]), 1e5);
 *   console.log(y.dataSync()); // ~[99993.32, 99993.32, 99988.32], no overflow
 *   const dx = tf.grad((x: tf.Tensor) => logBesselI(1.5, x))(tf.scalar(2));
 *   console.log(dx.dataSync()[0]); // 1.11111 = I_2.5(2) / I_1.5(2) + 1.5 / 2
 * });
 * ```
 */
export function logBesselI(v: TensorInput, x: TensorInput, options: BesselOptions = {}): tf.Tensor {
  return besselOp(
    'logBesselI',
    v,
    x,
    options,
    (vIn, xIn, steps) => {
      const logI = besselParts(vIn, positivePart(xIn), steps, { logI: true, ratio: false, ratioGrad: false }).logI as FF;
      const atZero = tf.where(tf.equal(vIn, 0), tf.zerosLike(vIn), tf.fill(vIn.shape, -Infinity));
      return tf.where(tf.greater(xIn, 0), ffToFloat(logI), atZero);
    },
    logBesselIGradient,
  );
}

/**
 * The ratio I_{v+1}(x) / I_v(x) of modified Bessel functions of the first kind, as a
 * differentiable float32 op; this is the von Mises-Fisher mean resultant length
 * A_d(kappa) = besselIRatio(d / 2 - 1, kappa).
 *
 * @remarks
 * Never a quotient of Bessel values. For v >= 10 or x >= 16 it is the x-derivative of Olver's
 * uniform expansion of log I_v (see {@link logBesselI}) minus v / x, written without cancellation:
 * R = x / (S + v) - x / (2 S^2) - (v x / S^3) P'(t) / (1 + P(t)), S = sqrt(v^2 + x^2), t = v / S,
 * P(t) = sum_{k=1..8} u_k(t) / v^k. Otherwise it starts there at order v + ceil(10 - v) and runs
 * the stable backward recurrence R_{mu-1} = x / (2 mu + x R_mu) down to v. R_v(0) = 0.
 * Relative error below 1e-5 for v in [0, 1000] and x in [0, 1e5].
 *
 * Gradient: d/dx R_v = R_v (1 / x + R_{v+1} - R_v) = 1 - (2v + 1) R_v / x - R_v^2, computed without
 * cancellation by differentiating the expansion and the recurrence
 * (R'_{mu-1} = (2 mu - x^2 R'_mu) / (2 mu + x R_mu)^2); at x = 0 it is 1 / (2v + 2). (At large
 * x it is ~(2v + 1) / (2 x^2), far below the terms of the Riccati form, which would cancel.) The gradient
 * with respect to the order v is NOT implemented: it is returned as zeros.
 *
 * Validation reads both arguments back (`dataSync`) to check them; `{ validateArgs: false }`
 * skips it, and then nothing is read back.
 *
 * @param v - the order, >= 0
 * @param x - the argument, >= 0
 * @param options - {@link BesselOptions}
 * @returns a float32 tensor of the broadcast shape of v and x, with values in [0, 1)
 * @throws InvalidArgumentError when an order or an x is negative, NaN or infinite, or when the
 *   shapes do not broadcast
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { besselIRatio } from '@vae/math';
 *
 * tf.tidy(() => {
 *   // Mean resultant length of a von Mises-Fisher on the sphere S^2 (d = 3): coth(k) - 1 / k.
 *   const kappa = tf.tensor([1e-4, 1, 1e5]);
 *   console.log(besselIRatio(0.5, kappa).dataSync()); // ~[3.3333e-5, 0.31304, 0.99999]
 *   const slope = tf.grad((k: tf.Tensor) => besselIRatio(0.5, k))(tf.scalar(0));
 *   console.log(slope.dataSync()[0]); // 0.33333 = 1 / 3
 * });
 * ```
 */
export function besselIRatio(v: TensorInput, x: TensorInput, options: BesselOptions = {}): tf.Tensor {
  return besselOp(
    'besselIRatio',
    v,
    x,
    options,
    (vIn, xIn, steps) => {
      const ratio = besselParts(vIn, positivePart(xIn), steps, { logI: false, ratio: true, ratioGrad: false }).ratio as tf.Tensor;
      return tf.where(tf.greater(xIn, 0), ratio, tf.zerosLike(ratio));
    },
    (vs, xs, steps) => {
      const parts = besselParts(vs, positivePart(xs), steps, { logI: false, ratio: true, ratioGrad: true });
      const atZero = tf.div(1, tf.add(tf.mul(vs, 2), 2));
      return tf.where(tf.greater(xs, 0), parts.ratioGrad as tf.Tensor, atZero);
    },
  );
}

/**
 * The frame of the two Bessel ops: checked arguments, then inside one tidy an op of (v, x) whose
 * gradient flows to x only (v gets a zero gradient: the order is a constant here).
 * @param context - the public function's name, for messages
 * @param v - the order as given
 * @param x - the argument as given
 * @param options - {@link BesselOptions}
 * @param value - the op's value from the prepared v, x and series length
 * @param gradX - d value / dx at the saved v, x
 * @returns the op's value, the broadcast shape of v and x
 */
function besselOp(
  context: string,
  v: TensorInput,
  x: TensorInput,
  options: BesselOptions,
  value: (v: tf.Tensor, x: tf.Tensor, steps: number) => tf.Tensor,
  gradX: (v: tf.Tensor, x: tf.Tensor, steps: number) => tf.Tensor,
): tf.Tensor {
  return tf.tidy(() => {
    const args = prepare(v, x, context, options);
    const op = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [vIn, xIn, save] = inputs as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
      save([vIn, xIn]);
      return {
        value: value(vIn, xIn, args.steps),
        gradFunc: (dy: tf.Tensor, [vs, xs]: tf.Tensor[]) => [tf.zerosLike(vs), tf.mul(dy, gradX(vs, xs, args.steps))],
      };
    });
    return op(args.v, args.x);
  });
}
