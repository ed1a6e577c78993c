import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from './errors.js';
import { expm1, log1p, nativeKernelIsAccurate } from './log1p-expm1.js';
import { publicUnaryOp, toFloat32, type TensorInput, type UnaryOp } from './tensor.js';
import { binaryOp, polyval, toFloat32Pair, unaryOp } from './special-util.js';

const LN2 = Math.LN2;

/** log(1 - exp(-|x|)) with Maechler's switch at log 2. */
export function log1mexpForward(x: tf.Tensor): tf.Tensor {
  const a = tf.abs(x);
  const nearZero = tf.lessEqual(a, LN2);
  return tf.where(nearZero, tf.log(tf.neg(expm1(tf.neg(a)))), log1p(tf.neg(tf.exp(tf.neg(a)))));
}

// 2 atanh(s) / s = 2 (1 + s^2/3 + s^4/5 + ...) in powers of s^2; seven terms leave a relative
// error below 1.5e-8 for s <= 1/3.
const TWO_ATANH_OVER_S = [2, 2 / 3, 2 / 5, 2 / 7, 2 / 9, 2 / 11, 2 / 13];

/**
 * Name of the kernel that computes softplus of a float32 tensor to float32 accuracy in one pass;
 * {@link softplus} runs it when the active backend has it.
 *
 * @remarks
 * The one owner of the name: a backend package registers its kernel under this constant
 * (`@vae/backends` does for wasm, with `enableFastWasmKernels`), and `softplus` looks it up.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { ACCURATE_SOFTPLUS_KERNEL } from '@vae/math';
 * console.log(ACCURATE_SOFTPLUS_KERNEL); // AccurateSoftplus
 * console.log(tf.getKernel(ACCURATE_SOFTPLUS_KERNEL, 'cpu') === undefined); // true unless registered
 * ```
 */
export const ACCURATE_SOFTPLUS_KERNEL = 'AccurateSoftplus';

/** log(1 + exp(x)) = max(x, 0) + log1p(exp(-|x|)): exp never overflows. */
function softplusForward(x: tf.Tensor): tf.Tensor {
  if (tf.getKernel(ACCURATE_SOFTPLUS_KERNEL, tf.getBackend())) return tf.engine().runKernel(ACCURATE_SOFTPLUS_KERNEL, { x }) as tf.Tensor;
  // Where the backend's own log1p is accurate (cpu, tfjs-node) the formula is six kernels; on the
  // cpu backend each kernel is a JavaScript loop (about 2 ms per 100,000 elements), so six beat the
  // twenty of the series.
  if (nativeKernelIsAccurate('log1p')) return tf.add(tf.relu(x), tf.log1p(tf.exp(tf.neg(tf.abs(x)))));
  return softplusBySeries(x);
}

/**
 * softplus with log1p(exp(-|x|)) written as -log(1 - w) = 2 atanh(w / (2 - w)) for
 * w = sigmoid(-|x|) in (0, 1/2], summed as a series. Why not exp and log: on tfjs-backend-wasm
 * they are scalar libm loops, about 15x slower than the vectorized sigmoid, multiply and add used
 * here, and softplus sits on the hot path of every Bernoulli likelihood. Nothing overflows, and the
 * relative error is a few float32 ulps everywhere.
 */
export function softplusBySeries(x: tf.Tensor): tf.Tensor {
  // Intermediates are freed as soon as they are used (polyval does the same): on a
  // [250, 1000, 784] batch of logits each one is 784 MB, and the wasm heap stops at 4 GB.
  const s = tf.tidy(() => {
    const w = tf.sigmoid(tf.neg(tf.abs(x)));
    return tf.div(w, tf.sub(2, w));
  });
  const series = tf.tidy(() => polyval(TWO_ATANH_OVER_S, tf.square(s)));
  const value = tf.tidy(() => tf.add(tf.relu(x), tf.mul(s, series)));
  tf.dispose([s, series]);
  return value;
}

const softplusOp = unaryOp(softplusForward, (x) => tf.sigmoid(x));

// d/dx log(1 - exp(-|x|)) = sign(x) / expm1(|x|)
const log1mexpOp = unaryOp(log1mexpForward, (x) => tf.div(tf.sign(x), expm1(tf.abs(x))));

function softplusInverseForward(y: tf.Tensor): tf.Tensor {
  // log(expm1(y)) is exact in relative terms until expm1 overflows; beyond, y + log(1 - exp(-y)).
  const small = tf.less(y, 20);
  return tf.where(small, tf.log(expm1(tf.minimum(y, 20))), tf.add(y, log1mexpForward(tf.maximum(y, 20))));
}

// d/dy log(expm1(y)) = 1 / (1 - exp(-y))
const softplusInverseOp = unaryOp(softplusInverseForward, (y) => tf.reciprocal(tf.neg(expm1(tf.neg(y)))));

/**
 * exp(x - m) normalized along `axes`, where ties with the maximum m count as exp(0): finite when the
 * maximum is infinite (all -Infinity gives uniform weights, +Infinity entries share the weight).
 */
