import * as tf from '@tensorflow/tfjs-core';
import type { LocationScaleSampler } from '@vae/samplers';
import { constraints } from './constraints.js';
import { family } from './family.js';
import type { FamilyParams } from './family.js';

/** Parameters of a {@link LocationScale} family. */
export interface LocationScaleParams extends FamilyParams<typeof LOCATION_SCALE> {}

/** `loc` is any real number and `scale` a positive one, in every location-scale family. */
const LOCATION_SCALE = {
  /** Location, any real, broadcastable to `batchShape`. */
  loc: constraints.real,
  /** Scale, > 0, broadcastable to `batchShape`. */
  scale: constraints.positive,
} as const;

/**
 * The base of the families parameterized by a location and a positive scale (Normal, Laplace,
 * Logistic, Gumbel, and LogNormal through log x): the parameters, reparameterization and the
 * standardized value live here, a family adds its math.
 *
 * @remarks
 * `loc` is real and `scale` > 0; the batch shape is their broadcast shape; the support is the real
 * line unless a family says otherwise (LogNormal: x > 0). `standardize(x)` is
 * z = (x - loc) / scale, the argument of every standard density; the mean and mode default to
 * `loc` (families whose moments differ, such as Gumbel and LogNormal, override them). Samples come
 * from the family's `sampler` (`normalSample(loc, scale, ...)`), or from the inverse CDF of the
 * samplers' seeded uniforms where it names none (Cauchy, Gumbel). A family extends
 * `named(LocationScale, 'Name')`.
 *
 * @example
 * ```ts
 * import { LocationScale, Normal } from '@vae/distributions';
 * const d = new Normal({ loc: [0, 1], scale: 2 });
 * console.log(d instanceof LocationScale, d.batchShape); // true [2]
 * d.dispose();
 * ```
 */
export abstract class LocationScale extends family('LocationScale', LOCATION_SCALE, { support: constraints.real, reparameterized: true }) {
  /** The family's sampler from `@vae/samplers` (e.g. `normalSample`); none samples by inverse CDF. */
  declare protected readonly sampler?: LocationScaleSampler;

  /**
   * The standardized value z = (x - loc) / scale.
   * @param x - values, shape `S + batchShape` (or broadcastable)
   * @returns z, the broadcast shape of `x`, `loc` and `scale`
   */
  protected standardize(x: tf.Tensor): tf.Tensor {
    return tf.div(tf.sub(x, this.loc), this.scale);
  }

  protected override _mean(): tf.Tensor {
    return this.loc;
  }

  protected override _mode(): tf.Tensor {
    return this.loc;
  }
}
