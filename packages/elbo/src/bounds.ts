import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, expm1, log1p, logSumExp, stopGradient } from '@vae/math';
import { checkSeed } from '@vae/samplers';
import { checkCount, checkEstimator, logProbPathOnly, priorDistribution, reconstructionLogProb } from './internal.js';
import { checkTerms } from './model-terms.js';
import type { ModelTerms } from './model-terms.js';

/** Options of {@link iwaeBound}. */
export interface IwaeOptions {
  /** The number of importance samples k per example (default 5), an integer >= 1. */
  numSamples?: number;
  /** Optional integer seed of the samples. */
  seed?: number;
  /**
   * `'reparameterized'` (default), `'stl'` (log q with the posterior's parameters stopped; biased
   * for k > 1, Tucker et al. 2018) or `'dreg'` (doubly reparameterized, unbiased, lower variance).
   */
  gradientEstimator?: 'reparameterized' | 'stl' | 'dreg';
}

/** Options of {@link renyiBound}. */
export interface RenyiOptions {
  /** The number of samples k per example (default 5), an integer >= 1. */
  numSamples?: number;
  /** Optional integer seed of the samples. */
  seed?: number;
  /** `'reparameterized'` (default) or `'stl'` (log q with the posterior's parameters stopped). */
  gradientEstimator?: 'reparameterized' | 'stl';
}

/**
 * The log importance weights log w_i = log p(x | z_i) + log p(z_i) - log q(z_i | x), shape [k, B],
 * and the pieces DReG needs.
 */
function logWeights(terms: ModelTerms, k: number, seed: number | undefined, pathOnlyQ: boolean, context: string) {
  const x = checkTerms(terms, context);
  const q = terms.posterior;
  const p = priorDistribution(terms.prior, q, context);
  // Without a path-only gradient, log q comes from the sampling path (a flow is not inverted).
  let z: tf.Tensor;
  let logQ: tf.Tensor;
  if (pathOnlyQ) {
    z = q.rsample([k], seed);
    logQ = logProbPathOnly(q, z);
  } else {
    ({ sample: z, logProb: logQ } = q.sampleAndLogProb([k], seed, { reparameterize: true }));
  }
  const logW = tf.sub(tf.add(reconstructionLogProb(terms.likelihood, z, x, context), p.logProb(z)), logQ);
  return { x, p, z, logW };
}

/**
 * The importance-weighted bound of Burda et al. (2016) with k samples, per example, with the
 * reparameterized, STL or doubly reparameterized (DReG) gradient.
 *
 * @remarks
 * IWAE_k(x) = E[log (1/k) sum_i w_i] with w_i = p(x, z_i) / q(z_i | x), z_i ~ q i.i.d.; the estimate
 * is logsumexp_i log w_i - log k. IWAE_1 is the ELBO, IWAE_k <= IWAE_{k+1} <= log p(x) in
 * expectation, and IWAE_k -> log p(x) as k grows.
 *
 * Gradients. `'reparameterized'`: differentiate the estimate through z_i = rsample. `'stl'`: log q
 * evaluated path-only (the posterior's parameters stopped); zero-variance at the exact posterior
 * but biased for k > 1. `'dreg'` (Tucker, Lawson, Gu and Maddison 2018): with normalized weights
 * w~_i = w_i / sum_j w_j and log w_i evaluated with q's parameters stopped, the encoder gradient is
 * sum_i w~_i^2 d log w_i / d z_i dz_i / dphi, and the decoder's (and the prior's) is the usual
 * sum_i w~_i grad log p(x, z_i). Both come from one surrogate, sum_i stop(w~_i^2) log w_i +
 * sum_i stop(w~_i - w~_i^2) log p(x, stop(z_i)) (which costs a second decoder pass), returned as
 * stop(bound) + surrogate - stop(surrogate): the value is the bound, the gradient is DReG's.
 *
 * @param terms - `x`, `posterior` (batch `[B]`), `prior` and `likelihood` as for {@link elbo}
 * @param options - k, seed and gradient estimator
 * @returns the bound per example, shape `[B]`
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Independent, Normal } from '@vae/distributions';
 * import { StandardNormalPrior } from '@vae/priors';
 * import { gaussianLikelihood, iwaeBound } from '@vae/elbo';
 *
 * tf.tidy(() => {
 *   const x = tf.tensor([[1, -1]]);
 *   const posterior = new Independent({
 *     distribution: new Normal({ loc: tf.tensor([[0.3, -0.3]]), scale: tf.fill([1, 2], 0.8) }),
 *     reinterpretedBatchNdims: 1,
 *   });
 *   const prior = new StandardNormalPrior({ latentDim: 2 });
 *   const likelihood = (z: tf.Tensor) => gaussianLikelihood(z, { scale: 1 });
 *   for (const k of [1, 10, 100]) {
 *     console.log(k, iwaeBound({ x, posterior, prior, likelihood }, { numSamples: k, seed: 2 }).dataSync()[0]);
 *   }
 *   // 1 -3.83, 10 -2.92, 100 -2.95: single draws; their expectation rises toward
 *   // log p(x) = log N(x; 0, 2 I) = -3.0310
 *   prior.dispose();
 * });
 * ```
 */
