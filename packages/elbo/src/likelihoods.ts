import * as tf from '@tensorflow/tfjs-core';
import { Bernoulli, ContinuousBernoulli, Independent, Laplace, Normal } from '@vae/distributions';
import type { Distribution } from '@vae/distributions';
import { InvalidArgumentError, toFloat32 } from '@vae/math';
import type { TensorInput } from '@vae/math';

/** Options every likelihood accepts. */
export interface LikelihoodOptions {
  /**
   * How many trailing axes of the parameters are the data's event axes, summed over in `logProb`
   * (default 1: flat data vectors; 2 for `[height, width]` images).
   */
  eventNdims?: number;
  /**
   * Check parameters and data against their constraints (default true; the checks read tensors
   * back, so turn them off in hot loops once the pipeline is trusted).
   */
  validateArgs?: boolean;
}

/** A fixed or learned spread: exactly one of `scale` and `logScale`. */
export interface ScaleSpec {
  /** The scale (> 0), broadcastable against the mean. */
  scale?: TensorInput;
  /** The log of the scale, e.g. a trainable variable (learned variance). */
  logScale?: TensorInput;
}

/**
 * Sums a likelihood's base over the data's event axes: `Independent(base, eventNdims)`, after
 * checking `eventNdims` against the base's batch rank. Package-internal (every likelihood ends here).
 *
 * @param base - the per-element decoder distribution, batch `[S, B, ...dataEvent]`
 * @param options - `eventNdims` (default 1)
 * @param context - the calling likelihood's name, for the error message
 * @returns the distribution with batch `[S, B]` and event `dataEvent`
 */
export function wrap(base: Distribution, options: LikelihoodOptions, context: string): Distribution {
  const n = options.eventNdims ?? 1;
  if (!Number.isInteger(n) || n < 0 || n > base.batchShape.length) {
    throw new InvalidArgumentError(
      'eventNdims',
      `an integer in [0, ${base.batchShape.length}] (the parameters' rank)`,
      `got ${String(n)}`,
      context,
    );
  }
  return new Independent({ distribution: base, reinterpretedBatchNdims: n });
}

function resolveScale(spec: ScaleSpec | undefined, context: string): tf.Tensor {
  if (spec === null || typeof spec !== 'object' || (spec.scale === undefined) === (spec.logScale === undefined)) {
    throw new InvalidArgumentError('scale or logScale', 'given (exactly one of them)', undefined, context);
  }
  return spec.scale !== undefined
    ? toFloat32(spec.scale, 'scale', context)
    : tf.exp(toFloat32(spec.logScale as TensorInput, 'logScale', context));
}

/**
 * The Bernoulli decoder for binary data, from logits: the binary cross-entropy, summed over the
 * data dimensions.
 *
 * @remarks
 * log p(x | z) = sum_i [x_i log sigmoid(l_i) + (1 - x_i) log sigmoid(-l_i)]
 * = -sum_i [x_i softplus(-l_i) + (1 - x_i) softplus(l_i)], exact for logits as large as +-80 and
 * beyond (no sigmoid is rounded to 0 or 1 before the log). `Independent(Bernoulli({ logits }),
 * eventNdims)`. Call inside `tf.tidy` (the decoder's step).
 *
 * @param logits - the decoder's output, shape `[S, B, ...dataEvent]`
 * @param options - the number of event axes and validation
 * @returns p(x | z): batch `[S, B]`, event `dataEvent`
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { bernoulliLikelihood } from '@vae/elbo';
 *
 * tf.tidy(() => {
 *   const p = bernoulliLikelihood(tf.tensor([[80, -80, 0]]));
 *   console.log(p.logProb(tf.tensor([[1, 0, 1]])).arraySync()); // [-0.6931]
 *   console.log(p.logProb(tf.tensor([[0, 0, 1]])).arraySync()); // [-80.6931]
 * });
 * ```
 */
export function bernoulliLikelihood(logits: TensorInput, options: LikelihoodOptions = {}): Distribution {
  const base = new Bernoulli({ logits, validateArgs: options.validateArgs });
  return wrap(base, options, 'bernoulliLikelihood');
}

