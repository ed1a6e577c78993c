import * as tf from '@tensorflow/tfjs-core';
import { assertElementwise, log1p, withoutGradient } from '@vae/math';
import type { TensorInput } from '@vae/math';
import { firstAccepted, scalarParameter } from './internal.js';
import { normalNoise, uniformNoise } from './noise.js';
import { validates } from './sampler-options.js';
import type { SamplerOptions } from './sampler-options.js';
import { splitSeed } from './seed.js';
import { sampleFrame } from './scalar-parameters.js';

// Below this rate the sample is found by inversion over the first INVERSION_TERMS counts; from it on
// by Hormann's transformed rejection (PTRS), which accepts with probability >= 0.89 for rates >= 10.
const INVERSION_BELOW = 10;
// P(X >= 48) for rate 10 is below 1e-15: the table's missing tail is never reached in float32.
const INVERSION_TERMS = 48;
// Proposals drawn per element at once; all are rejected with probability <= 0.11^12 < 4e-12.
const PTRS_PROPOSALS = 12;
// From this count on, lgamma(k + 1) is replaced by its Stirling form around k = rate (see logMass).
const STIRLING_FROM = 10;
const LOG1PMX_SERIES_BELOW = 0.25;
const LOG1PMX_TERMS = 14;

/** log1p(t) - t, by its power series near 0 where the difference cancels. */
function log1pmx(t: tf.Tensor): tf.Tensor {
  const small = tf.less(tf.abs(t), LOG1PMX_SERIES_BELOW);
  const ts = tf.where(small, t, tf.zerosLike(t));
  const tl = tf.where(small, tf.onesLike(t), t);
  let acc: tf.Tensor = tf.zerosLike(ts);
  for (let k = LOG1PMX_TERMS + 1; k >= 2; k--) acc = tf.add(tf.mul(acc, ts), (k % 2 === 0 ? -1 : 1) / k);
  // Away from 0 the plain kernel's log1p is as good as the careful one, and cheaper.
  return tf.where(small, tf.mul(tf.square(ts), acc), tf.sub(tf.log1p(tl), tl));
}

// log k! for k < STIRLING_FROM, looked up rather than computed by lgamma (the rejection step's hot path).
const LOG_FACTORIALS = Array.from({ length: STIRLING_FROM }, (_, k) =>
  Array.from({ length: k }, (_, i) => Math.log(i + 1)).reduce((a, b) => a + b, 0),
);

/**
 * log(rate^k e^-rate / k!) for integer counts k >= 0 and rates > 0 (no gradient). For k >= 10 it is
 * written as a log1pmx(t) - log1p(t) - log(2 pi a) / 2 - c(a) with a = k + 1, t = (rate - a) / a
 * (the Gamma(a, 1) density at rate, Stirling's series), so the terms of size k log k do not cancel.
 */
function logMass(k: tf.Tensor, rate: tf.Tensor): tf.Tensor {
  const stirling = tf.greaterEqual(k, STIRLING_FROM);
  const kSmall = tf.where(stirling, tf.zerosLike(k), k);
  const logFactorial = tf.gather(tf.tensor1d(LOG_FACTORIALS), tf.cast(kSmall, 'int32'));
  const direct = tf.sub(tf.sub(tf.mul(kSmall, tf.log(rate)), rate), logFactorial);
  const a = tf.where(stirling, tf.add(k, 1), tf.fill(k.shape, STIRLING_FROM + 1));
  const t = tf.div(tf.sub(rate, a), a);
  const inverse = tf.reciprocal(a);
  const c = tf.mul(inverse, tf.add(1 / 12, tf.mul(tf.square(inverse), tf.add(-1 / 360, tf.mul(tf.square(inverse), 1 / 1260)))));
  const large = tf.sub(tf.sub(tf.mul(a, log1pmx(t)), log1p(t)), tf.add(tf.mul(0.5, tf.log(tf.mul(2 * Math.PI, a))), c));
  return tf.where(stirling, large, direct);
}

/** Inversion: the number of partial sums of the mass below u, over the first INVERSION_TERMS counts. */
function poissonByInversion(rate: tf.Tensor, seed: number): tf.Tensor {
  const u = uniformNoise(rate.shape, seed);
  // p(k) = p(k - 1) rate / k from p(0) = e^-rate: no rounding beyond float32's in a product of 48 terms.
  let mass = tf.exp(tf.neg(rate));
  let cdf = mass;
  let count = tf.cast(tf.less(cdf, u), 'float32');
  for (let k = 1; k < INVERSION_TERMS; k++) {
    mass = tf.mul(mass, tf.div(rate, k));
    cdf = tf.add(cdf, mass);
    count = tf.add(count, tf.cast(tf.less(cdf, u), 'float32'));
  }
  return count;
}

