// KL(N(mu_p, s_p^2) || N(mu_q, s_q^2)) as one registered kernel with a gradient of its own. The
// diagonal Gaussian posterior against the standard normal prior is the KL of every Gaussian VAE
// step, so it is written for few kernels: the value (about 36 elementwise ops) runs inside one
// kernel, untaped; the gradient's thunks compute only the inputs the tape asks for (a prior with no
// trainable weights gets none); and the formula is written once against `NormalKLOps`, so a backend
// package can run the same op sequence natively (`@vae/backends` does for tfjs-node, where each op
// through the tfjs engine costs about three times the TensorFlow call itself).
import * as tf from '@tensorflow/tfjs-core';
import { broadcastShapes, toFloat32, type TensorInput } from './tensor.js';
import { sumToShape } from './special-util.js';

/**
 * Name of the kernel that computes the Normal-Normal KL; {@link normalKL} runs it (registering a
 * kernel made of tfjs ops for the active backend when that backend has none).
 *
 * @remarks
 * The one owner of the name: `@vae/backends` registers a native version for `tensorflow` under it.
 * Inputs `locP`, `scaleP`, `locQ`, `scaleQ` (float32, broadcasting); output the KL of their
 * broadcast shape.
 *
 * @example
 * ```ts
 * import { NORMAL_KL_KERNEL } from '@vae/math';
 * console.log(NORMAL_KL_KERNEL); // NormalKL
 * ```
 */
export const NORMAL_KL_KERNEL = 'NormalKL';

/**
 * Name of the kernel that computes one input's gradient of the Normal-Normal KL (attribute `wrt`:
 * `locP`, `scaleP`, `locQ` or `scaleQ`; inputs `dy` and the four parameters; output of the
 * broadcast shape, before summing to the input's shape).
 *
 * @example
 * ```ts
 * import { NORMAL_KL_GRAD_KERNEL } from '@vae/math';
 * console.log(NORMAL_KL_GRAD_KERNEL); // NormalKLGrad
 * ```
 */
export const NORMAL_KL_GRAD_KERNEL = 'NormalKLGrad';

/**
 * The elementwise operations {@link normalKLTerm} and {@link normalKLGradientTerm} are written
 * with: implemented with tfjs ops by `@vae/math`, with direct TensorFlow calls by `@vae/backends`.
 * A `number` operand is a float32 constant; binary operations broadcast.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { normalKLTerm, type NormalKLOps } from '@vae/math';
 * const ops: NormalKLOps<tf.Tensor> = {
 *   add: (a, b) => tf.add(a, b), sub: (a, b) => tf.sub(a, b), mul: (a, b) => tf.mul(a, b),
 *   div: (a, b) => tf.div(a, b), neg: (a) => tf.neg(a), square: (a) => tf.square(a),
 *   log: (a) => tf.log(a), exp: (a) => tf.exp(a), less: (a, b) => tf.less(a, b), select: (c, a, b) => tf.where(c, a, b),
 * };
 * tf.tidy(() => {
 *   const kl = normalKLTerm(ops, tf.scalar(0), tf.scalar(1), tf.scalar(1), tf.scalar(1));
 *   console.log(kl.arraySync()); // 0.5
 * });
 * ```
 */
export interface NormalKLOps<T> {
  /** a + b */
  add(a: T, b: T | number): T;
  /** a - b */
  sub(a: T | number, b: T | number): T;
  /** a * b */
  mul(a: T, b: T | number): T;
  /** a / b */
  div(a: T | number, b: T): T;
  /** -a */
  neg(a: T): T;
  /** a^2 */
  square(a: T): T;
  /** log a */
  log(a: T): T;
  /** exp a */
  exp(a: T): T;
  /** a < b, boolean */
  less(a: T, b: number): T;
  /** cond ? a : b, broadcasting */
  select(cond: T, a: T, b: T): T;
}

// (atanh(s) - s) / s^3 = 1/3 + s^2/5 + s^4/7 + ..., in powers of s^2: six terms leave a relative
// error below 4e-8 in the divergence for |s| < 1/3 (the first term left out, s^12 / 15, times s,
// against a bracket >= 1.3).
const ATANH_TAIL = [1 / 3, 1 / 5, 1 / 7, 1 / 9, 1 / 11, 1 / 13];

