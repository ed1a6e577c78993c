import * as tf from '@tensorflow/tfjs-core';
import { log1p } from '@vae/math';
import type { TensorInput } from '@vae/math';
import { GAMMA_LOG_SAMPLE_GRAD_KERNEL, gammaLogSampleDerivative } from './gamma-grad.js';
import { checkPositive, clampOpenUnit, clampPositive, firstAccepted, sizeOf, vectorParameter } from './internal.js';
import { validates } from './sampler-options.js';
import type { SamplerOptions } from './sampler-options.js';
import { normalNoise, uniformNoise } from './noise.js';
import { splitSeed } from './seed.js';
import { logAndValueSamplers, sampleFrame, scalarPairSampler, scalarSampler } from './scalar-parameters.js';

/**
 * The maximum number of rounds of the Gamma samplers' vectorized Marsaglia-Tsang rejection.
 *
 * @remarks
 * Each round accepts with probability >= 0.95 for the shapes it sees (>= 1; smaller concentrations
 * are boosted), so an element is still unaccepted after all rounds with probability
 * <= 0.05^32 < 1e-41; such an element would keep its last proposal.
 */
export const GAMMA_MAX_ROUNDS = 32;

/**
 * Marsaglia and Tsang's acceptance test, in log space, of the proposals v = (1 + c x)^3 for
 * Gamma(d + 1/3): whether each is accepted (log u < x^2 / 2 + d (1 - v + log v), and 1 + c x > 0),
 * and log v = 3 log1p(c x) (the sample is d v). Shared by the host and device samplers.
 */
function marsagliaTsangTest(d: tf.Tensor, c: tf.Tensor, x: tf.Tensor, logU: tf.Tensor): [tf.Tensor, tf.Tensor] {
  const t = tf.mul(c, x);
  const valid = tf.greater(t, -1);
  const tSafe = tf.where(valid, t, tf.zerosLike(t));
  const log1pT = log1p(tSafe);
  // d (1 - v + log v) with v = (1 + t)^3, without forming v: 3 log1p(t) - t (3 + 3t + t^2).
  const cubicTerm = tf.mul(tSafe, tf.add(3, tf.mul(tSafe, tf.add(3, tSafe))));
  const logRatio = tf.add(tf.mul(0.5, tf.square(x)), tf.mul(d, tf.sub(tf.mul(3, log1pT), cubicTerm)));
  return [tf.logicalAnd(valid, tf.less(logU, logRatio)), tf.mul(3, log1pT)];
}

/**
 * log of standard Gamma(alpha, 1) samples, alpha given as a flat Float32Array (host side, no
 * gradient). Marsaglia and Tsang (2000) for shape a = alpha (alpha >= 1) or alpha + 1 (alpha < 1,
 * then boosted by u^(1/alpha)); everything is kept in log space:
 *   log z = log d + 3 log1p(c x) [+ log(u') / alpha],  d = a - 1/3,  c = 1 / sqrt(9 d).
 * Each round proposes only for the still-unaccepted elements (gathered), so the total work is about
 * 1.05 proposals per element.
 */
