import * as tf from '@tensorflow/tfjs-core';
import { log1p, withoutGradient } from '@vae/math';
import { categoricalSample } from '@vae/samplers';
import { constraints } from './constraints.js';
import type { Constraint } from './constraints.js';
import { family, named } from './family.js';
import type { FamilyParams } from './family.js';
import { normalizeLogits, whichParameterization } from './parameterization.js';

const NOT_NAN_OR_PLUS_INFINITY: Constraint = {
  description: 'real numbers or -Infinity (no NaN, no +Infinity)',
  eventRank: 0,
  check: (x) => tf.tidy(() => tf.logicalNot(tf.logicalOr(tf.isNaN(x), tf.equal(x, Infinity)))),
};

const CATEGORIES = 'at least one-dimensional with a non-empty last axis (the categories)';

/** Exactly one of `logits` and `probs`, each with the categories on its last axis. */
export const CATEGORICAL_PARAMETERS = {
  /** Unnormalized log probabilities, shape `batchShape + [K]` (finite, or -Infinity for impossible categories). */
  logits: { constraint: NOT_NAN_OR_PLUS_INFINITY, eventRank: 1, optional: true, shapeDescription: CATEGORIES },
  /** Probabilities, shape `batchShape + [K]`, on the simplex (non-negative, summing to 1). */
  probs: { constraint: constraints.simplex(), eventRank: 1, optional: true, shapeDescription: CATEGORIES },
} as const;

/** Parameters of {@link Categorical} and {@link OneHotCategorical}: exactly one of `logits` and `probs`. */
export interface CategoricalParams extends FamilyParams<typeof CATEGORICAL_PARAMETERS> {}

/** The parameters of a categorical family as its instances show them, normalized once. */
interface NormalizedCategories {
  /** Normalized log probabilities, shape `batchShape + [K]`. */
  readonly logits: tf.Tensor;
  /** Probabilities, shape `batchShape + [K]`. */
  readonly probs: tf.Tensor;
  /** The number of categories K. */
  readonly numCategories: number;
}

/** What Categorical and OneHotCategorical share: normalized log probabilities over K categories. */
export interface CategoryTable {
  logProbs: tf.Tensor;
  probs: tf.Tensor;
  numCategories: number;
}

/** -sum p log p over the last axis, with 0 log 0 = 0 (also in the gradient). */
function categoricalEntropy(logProbs: tf.Tensor): tf.Tensor {
  // -sum p log p from the normalized logits alone, with nothing that cancels: with s_k = l_k - max l
  // (<= 0), T = sum of e^{s_k} over all but the (first) largest and S = 1 + T,
  // H = log1p(T) + sum_k e^{s_k} (-s_k) / S, two non-negative terms. The textbook form loses the
  // top category's log p = -log S entirely when it rounds to 0 next to logits of size 100 (entropy
  // 7.4e-5 came out 2-6% off); here log1p(T) keeps it. Zero probabilities (-Infinity) drop out.
  const finite = withoutGradient((l) => tf.isFinite(l), logProbs);
  const safe = tf.where(finite, logProbs, tf.fill(logProbs.shape, -1e30));
  const s = tf.sub(safe, tf.max(safe, -1, true));
  const sFinite = tf.where(finite, s, tf.zerosLike(s));
  const e = tf.where(finite, tf.exp(sFinite), tf.zerosLike(s));
  const k = logProbs.shape[logProbs.rank - 1];
  const notTop = withoutGradient((l) => tf.logicalNot(tf.cast(tf.oneHot(tf.argMax(l, -1), k), 'bool')), safe);
  const t = tf.sum(tf.where(notTop, e, tf.zerosLike(e)), -1);
  const weighted = tf.sum(tf.mul(e, tf.neg(sFinite)), -1);
  return tf.add(log1p(t), tf.div(weighted, tf.add(1, t)));
}

