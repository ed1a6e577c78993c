import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, log1p } from '@vae/math';
import type { TensorInput } from '@vae/math';
import { categoricalSample } from '@vae/samplers';
import { constraints } from './constraints.js';
import type { Constraint } from './constraints.js';
import { Distribution } from './distribution.js';
import type { DistributionOptions } from './distribution.js';
import { maskOffTape, normalizeLogits, whichParameterization } from './parameterization.js';

// Parameters were validated by the constructor; the sampler need not read them back again.
const CHECKED = { validateArgs: false };

/** Parameters of {@link Categorical} and {@link OneHotCategorical}: exactly one of `logits` and `probs`. */
export interface CategoricalParams extends DistributionOptions {
  /** Unnormalized log probabilities, shape `batchShape + [K]` (finite, or -Infinity for impossible categories). */
  logits?: TensorInput;
  /** Probabilities, shape `batchShape + [K]`, on the simplex (non-negative, summing to 1). */
  probs?: TensorInput;
}

const NOT_NAN_OR_PLUS_INFINITY: Constraint = {
  description: 'real numbers or -Infinity (no NaN, no +Infinity)',
  eventRank: 0,
  check: (x) => tf.tidy(() => tf.logicalNot(tf.logicalOr(tf.isNaN(x), tf.equal(x, Infinity)))),
};

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
  const finite = maskOffTape((l) => tf.isFinite(l), logProbs);
  const safe = tf.where(finite, logProbs, tf.fill(logProbs.shape, -1e30));
  const s = tf.sub(safe, tf.max(safe, -1, true));
  const sFinite = tf.where(finite, s, tf.zerosLike(s));
  const e = tf.where(finite, tf.exp(sFinite), tf.zerosLike(s));
  const k = logProbs.shape[logProbs.rank - 1];
  const notTop = maskOffTape((l) => tf.logicalNot(tf.cast(tf.oneHot(tf.argMax(l, -1), k), 'bool')), safe);
  const t = tf.sum(tf.where(notTop, e, tf.zerosLike(e)), -1);
  const weighted = tf.sum(tf.mul(e, tf.neg(sFinite)), -1);
  return tf.add(log1p(t), tf.div(weighted, tf.add(1, t)));
}

/**
 * The categorical distribution over {0, ..., K-1}, parameterized by `logits` or `probs` along the
 * last axis.
 *
 * @remarks
 * log p(k) = logits_k - logSumExp(logits) (or log probs_k); entropy -sum_k p_k log p_k with
 * 0 log 0 = 0; the mode is the argmax (the first one on ties). Events are scalars (eventShape
 * `[]`): `sample` returns int32 category indices, and `logProb` accepts indices of any numeric
 * dtype (float32 included). Not reparameterized; mean and variance are not defined (categories are
 * labels, not numbers).
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
 *   d.dispose();
 * });
 * ```
 */
export class Categorical extends Distribution {
  /** The family's name in messages, spelled out because minifiers rename classes. */
  static override readonly familyName: string = 'Categorical';

  /** Normalized log probabilities, shape `batchShape + [K]`. */
  readonly logits: tf.Tensor;
  /** Probabilities, shape `batchShape + [K]`. */
  readonly probs: tf.Tensor;
  /** The number of categories K. */
  readonly numCategories: number;
  readonly reparameterized = false;
  readonly support: Constraint;

  /**
   * @param params - exactly one of `logits` and `probs` (last axis: categories), and options
   */
  constructor(params: CategoricalParams) {
    const { logits, probs, ...options } = params;
    super([], [], options);
    const table = categoryTable(this.name, whichParameterization(params, this.name), logits ?? (probs as TensorInput), {
      param: (v, n) => this.param(v, n),
      own: (t) => this.own(t),
      check: (t, n, c) => this.checkParam(t, n, c),
    });
    this.logits = table.logProbs;
    this.probs = table.probs;
    this.numCategories = table.numCategories;
    this.support = constraints.integerInterval(0, this.numCategories - 1);
    this.batchShape.push(...this.logits.shape.slice(0, -1));
  }

  protected _sampleN(n: number, seed?: number): tf.Tensor {
    return categoricalSample(this.logits, [n, ...this.batchShape], seed, CHECKED);
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
export class OneHotCategorical extends Distribution {
  /** The family's name in messages, spelled out because minifiers rename classes. */
  static override readonly familyName: string = 'OneHotCategorical';

  /** Normalized log probabilities, shape `batchShape + [K]`. */
  readonly logits: tf.Tensor;
  /** Probabilities, shape `batchShape + [K]`. */
  readonly probs: tf.Tensor;
  /** The number of categories K. */
  readonly numCategories: number;
  readonly reparameterized = false;
  readonly support: Constraint = constraints.oneHot();

  /**
   * @param params - exactly one of `logits` and `probs` (last axis: categories), and options
   */
  constructor(params: CategoricalParams) {
    const { logits, probs, ...options } = params;
    super([], [], options);
    const table = categoryTable(this.name, whichParameterization(params, this.name), logits ?? (probs as TensorInput), {
      param: (v, n) => this.param(v, n),
      own: (t) => this.own(t),
      check: (t, n, c) => this.checkParam(t, n, c),
    });
    this.logits = table.logProbs;
    this.probs = table.probs;
    this.numCategories = table.numCategories;
    this.batchShape.push(...this.logits.shape.slice(0, -1));
    this.eventShape.push(this.numCategories);
  }

  protected _sampleN(n: number, seed?: number): tf.Tensor {
    const index = categoricalSample(this.logits, [n, ...this.batchShape], seed, CHECKED);
    // oneHot straight to float32 writes integer bit patterns on the wasm backend: cast instead.
    return tf.cast(tf.oneHot(tf.cast(index, 'int32'), this.numCategories), 'float32');
  }

  protected _logProb(x: tf.Tensor): tf.Tensor {
    // x log p with 0 log 0 = 0, and -Infinity logits kept out of the product so that neither the
    // value nor the gradient in x picks up 0 * Infinity.
    const finite = tf.isFinite(this.logits);
    const product = tf.where(finite, tf.mul(x, tf.where(finite, this.logits, tf.zerosLike(this.logits))), tf.fill(this.logits.shape, -Infinity));
    return tf.sum(tf.where(maskOffTape((v) => tf.equal(v, 0), x), tf.zerosLike(x), product), -1);
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

/** The protected base-class services the shared constructor code needs. */
export interface TableOwner {
  param(value: TensorInput, name: string): tf.Tensor;
  own(t: tf.Tensor): tf.Tensor;
  check(t: tf.Tensor, name: string, c: Constraint): void;
}

export function categoryTable(name: string, which: 'logits' | 'probs', value: TensorInput, owner: TableOwner): CategoryTable {
  const given = owner.param(value, which);
  if (given.rank < 1 || given.shape[given.rank - 1] < 1) {
    throw new InvalidArgumentError(which, 'at least one-dimensional with a non-empty last axis (the categories)', `got shape [${given.shape}]`, name);
  }
  const numCategories = given.shape[given.rank - 1];
  if (which === 'probs') {
    owner.check(given, 'probs', constraints.simplex());
    const probs = owner.own(tf.tidy(() => tf.div(given, tf.sum(given, -1, true))));
    return { probs, logProbs: owner.own(tf.log(probs)), numCategories };
  }
  owner.check(given, 'logits', NOT_NAN_OR_PLUS_INFINITY);
  const logProbs = owner.own(normalizeLogits(given));
  return { logProbs, probs: owner.own(tf.exp(logProbs)), numCategories };
}