/**
 * Hormann's PTRS (1993, "The transformed rejection method for generating Poisson random variables"),
 * PTRS_PROPOSALS proposals per element at once, the first accepted kept; the acceptance test uses
 * the Stirling form of the mass, so it stays exact in float32 for rates up to ~1e7.
 */
function poissonByRejection(rate: tf.Tensor, seed: number): tf.Tensor {
  const [seedU, seedV, seedFallback] = splitSeed(seed, 3);
  const shape = [PTRS_PROPOSALS, ...rate.shape];
  const lam = tf.broadcastTo(rate, shape);
  const slam = tf.sqrt(lam);
  const b = tf.add(0.931, tf.mul(2.53, slam));
  const a = tf.add(-0.059, tf.mul(0.02483, b));
  const invAlpha = tf.add(1.1239, tf.div(1.1328, tf.sub(b, 3.4)));
  const vr = tf.sub(0.9277, tf.div(3.6224, tf.sub(b, 2)));
  const u = tf.sub(uniformNoise(shape, seedU), 0.5);
  const v = uniformNoise(shape, seedV);
  const us = tf.sub(0.5, tf.abs(u));
  const k = tf.floor(tf.add(tf.mul(tf.add(tf.div(tf.mul(2, a), us), b), u), tf.add(lam, 0.43)));
  const quick = tf.logicalAnd(tf.greaterEqual(us, 0.07), tf.lessEqual(v, vr));
  const kSafe = tf.relu(k);
  const logAcceptance = tf.sub(tf.add(tf.log(v), tf.log(invAlpha)), tf.log(tf.add(tf.div(a, tf.square(us)), b)));
  const full = tf.logicalAnd(
    tf.logicalAnd(tf.greaterEqual(k, 0), tf.logicalNot(tf.logicalAnd(tf.less(us, 0.013), tf.greater(v, us)))),
    tf.lessEqual(logAcceptance, logMass(kSafe, lam)),
  );
  // Never reached in practice (probability < 4e-12); a rounded normal keeps the output a count.
  const fallback = tf.relu(tf.round(tf.add(rate, tf.mul(tf.sqrt(rate), normalNoise(rate.shape, seedFallback)))));
  return firstAccepted(tf.logicalOr(quick, full), kSafe, fallback);
}

/**
 * Poisson(rate) samples as float32 counts, drawn on the device (no read-back); not differentiable.
 *
 * @remarks
 * P(X = k) = rate^k e^(-rate) / k!. Rates below 10 are sampled by inversion: with u uniform,
 * X = #{k : F(k) < u} over the first 48 counts (the mass beyond is below 1e-15). Rates from 10 on
 * use Hormann's transformed rejection PTRS with 12 proposals per element drawn at once and the
 * first accepted kept (each is accepted with probability >= 0.89); its acceptance test evaluates
 * log P(X = k) with Stirling's series, so it is exact in float32 up to rates ~1e7. A rate of 0
 * gives 0. Counts above 2^24 are rounded to float32's grid, as any float32 count is.
 *
 * @param rate - the mean (>= 0), broadcastable to `shape`
 * @param shape - output shape (sampleShape + batchShape)
 * @param seed - optional integer seed
 * @param options - {@link SamplerOptions}
 * @returns a float32 tensor of `shape` holding non-negative integers
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { poissonSample } from '@vae/samplers';
 *
 * tf.tidy(() => {
 *   const x = poissonSample([0.5, 1e4], [2000, 2], 1);
 *   console.log(Array.from(tf.mean(x, 0).dataSync())); // ~[0.5, 10000]
 * });
 * ```
 */
export function poissonSample(rate: TensorInput, shape: readonly number[], seed?: number, options: SamplerOptions = {}): tf.Tensor {
  const context = 'poissonSample';
  return sampleFrame(context, shape, seed, (s, resolved) => {
    const r = scalarParameter(rate, 'rate', s, context);
    if (validates(options)) assertElementwise(r, 'rate', 'non-negative (>= 0) and finite', (x) => x >= 0 && Number.isFinite(x), context);
    return withoutGradient((rt) => {
      const lam = tf.broadcastTo(rt, s);
      const [seedSmall, seedLarge] = splitSeed(resolved, 2);
      const small = tf.less(lam, INVERSION_BELOW);
      const lamSmall = tf.where(small, tf.maximum(lam, 1e-30), tf.onesLike(lam));
      const lamLarge = tf.where(small, tf.fill(s, INVERSION_BELOW), lam);
      const counts = tf.where(small, poissonByInversion(lamSmall, seedSmall), poissonByRejection(lamLarge, seedLarge));
      return tf.where(tf.equal(lam, 0), tf.zerosLike(counts), counts);
    }, r);
  });
}
