import * as tf from '@tensorflow/tfjs-core';
import { Independent, TransformedDistribution } from '@vae/distributions';
import type { Distribution } from '@vae/distributions';
import { defaultKLRegistry, klDivergence } from '@vae/kl';
import type { KLRegistry } from '@vae/kl';
import { InvalidArgumentError } from '@vae/math';
import { checkSeed } from '@vae/samplers';
import { checkCount, checkEstimator, logProbPathOnly, priorDistribution, reconstructionLogProb } from './internal.js';
import { checkTerms } from './model-terms.js';
import type { ModelTerms } from './model-terms.js';

/** Options of {@link elbo}. */
export interface ElboOptions {
  /**
   * How the KL term is computed: `'analytic'` (the `@vae/kl` registry; an error when the pair is
   * not registered), `'monteCarlo'` (from the same latent samples as the reconstruction) or
   * `'auto'` (default: analytic when registered, else Monte Carlo, e.g. for mixture priors; for a
   * flow posterior whose base has a registered pair with the prior, the base's closed form plus a
   * Monte Carlo correction, see {@link elbo}).
   */
  kl?: 'analytic' | 'monteCarlo' | 'auto';
  /** Latent samples S per example (default 1); the terms are averaged over them. */
  numSamples?: number;
  /** Weight of the KL term (default 1: the ELBO itself), >= 0. */
  beta?: number;
  /**
   * Free bits lambda in nats per latent dimension (default 0: off), >= 0. See {@link elbo}.
   * Needs a posterior and a prior that factorize over the latent dimensions.
   */
  freeBits?: number;
  /** Optional integer seed of the latent samples. */
  seed?: number;
  /**
   * `'reparameterized'` (default): the pathwise gradient. `'stl'`: sticking the landing (Roeder et
   * al. 2017), log q(z) evaluated with the posterior's parameters stopped; forces the Monte Carlo KL.
   */
  gradientEstimator?: 'reparameterized' | 'stl';
  /** The KL registry for analytic pairs (default `defaultKLRegistry` from `@vae/kl`). */
  registry?: KLRegistry;
}

/** What {@link elbo} returns: per-example terms, each of shape `[B]` (pass it to `tf.dispose` whole). */
export type ElboResult = {
  /**
   * The objective to maximize: reconstruction - beta * klPenalty. With beta = 1 and no free bits
   * it is the evidence lower bound itself.
   */
  elbo: tf.Tensor;
  /** E_q[log p(x | z)], averaged over the S samples. */
  reconstruction: tf.Tensor;
  /** KL(q(z | x) || p(z)): analytic, or the Monte Carlo estimate averaged over the S samples. */
  kl: tf.Tensor;
  /** The KL term the objective penalizes: `kl`, or its free-bits floor (see {@link elbo}). */
  klPenalty: tf.Tensor;
};

