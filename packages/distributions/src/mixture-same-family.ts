import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, logSumExp } from '@vae/math';
import type { TensorInput } from '@vae/math';
import { categoricalSample, splitSeed } from '@vae/samplers';
import type { Constraint } from './constraints.js';
import { Distribution } from './distribution.js';
import type { DistributionOptions } from './distribution.js';

/** Finite logits, or -Infinity for a component that has weight 0. */
const LOGITS: Constraint = {
  description: 'real numbers or -Infinity (no NaN, no +Infinity)',
  eventRank: 0,
  check: (x) => tf.tidy(() => tf.logicalNot(tf.logicalOr(tf.isNaN(x), tf.equal(x, Infinity)))),
};

/** Anything with unnormalized log-probabilities over K categories, such as a `Categorical`. */
export interface CategoricalLike {
  /** Unnormalized log-probabilities, shape `B + [K]`. */
  readonly logits: tf.Tensor;
}

/**
 * Parameters of {@link MixtureSameFamily}: the `components` and exactly one of `mixtureLogits` or
 * `mixture`.
 */
export interface MixtureSameFamilyParams extends DistributionOptions {
  /**
   * Unnormalized log mixture weights, shape `B' + [K]` with `B'` broadcastable to the batch `B`;
   * -Infinity gives a component weight 0.
   */
  mixtureLogits?: TensorInput;
  /** A categorical distribution (anything with a `logits` tensor) over the K components. */
  mixture?: CategoricalLike;
  /**
   * The K components as one batched distribution of batch shape `B + [K]`; it is not copied, and
   * `dispose()` does not free it.
   */
  components: Distribution;
}

/**
 * A finite mixture of K distributions of the same family, batched (TFP's `MixtureSameFamily`).
 *
 * @remarks
 * With weights w = softmax(logits) and components p_k (the last batch axis of `components`):
 * log p(x) = logsumexp_k(log w_k + log p_k(x)), computed in log space. The mean is
 * sum_k w_k mean_k; the variance follows the law of total variance, elementwise for vector events:
 * sum_k w_k var_k + sum_k w_k (mean_k - mean)^2. Sampling draws a component index per sample
 * (categorical on the logits) and every component's sample, then selects with a one-hot mask, all
 * vectorized. Not reparameterized: the discrete choice has no pathwise gradient (TFP's implicit
 * reparameterization of mixtures is out of scope), so `rsample` throws; use `sample` with a
 * score-function estimator. Entropy and mode have no closed form and are not defined.
 *
 * Batch shape `B` = the components' batch shape without its last axis; event shape = the
 * components' event shape.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { MixtureSameFamily, Normal } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const mix = new MixtureSameFamily({
 *     mixtureLogits: [Math.log(0.3), Math.log(0.7)],
 *     components: new Normal({ loc: [-2, 2], scale: [1, 0.5] }),
 *   });
 *   console.log(mix.batchShape, mix.eventShape); // [] []
 *   console.log(mix.mean().arraySync()); // 0.8 = 0.3 * -2 + 0.7 * 2
 *   console.log(mix.sample([5], 1).shape); // [5]
 * });
 * ```
 */
export class MixtureSameFamily extends Distribution {
  /** The family's name in messages, spelled out because minifiers rename classes. */
  static override readonly familyName: string = 'MixtureSameFamily';

  /** Unnormalized log mixture weights, shape `B' + [K]`. */
  readonly mixtureLogits: tf.Tensor;
  /** The components, batch shape `B + [K]`. */
  readonly components: Distribution;
  /** The number of components K. */
  readonly numComponents: number;
  readonly reparameterized = false;
  readonly support: Constraint;

  /**
   * @param params - `components` and `mixtureLogits` (or `mixture`), plus options
   */
  constructor(params: MixtureSameFamilyParams) {
    const { mixtureLogits, mixture, components, ...options } = params;
    // The components check values too, so by default follow their setting.
    super([], [], { ...options, validateArgs: options.validateArgs ?? components?.validateArgs });
    if (!(components instanceof Distribution)) {
      throw new InvalidArgumentError('components', 'a Distribution', `got ${typeof components}`, this.name);
    }
    if ((mixtureLogits === undefined) === (mixture === undefined)) {
      throw new InvalidArgumentError('mixtureLogits or mixture', 'given (exactly one of them)', undefined, this.name);
    }
    const componentBatch = components.batchShape;
    if (componentBatch.length < 1) {
      throw new InvalidArgumentError('components', 'batched with the K components on the last batch axis', 'got batchShape []', this.name);
    }
    this.numComponents = componentBatch[componentBatch.length - 1];
    const logitsName = mixtureLogits !== undefined ? 'mixtureLogits' : 'mixture.logits';
    this.mixtureLogits = mixtureLogits !== undefined ? this.param(mixtureLogits, 'mixtureLogits') : (mixture as CategoricalLike).logits;
    if (this.mixtureLogits.rank < 1 || this.mixtureLogits.shape[this.mixtureLogits.rank - 1] !== this.numComponents) {
      throw new InvalidArgumentError(
        logitsName,
        `shaped [..., ${this.numComponents}] (the components' last batch axis)`,
        `got shape [${this.mixtureLogits.shape}]`,
        this.name,
      );
    }
    this.checkParam(this.mixtureLogits, logitsName, LOGITS);
    const batch = componentBatch.slice(0, -1);
    const merged = this.broadcastParams([this.mixtureLogits.shape.slice(0, -1), batch], [logitsName, 'components (batch without K)']);
    if (merged.length !== batch.length || merged.some((d, i) => d !== batch[i])) {
      throw new InvalidArgumentError(
        logitsName,
        `batched like the components ([${batch}] + [K]) or broadcastable to it`,
        `got shape [${this.mixtureLogits.shape}]`,
        this.name,
      );
    }
    this.components = components;
    this.support = components.support;
    this.batchShape.push(...batch);
    this.eventShape.push(...components.eventShape);
  }