/**
 * The base of the categorical families over K categories given by `logits` or `probs` along the
 * last axis (Categorical, OneHotCategorical): the parameters, normalized once, live here.
 *
 * @remarks
 * Exactly one of `logits` (real or -Infinity) and `probs` (on the simplex) is given; `logits` then
 * holds the normalized log probabilities and `probs` their exponentials (or the renormalized
 * probabilities). The batch shape is the parameter's shape without its last axis.
 *
 * @example
 * ```ts
 * import { CategoricalFamily, OneHotCategorical } from '@vae/distributions';
 * const d = new OneHotCategorical({ logits: [[0, 0], [0, 1]] });
 * console.log(d instanceof CategoricalFamily, d.numCategories, d.batchShape); // true 2 [2]
 * d.dispose();
 * ```
 */
export abstract class CategoricalFamily extends family<typeof CATEGORICAL_PARAMETERS, NormalizedCategories>(
  'CategoricalFamily',
  CATEGORICAL_PARAMETERS,
  {
    // Categorical's index set; OneHotCategorical gives its own.
    support: (p): Constraint => constraints.integerInterval(0, p.numCategories - 1),
    reparameterized: false,
    given: whichParameterization,
    derive: (given, own) => {
      const { logProbs, probs, numCategories } = categoryTable(given, own);
      return { logits: logProbs, probs, numCategories };
    },
  },
) {}

/**
 * The categorical distribution over {0, ..., K-1}, parameterized by `logits` or `probs` along the
 * last axis.
 *
 * @remarks
 * log p(k) = logits_k - logSumExp(logits) (or log probs_k); entropy -sum_k p_k log p_k with
 * 0 log 0 = 0; the mode is the argmax (the first one on ties). Events are scalars (eventShape
 * `[]`): `sample` returns int32 category indices, and `logProb` accepts indices of any numeric
 * dtype (float32 included). Not reparameterized. `mean()` and `variance()` are those of the index:
 * sum_k k p_k and sum_k (k - mean)^2 p_k (centered, so no cancellation), meaningful when the
 * categories are ordered counts or levels (e.g. 8-bit pixel values); torch's Categorical returns
 * NaN for both and TFP's defines neither, so this is a choice, made because the issue asked for it.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Categorical } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const d = new Categorical({ probs: [[0.2, 0.3, 0.5], [1, 0, 0]] });
 *   console.log(d.batchShape, d.eventShape); // [2] []
 *   console.log(d.logProb([2, 0]).arraySync()); // [-0.6931, 0]
 *   console.log(d.sample([4], 1).dtype); // int32
 *   console.log(d.mean().arraySync(), d.variance().arraySync()); // [1.3, 0] [0.61, 0]
 *   d.dispose();
 * });
 * ```
 */
export class Categorical extends named(CategoricalFamily, 'Categorical') {
  protected override _sampleN(n: number, seed?: number): tf.Tensor {
    return categoricalSample(this.logits, [n, ...this.batchShape], seed, this.samplerOptions);
  }

  protected _logProb(x: tf.Tensor): tf.Tensor {
    const index = tf.cast(tf.clipByValue(tf.where(tf.isNaN(x), tf.zerosLike(x), x), -1, this.numCategories), 'int32');
    const mask = tf.cast(tf.oneHot(index, this.numCategories), 'bool');
    return tf.sum(tf.where(mask, this.logits, tf.zerosLike(this.logits)), -1);
  }

  protected override _entropy(): tf.Tensor {
    return categoricalEntropy(this.logits);
  }

  protected override _mode(): tf.Tensor {
    return tf.argMax(this.logits, -1);
  }

  /** The category indices 0 ... K-1 as float32, broadcasting against `batchShape + [K]`. */
  private indices(): tf.Tensor {
    return tf.range(0, this.numCategories, 1, 'float32');
  }

  protected override _mean(): tf.Tensor {
    return tf.sum(tf.mul(this.probs, this.indices()), -1);
  }

