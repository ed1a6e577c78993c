import * as tf from '@tensorflow/tfjs-core';
import { assertElementwise, withoutGradient } from '@vae/math';
import type { TensorInput } from '@vae/math';
import { vectorParameter } from './internal.js';
import { validates } from './sampler-options.js';
import type { SamplerOptions } from './sampler-options.js';
import { gumbelNoise, logisticNoise } from './noise.js';
import { sampleFrame, scalarSampler } from './scalar-parameters.js';
import type { ParameterCheck } from './scalar-parameters.js';

/** Logits may be +-Infinity (a certain or impossible outcome) but not NaN. */
export function checkLogits(logits: tf.Tensor, context: string, validate: boolean): void {
  if (validate) assertElementwise(logits, 'logits', 'a number or +-Infinity (not NaN)', () => true, context);
}

/** {@link checkLogits} as a {@link ParameterCheck} (the name is always `logits`). */
export const checkLogitsParameter: ParameterCheck = (t, _name, context, validate) => checkLogits(t, context, validate);

/** 1[logits + L > 0], L standard logistic, with no gradient. */
const bernoulli = scalarSampler([['logits', checkLogitsParameter]], ([l], s, seed) =>
  withoutGradient((lt) => tf.cast(tf.greater(tf.add(lt, logisticNoise(s, seed)), 0), 'float32'), l),
);

/**
 * Bernoulli sample (0 or 1) from logits; not differentiable.
 *
 * @remarks
 * x = 1 when logits + L > 0 with L = log u - log(1 - u) standard logistic, which happens with
 * probability sigmoid(logits): the comparison never forms the probability, so logits of +-80 are
 * exact. The gradient with respect to the logits is zero (use
 * {@link relaxedBernoulliSample} for a differentiable relaxation).
 *
 * @param logits - log-odds, broadcastable to `shape`
 * @param shape - output shape (sampleShape + batchShape)
 * @param seed - optional integer seed
 * @param options - {@link SamplerOptions}
 * @returns a float32 tensor of `shape` holding 0 and 1
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { bernoulliSample } from '@vae/samplers';
 *
 * tf.tidy(() => {
 *   const x = bernoulliSample([-80, 0, 80], [3], 1);
 *   console.log(Array.from(x.dataSync())[2]); // 1
 * });
 * ```
 */
export function bernoulliSample(logits: TensorInput, shape: readonly number[], seed?: number, options: SamplerOptions = {}): tf.Tensor {
  return bernoulli('bernoulliSample', [logits], shape, seed, options);
}

/**
 * Categorical sample (class indices) from logits by the Gumbel-max trick; not differentiable.
 *
 * @remarks
 * k = argmax_j (log_softmax(logits)_j + G_j) with G_j i.i.d. standard Gumbel; P(k = j) =
 * softmax(logits)_j. The log-softmax keeps logits of +-80 (and -Infinity for masked classes) exact.
 *
 * @param logits - unnormalized log-probabilities, shape batchShape + [K]; its leading axes broadcast
 *   to `shape`
 * @param shape - output shape (sampleShape + batchShape)
 * @param seed - optional integer seed
 * @param options - {@link SamplerOptions}
 * @returns an int32 tensor of `shape` with values in [0, K)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { categoricalSample } from '@vae/samplers';
 *
 * tf.tidy(() => {
 *   const k = categoricalSample([0, 80, 0], [4], 1);
 *   console.log(Array.from(k.dataSync())); // [1, 1, 1, 1]
 * });
 * ```
 */
export function categoricalSample(logits: TensorInput, shape: readonly number[], seed?: number, options: SamplerOptions = {}): tf.Tensor {
  const context = 'categoricalSample';
  return sampleFrame(context, shape, seed, (s, resolved) => {
    const { tensor: l, size: k } = vectorParameter(logits, 'logits', s, context);
    checkLogits(l, context, validates(options));
    const indices = withoutGradient((lt) => {
      const perturbed = tf.add(tf.logSoftmax(lt), gumbelNoise([...s, k], resolved));
      return tf.cast(tf.argMax(perturbed, -1), 'float32');
    }, l);
    return tf.cast(indices, 'int32');
  });
}
