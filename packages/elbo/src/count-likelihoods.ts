import * as tf from '@tensorflow/tfjs-core';
import { Categorical, NegativeBinomial, Poisson, ZeroInflatedNegativeBinomial } from '@vae/distributions';
import type { Distribution } from '@vae/distributions';
import { InvalidArgumentError, toFloat32 } from '@vae/math';
import type { TensorInput } from '@vae/math';
import { wrap, type LikelihoodOptions } from './likelihoods.js';

/**
 * The Poisson decoder for count data, from log rates: the Poisson loss, summed over the data
 * dimensions (genes, bins, ...).
 *
 * @remarks
 * log p(x | z) = sum_i [x_i log lambda_i - lambda_i - lgamma(x_i + 1)] with log lambda the decoder's
 * output (the mass is computed as a Stirling-form Gamma density, exact for counts up to ~1e6).
 * `Independent(Poisson({ logRate }), eventNdims)`. Call inside `tf.tidy` (the decoder's step).
 *
 * @param logRate - the decoder's output log lambda, shape `[S, B, ...dataEvent]`
 * @param options - the number of event axes and validation
 * @returns p(x | z): batch `[S, B]`, event `dataEvent`
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { poissonLikelihood } from '@vae/elbo';
 *
 * tf.tidy(() => {
 *   const p = poissonLikelihood(tf.tensor([[0, Math.log(2)]]));
 *   console.log(p.logProb(tf.tensor([[0, 2]])).arraySync()); // [-2.3069] = -1 + (2 log 2 - 2 - log 2)
 * });
 * ```
 */
export function poissonLikelihood(logRate: TensorInput, options: LikelihoodOptions = {}): Distribution {
  const context = 'poissonLikelihood';
  return wrap(new Poisson({ logRate: toFloat32(logRate, 'logRate', context), validateArgs: options.validateArgs }), options, context);
}

/** The negative binomial decoder's parameters, in scVI's form and in log space. */
export interface NegativeBinomialSpec {
  /** log of the mean mu (scVI's `px_rate`), the decoder's output, shape `[S, B, ...dataEvent]`. */
  logMean: TensorInput;
  /**
   * log of the inverse dispersion theta (scVI's `px_r`): learned per gene (shape `dataEvent`, a
   * trainable variable) or per cell (shape `[S, B, 1]`, a decoder output), broadcastable to `logMean`.
   */
  logInverseDispersion: TensorInput;
}

/**
 * The negative binomial decoder for overdispersed counts, scVI's NB: mean mu and learned inverse
 * dispersion theta, summed over the data dimensions.
 *
 * @remarks
 * log p(x | z) = sum_i [lgamma(x + theta) - lgamma(theta) - lgamma(x + 1) + theta log(theta / (theta + mu))
 * + x log(mu / (theta + mu))]: torch's NegativeBinomial with total count theta and logits
 * log mu - log theta, both taken from the logs so no ratio is rounded to 0 or 1; variance
 * mu + mu^2 / theta. Dispersion per gene or per cell is a matter of the shape of
 * `logInverseDispersion` (it broadcasts). `Independent(NegativeBinomial(...), eventNdims)`.
 *
 * @param spec - `logMean` and `logInverseDispersion` (see {@link NegativeBinomialSpec})
 * @param options - the number of event axes and validation
 * @returns p(x | z): batch `[S, B]`, event `dataEvent`
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { negativeBinomialLikelihood } from '@vae/elbo';
 *
 * tf.tidy(() => {
 *   const p = negativeBinomialLikelihood({ logMean: tf.tensor([[0, 0]]), logInverseDispersion: 0 });
 *   console.log(p.logProb(tf.tensor([[0, 1]])).arraySync()); // [-2.0794] = 3 log(1/2)
 * });
 * ```
 */
export function negativeBinomialLikelihood(spec: NegativeBinomialSpec, options: LikelihoodOptions = {}): Distribution {
  const context = 'negativeBinomialLikelihood';
  const { totalCount, logits } = negativeBinomialParameters(spec, context);
  return wrap(new NegativeBinomial({ totalCount, logits, validateArgs: options.validateArgs }), options, context);
}

