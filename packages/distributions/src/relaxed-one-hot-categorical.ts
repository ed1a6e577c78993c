import * as tf from '@tensorflow/tfjs-core';
import { lgamma, logSumExp } from '@vae/math';
import type { TensorInput } from '@vae/math';
import { relaxedOneHotSample } from '@vae/samplers';
import { categoryTable } from './categorical.js';
import { constraints } from './constraints.js';
import type { Constraint } from './constraints.js';
import { Distribution } from './distribution.js';
import type { DistributionOptions } from './distribution.js';
import { maskOffTape, whichParameterization } from './parameterization.js';

// Parameters were validated by the constructor; the sampler need not read them back again.
const CHECKED = { validateArgs: false };

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
    const which = whichParameterization(params, this.name);
    this.temperature = this.param(temperature, 'temperature');
    this.checkParam(this.temperature, 'temperature', constraints.positive);
    const table = categoryTable(this.name, which, logits ?? (probs as TensorInput), {
      param: (v, n) => this.param(v, n),
      own: (t) => this.own(t),
      check: (t, n, c) => this.checkParam(t, n, c),
    });
    this.logits = table.logProbs;
    this.probs = table.probs;
    this.numCategories = table.numCategories;
    this.batchShape.push(...this.broadcastParams([this.temperature.shape, this.logits.shape.slice(0, -1)], ['temperature', which]));
    this.eventShape.push(this.numCategories);
  }

  protected _sampleN(n: number, seed?: number): tf.Tensor {
    const logits = tf.broadcastTo(this.logits, [...this.batchShape, this.numCategories]);
    return relaxedOneHotSample(logits, this.temperature, [n, ...this.batchShape], seed, CHECKED);
  }

  protected _logProb(x: tf.Tensor): tf.Tensor {
    const k = this.numCategories;
    const t = tf.expandDims(this.temperature, -1);
    const nonPositive = maskOffTape((v) => tf.lessEqual(v, 0), x);
    const hasZero = maskOffTape((v) => tf.any(tf.lessEqual(v, 0), -1), x);
    const logX = tf.log(tf.where(nonPositive, tf.onesLike(x), x));
    const score = tf.sub(this.logits, tf.mul(t, logX));
    const logNormalizer = tf.add(lgamma(k), tf.mul(k - 1, tf.log(this.temperature)));
    const density = tf.add(
      logNormalizer,
      tf.sub(tf.sum(tf.sub(score, logX), -1), tf.mul(k, logSumExp(score, -1))),
    );
    return tf.where(hasZero, tf.fill(density.shape, -Infinity), density);
  }
}
