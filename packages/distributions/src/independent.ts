import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@vae/math';
import type { Constraint } from './constraints.js';
import { Distribution } from './distribution.js';
import type { DistributionOptions } from './distribution.js';

/** Parameters of {@link Independent}. */
export interface IndependentParams extends DistributionOptions {
  /** The base distribution; it is not copied, and `dispose()` does not free it. */
  distribution: Distribution;
  /**
   * How many of the base's trailing batch dimensions become event dimensions (an integer in
   * [0, base batch rank]; default: all of them).
   */
  reinterpretedBatchNdims?: number;
}

/**
 * Reinterprets some of a distribution's batch dimensions as event dimensions, so independent
 * coordinates become one joint event (TFP's `Independent`, torch's `Independent`).
 *
 * @remarks
 * With n = `reinterpretedBatchNdims` and a base of batch shape `B + R` (R the last n dims) and
 * event shape `E`, the result has batch shape `B` and event shape `R + E`. Because the reinterpreted
 * coordinates are independent, log p(x) = sum over R of log p_base(x) and the entropy is the sum of
 * the base entropies over R. Mean, variance, mode and samples are the base's, reshaped by nothing
 * (only the split between batch and event moves). The support is the base support, checked on
 * every coordinate of an event (an event is valid when all its coordinates are). Reparameterized
 * exactly when the base is. `validateArgs` defaults to the base's setting; the base's own `logProb`
 * also checks values when the base validates.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Independent, Normal } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   // A diagonal Gaussian over R^3 for each of 2 batch members.
 *   const base = new Normal({ loc: tf.zeros([2, 3]), scale: tf.ones([2, 3]) });
 *   const diag = new Independent({ distribution: base, reinterpretedBatchNdims: 1 });
 *   console.log(diag.batchShape, diag.eventShape); // [2] [3]
 *   console.log(diag.logProb(tf.zeros([2, 3])).shape); // [2]
 * });
 * ```
 */
export class Independent extends Distribution {
  /** The family's name in messages, spelled out because minifiers rename classes. */
  static override readonly familyName: string = 'Independent';

  /** The base distribution. */
  readonly distribution: Distribution;
  /** How many trailing batch dimensions of the base are event dimensions here. */
  readonly reinterpretedBatchNdims: number;
  readonly reparameterized: boolean;
  readonly support: Constraint;

  /**
   * @param params - the base `distribution`, `reinterpretedBatchNdims`, and options
   */
  constructor(params: IndependentParams) {
    const { distribution, reinterpretedBatchNdims, ...options } = params;
    // Values are checked by the base too, so by default follow its setting.
    super([], [], { ...options, validateArgs: options.validateArgs ?? distribution?.validateArgs });
    if (!(distribution instanceof Distribution)) {
      throw new InvalidArgumentError('distribution', 'a Distribution', `got ${typeof distribution}`, this.name);
    }
    const baseBatchRank = distribution.batchShape.length;
    const n = reinterpretedBatchNdims ?? baseBatchRank;
    if (!Number.isInteger(n) || n < 0 || n > baseBatchRank) {
      throw new InvalidArgumentError(
        'reinterpretedBatchNdims',
        `an integer in [0, ${baseBatchRank}] (the base's batch rank)`,
        `got ${n}`,
        this.name,
      );
    }
    this.distribution = distribution;
    this.reinterpretedBatchNdims = n;
    this.reparameterized = distribution.reparameterized;
    this.batchShape.push(...distribution.batchShape.slice(0, baseBatchRank - n));
    this.eventShape.push(...distribution.batchShape.slice(baseBatchRank - n), ...distribution.eventShape);
    const base = distribution.support;
    const axes = Array.from({ length: n }, (_, i) => -1 - i);
    this.support = {
      description: base.description,
      eventRank: base.eventRank + n,
      check: (x: tf.Tensor) =>
        tf.tidy(() => {
          if (n === 0) return base.check(x);
          // One comparison per event rather than per element when the base can measure violations.
          if (base.violation && base.eventRank === 0) return tf.equal(tf.sum(base.violation(x), axes), 0);
          return tf.all(base.check(x), axes);
        }),
    };
  }

  /** Sums the last n axes (the reinterpreted ones) of a `S + B + R` tensor. */
  private sumReinterpreted(t: tf.Tensor): tf.Tensor {
    if (this.reinterpretedBatchNdims === 0) return t;
    return tf.sum(
      t,
      Array.from({ length: this.reinterpretedBatchNdims }, (_, i) => t.rank - 1 - i),
    );
  }

  /** The base distribution this one made itself (by `expand` or `reshapeBatch`), which its `dispose()` frees. */
  private expandedBase?: Distribution;

  /** Expands the base over the new batch shape plus the axes reinterpreted as events. */
  protected override _expand(batchShape: number[]): Independent {
    return this.over((events) => this.distribution.expand([...batchShape, ...events]));
  }

  /** Reshapes the base's batch to the new batch shape plus the axes reinterpreted as events. */
  protected override _reshapeBatch(batchShape: number[]): Independent {
    return this.over((events) => this.distribution.reshapeBatch([...batchShape, ...events]));
  }

  /** A new Independent over a base made from this one's (which the new one's `dispose()` frees). */
  private over(makeBase: (reinterpreted: number[]) => Distribution): Independent {
    const inner = this.distribution.batchShape;
    const base = makeBase(inner.slice(inner.length - this.reinterpretedBatchNdims));
    const rebuilt = new Independent({
      distribution: base,
      reinterpretedBatchNdims: this.reinterpretedBatchNdims,
      validateArgs: this.validateArgs,
    });
    rebuilt.expandedBase = base;
    return rebuilt;
  }

  override dispose(): void {
    this.expandedBase?.dispose();
    super.dispose();
  }

  protected _sampleN(n: number, seed?: number): tf.Tensor {
    return this.distribution.reparameterized ? this.distribution.rsample([n], seed) : this.distribution.sample([n], seed);
  }

  protected _logProb(x: tf.Tensor): tf.Tensor {
    // The base's unmasked hook: logProb masks whole events against this.support, which already
    // covers every element, so masking each element first would pay for the same test twice.
    const n = this.reinterpretedBatchNdims;
    // A family with a summed op (Bernoulli from logits) skips the sum's gradient over the full shape.
    const summed = n > 0 ? Distribution.unmaskedLogProbSum(this.distribution, x, n) : undefined;
    return summed ?? this.sumReinterpreted(Distribution.unmaskedLogProb(this.distribution, x));
  }

  protected override _entropy(): tf.Tensor {
    return this.sumReinterpreted(this.distribution.entropy());
  }

  protected override _mean(): tf.Tensor {
    return this.distribution.mean();
  }

  protected override _variance(): tf.Tensor {
    return this.distribution.variance();
  }

  protected override _stddev(): tf.Tensor {
    return this.distribution.stddev();
  }

  protected override _mode(): tf.Tensor {
    return this.distribution.mode();
  }
}
