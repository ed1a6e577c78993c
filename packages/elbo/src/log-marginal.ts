import * as tf from '@tensorflow/tfjs-core';
import { Distribution } from '@vae/distributions';
import { InvalidArgumentError, toFloat32 } from '@vae/math';
import type { TensorInput } from '@vae/math';
import type { Prior } from '@vae/priors';
import { checkSeed, splitSeed } from '@vae/samplers';
import { checkCount, priorDistribution, reconstructionLogProb } from './internal.js';
import { checkTerms } from './model-terms.js';
import { RunningLogSumExp, paretoKFromTail, paretoTailSize } from './psis.js';

/** Options of {@link logMarginalLikelihood}: the model, and the sampling budget. */
export interface LogMarginalLikelihoodOptions {
  /** The proposal q(z | x) for this batch (batch `[B]`, event `[latentDim]`); or give `encoder`. */
  posterior?: Distribution;
  /** The encoder x -> q(z | x), called on `x` once per chunk (inside a tidy); or give `posterior`. */
  encoder?: (x: tf.Tensor) => Distribution;
  /** The prior p(z): a `Prior` or a distribution over `[latentDim]`. */
  prior: Prior | Distribution;
  /** The decoder: latents `[S, B, latentDim]` to p(x | z) with batch `[S, B]`. */
  likelihood: (z: tf.Tensor) => Distribution;
  /** The number of importance samples k per example (default 5000), an integer >= 1. */
  numSamples?: number;
  /**
   * Samples drawn per chunk: memory is O(chunkSize * x.size) whatever k is. Default 250, or fewer
   * for a large `x`: at most 2^23 / x.size (a chunk of decoder outputs near 32 MB), so a thousand
   * MNIST digits at once stay within the wasm backend's 4 GB heap.
   */
  chunkSize?: number;
  /** Optional integer seed. */
  seed?: number;
}

/** What {@link logMarginalLikelihood} returns: plain numbers, one per example. */
export interface LogMarginalLikelihoodResult {
  /** The estimates of log p(x_b): logsumexp_i log w_bi - log k, computed in float64. */
  logLikelihood: number[];
  /** The mean of `logLikelihood` over the batch. */
  meanLogLikelihood: number;
  /** The effective sample size (sum w)^2 / sum w^2 of each example's weights, in [1, k]. */
  effectiveSampleSize: number[];
  /**
   * The PSIS Pareto shape estimate k-hat of each example's weights (NaN when k < 25, -Infinity when
   * the largest weights tie, as for a proposal equal to the posterior).
   */
  paretoK: number[];
  /** Whether each estimate cannot be trusted: k-hat > 0.7 (or k-hat unavailable). */
  unreliable: boolean[];
  /** The number of importance samples k. */
  numSamples: number;
}

// Default bound on chunkSize * x.size: the likelihood holds a few tensors of that many floats.
const DEFAULT_CHUNK_ELEMENTS = 2 ** 23;

/**
 * The importance-sampled estimate of log p(x) with k samples from the posterior, computed in
 * chunks, with the effective sample size and the PSIS k-hat diagnostic per example.
 *
 * @remarks
 * log p(x) ~ log (1/k) sum_i p(x | z_i) p(z_i) / q(z_i | x), z_i ~ q(z | x): the IWAE bound with k
 * samples, a lower bound in expectation that tends to log p(x) (the standard evaluation of VAEs,
 * Burda et al. 2016, with k = 5000). The samples are drawn `chunkSize` at a time; each chunk's log
 * weights are read back and folded into a float64 running log-sum-exp per example (and one of the
 * doubled weights for the ESS), so memory stays bounded whatever k is. The M + 1 largest log
 * weights of each example (M = ceil(min(k/5, 3 sqrt k))) are kept across chunks for the Pareto fit.
 *
 * Why the diagnostics: the estimate is only as good as the weights' tail. With k-hat > 0.7
 * (`unreliable`) the variance of the weights is effectively infinite and the estimate can move by
 * nats between seeds (as a reference von Mises-Fisher VAE with a 2-d latent did at k = 5000);
 * raise k, or use a better proposal. The ESS, computed as exp(2 lse(log w) - lse(2 log w)), says
 * how many samples the estimate effectively rests on.
 *
 * @param x - the data, shape `[B, ...dataEvent]`
 * @param options - the model (`posterior` or `encoder`, `prior`, `likelihood`), k, chunk size and seed
 * @returns per-example estimates and diagnostics (plain numbers; no tensors to free)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Independent, Normal } from '@vae/distributions';
 * import { StandardNormalPrior } from '@vae/priors';
 * import { gaussianLikelihood, logMarginalLikelihood } from '@vae/elbo';
 * const x = tf.tensor([[1, -1]]);
 * const loc = tf.tensor([[0.5, -0.5]]);
 * const scale = tf.fill([1, 2], Math.SQRT1_2);
 * const posterior = new Independent({
 *   distribution: new Normal({ loc, scale }),
 *   reinterpretedBatchNdims: 1,
 * });
 * const prior = new StandardNormalPrior({ latentDim: 2 });
 * const likelihood = (z: tf.Tensor) => gaussianLikelihood(z, { scale: 1 });
 * const result = await logMarginalLikelihood(x, { posterior, prior, likelihood, numSamples: 1000, seed: 1 });
 * console.log(result.logLikelihood[0]); // -3.0310 = log N(x; 0, 2 I): the proposal is the exact posterior
 * console.log(result.effectiveSampleSize[0], result.unreliable[0]); // 1000 false
 * tf.dispose([x, loc, scale]);
 * prior.dispose();
 * ```
 */