/**
 * The evidence lower bound per example, with beta weighting, free bits and the sticking-the-landing
 * gradient, split into reconstruction and KL terms.
 *
 * @remarks
 * ELBO(x) = E_q(z|x)[log p(x | z)] - KL(q(z | x) || p(z)) <= log p(x). The expectation is estimated
 * with S reparameterized samples z_s = rsample from the posterior (shape `[S, B, latentDim]`, passed
 * to `likelihood`); the KL is analytic when asked for (or when `'auto'` finds the pair in the
 * registry), otherwise (1/S) sum_s [log q(z_s | x) - log p(z_s)] on the same samples, so at the
 * exact posterior (where log p(x, z) - log q(z | x) = log p(x) for every z) even one sample gives
 * the ELBO exactly.
 *
 * A flow posterior q = f(q0) (a `TransformedDistribution` with a reparameterized base) has no
 * closed-form KL, but under `'auto'`, when the registry holds the pair (q0, p), the KL is split as
 * KL(q || p) = KL(q0 || p) + E_q0[log p(z0) - log p(f(z0)) - log |det J_f(z0)|]: the closed form
 * plus a Monte Carlo correction on the same samples z = f(z0). This is unbiased like the plain
 * estimate, and its sampling noise vanishes as f approaches the identity (the correction's
 * integrand is then 0 for every z0), whereas the plain estimate log q(z) - log p(z) keeps the full
 * noise of log p(z). Flows are initialized near the identity, so early in training the flow
 * posterior's KL gradient is as quiet as the diagonal Gaussian's analytic one.
 *
 * The returned objective is reconstruction - beta * klPenalty (Higgins et al. 2017 for beta; use a
 * schedule such as {@link linearWarmup} to anneal it).
 *
 * Free bits (Kingma et al. 2016, the IAF paper): with lambda > 0 the posterior must be an
 * `Independent` over the latent dimensions (e.g. `Independent(Normal, 1)`) and the prior too (e.g.
 * the standard normal). The KL is computed per dimension j, KL_bj (analytic on the base
 * distributions, or Monte Carlo from their per-coordinate log densities), then averaged over the
 * minibatch, m_j = (1/B) sum_b KL_bj. Dimensions with m_j >= lambda are penalized as usual;
 * dimensions with m_j < lambda are replaced by the constant lambda, so they receive no KL gradient
 * at all. Per example, klPenalty_b = sum_j (m_j >= lambda ? KL_bj : lambda); its batch mean is the
 * paper's sum_j max(lambda, m_j). The minibatch is the `B` of this call, so results depend on how
 * the data are batched, as in the paper.
 *
 * STL drops the score term d/dphi log q_phi(z) at fixed z from the gradient (its expectation is
 * zero), so at the exact posterior the gradient is zero for every sample; it needs the Monte Carlo
 * KL, computed with log q(z) evaluated path-only.
 *
 * @param terms - `x` (`[B, ...dataEvent]`), `posterior` (batch `[B]`, event `[latentDim]`), `prior`
 *   (a `Prior` or a `Distribution`) and `likelihood(z)` (the decoder)
 * @param options - KL mode, sample count, beta, free bits, seed and gradient estimator
 * @returns `{ elbo, reconstruction, kl, klPenalty }`, each of shape `[B]`
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Independent, Normal } from '@vae/distributions';
 * import { StandardNormalPrior } from '@vae/priors';
 * import { elbo, gaussianLikelihood } from '@vae/elbo';
 *
 * tf.tidy(() => {
 *   const x = tf.tensor([[0.5, -1], [2, 0]]);
 *   const posterior = new Independent({
 *     distribution: new Normal({ loc: tf.zeros([2, 2]), scale: tf.fill([2, 2], 0.5) }),
 *     reinterpretedBatchNdims: 1,
 *   });
 *   const prior = new StandardNormalPrior({ latentDim: 2 });
 *   const likelihood = (z: tf.Tensor) => gaussianLikelihood(z, { scale: 1 });
 *   const { elbo: bound, kl } = elbo({ x, posterior, prior, likelihood }, { numSamples: 16, seed: 1 });
 *   console.log(bound.shape, kl.arraySync()); // [2] [0.6363, 0.6363]: analytic, 2 (0.25 - 1 - log 0.25) / 2
 *   prior.dispose();
 * });
 * ```
 */
export function elbo(terms: ModelTerms, options: ElboOptions = {}): ElboResult {
  const context = 'elbo';
  const numSamples = options.numSamples ?? 1;
  const beta = options.beta ?? 1;
  const freeBits = options.freeBits ?? 0;
  const mode = options.kl ?? 'auto';
  const estimator = options.gradientEstimator ?? 'reparameterized';
  const registry = options.registry ?? defaultKLRegistry;
  checkCount(numSamples, 'numSamples', 1, context);
  checkSeed(options.seed, context);
  if (!(typeof beta === 'number' && Number.isFinite(beta) && beta >= 0)) {
    throw new InvalidArgumentError('beta', 'a finite number >= 0', `got ${String(beta)}`, context);
  }
  if (!(typeof freeBits === 'number' && Number.isFinite(freeBits) && freeBits >= 0)) {
    throw new InvalidArgumentError('freeBits', 'a finite number >= 0 (nats per latent dimension)', `got ${String(freeBits)}`, context);
  }
  if (mode !== 'analytic' && mode !== 'monteCarlo' && mode !== 'auto') {
    throw new InvalidArgumentError('kl', "'analytic', 'monteCarlo' or 'auto'", `got ${String(mode)}`, context);
  }
  checkEstimator(estimator, ['reparameterized', 'stl'], terms?.posterior, context);
  if (estimator === 'stl' && mode === 'analytic') {
    throw new InvalidArgumentError(
      'kl',
      "'monteCarlo' or 'auto' with gradientEstimator 'stl' (sticking the landing needs log q(z) on the samples)",
      "got 'analytic'",
      context,
    );
  }
  return tf.tidy(() => {
    const x = checkTerms(terms, context);
    const q = terms.posterior;
    const p = priorDistribution(terms.prior, q, context);
    let qKL: Distribution = q;
    let pKL: Distribution = p;
    if (freeBits > 0) {
      [qKL, pKL] = perDimensionPair(q, p, context);
    }
    const analytic = estimator !== 'stl' && (mode === 'analytic' || (mode === 'auto' && hasPair(registry, qKL, pKL)));
    // A Monte Carlo KL of q itself takes log q from the sampling path (rsampleAndLogProb): a flow
    // posterior then scores its sample on the way forward instead of inverting the flow.
    const scoreOnSampling = !analytic && estimator !== 'stl' && qKL === q;
    let logQSampled: tf.Tensor | undefined;
    let z: tf.Tensor; // [S, B, D]
    let klTerms: tf.Tensor | undefined; // [B] or, with free bits, [B, D]
    const flow = scoreOnSampling && mode === 'auto' && q instanceof TransformedDistribution && q.reparameterized ? q : undefined;
    const baseKL = flow && hasPair(registry, flow.distribution, p) ? analyticKL(flow.distribution, p, registry, false) : undefined;
    if (flow && baseKL) {
      ({ z, klTerms } = flowKL(flow, p, baseKL, numSamples, options.seed));
    } else if (scoreOnSampling) {
      ({ sample: z, logProb: logQSampled } = q.rsampleAndLogProb([numSamples], options.seed));
    } else {
      z = q.rsample([numSamples], options.seed);
    }
    const logLikelihood = reconstructionLogProb(terms.likelihood, z, x, context); // [S, B]
    // With one sample the mean over S is that sample: a reshape, not a reduction and its gradient.
    const reconstruction = numSamples === 1 ? tf.reshape(logLikelihood, logLikelihood.shape.slice(1)) : tf.mean(logLikelihood, 0);
    if (analytic) klTerms = analyticKL(qKL, pKL, registry, mode === 'analytic');
    if (klTerms === undefined) {
      const logQ = logQSampled ?? (estimator === 'stl' ? logProbPathOnly(qKL, z) : qKL.logProb(z));
      klTerms = tf.mean(tf.sub(logQ, pKL.logProb(z)), 0);
    }
    const batch = q.batchShape[0];
    let kl: tf.Tensor;
    let klPenalty: tf.Tensor;
    if (freeBits > 0) {
      const perDim = tf.broadcastTo(klTerms, [batch, q.eventShape[0]]);
      kl = tf.sum(perDim, -1);
      const active = tf.greaterEqual(tf.mean(perDim, 0), freeBits); // [D], decided on the batch mean
      klPenalty = tf.sum(tf.where(tf.broadcastTo(active, perDim.shape), perDim, tf.fill(perDim.shape, freeBits)), -1);
    } else {
      kl = tf.broadcastTo(klTerms, [batch]);
      klPenalty = kl;
    }
    const objective = tf.sub(reconstruction, beta === 1 ? klPenalty : tf.mul(beta, klPenalty));
    return { elbo: objective, reconstruction, kl, klPenalty };
  });
}