export function standardGammaLogHost(alpha: Float32Array, seed: number): Float32Array {
  const n = alpha.length;
  const out = new Float32Array(n);
  if (n === 0) return out;
  const seeds = splitSeed(seed, 2 * GAMMA_MAX_ROUNDS + 1);
  const shapeParameter = new Float32Array(n);
  for (let i = 0; i < n; i++) shapeParameter[i] = alpha[i] < 1 ? alpha[i] + 1 : alpha[i];
  let remaining: Int32Array | null = null; // null: all elements
  let count = n;
  for (let round = 0; round < GAMMA_MAX_ROUNDS && count > 0; round++) {
    const last = round === GAMMA_MAX_ROUNDS - 1;
    const idx: Int32Array | null = remaining;
    const [accept, logValue] = tf.tidy(() => {
      const aAll = tf.tensor1d(shapeParameter, 'float32');
      const a = idx === null ? aAll : tf.gather(aAll, tf.tensor1d(idx, 'int32'));
      const d = tf.sub(a, 1 / 3);
      const c = tf.div(1, tf.sqrt(tf.mul(9, d)));
      const x = normalNoise([count], seeds[2 * round]);
      const logU = tf.log(uniformNoise([count], seeds[2 * round + 1]));
      const [ok, logV] = marsagliaTsangTest(d, c, x, logU);
      return [ok, tf.add(tf.log(d), logV)];
    });
    const acceptData = accept.dataSync();
    const valueData = logValue.dataSync() as Float32Array;
    tf.dispose([accept, logValue]);
    const next: number[] = [];
    for (let j = 0; j < count; j++) {
      const i = idx === null ? j : idx[j];
      // After the last round an unaccepted element keeps its last proposal (see GAMMA_MAX_ROUNDS).
      if (acceptData[j] || last) out[i] = valueData[j];
      else next.push(i);
    }
    remaining = Int32Array.from(next);
    count = next.length;
  }
  // The boost for alpha < 1: z = z' u^(1/alpha), i.e. log z = log z' + log(u) / alpha.
  const boost = tf.tidy(() => tf.log(uniformNoise([n], seeds[2 * GAMMA_MAX_ROUNDS])));
  const logU = boost.dataSync();
  boost.dispose();
  for (let i = 0; i < n; i++) if (alpha[i] < 1) out[i] += logU[i] / alpha[i];
  return out;
}

/** d(log x)/da for tensors: the backend's kernel when it has one, else the host loop (read-backs). */
function gammaLogDerivative(alpha: tf.Tensor, logValue: tf.Tensor): tf.Tensor {
  if (tf.getKernel(GAMMA_LOG_SAMPLE_GRAD_KERNEL, tf.getBackend())) {
    return tf.engine().runKernel(GAMMA_LOG_SAMPLE_GRAD_KERNEL, { alpha, logValue }) as tf.Tensor;
  }
  const aValues = alpha.dataSync();
  const logValues = logValue.dataSync();
  const derivative = new Float32Array(aValues.length);
  for (let i = 0; i < derivative.length; i++) derivative[i] = gammaLogSampleDerivative(aValues[i], logValues[i]);
  return tf.tensor(derivative, alpha.shape, 'float32');
}

/**
 * log of standard Gamma(alpha, 1) samples with the implicit reparameterization gradient with
 * respect to alpha. `alpha` must already have the output shape.
 */
function standardGammaLog(alpha: tf.Tensor, seed: number): tf.Tensor {
  const alphaData = alpha.dataSync() as Float32Array;
  const logSample = standardGammaLogHost(Float32Array.from(alphaData), seed);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const a = args[0] as tf.Tensor;
    const save = args[1] as tf.GradSaveFunc;
    const value = tf.tensor(logSample, a.shape, 'float32');
    save([a, value]);
    return { value, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, gammaLogDerivative(saved[0], saved[1])) };
  });
  return op(alpha);
}

/**
 * A sampler of a concentration and a rate: draws of `shape` from a Gamma(concentration, rate) law.
 *
 * @remarks
 * The type of {@link gammaSample} and {@link gammaLogSample} (which draws log z), for code that
 * takes either. Both parameters are checked (> 0) unless `options.validateArgs` is false.
 *
 * @param concentration - shape alpha (> 0), broadcastable to `shape`
 * @param rate - rate beta (> 0), broadcastable to `shape`
 * @param shape - output shape (sampleShape + batchShape)
 * @param seed - optional integer seed
 * @param options - {@link SamplerOptions}
 * @returns a float32 tensor of `shape`
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { gammaLogSample, gammaSample } from '@vae/samplers';
 * import type { ConcentrationRateSampler } from '@vae/samplers';
 *
 * const samplers: ConcentrationRateSampler[] = [gammaSample, gammaLogSample];
 * tf.tidy(() => {
 *   console.log(samplers.map((sample) => sample(2, 1, [3], 1).shape)); // [[3], [3]]
 * });
 * ```
 */