  protected override _variance(): tf.Tensor {
    const centered = tf.sub(this.indices(), tf.expandDims(this._mean(), -1));
    return tf.sum(tf.mul(this.probs, tf.square(centered)), -1);
  }
}

/**
 * The one-hot categorical distribution: a categorical draw written as a one-hot vector of length K.
 *
 * @remarks
 * log p(x) = sum_k x_k log p_k for one-hot x; mean p; variance p (1 - p) elementwise; entropy
 * -sum_k p_k log p_k; the mode is the one-hot vector of the argmax. eventShape `[K]`; samples are
 * float32 one-hot vectors. Not reparameterized (see {@link RelaxedOneHotCategorical} for a
 * reparameterized relaxation).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { OneHotCategorical } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const d = new OneHotCategorical({ logits: [0, 0, Math.log(2)] });
 *   console.log(d.eventShape); // [3]
 *   console.log(d.logProb([0, 0, 1]).arraySync()); // -0.6931
 *   console.log(d.sample([2], 5).shape); // [2, 3]
 *   d.dispose();
 * });
 * ```
 */
export class OneHotCategorical extends named(CategoricalFamily, 'OneHotCategorical') {
  readonly support: Constraint = constraints.oneHot();

  /**
   * @param params - exactly one of `logits` and `probs` (last axis: categories), and options
   */
  constructor(params: CategoricalParams) {
    super(params);
    this.eventShape.push(this.numCategories);
  }

  protected override _sampleN(n: number, seed?: number): tf.Tensor {
    const index = categoricalSample(this.logits, [n, ...this.batchShape], seed, this.samplerOptions);
    // oneHot straight to float32 writes integer bit patterns on the wasm backend: cast instead.
    return tf.cast(tf.oneHot(tf.cast(index, 'int32'), this.numCategories), 'float32');
  }

  protected _logProb(x: tf.Tensor): tf.Tensor {
    // x log p with 0 log 0 = 0, and -Infinity logits kept out of the product so that neither the
    // value nor the gradient in x picks up 0 * Infinity.
    const finite = tf.isFinite(this.logits);
    const product = tf.where(
      finite,
      tf.mul(x, tf.where(finite, this.logits, tf.zerosLike(this.logits))),
      tf.fill(this.logits.shape, -Infinity),
    );
    return tf.sum(
      tf.where(
        withoutGradient((v) => tf.equal(v, 0), x),
        tf.zerosLike(x),
        product,
      ),
      -1,
    );
  }

  protected override _entropy(): tf.Tensor {
    return categoricalEntropy(this.logits);
  }

  protected override _mean(): tf.Tensor {
    return this.probs;
  }

  protected override _variance(): tf.Tensor {
    return tf.mul(this.probs, tf.sub(1, this.probs));
  }

  protected override _mode(): tf.Tensor {
    return tf.cast(tf.oneHot(tf.argMax(this.logits, -1), this.numCategories), 'float32');
  }
}

/**
 * The normalized table of a categorical family from the converted `logits` or `probs` (exactly one
 * set): probabilities renormalized to sum to 1, logits shifted to logSumExp 0.
 * @param given - the converted parameters
 * @param own - records a created tensor with the distribution, which frees it on `dispose()`
 * @returns log probabilities, probabilities and K
 */
export function categoryTable(given: { logits?: tf.Tensor; probs?: tf.Tensor }, own: (t: tf.Tensor) => tf.Tensor): CategoryTable {
  if (given.probs !== undefined) {
    const raw = given.probs;
    const probs = own(tf.tidy(() => tf.div(raw, tf.sum(raw, -1, true))));
    return { probs, logProbs: own(tf.log(probs)), numCategories: raw.shape[raw.rank - 1] };
  }
  const logits = given.logits as tf.Tensor;
  const logProbs = own(normalizeLogits(logits));
  return { logProbs, probs: own(tf.exp(logProbs)), numCategories: logits.shape[logits.rank - 1] };
}