function safeSoftmax(x: tf.Tensor, max: tf.Tensor, axes?: number[]): tf.Tensor {
  const shifted = tf.where(tf.equal(x, max), tf.zerosLike(x), tf.sub(x, max));
  const e = tf.exp(shifted);
  return tf.div(e, tf.sum(e, axes, true));
}

function logAddExpForward(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const m = tf.maximum(a, b);
  const finite = tf.add(m, log1p(tf.exp(tf.neg(tf.abs(tf.sub(a, b))))));
  // Equal infinities make a - b NaN; the answer is that infinity.
  return tf.where(tf.logicalAnd(tf.equal(a, b), tf.isInf(a)), a, finite);
}

const logAddExpOp = binaryOp(logAddExpForward, (a, b) => {
  const m = tf.maximum(a, b);
  const ea = tf.exp(tf.where(tf.equal(a, m), tf.zerosLike(a), tf.sub(a, m)));
  const eb = tf.exp(tf.where(tf.equal(b, m), tf.zerosLike(b), tf.sub(b, m)));
  const total = tf.add(ea, eb);
  return [tf.div(ea, total), tf.div(eb, total)];
});

/**
 * Softplus, log(1 + exp(x)), elementwise and overflow-free.
 *
 * @remarks
 * Computed as `max(x, 0) + log1p(exp(-|x|))`, exact to float32 rounding for all x: softplus(1e4) =
 * 1e4, softplus(-80) = exp(-80) (not 0), softplus(-1e4) = 0. The gradient is `sigmoid(x)`. When
 * the active backend has a kernel named `AccurateSoftplus` (a one-pass kernel to float32 accuracy,
 * which `@vae/backends`' `enableFastWasmKernels` registers for wasm), the value comes from it.
 *
 * @param x - any real tensor or number
 * @returns a float32 tensor of the shape of `x`
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { softplus } from '@vae/math';
 *
 * tf.tidy(() => {
 *   console.log(softplus([-80, 0, 1e4]).arraySync()); // [1.8e-35, 0.6931, 10000]
 *   console.log(tf.grad((x: tf.Tensor) => softplus(x))(tf.scalar(0)).arraySync()); // 0.5
 * });
 * ```
 * @function
 */
export const softplus: UnaryOp = publicUnaryOp('softplus', softplusOp);

/**
 * log(1 + exp(x)), elementwise: the same function as {@link softplus}, under the name TFP's
 * `log1pexp` and Maechler's note use.
 *
 * @remarks
 * `log1pexp(x) = max(x, 0) + log1p(exp(-|x|))`; gradient `sigmoid(x)`.
 *
 * @param x - any real tensor or number
 * @returns a float32 tensor of the shape of `x`
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { log1pexp } from '@vae/math';
 *
 * tf.tidy(() => {
 *   console.log(log1pexp([-85, 100]).arraySync()); // [1.2e-37, 100]
 * });
 * ```
 * @function
 */
export const log1pexp: UnaryOp = publicUnaryOp('log1pexp', softplusOp);

/**
 * The inverse of softplus, log(exp(y) - 1), elementwise.
 *
 * @remarks
 * `log(expm1(y))` for y < 20 (relative accuracy down to tiny y, where it is `log(y)`), and
 * `y + log(1 - exp(-y))` above (no overflow). Defined for y > 0; 0 gives -Infinity and y < 0 NaN.
 * The gradient is `1 / (1 - exp(-y))`.
 *
 * @param y - a positive tensor or number
 * @returns a float32 tensor of the shape of `y`
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { softplusInverse } from '@vae/math';
 *
 * tf.tidy(() => {
 *   console.log(softplusInverse([1e-30, 0.6931472, 1e4]).arraySync()); // [-69.0776, 0, 10000]
 * });
 * ```
 */
export function softplusInverse(y: TensorInput): tf.Tensor {
  return tf.tidy(() => softplusInverseOp(toFloat32(y, 'y', 'softplusInverse')));
}

/**
 * The log of the logistic sigmoid, log(1 / (1 + exp(-x))) = -softplus(-x), elementwise.
 *
 * @remarks
 * Stable for all x: logSigmoid(80) = -exp(-80), logSigmoid(-80) = -80, logSigmoid(-1e4) = -1e4.
 * The gradient is `sigmoid(-x)`.
 *
 * @param x - any real tensor or number
 * @returns a float32 tensor of the shape of `x`
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { logSigmoid } from '@vae/math';
 *
 * tf.tidy(() => {
 *   console.log(logSigmoid([-80, 0, 80]).arraySync()); // [-80, -0.6931, -1.8e-35]
 * });
 * ```
 * @function
 */
export const logSigmoid: UnaryOp = publicUnaryOp('logSigmoid', (t) => tf.neg(softplusOp(tf.neg(t))));

