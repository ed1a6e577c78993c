import * as tf from '@tensorflow/tfjs-core';
import type { TensorInput } from '@vae/math';
import { checkLogits, checkLogitsParameter } from './discrete.js';
import { checkPositive, clampOpenUnit, clampPositive, oneHotFloat, scalarParameter, straightThrough, vectorParameter } from './internal.js';
import { validates } from './sampler-options.js';
import type { SamplerOptions } from './sampler-options.js';
import { gumbelNoise, logisticNoise } from './noise.js';
import { sampleFrame, scalarPairSampler, scalarSampler } from './scalar-parameters.js';

/**
 * Options of the relaxed (Gumbel-softmax / Concrete) samplers.
 *
 * @remarks
 * `hard: true` gives the straight-through estimator: y_hard in the forward pass, the gradient of
 * the relaxed y in the backward pass (Jang et al. 2017).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { relaxedBernoulliSample } from '@vae/samplers';
 * import type { RelaxedOptions } from '@vae/samplers';
 *
 * tf.tidy(() => {
 *   const options: RelaxedOptions = { hard: true };
 *   console.log(Array.from(relaxedBernoulliSample(0, 0.5, [3], 1, options).dataSync())); // [1, 0, 0]: hard samples are exactly 0 or 1
 * });
 * ```
 */
export interface RelaxedOptions extends SamplerOptions {
  /**
   * Straight-through: the forward value is the discrete sample (one-hot, or 0/1) and the gradient
   * is the relaxed sample's. Default false.
   */
  hard?: boolean;
}

/**
 * A relaxed sampler: draws of `shape` relaxing a discrete law with `logits` at `temperature`.
 *
 * @remarks
 * The type of {@link relaxedBernoulliSample} (a relaxed 0/1 draw of the same shape) and
 * {@link relaxedOneHotSample} (a relaxed one-hot draw, with the logits' last axis K appended), for
 * code that takes either. The logits may not be NaN and the temperature must be > 0 unless
 * `options.validateArgs` is false; `options.hard` gives the straight-through estimator.
 *
 * @param logits - log-odds (Bernoulli) or unnormalized log-probabilities along a last axis (one-hot),
 *   broadcastable to `shape`
 * @param temperature - temperature (> 0), broadcastable to `shape`
 * @param shape - output (leading) shape (sampleShape + batchShape)
 * @param seed - optional integer seed
 * @param options - {@link RelaxedOptions}
 * @returns a float32 tensor of `shape` (Bernoulli) or `shape` + [K] (one-hot)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { relaxedBernoulliSample, relaxedOneHotSample } from '@vae/samplers';
 * import type { RelaxedSampler } from '@vae/samplers';
 *
 * const samplers: RelaxedSampler[] = [relaxedBernoulliSample, relaxedOneHotSample];
 * tf.tidy(() => {
 *   console.log(samplers.map((sample) => sample([0, 1], 0.5, [4, 2], 1).shape)); // [[4, 2], [4, 2, 2]]
 * });
 * ```
 */
export type RelaxedSampler = (
  logits: TensorInput,
  temperature: TensorInput,
  shape: readonly number[],
  seed?: number,
  options?: RelaxedOptions,
) => tf.Tensor;

/**
 * The tempered Gumbel-perturbed logits (log_softmax(logits) + G) / temperature, shape `shape` + [K];
 * their softmax is the Gumbel-softmax sample.
 */
function temperedPerturbedLogits(logits: tf.Tensor, k: number, temperature: tf.Tensor, shape: number[], seed: number): tf.Tensor {
  return tf.tidy(() => {
    const full = [...shape, k];
    // Normalize on the logits' own shape, then broadcast once in the add.
    const perturbed = tf.add(tf.logSoftmax(logits), gumbelNoise(full, seed));
    return tf.div(perturbed, tf.expandDims(temperature, -1));
  });
}