/**
 * The Normal-Normal KL, elementwise, from the four parameters: the body of the
 * {@link NORMAL_KL_KERNEL} kernel, over any implementation of the operations.
 *
 * @remarks
 * KL = f(rho) + z^2 / 2 with z = (mu_p - mu_q) / s_q, rho = s_p / s_q and
 * f(rho) = (rho^2 - 1) / 2 - log rho. Where rho is in (1/2, 2), i.e. |s| < 1/3 for
 * s = (rho - 1) / (rho + 1) = d / (d + 2), d = (s_p - s_q) / s_q (exact when the scales are
 * close), rho = (1 + s) / (1 - s) and log rho = 2 atanh(s), so
 * f = 2 s^2 [(2 - s) / (1 - s)^2 - s (atanh(s) - s) / s^3], terms of one sign at leading order:
 * nearly equal normals keep float32 relative accuracy (no cancellation of rho^2 - 1 against
 * 2 log rho). Elsewhere f = (rho / sqrt 2)^2 - 1/2 - t with t = log s_p - log s_q, which neither
 * overflows nor loses t before the divergence does (scales 1e-30 and 1e30 give 137.66).
 * The branch not taken may be infinite or NaN; the select drops it and no gradient flows
 * through it (the gradient is {@link normalKLGradientTerm}'s closed form).
 *
 * @param o - the operations
 * @param locP - mu_p
 * @param scaleP - s_p
 * @param locQ - mu_q
 * @param scaleQ - s_q
 * @returns KL(N(mu_p, s_p^2) || N(mu_q, s_q^2)), of the broadcast shape
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { normalKLTerm, type NormalKLOps } from '@vae/math';
 * const ops: NormalKLOps<tf.Tensor> = {
 *   add: (a, b) => tf.add(a, b), sub: (a, b) => tf.sub(a, b), mul: (a, b) => tf.mul(a, b),
 *   div: (a, b) => tf.div(a, b), neg: (a) => tf.neg(a), square: (a) => tf.square(a),
 *   log: (a) => tf.log(a), exp: (a) => tf.exp(a), less: (a, b) => tf.less(a, b), select: (c, a, b) => tf.where(c, a, b),
 * };
 * tf.tidy(() => {
 *   const kl = normalKLTerm(ops, tf.scalar(0), tf.scalar(1), tf.scalar(0), tf.scalar(1.001));
 *   console.log(kl.arraySync()); // 9.98e-7
 * });
 * ```
 */
export function normalKLTerm<T>(o: NormalKLOps<T>, locP: T, scaleP: T, locQ: T, scaleQ: T): T {
  const z = o.div(o.sub(locP, locQ), scaleQ);
  // (z / sqrt 2)^2 rather than z^2 / 2: z^2 overflows for |z| > 1.8e19 while z^2 / 2 is finite to 2.6e19.
  const halfMeanTerm = o.square(o.mul(z, Math.SQRT1_2));
  const d = o.div(o.sub(scaleP, scaleQ), scaleQ);
  const s = o.div(d, o.add(d, 2));
  const s2 = o.square(s);
  // NaN (d infinite) compares false: the direct branch.
  const near = o.less(s2, 1 / 9);
  let tail = o.add(o.mul(s2, ATANH_TAIL[5]), ATANH_TAIL[4]);
  for (let k = 3; k >= 0; k--) tail = o.add(o.mul(tail, s2), ATANH_TAIL[k]);
  const bracket = o.sub(o.div(o.sub(2, s), o.square(o.sub(1, s))), o.mul(s, tail));
  const series = o.mul(o.mul(s2, bracket), 2);
  // rho^2 / 2 from the ratio itself (relative error a few ulps; exp(2 log rho) would multiply the
  // error of log rho by 2 |log rho|): it overflows only where the divergence does, and where it
  // underflows (scales more than 1e19 apart) it is negligible against log rho, which comes from
  // the log-scales so that it stays finite there (scales 1e-30 and 1e30 give 137.66).
  const logRho = o.sub(o.log(scaleP), o.log(scaleQ));
  const direct = o.sub(o.sub(o.square(o.mul(o.div(scaleP, scaleQ), Math.SQRT1_2)), 0.5), logRho);
  return o.add(o.select(near, series, direct), halfMeanTerm);
}