/**
 * log(1 - exp(-|x|)), elementwise, accurate near 0 and for large |x|.
 *
 * @remarks
 * Sign convention (as TFP's `log1mexp`): the argument is the positive amount `x` in
 * `log(1 - e^(-x))`, and its sign is ignored, so `log1mexp(x) = log1mexp(-x)`. To get
 * `log(1 - e^v)` for a log-probability v < 0, pass v (or -v). Maechler's switch: for |x| <= log 2,
 * `log(-expm1(-|x|))`; above, `log1p(-exp(-|x|))`. x = 0 gives -Infinity; log1mexp(1e-30) =
 * log(1e-30). The gradient is `sign(x) / expm1(|x|)` (NaN at 0, where the one-sided limits differ).
 *
 * @param x - any real tensor or number
 * @returns a float32 tensor of the shape of `x`, all values <= 0
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { log1mexp } from '@vae/math';
 *
 * tf.tidy(() => {
 *   console.log(log1mexp([1e-30, 0.5, 50]).arraySync()); // [-69.0776, -0.9328, -1.9e-22]
 * });
 * ```
 * @function
 */
export const log1mexp: UnaryOp = publicUnaryOp('log1mexp', log1mexpOp);

/**
 * log(exp(a) + exp(b)), elementwise with broadcasting.
 *
 * @remarks
 * `max(a, b) + log1p(exp(-|a - b|))`. Infinities are handled: two -Infinity give -Infinity, any
 * +Infinity gives +Infinity. The gradient is the softmax weights `exp(a - r), exp(b - r)` (r the
 * result); when both are -Infinity each weight is 1/2, the limit along a = b -> -Infinity, not NaN.
 *
 * @param a - a tensor or number
 * @param b - a tensor or number, broadcast-compatible with `a`
 * @returns a float32 tensor of the broadcast shape of `a` and `b`
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { logAddExp } from '@vae/math';
 *
 * tf.tidy(() => {
 *   console.log(logAddExp([0, -Infinity], [0, -Infinity]).arraySync()); // [0.6931, -Infinity]
 * });
 * ```
 */
export function logAddExp(a: TensorInput, b: TensorInput): tf.Tensor {
  return tf.tidy(() => {
    const [ta, tb] = toFloat32Pair(a, b, ['a', 'b'], 'logAddExp');
    return logAddExpOp(ta, tb);
  });
}

function normalizeAxes(axis: number | number[] | undefined, rank: number): number[] {
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = Array.isArray(axis) ? axis : [axis];
  const out = list.map((a) => {
    if (!Number.isInteger(a) || a < -Math.max(rank, 1) || a >= Math.max(rank, 1)) {
      throw new InvalidArgumentError('axis', `an integer in [${-rank}, ${rank})`, `got ${a}`, 'logSumExp');
    }
    return a < 0 ? a + rank : a;
  });
  if (new Set(out).size !== out.length) throw new InvalidArgumentError('axis', 'free of repeated axes', `got [${list}]`, 'logSumExp');
  return out.filter((a) => a < rank);
}

/**
 * log(sum(exp(x))) along the given axes, computed stably.
 *
 * @remarks
 * `m + log(sum(exp(x - m)))` with m the maximum (replaced by 0 when it is infinite), so all
 * -Infinity gives -Infinity and any +Infinity gives +Infinity, never NaN. The gradient is the
 * softmax `exp(x - logSumExp(x))`; when every entry is -Infinity it is uniform (the limit of
 * equal entries going to -Infinity), and +Infinity entries share the whole weight.
 *
 * @param x - a tensor or nested array
 * @param axis - the axis or axes to reduce (negative counts from the end); all axes by default
 * @param keepDims - keep the reduced axes with length 1 (default false)
 * @returns a float32 tensor of the shape of `x` without the reduced axes (or with length 1 there
 *   when `keepDims`)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { logSumExp } from '@vae/math';
 *
 * tf.tidy(() => {
 *   console.log(logSumExp([[0, 0], [-Infinity, -Infinity]], 1).arraySync()); // [0.6931, -Infinity]
 * });
 * ```
 */
export function logSumExp(x: TensorInput, axis?: number | number[], keepDims = false): tf.Tensor {
  return tf.tidy(() => {
    const t = toFloat32(x, 'x', 'logSumExp');
    const axes = normalizeAxes(axis, t.rank);
    const kept = t.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const input = args[0] as tf.Tensor;
      const save = args[1] as tf.GradSaveFunc;
      const m = tf.max(input, axes, true);
      const shift = tf.where(tf.isFinite(m), m, tf.zerosLike(m));
      const lse = tf.add(tf.log(tf.sum(tf.exp(tf.sub(input, shift)), axes, true)), shift);
      save([input]);
      return {
        value: keepDims
          ? lse
          : tf.reshape(
              lse,
              t.shape.filter((_, i) => !axes.includes(i)),
            ),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const v = saved[0];
          const w = safeSoftmax(v, tf.max(v, axes, true), axes);
          return tf.mul(tf.reshape(dy, kept), w);
        },
      };
    });
    return op(t) as tf.Tensor;
  });
}
