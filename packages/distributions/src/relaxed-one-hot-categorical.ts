import * as tf from '@tensorflow/tfjs-core';
import { lgamma, logSumExp, withoutGradient } from '@vae/math';
import type { TensorInput } from '@vae/math';
import { relaxedOneHotSample } from '@vae/samplers';
import { CATEGORICAL_PARAMETERS, categoryTable } from './categorical.js';
import { constraints } from './constraints.js';
import type { Constraint } from './constraints.js';
import { Distribution } from './distribution.js';
import type { DistributionOptions } from './distribution.js';
import { whichParameterization } from './parameterization.js';

const RELAXED_PARAMETERS = { temperature: { constraint: constraints.positive }, ...CATEGORICAL_PARAMETERS } as const;

/** Parameters of {@link RelaxedOneHotCategorical}: `temperature` and exactly one of `logits` and `probs`. */
export interface RelaxedOneHotCategoricalParams extends DistributionOptions {
  /** The relaxation temperature, > 0, broadcastable to `batchShape`; small temperatures approach one-hot vectors. */
  temperature: TensorInput;
  /** Unnormalized log probabilities of the underlying categorical, shape `batchShape + [K]`. */
  logits?: TensorInput;
  /** Probabilities of the underlying categorical, shape `batchShape + [K]`, on the simplex. */
  probs?: TensorInput;
}

/**
 * The relaxed one-hot categorical (Concrete or Gumbel-softmax, Maddison et al. 2017; Jang et al.
 * 2017) on the probability simplex, reparameterized.
 *
 * @remarks
 * x = softmax((l + g) / t) with g i.i.d. Gumbel noise. The density (torch's
 * `ExpRelaxedCategorical` of y = log x, transformed by exp) is the Concrete density
 * log p(x) = log (K-1)! + (K-1) log t + sum_k (l_k - (t + 1) log x_k) - K logSumExp_k(l_k - t log x_k),
 * computed from log x in log space. Its total mass is over the K - 1 free coordinates of the
 * simplex. A coordinate exactly 0 (an underflow of a low-temperature sample) gives -Infinity:
 * the density has no limit there that does not depend on the direction of approach. Mean,
 * variance, entropy and mode have no closed form and are not defined.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { RelaxedOneHotCategorical } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const d = new RelaxedOneHotCategorical({ temperature: 0.7, probs: [0.1, 0.6, 0.3] });
 *   const x = d.rsample([5], 3); // shape [5, 3], rows on the simplex, differentiable in probs and temperature
 *   console.log(d.logProb(x).shape); // [5]
 *   d.dispose();
 * });
 * ```
 */
export class RelaxedOneHotCategorical extends Distribution {
  /** The family's name in messages, spelled out because minifiers rename classes. */
  static override readonly familyName: string = 'RelaxedOneHotCategorical';

  /** The temperature, broadcastable to `batchShape`. */
  readonly temperature: tf.Tensor;
  /** Normalized log probabilities of the underlying categorical, shape `batchShape + [K]` (broadcastable). */
  readonly logits: tf.Tensor;
  /** Probabilities of the underlying categorical, shape `batchShape + [K]` (broadcastable). */
  readonly probs: tf.Tensor;
  /** The number of categories K. */
  readonly numCategories: number;
  readonly reparameterized = true;
  readonly support: Constraint = constraints.simplex();

  /**
   * @param params - `temperature` and exactly one of `logits` and `probs` (last axis: categories), and options
   */
  constructor(params: RelaxedOneHotCategoricalParams) {
    const { temperature, logits, probs, ...options } = params;
    super([], [], options);
    whichParameterization(params, this.name);
    const given = this.parameters({ temperature, logits, probs }, RELAXED_PARAMETERS);
    this.temperature = given.temperature;
    ({ logProbs: this.logits, probs: this.probs, numCategories: this.numCategories } = categoryTable(given, (t) => this.own(t)));
    this.eventShape.push(this.numCategories);
  }

  protected _sampleN(n: number, seed?: number): tf.Tensor {
    const logits = tf.broadcastTo(this.logits, [...this.batchShape, this.numCategories]);
    return relaxedOneHotSample(logits, this.temperature, [n, ...this.batchShape], seed, this.samplerOptions);
  }

  protected _logProb(x: tf.Tensor): tf.Tensor {
    const k = this.numCategories;
    const t = tf.expandDims(this.temperature, -1);
    const nonPositive = withoutGradient((v) => tf.lessEqual(v, 0), x);
    const hasZero = withoutGradient((v) => tf.any(tf.lessEqual(v, 0), -1), x);
    const logX = tf.log(tf.where(nonPositive, tf.onesLike(x), x));
    const score = tf.sub(this.logits, tf.mul(t, logX));
    const logNormalizer = tf.add(lgamma(k), tf.mul(k - 1, tf.log(this.temperature)));
    const density = tf.add(logNormalizer, tf.sub(tf.sum(tf.sub(score, logX), -1), tf.mul(k, logSumExp(score, -1))));
    return tf.where(hasZero, tf.fill(density.shape, -Infinity), density);
  }
}