export type ConcentrationRateSampler = (
  concentration: TensorInput,
  rate: TensorInput,
  shape: readonly number[],
  seed?: number,
  options?: SamplerOptions,
) => tf.Tensor;

/** The bodies of gammaLogSample (log z = log z_std - log(rate)) and gammaSample (z, at least 2^-126). */
const gamma = logAndValueSamplers(
  [
    ['concentration', checkPositive],
    ['rate', checkPositive],
  ],
  ([alpha, beta], s, seed) => tf.sub(standardGammaLog(tf.broadcastTo(alpha, s), seed), tf.log(beta)),
  clampPositive,
);

/**
 * Log of a reparameterized Gamma(concentration, rate) sample, computed in log space.
 *
 * @remarks
 * Marsaglia and Tsang's (2000) method, vectorized: every round proposes, for all still-unaccepted
 * elements at once, x ~ N(0, 1) and u ~ U(0, 1), and accepts log(d v) (v = (1 + c x)^3, d = a -
 * 1/3, c = 1 / sqrt(9 d)) when log u < x^2 / 2 + d (1 - v + log v); at most
 * 32 rounds (`GAMMA_MAX_ROUNDS`). For concentration alpha < 1 it samples shape alpha + 1 and adds
 * log(u') / alpha (the boost z u'^(1/alpha)), which for alpha = 1e-3 is far below float32's
 * smallest number: that is why the log-sample exists. Finally log z = log z_std - log(rate).
 *
 * Gradients: d/d rate = -1 / rate exactly. d/d concentration is the implicit reparameterization
 * gradient (Figurnov, Mohamed and Mnih 2018), d(log z)/d alpha = -(dP(alpha, z)/d alpha) /
 * (z p(z)) at fixed quantile, P the regularized lower incomplete gamma function. It is evaluated in
 * float64 on the host from P's power series (z < alpha + 1) or Legendre's continued fraction for
 * 1 - P (above), with the alpha-derivative carried through each term, to relative accuracy ~1e-9
 * before the float32 rounding. The sampler reads its parameters and acceptance masks back
 * synchronously (fine on cpu and wasm; a stall on webgl).
 *
 * @param concentration - shape alpha (> 0), broadcastable to `shape`
 * @param rate - rate beta (> 0), broadcastable to `shape`
 * @param shape - output shape (sampleShape + batchShape)
 * @param seed - optional integer seed
 * @param options - {@link SamplerOptions}
 * @returns a float32 tensor of `shape` holding log z (finite)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { gammaLogSample } from '@vae/samplers';
 *
 * tf.tidy(() => {
 *   const logZ = gammaLogSample(1e-3, 1, [4], 1);
 *   console.log(logZ.shape); // [4]: finite values, typically hundreds below 0, where exp underflows
 * });
 * ```
 * @function
 */
export const gammaLogSample: ConcentrationRateSampler = scalarPairSampler('gammaLogSample', gamma.log);

/**
 * Reparameterized Gamma(concentration, rate) sample with implicit gradients.
 *
 * @remarks
 * z = exp({@link gammaLogSample}); density z^(alpha - 1) e^(-beta z) beta^alpha / Gamma(alpha),
 * mean alpha / beta. See {@link gammaLogSample} for the algorithm and the gradient (implicit
 * reparameterization in alpha, d z / d beta = -z / beta). For concentrations below ~0.01 most
 * samples are smaller than float32 can represent: they are clamped to the smallest normal float32
 * 2^-126 (as torch clamps to `finfo.tiny`), so the sample stays inside the support and its log
 * density and gradients stay finite (the clamped draws carry no gradient, their true one being
 * below 1e-38). Use the log-sample there when the values themselves matter.
 *
 * @param concentration - shape alpha (> 0), broadcastable to `shape`
 * @param rate - rate beta (> 0), broadcastable to `shape`
 * @param shape - output shape (sampleShape + batchShape)
 * @param seed - optional integer seed
 * @param options - {@link SamplerOptions}
 * @returns a float32 tensor of `shape` (>= 2^-126)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { gammaSample } from '@vae/samplers';
 *
 * tf.tidy(() => {
 *   const alpha = tf.tensor([0.5, 2, 10]);
 *   const dMean = tf.grad((a: tf.Tensor) => tf.sum(tf.mean(gammaSample(a, 1, [1000, 3], 1), 0)))(alpha);
 *   console.log(dMean.shape); // [3], each close to 1 = d E[z] / d alpha
 * });
 * ```
 * @function
 */