/** total count theta and logits log mu - log theta from the log-space spec. */
function negativeBinomialParameters(spec: NegativeBinomialSpec, context: string): { totalCount: tf.Tensor; logits: tf.Tensor } {
  if (spec === null || typeof spec !== 'object') {
    throw new InvalidArgumentError('spec', 'an object with logMean and logInverseDispersion', `got ${String(spec)}`, context);
  }
  const logMean = toFloat32(spec.logMean, 'logMean', context);
  const logTheta = toFloat32(spec.logInverseDispersion, 'logInverseDispersion', context);
  return { totalCount: tf.exp(logTheta), logits: tf.sub(logMean, logTheta) };
}

/**
 * The zero-inflated negative binomial decoder (scVI's ZINB): a gate of extra zeros over the
 * negative binomial of {@link negativeBinomialLikelihood}, summed over the data dimensions.
 *
 * @remarks
 * p(0) = pi + (1 - pi) NB(0), p(x) = (1 - pi) NB(x) for x > 0, with pi = sigmoid(gateLogits) and
 * NB the negative binomial with mean mu and inverse dispersion theta; computed as
 * logAddExp(log pi, log(1 - pi) + theta log(theta / (theta + mu))) at 0, from softplus of the
 * logits, so gate logits of +-80 are exact. `Independent(ZeroInflatedNegativeBinomial(...), eventNdims)`.
 *
 * @param spec - `logMean`, `logInverseDispersion` (see {@link NegativeBinomialSpec}) and `gateLogits`
 *   (the decoder's dropout logits, broadcastable to `logMean`)
 * @param options - the number of event axes and validation
 * @returns p(x | z): batch `[S, B]`, event `dataEvent`
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { zeroInflatedNegativeBinomialLikelihood } from '@vae/elbo';
 *
 * tf.tidy(() => {
 *   const p = zeroInflatedNegativeBinomialLikelihood({ logMean: tf.tensor([[0]]), logInverseDispersion: 0, gateLogits: 0 });
 *   console.log(p.logProb(tf.tensor([[0]])).arraySync()); // [-0.2877] = log(1/2 + 1/4)
 * });
 * ```
 */
export function zeroInflatedNegativeBinomialLikelihood(
  spec: NegativeBinomialSpec & { gateLogits: TensorInput },
  options: LikelihoodOptions = {},
): Distribution {
  const context = 'zeroInflatedNegativeBinomialLikelihood';
  const { totalCount, logits } = negativeBinomialParameters(spec, context);
  const gateLogits = toFloat32(spec.gateLogits, 'gateLogits', context);
  const base = new ZeroInflatedNegativeBinomial({ totalCount, logits, gateLogits, validateArgs: options.validateArgs });
  return wrap(base, options, context);
}

/**
 * The 256-way categorical decoder for 8-bit data (PixelRNN's softmax over pixel values): one
 * categorical per subpixel, summed over the data dimensions.
 *
 * @remarks
 * log p(x | z) = sum_i log softmax(l_i)[x_i] for x_i in {0, ..., 255}; the log-softmax keeps logits
 * of any size exact. `Independent(Categorical({ logits }), eventNdims)`: the last axis of `logits`
 * is the 256 values and is not a data axis.
 *
 * @param logits - the decoder's output, shape `[S, B, ...dataEvent, 256]`
 * @param options - the number of event axes (of `dataEvent`) and validation
 * @returns p(x | z): batch `[S, B]`, event `dataEvent`
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { categorical256Likelihood } from '@vae/elbo';
 *
 * tf.tidy(() => {
 *   const p = categorical256Likelihood(tf.zeros([1, 2, 256]));
 *   console.log(p.logProb(tf.tensor([[0, 255]])).arraySync()); // [-11.0904] = 2 log(1/256)
 * });
 * ```
 */
export function categorical256Likelihood(logits: TensorInput, options: LikelihoodOptions = {}): Distribution {
  const context = 'categorical256Likelihood';
  const l = toFloat32(logits, 'logits', context);
  if (l.rank < 1 || l.shape[l.rank - 1] !== 256) {
    throw new InvalidArgumentError('logits', 'shaped [..., 256] (one logit per 8-bit value)', `got shape [${l.shape}]`, context);
  }
  return wrap(new Categorical({ logits: l, validateArgs: options.validateArgs }), options, context);
}
