import * as tf from '@tensorflow/tfjs-core';
import { withoutGradient } from '@vae/math';
import type { ConcentrationPairSampler } from '@vae/samplers';
import { assertConstraint, constraints } from './constraints.js';
import { family } from './family.js';
import type { FamilyParams } from './family.js';

/** Parameters of a {@link ConcentrationPair} family (TensorFlow Probability's and torch's names). */
export interface ConcentrationPairParams extends FamilyParams<typeof CONCENTRATIONS> {}

/** Both concentrations are positive in every family of the unit interval. */
const CONCENTRATIONS = {
  /** > 0: the exponent of x (for Beta, alpha: the pseudo-count of ones), broadcastable to `batchShape`. */
  concentration1: constraints.positive,
  /** > 0: the exponent of the factor vanishing at 1 (for Beta, beta: the pseudo-count of zeros), broadcastable to `batchShape`. */
  concentration0: constraints.positive,
} as const;

/**
 * The base of the reparameterized families on [0, 1] with two positive concentrations (Beta,
 * Kumaraswamy): the parameters, the support and the mode's domain live here, a family adds its
 * math.
 *
 * @remarks
 * The batch shape is the broadcast of the two concentrations' shapes. Both families have a single
 * mode only where concentration1 >= 1 and concentration0 >= 1, not both 1; elsewhere `mode()` throws
 * when `validateArgs` is on and gives NaN when it is off (TensorFlow Probability's
 * `allow_nan_stats` convention). Samples come from the family's `sampler`
 * (`betaSample(concentration1, concentration0, ...)`), or from the inverse CDF of the samplers'
 * seeded uniforms where it names none. A family extends `named(ConcentrationPair, 'Name')`.
 *
 * @example
 * ```ts
 * import { Beta, ConcentrationPair } from '@vae/distributions';
 * const d = new Beta({ concentration1: [1, 2], concentration0: 3 });
 * console.log(d instanceof ConcentrationPair, d.batchShape); // true [2]
 * d.dispose();
 * ```
 */
export abstract class ConcentrationPair extends family('ConcentrationPair', CONCENTRATIONS, {
  support: constraints.unitInterval,
  reparameterized: true,
}) {
  /** The family's sampler from `@vae/samplers` (e.g. `betaSample`); none samples by inverse CDF. */
  declare protected readonly sampler?: ConcentrationPairSampler;

  /**
   * The mode where it is defined, NaN elsewhere; an error naming both concentrations when
   * validation is on and some batch member has none.
   * @param isDefined - where the family's mode exists, from a and b broadcast to `batchShape`
   * @param mode - the mode from a and b (and the mask, to keep the undefined members harmless)
   * @returns shape `batchShape`
   */
  protected modeWhereDefined(
    isDefined: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor,
    mode: (a: tf.Tensor, b: tf.Tensor, defined: tf.Tensor) => tf.Tensor,
  ): tf.Tensor {
    const a = tf.broadcastTo(this.concentration1, this.batchShape);
    const b = tf.broadcastTo(this.concentration0, this.batchShape);
    const defined = withoutGradient(isDefined, a, b);
    if (this.validateArgs) {
      assertConstraint(
        tf.stack([a, b], -1),
        'concentration1 and concentration0',
        { description: 'both >= 1 and not both 1 for mode() to be defined', eventRank: 1, check: () => tf.clone(defined) },
        this.name,
      );
    }
    const m = mode(a, b, defined);
    return tf.where(defined, m, tf.fill(m.shape, NaN));
  }
}