export function iwaeBound(terms: ModelTerms, options: IwaeOptions = {}): tf.Tensor {
  const context = 'iwaeBound';
  const k = options.numSamples ?? 5;
  const estimator = options.gradientEstimator ?? 'reparameterized';
  checkCount(k, 'numSamples', 1, context);
  checkSeed(options.seed, context);
  checkEstimator(estimator, ['reparameterized', 'stl', 'dreg'], terms?.posterior, context);
  return tf.tidy(() => {
    const { x, p, z, logW } = logWeights(terms, k, options.seed, estimator !== 'reparameterized', context);
    const bound = tf.sub(logSumExp(logW, 0), Math.log(k));
    if (estimator !== 'dreg') return bound;
    const fixedW = stopGradient(logW);
    const normalized = tf.exp(tf.sub(fixedW, logSumExp(fixedW, 0, true))); // [k, B]
    const squared = tf.square(normalized);
    const zFixed = stopGradient(z);
    const directLogJoint = tf.add(reconstructionLogProb(terms.likelihood, zFixed, x, context), p.logProb(zFixed));
    const surrogate = tf.add(tf.sum(tf.mul(squared, logW), 0), tf.sum(tf.mul(tf.sub(normalized, squared), directLogJoint), 0));
    return tf.add(stopGradient(bound), tf.sub(surrogate, stopGradient(surrogate)));
  });
}

/**
 * The variational Renyi bound of Li and Turner (2016) with order alpha and k samples, per example.
 *
 * @remarks
 * L_alpha(x) = 1/(1 - alpha) log E_q[w^(1 - alpha)] with w = p(x, z) / q(z | x), estimated as
 * [logsumexp_i (1 - alpha) log w_i - log k] / (1 - alpha) with z_i ~ q (evaluated shifted by the
 * largest log w, and as log1p(mean(expm1(.))) near alpha = 1, so float32 does not cancel). alpha = 0 is the IWAE bound
 * with k samples; alpha -> 1 tends to the ELBO (use {@link elbo} for alpha = 1 itself, where the
 * formula is 0/0); alpha < 1 gives a lower bound on log p(x) (in expectation; tighter as alpha
 * decreases to 0), alpha > 1 an estimate that may exceed log p(x). L_alpha decreases in alpha.
 * Gradients are reparameterized, or path-only in log q with `'stl'`.
 *
 * @param terms - `x`, `posterior` (batch `[B]`), `prior` and `likelihood` as for {@link elbo}
 * @param alpha - the order: a finite number other than 1
 * @param options - k, seed and gradient estimator
 * @returns the bound per example, shape `[B]`
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Independent, Normal } from '@vae/distributions';
 * import { StandardNormalPrior } from '@vae/priors';
 * import { gaussianLikelihood, renyiBound } from '@vae/elbo';
 *
 * tf.tidy(() => {
 *   const x = tf.tensor([[1, -1]]);
 *   const posterior = new Independent({
 *     distribution: new Normal({ loc: tf.tensor([[0.3, -0.3]]), scale: tf.fill([1, 2], 0.8) }),
 *     reinterpretedBatchNdims: 1,
 *   });
 *   const prior = new StandardNormalPrior({ latentDim: 2 });
 *   const likelihood = (z: tf.Tensor) => gaussianLikelihood(z, { scale: 1 });
 *   const terms = { x, posterior, prior, likelihood };
 *   console.log(renyiBound(terms, 0.5, { numSamples: 50, seed: 3 }).dataSync()[0]); // -3.02 (log p(x) = -3.0310)
 *   prior.dispose();
 * });
 * ```
 */
export function renyiBound(terms: ModelTerms, alpha: number, options: RenyiOptions = {}): tf.Tensor {
  const context = 'renyiBound';
  if (typeof alpha !== 'number' || !Number.isFinite(alpha)) {
    throw new InvalidArgumentError('alpha', 'a finite number other than 1', `got ${String(alpha)}`, context);
  }
  if (alpha === 1) {
    throw new InvalidArgumentError('alpha', 'different from 1 (alpha = 1 is the ELBO: use elbo)', 'got 1', context);
  }
  const k = options.numSamples ?? 5;
  const estimator = options.gradientEstimator ?? 'reparameterized';
  checkCount(k, 'numSamples', 1, context);
  checkSeed(options.seed, context);
  checkEstimator(estimator, ['reparameterized', 'stl'], terms?.posterior, context);
  return tf.tidy(() => {
    const { logW } = logWeights(terms, k, options.seed, estimator === 'stl', context);
    // L = m + logmeanexp((1 - alpha)(log w - m)) / (1 - alpha), with m the max (or, for alpha > 1,
    // the min) of log w so every exponent is <= 0. Near alpha = 1 the log-mean-exp is tiny and
    // log(k) - log(k) would cancel in float32, so it is taken as log1p(mean(expm1(.))) there.
    const fixed = stopGradient(logW);
    const m = alpha < 1 ? tf.max(fixed, 0) : tf.min(fixed, 0);
    const shifted = tf.mul(1 - alpha, tf.sub(logW, m));
    const meanExp = tf.mean(tf.exp(shifted), 0);
    const viaLog = tf.log(meanExp);
    // Clamped so the branch tf.where discards stays finite (its gradient would be 0 * Infinity).
    const viaLog1p = log1p(tf.maximum(tf.mean(expm1(shifted), 0), -0.5));
    const logMeanExp = tf.where(tf.greater(stopGradient(meanExp), 0.5), viaLog1p, viaLog);
    return tf.add(m, tf.div(logMeanExp, 1 - alpha));
  });
}