export const gammaSample: ConcentrationRateSampler = scalarPairSampler('gammaSample', gamma.value);

/** log X and log Y of independent standard Gammas for a Beta sample, both with gradients. */
export function betaLogPair(alpha: tf.Tensor, beta: tf.Tensor, shape: number[], seed: number): [tf.Tensor, tf.Tensor] {
  const [seedX, seedY] = splitSeed(seed, 2);
  return [standardGammaLog(tf.broadcastTo(alpha, shape), seedX), standardGammaLog(tf.broadcastTo(beta, shape), seedY)];
}

/**
 * A sampler of two concentrations: draws of `shape` from a law on (0, 1) with concentrations
 * `concentration1` and `concentration0`.
 *
 * @remarks
 * The type of {@link betaSample}, named as the Beta law's parameters are (`concentration1` pulls
 * the draws towards 1, `concentration0` towards 0). Both are checked (> 0) unless
 * `options.validateArgs` is false.
 *
 * @param concentration1 - alpha (> 0), broadcastable to `shape`
 * @param concentration0 - beta (> 0), broadcastable to `shape`
 * @param shape - output shape (sampleShape + batchShape)
 * @param seed - optional integer seed
 * @param options - {@link SamplerOptions}
 * @returns a float32 tensor of `shape` with values in (0, 1)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { betaSample } from '@vae/samplers';
 * import type { ConcentrationPairSampler } from '@vae/samplers';
 *
 * const sample: ConcentrationPairSampler = betaSample;
 * tf.tidy(() => {
 *   console.log(sample(2, 5, [4], 1).shape); // [4]
 * });
 * ```
 */
export type ConcentrationPairSampler = (
  concentration1: TensorInput,
  concentration0: TensorInput,
  shape: readonly number[],
  seed?: number,
  options?: SamplerOptions,
) => tf.Tensor;

/** X / (X + Y), as sigmoid(log X - log Y), of two standard Gammas. */
const beta = scalarSampler(
  [
    ['concentration1', checkPositive],
    ['concentration0', checkPositive],
  ],
  ([c1, c0], s, seed) => {
    const [logX, logY] = betaLogPair(c1, c0, s, seed);
    return clampOpenUnit(tf.sigmoid(tf.sub(logX, logY)));
  },
);

/**
 * Reparameterized Beta(concentration1, concentration0) sample, X / (X + Y) from two Gammas.
 *
 * @remarks
 * X ~ Gamma(concentration1, 1), Y ~ Gamma(concentration0, 1); the sample is
 * sigmoid(log X - log Y), formed from the log-samples so tiny concentrations (1e-3) neither
 * underflow nor give 0/0. It is clamped to [2^-126, 1 - 2^-24] (float32 cannot tell the rest from 0
 * or 1). Gradients flow through both Gammas' implicit gradients. Mean concentration1 /
 * (concentration1 + concentration0).
 *
 * @param concentration1 - alpha (> 0), broadcastable to `shape`
 * @param concentration0 - beta (> 0), broadcastable to `shape`
 * @param shape - output shape (sampleShape + batchShape)
 * @param seed - optional integer seed
 * @param options - {@link SamplerOptions}
 * @returns a float32 tensor of `shape` with values in (0, 1)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { betaSample } from '@vae/samplers';
 *
 * tf.tidy(() => {
 *   const x = betaSample(2, 5, [3], 1);
 *   console.log(x.shape); // [3]
 * });
 * ```
 * @function
 */