  /** The components this one made itself (by `expand` or `reshapeBatch`), which its `dispose()` frees. */
  private expandedComponents?: Distribution;

  /** Expands the components over the new batch shape plus K, and broadcasts the mixture logits. */
  protected override _expand(batchShape: number[]): MixtureSameFamily {
    const shape = [...batchShape, this.numComponents];
    return this.withComponents(this.components.expand(shape), tf.broadcastTo(this.mixtureLogits, shape));
  }

  /** Reshapes the components' batch to the new batch shape plus K, and the mixture logits alike. */
  protected override _reshapeBatch(batchShape: number[]): MixtureSameFamily {
    const k = this.numComponents;
    const logits = tf.tidy(() => tf.reshape(tf.broadcastTo(this.mixtureLogits, [...this.batchShape, k]), [...batchShape, k]));
    return this.withComponents(this.components.reshapeBatch([...batchShape, k]), logits);
  }

  /** A new mixture that owns the components and logits it is given. */
  private withComponents(components: Distribution, mixtureLogits: tf.Tensor): MixtureSameFamily {
    const rebuilt = new MixtureSameFamily({ components, mixtureLogits, validateArgs: this.validateArgs });
    rebuilt.expandedComponents = components;
    rebuilt.own(mixtureLogits);
    return rebuilt;
  }

  override dispose(): void {
    this.expandedComponents?.dispose();
    super.dispose();
  }

  /** Reshapes `B + [K]` weights so they broadcast against `B + [K] + eventShape`. */
  private weightsForEvents(w: tf.Tensor): tf.Tensor {
    return tf.reshape(w, [...w.shape, ...this.eventShape.map(() => 1)]);
  }

  /** The axis of K in a `B + [K] + eventShape` tensor, counted from the end. */
  private get componentAxis(): number {
    return -1 - this.eventShape.length;
  }

  protected _sampleN(n: number, seed?: number): tf.Tensor {
    const [componentSeed, indexSeed] = seed === undefined ? [undefined, undefined] : splitSeed(seed, 2);
    const all = this.components.sample([n], componentSeed); // [n] + B + [K] + E
    const index = categoricalSample(this.mixtureLogits, [n, ...this.batchShape], indexSeed); // [n] + B
    // oneHot in int32 then cast: the wasm backend's OneHot ignores a float32 dtype argument.
    const mask = this.weightsForEvents(tf.cast(tf.oneHot(tf.cast(index, 'int32'), this.numComponents), 'float32'));
    return tf.sum(tf.mul(all, mask), all.rank + this.componentAxis);
  }

  protected _logProb(x: tf.Tensor): tf.Tensor {
    const expanded = tf.expandDims(x, x.rank - this.eventShape.length); // S + B + [1] + E
    const componentLogProb = this.components.logProb(expanded); // S + B + [K]
    return logSumExp(tf.add(tf.logSoftmax(this.mixtureLogits), componentLogProb), -1);
  }

  protected override _mean(): tf.Tensor {
    const w = this.weightsForEvents(tf.softmax(this.mixtureLogits));
    const means = this.components.mean();
    return tf.sum(tf.mul(w, means), means.rank + this.componentAxis);
  }

  protected override _variance(): tf.Tensor {
    const w = this.weightsForEvents(tf.softmax(this.mixtureLogits));
    const means = this.components.mean();
    const axis = means.rank + this.componentAxis;
    const mean = tf.sum(tf.mul(w, means), axis, true);
    const within = tf.sum(tf.mul(w, this.components.variance()), axis);
    const between = tf.sum(tf.mul(w, tf.square(tf.sub(means, mean))), axis);
    return tf.add(within, between);
  }
}