/**
 * The four inputs of the Normal-Normal KL, by kernel input name (the `wrt` attribute of
 * {@link NORMAL_KL_GRAD_KERNEL}).
 *
 * @example
 * ```ts
 * import type { NormalKLInput } from '@vae/math';
 * const wrt: NormalKLInput = 'scaleP';
 * console.log(wrt);
 * ```
 */
export type NormalKLInput = 'locP' | 'scaleP' | 'locQ' | 'scaleQ';

const INPUTS: readonly NormalKLInput[] = ['locP', 'scaleP', 'locQ', 'scaleQ'];

/**
 * One input's gradient of the Normal-Normal KL times the upstream gradient, elementwise: the body
 * of the {@link NORMAL_KL_GRAD_KERNEL} kernel.
 *
 * @remarks
 * With z = (mu_p - mu_q) / s_q and d = (s_p - s_q) / s_q (so rho^2 - 1 = d (d + 2) without
 * cancellation): dKL/dmu_p = z / s_q = -dKL/dmu_q, dKL/ds_p = d (d + 2) / s_p and
 * dKL/ds_q = -(d (d + 2) + z^2) / s_q.
 *
 * @param o - the operations
 * @param wrt - which input
 * @param dy - the upstream gradient
 * @param locP - mu_p
 * @param scaleP - s_p
 * @param locQ - mu_q
 * @param scaleQ - s_q
 * @returns dy * dKL/d(wrt), of the broadcast shape
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { normalKLGradientTerm, type NormalKLOps } from '@vae/math';
 * const ops: NormalKLOps<tf.Tensor> = {
 *   add: (a, b) => tf.add(a, b), sub: (a, b) => tf.sub(a, b), mul: (a, b) => tf.mul(a, b),
 *   div: (a, b) => tf.div(a, b), neg: (a) => tf.neg(a), square: (a) => tf.square(a),
 *   log: (a) => tf.log(a), exp: (a) => tf.exp(a), less: (a, b) => tf.less(a, b), select: (c, a, b) => tf.where(c, a, b),
 * };
 * tf.tidy(() => {
 *   const [one, two] = [tf.scalar(1), tf.scalar(2)];
 *   console.log(normalKLGradientTerm(ops, 'scaleP', one, one, two, one, one).arraySync()); // 1.5 = (4 - 1) / 2
 * });
 * ```
 */
export function normalKLGradientTerm<T>(o: NormalKLOps<T>, wrt: NormalKLInput, dy: T, locP: T, scaleP: T, locQ: T, scaleQ: T): T {
  if (wrt === 'locP' || wrt === 'locQ') {
    const z = o.div(wrt === 'locP' ? o.sub(locP, locQ) : o.sub(locQ, locP), scaleQ);
    return o.mul(dy, o.div(z, scaleQ));
  }
  const d = o.div(o.sub(scaleP, scaleQ), scaleQ);
  const varianceRatioMinusOne = o.mul(d, o.add(d, 2));
  if (wrt === 'scaleP') return o.mul(dy, o.div(varianceRatioMinusOne, scaleP));
  const z = o.div(o.sub(locP, locQ), scaleQ);
  return o.mul(dy, o.neg(o.div(o.add(varianceRatioMinusOne, o.square(z)), scaleQ)));
}

const tfjsOps: NormalKLOps<tf.Tensor> = {
  add: (a, b) => tf.add(a, b),
  sub: (a, b) => tf.sub(a, b),
  mul: (a, b) => tf.mul(a, b),
  div: (a, b) => tf.div(a, b),
  neg: (a) => tf.neg(a),
  square: (a) => tf.square(a),
  log: (a) => tf.log(a),
  exp: (a) => tf.exp(a),
  less: (a, b) => tf.less(a, b),
  select: (cond, a, b) => {
    const shape = broadcastShapes([cond.shape, a.shape, b.shape]);
    return tf.where(tf.broadcastTo(cond, shape), tf.broadcastTo(a, shape), tf.broadcastTo(b, shape));
  },
};

type Params = Record<NormalKLInput, tf.Tensor>;

// Made of tfjs ops, for a backend without its own: the ops run inside the kernel, so the engine
// does not tape them, and the kernel returns the tensor they made.
const genericForward: tf.KernelFunc = ({ inputs }) => {
  const p = inputs as unknown as Params;
  return tf.tidy(() => normalKLTerm(tfjsOps, p.locP, p.scaleP, p.locQ, p.scaleQ));
};