export async function logMarginalLikelihood(x: TensorInput, options: LogMarginalLikelihoodOptions): Promise<LogMarginalLikelihoodResult> {
  const context = 'logMarginalLikelihood';
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError('options', 'an object { posterior or encoder, prior, likelihood }', `got ${String(options)}`, context);
  }
  const k = options.numSamples ?? 5000;
  checkCount(k, 'numSamples', 1, context);
  if (options.chunkSize !== undefined) checkCount(options.chunkSize, 'chunkSize', 1, context);
  checkSeed(options.seed, context);
  const { posterior, encoder } = options;
  if ((posterior === undefined) === (encoder === undefined)) {
    throw new InvalidArgumentError('posterior or encoder', 'given (exactly one of them)', undefined, context);
  }
  if (encoder !== undefined && typeof encoder !== 'function') {
    throw new InvalidArgumentError('encoder', 'a function from x to q(z | x)', `got ${typeof encoder}`, context);
  }
  const data = toFloat32(x, 'x', context);
  const ownsData = data !== x;
  const chunkSize = Math.min(options.chunkSize ?? Math.max(1, Math.min(250, Math.floor(DEFAULT_CHUNK_ELEMENTS / data.size))), k);
  try {
    // Validate once up front, so a bad shape fails before any sampling.
    const batch = tf.tidy(() => {
      const q = posterior ?? encoder!(data);
      checkTerms({ x: data, posterior: q as Distribution, prior: options.prior, likelihood: options.likelihood }, context);
      return (q as Distribution).batchShape[0];
    });
    const tailSize = paretoTailSize(k) + 1;
    const lse = Array.from({ length: batch }, () => new RunningLogSumExp());
    const lse2 = Array.from({ length: batch }, () => new RunningLogSumExp());
    const tails: number[][] = Array.from({ length: batch }, () => []);
    // One child seed per chunk, so the estimate is a function of (seed, chunkSize).
    const chunkSeeds = options.seed === undefined ? undefined : splitSeed(options.seed, Math.ceil(k / chunkSize));
    let chunkIndex = 0;
    for (let done = 0; done < k; done += chunkSize, chunkIndex++) {
      const n = Math.min(chunkSize, k - done);
      const logW = tf.tidy(() => {
        const q = posterior ?? encoder!(data);
        const p = priorDistribution(options.prior, q, context);
        // A reparameterized q scores its draw on the way (a flow posterior is never inverted); the
        // values are those of sample() and logProb(), and nothing here is differentiated.
        const { sample: z, logProb: logQ } = q.sampleAndLogProb([n], chunkSeeds?.[chunkIndex]);
        const logJoint = tf.add(reconstructionLogProb(options.likelihood, z, data, context), p.logProb(z));
        return tf.sub(logJoint, logQ); // [n, B]
      });
      const values = (await logW.data()) as Float32Array;
      logW.dispose();
      for (let b = 0; b < batch; b++) {
        const column: number[] = [];
        for (let i = 0; i < n; i++) {
          const v = values[i * batch + b];
          lse[b].add(v);
          lse2[b].add(2 * v);
          column.push(v);
        }
        const merged = tails[b].concat(column).sort((u, v) => v - u);
        tails[b] = merged.slice(0, tailSize);
      }
    }
    const logLikelihood = lse.map((s) => s.value - Math.log(k));
    const effectiveSampleSize = lse.map((s, b) => Math.exp(2 * s.value - lse2[b].value));
    const paretoK = tails.map((t) => (t.length === tailSize ? paretoKFromTail(t, k) : NaN));
    return {
      logLikelihood,
      meanLogLikelihood: logLikelihood.reduce((a, v) => a + v, 0) / batch,
      effectiveSampleSize,
      paretoK,
      unreliable: paretoK.map((kh) => !(kh <= 0.7)),
      numSamples: k,
    };
  } finally {
    if (ownsData) data.dispose();
  }
}