/**
 * The continuous Bernoulli decoder (Loaiza-Ganem and Cunningham 2019) for data in [0, 1], from
 * logits: the Bernoulli cross-entropy plus the log normalizer it was missing.
 *
 * @remarks
 * log p(x | z) = sum_i [x_i log lambda_i + (1 - x_i) log(1 - lambda_i) + log C(lambda_i)], with
 * lambda = sigmoid(l) and C(lambda) = 2 atanh(1 - 2 lambda) / (1 - 2 lambda) (C(1/2) = 2), a
 * proper density on [0, 1] where the plain Bernoulli loss on grey levels is not.
 * `Independent(ContinuousBernoulli({ logits }), eventNdims)`.
 *
 * @param logits - the decoder's output, shape `[S, B, ...dataEvent]`
 * @param options - the number of event axes and validation
 * @returns p(x | z): batch `[S, B]`, event `dataEvent`
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { continuousBernoulliLikelihood } from '@vae/elbo';
 *
 * tf.tidy(() => {
 *   const p = continuousBernoulliLikelihood(tf.zeros([1, 3]));
 *   console.log(p.logProb(tf.tensor([[0.1, 0.5, 0.9]])).arraySync()); // [0]: uniform on [0, 1]^3
 * });
 * ```
 */
export function continuousBernoulliLikelihood(logits: TensorInput, options: LikelihoodOptions = {}): Distribution {
  const base = new ContinuousBernoulli({ logits, validateArgs: options.validateArgs });
  return wrap(base, options, 'continuousBernoulliLikelihood');
}

/**
 * The Gaussian decoder with a fixed or learned scale: the Gaussian loss, summed over the data
 * dimensions.
 *
 * @remarks
 * -log p(x | z) = sum_i [log sigma_i + (x_i - mu_i)^2 / (2 sigma_i^2) + log(2 pi) / 2]. With a
 * fixed sigma this is the squared error scaled by 1 / (2 sigma^2) plus a constant, so sigma sets the
 * balance between reconstruction and KL; with a learned `logScale` the optimum is sigma^2 = the mean
 * squared error, and log sigma must be bounded below (or regularized) for data that can be fitted
 * exactly. `Independent(Normal({ loc: mean, scale }), eventNdims)` with scale = exp(logScale) when
 * `logScale` is given.
 *
 * @param mean - the decoder's output mu, shape `[S, B, ...dataEvent]`
 * @param spread - `{ scale }` (fixed) or `{ logScale }` (e.g. a trainable variable), broadcastable to `mean`
 * @param options - the number of event axes and validation
 * @returns p(x | z): batch `[S, B]`, event `dataEvent`
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { gaussianLikelihood } from '@vae/elbo';
 *
 * tf.tidy(() => {
 *   const p = gaussianLikelihood(tf.tensor([[0, 0]]), { logScale: 0 });
 *   console.log(p.logProb(tf.tensor([[1, 1]])).arraySync()); // [-2.8379] = -1 - log(2 pi)
 * });
 * ```
 */
export function gaussianLikelihood(mean: TensorInput, spread: ScaleSpec, options: LikelihoodOptions = {}): Distribution {
  const context = 'gaussianLikelihood';
  const base = new Normal({ loc: mean, scale: resolveScale(spread, context), validateArgs: options.validateArgs });
  return wrap(base, options, context);
}

/**
 * The Laplace decoder with a fixed or learned scale: the absolute-error loss, summed over the data
 * dimensions.
 *
 * @remarks
 * -log p(x | z) = sum_i [|x_i - mu_i| / b_i + log(2 b_i)], an L1 reconstruction loss, more robust
 * to outliers than the Gaussian. `Independent(Laplace({ loc, scale }), eventNdims)` with
 * scale = exp(logScale) when `logScale` is given.
 *
 * @param loc - the decoder's output, shape `[S, B, ...dataEvent]`
 * @param spread - `{ scale }` (fixed) or `{ logScale }` (learned), broadcastable to `loc`
 * @param options - the number of event axes and validation
 * @returns p(x | z): batch `[S, B]`, event `dataEvent`
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { laplaceLikelihood } from '@vae/elbo';
 *
 * tf.tidy(() => {
 *   const p = laplaceLikelihood(tf.tensor([[0, 0]]), { scale: 0.5 });
 *   console.log(p.logProb(tf.tensor([[1, -1]])).arraySync()); // [-4] = -(2 + 2 + 2 log 1)
 * });
 * ```
 */
export function laplaceLikelihood(loc: TensorInput, spread: ScaleSpec, options: LikelihoodOptions = {}): Distribution {
  const context = 'laplaceLikelihood';
  const base = new Laplace({ loc, scale: resolveScale(spread, context), validateArgs: options.validateArgs });
  return wrap(base, options, context);
}