const genericGradient: tf.KernelFunc = ({ inputs, attrs }) => {
  const p = inputs as unknown as Params & { dy: tf.Tensor };
  const wrt = (attrs as unknown as { wrt: NormalKLInput }).wrt;
  return tf.tidy(() => normalKLGradientTerm(tfjsOps, wrt, p.dy, p.locP, p.scaleP, p.locQ, p.scaleQ));
};

const gradient: tf.GradConfig = {
  kernelName: NORMAL_KL_KERNEL,
  inputsToSave: [...INPUTS],
  gradFunc: (dy, saved) => {
    const [locP, scaleP, locQ, scaleQ] = saved;
    const params = { locP, scaleP, locQ, scaleQ };
    // Thunks: the tape calls only those of inputs on the path to what is differentiated.
    const thunk = (wrt: NormalKLInput) => () => {
      const g = tf.engine().runKernel(NORMAL_KL_GRAD_KERNEL, { dy: dy as tf.Tensor, ...params }, { wrt }) as tf.Tensor;
      return sumToShape(g, params[wrt].shape);
    };
    return Object.fromEntries(INPUTS.map((name) => [name, thunk(name)]));
  },
};

/** Registers the tfjs-op kernels for the active backend where it has none, and the gradient once. */
function ensureKernels(): void {
  const backend = tf.getBackend();
  if (tf.getKernel(NORMAL_KL_KERNEL, backend) === undefined) {
    tf.registerKernel({ kernelName: NORMAL_KL_KERNEL, backendName: backend, kernelFunc: genericForward });
  }
  if (tf.getKernel(NORMAL_KL_GRAD_KERNEL, backend) === undefined) {
    tf.registerKernel({ kernelName: NORMAL_KL_GRAD_KERNEL, backendName: backend, kernelFunc: genericGradient });
  }
  if (tf.getGradient(NORMAL_KL_KERNEL) === undefined) tf.registerGradient(gradient);
}

/**
 * KL(N(mu_p, s_p^2) || N(mu_q, s_q^2)), elementwise and accurate even when the two are nearly
 * equal, as one kernel whose gradient computes only the inputs that need one.
 *
 * @remarks
 * The value is {@link normalKLTerm}: [(rho^2 - 1 - 2 log rho) + z^2] / 2 with rho = s_p / s_q and
 * z = (mu_p - mu_q) / s_q, by a series without cancellation for rho in (1/2, 2) and from the
 * log-scales elsewhere; +Infinity only where the divergence exceeds float32's range. The gradient
 * is the closed form of {@link normalKLGradientTerm}, summed to each input's shape; an input off
 * the path of a gradient (a fixed prior's parameters) costs nothing. Runs the
 * {@link NORMAL_KL_KERNEL} kernel, registering one made of tfjs ops for the active backend when it
 * has none.
 *
 * @param locP - mu_p
 * @param scaleP - s_p > 0
 * @param locQ - mu_q
 * @param scaleQ - s_q > 0
 * @returns KL, float32, of shape broadcast of the four
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { normalKL } from '@vae/math';
 *
 * tf.tidy(() => {
 *   console.log(normalKL(0, 1, 0, 1.001).arraySync()); // 9.98e-7, no cancellation
 *   console.log(normalKL([0, 1], [1, 2], 0, 1).arraySync()); // [0, 1.3069]
 * });
 * ```
 */
export function normalKL(locP: TensorInput, scaleP: TensorInput, locQ: TensorInput, scaleQ: TensorInput): tf.Tensor {
  return tf.tidy(() => {
    const inputs = {
      locP: toFloat32(locP, 'locP', 'normalKL'),
      scaleP: toFloat32(scaleP, 'scaleP', 'normalKL'),
      locQ: toFloat32(locQ, 'locQ', 'normalKL'),
      scaleQ: toFloat32(scaleQ, 'scaleQ', 'normalKL'),
    };
    broadcastShapes(
      INPUTS.map((name) => inputs[name].shape),
      INPUTS,
      'normalKL',
    );
    ensureKernels();
    return tf.engine().runKernel(NORMAL_KL_KERNEL, inputs) as tf.Tensor;
  });
}