/**
 * Gumbel-softmax (Concrete) sample: a differentiable relaxation of a one-hot categorical sample.
 *
 * @remarks
 * y = softmax((log_softmax(logits) + G) / temperature), G i.i.d. standard Gumbel (Jang et al.
 * 2017; Maddison et al. 2017). The logits are normalized by log-softmax first and the final
 * softmax subtracts the row maximum, so logits of +-80 neither overflow nor produce NaN. As temperature ->
 * 0 the sample tends to the one-hot Gumbel-max sample. With `hard: true` the forward value is that
 * one-hot vector exactly and the gradient is the soft sample's (straight-through).
 *
 * @param logits - unnormalized log-probabilities, shape batchShape + [K] with leading axes
 *   broadcastable to `shape`
 * @param temperature - temperature (> 0), broadcastable to `shape`
 * @param shape - output leading shape (sampleShape + batchShape)
 * @param seed - optional integer seed
 * @param options - {@link RelaxedOptions}
 * @returns a float32 tensor of `shape` + [K] on the simplex
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { relaxedOneHotSample } from '@vae/samplers';
 *
 * tf.tidy(() => {
 *   const y = relaxedOneHotSample(tf.tensor([1, 2, 3]), 0.5, [10], 1);
 *   console.log(y.shape); // [10, 3]
 *   const hard = relaxedOneHotSample(tf.tensor([1, 2, 3]), 0.5, [10], 1, { hard: true });
 *   console.log(tf.sum(hard, -1).dataSync()[0]); // 1
 * });
 * ```
 * @function
 */
export const relaxedOneHotSample: RelaxedSampler = (logits, temperature, shape, seed, options = {}) => {
  const context = 'relaxedOneHotSample';
  return sampleFrame(context, shape, seed, (s, resolved) => {
    const validate = validates(options);
    const { tensor: l, size: k } = vectorParameter(logits, 'logits', s, context);
    const t = scalarParameter(temperature, 'temperature', s, context);
    checkLogits(l, context, validate);
    checkPositive(t, 'temperature', context, validate);
    // tf.softmax subtracts the row maximum before exponentiating, so huge tempered logits are safe.
    // Coordinates that round to 0 are kept at 2^-126, inside the open simplex.
    const soft = clampPositive(tf.softmax(temperedPerturbedLogits(l, k, t, s, resolved)));
    if (!options.hard) return soft;
    const hard = oneHotFloat(tf.argMax(soft, -1), k);
    return straightThrough(hard, soft);
  });
};

/** sigmoid((logits + L) / temperature), L standard logistic; with `hard`, straight-through 1[logits + L > 0]. */
const relaxedBernoulli = scalarSampler(
  [
    ['logits', checkLogitsParameter],
    ['temperature', checkPositive],
  ],
  ([l, t], s, seed, options: RelaxedOptions) => {
    const perturbed = tf.add(l, logisticNoise(s, seed));
    // A low temperature saturates the sigmoid at exactly 0 or 1, outside the open support where
    // the density is infinite: keep the draw inside, in [2^-126, 1 - 2^-24].
    const soft = clampOpenUnit(tf.sigmoid(tf.div(perturbed, t)));
    if (!options.hard) return soft;
    const hard = tf.cast(tf.greater(perturbed, 0), 'float32');
    return straightThrough(hard, soft);
  },
);

/**
 * Relaxed Bernoulli (binary Concrete) sample: a differentiable relaxation of a 0/1 sample.
 *
 * @remarks
 * y = sigmoid((logits + L) / temperature) with L = log u - log(1 - u) standard logistic (Maddison
 * et al. 2017). As temperature -> 0 it tends to the Bernoulli(sigmoid(logits)) sample 1[logits + L
 * > 0]. With `hard: true` the forward value is that 0/1 sample exactly and the gradient is the
 * soft sample's (straight-through).
 *
 * @param logits - log-odds, broadcastable to `shape`
 * @param temperature - temperature (> 0), broadcastable to `shape`
 * @param shape - output shape (sampleShape + batchShape)
 * @param seed - optional integer seed
 * @param options - {@link RelaxedOptions}
 * @returns a float32 tensor of `shape` with values in [2^-126, 1 - 2^-24] (exactly 0 or 1 with `hard`)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { relaxedBernoulliSample } from '@vae/samplers';
 *
 * tf.tidy(() => {
 *   const y = relaxedBernoulliSample(0.3, 0.5, [4], 2);
 *   console.log(y.shape); // [4]
 * });
 * ```
 * @function
 */
export const relaxedBernoulliSample: RelaxedSampler = scalarPairSampler('relaxedBernoulliSample', relaxedBernoulli);