export const betaSample: ConcentrationPairSampler = scalarPairSampler('betaSample', beta);

/**
 * Reparameterized Dirichlet(concentration) sample, normalized Gammas.
 *
 * @remarks
 * G_k ~ Gamma(alpha_k, 1) independently; the sample is softmax(log G), i.e. G / sum(G) formed in
 * log space, so it sums to 1 and tiny concentrations do not give 0/0. Coordinates that round to 0
 * are clamped to 2^-126, the smallest normal float32, so the sample stays in the open simplex (its
 * log density stays finite). Gradients flow through each Gamma's implicit gradient. Mean
 * alpha / sum(alpha).
 *
 * @param concentration - alpha (> 0), shape batchShape + [K] with leading axes broadcastable to
 *   `shape`
 * @param shape - output leading shape (sampleShape + batchShape)
 * @param seed - optional integer seed
 * @param options - {@link SamplerOptions}
 * @returns a float32 tensor of `shape` + [K] on the simplex
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { dirichletSample } from '@vae/samplers';
 *
 * tf.tidy(() => {
 *   const p = dirichletSample(tf.tensor([1, 2, 3]), [5], 1);
 *   console.log(p.shape); // [5, 3]
 * });
 * ```
 */
export function dirichletSample(
  concentration: TensorInput,
  shape: readonly number[],
  seed?: number,
  options: SamplerOptions = {},
): tf.Tensor {
  const context = 'dirichletSample';
  return sampleFrame(context, shape, seed, (s, resolved) => {
    const { tensor: alpha, size: k } = vectorParameter(concentration, 'concentration', s, context);
    checkPositive(alpha, 'concentration', context, validates(options));
    const full = [...s, k];
    if (sizeOf(full) === 0) return tf.zeros(full);
    return clampPositive(tf.softmax(standardGammaLog(tf.broadcastTo(alpha, full), resolved)));
  });
}

// Proposals per element of the device-side gamma sampler: Marsaglia and Tsang accept each with
// probability >= 0.95 (shape >= 1), so all 8 fail with probability < 4e-11; such an element keeps
// its last proposal (with v clamped positive).
const DEVICE_GAMMA_PROPOSALS = 8;

/**
 * log of standard Gamma(alpha) samples drawn on the device (no read-back): Marsaglia and Tsang
 * with DEVICE_GAMMA_PROPOSALS proposals per element at once, the first accepted kept, in log space
 * as in standardGammaLogHost (shape alpha + 1 and the boost log(u) / alpha where alpha < 1). The
 * implicit reparameterization gradient comes from gammaLogDerivative. `alpha` has the output shape.
 */
export function standardGammaLogDevice(alpha: tf.Tensor, seed: number): tf.Tensor {
  const [seedX, seedU, seedBoost] = splitSeed(seed, 3);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const a = args[0] as tf.Tensor;
    const save = args[1] as tf.GradSaveFunc;
    const value = tf.tidy(() => {
      const small = tf.less(a, 1);
      const shapeParameter = tf.where(small, tf.add(a, 1), a);
      const d = tf.sub(shapeParameter, 1 / 3);
      const c = tf.rsqrt(tf.mul(9, d));
      const proposals = [DEVICE_GAMMA_PROPOSALS, ...a.shape];
      const x = normalNoise(proposals, seedX);
      const logU = tf.log(uniformNoise(proposals, seedU));
      const [accepted, logV] = marsagliaTsangTest(d, c, x, logU);
      const chosen = firstAccepted(accepted, logV);
      const boost = tf.where(small, tf.div(tf.log(uniformNoise(a.shape, seedBoost)), a), tf.zerosLike(a));
      return tf.add(tf.add(tf.log(d), chosen), boost);
    });
    save([a, value]);
    return { value, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, gammaLogDerivative(saved[0], saved[1])) };
  });
  return op(alpha);
}