/**
 * KL(q || p) for q = f(q0) as KL(q0 || p) + mean_s [log p(z0_s) - log p(z_s) - log |det J_f(z0_s)|],
 * with z_s = f(z0_s) the samples the reconstruction uses.
 */
function flowKL(
  q: TransformedDistribution,
  p: Distribution,
  baseKL: tf.Tensor,
  numSamples: number,
  seed?: number,
): { z: tf.Tensor; klTerms: tf.Tensor } {
  const base = q.distribution;
  const z0 = base.rsample([numSamples], seed);
  const { y: z, logDetJacobian } = q.bijector.forwardAndLogDetJacobian(z0, base.eventShape.length);
  const correction = tf.sub(tf.sub(p.logProb(z0), p.logProb(z)), logDetJacobian); // [S, B]
  return { z, klTerms: tf.add(baseKL, tf.mean(correction, 0)) };
}

/**
 * The registered KL(q || p), or undefined when a pair the registry found has parts that are not
 * all registered (e.g. Independent over an unregistered base pair) and the caller can fall back to
 * Monte Carlo, as for an unregistered pair; with `required` that case throws.
 */
function analyticKL(q: Distribution, p: Distribution, registry: KLRegistry, required: boolean): tf.Tensor | undefined {
  try {
    return klDivergence(q, p, { registry });
  } catch (error) {
    if (required || !(error instanceof Error) || !/No analytic KL/.test(error.message)) throw error;
    return undefined;
  }
}

function hasPair(registry: KLRegistry, p: Distribution, q: Distribution): boolean {
  try {
    // find, not lookup: a pair may hold only for some instances (TransformedDistributions under one bijector).
    return registry.find(p, q) !== undefined;
  } catch {
    // An ambiguous lookup (a tie between pairs) counts as no pair: fall back to Monte Carlo.
    return false;
  }
}

/** The per-dimension distributions for free bits: the bases of two Independents over [D]. */
function perDimensionPair(q: Distribution, p: Distribution, context: string): [Distribution, Distribution] {
  const factorized = (d: Distribution): d is Independent =>
    d instanceof Independent && d.reinterpretedBatchNdims === 1 && d.eventShape.length === 1 && d.distribution.eventShape.length === 0;
  if (!factorized(q)) {
    throw new InvalidArgumentError(
      'posterior',
      'an Independent over the latent dimensions (e.g. Independent(Normal, 1)) when freeBits > 0, so the KL splits per dimension',
      `got ${q.name} with event shape [${q.eventShape}]`,
      context,
    );
  }
  if (!factorized(p)) {
    throw new InvalidArgumentError(
      'prior',
      'factorized over the latent dimensions (an Independent such as the standard normal) when freeBits > 0',
      `got ${p.name}`,
      context,
    );
  }
  return [q.distribution, p.distribution];
}
