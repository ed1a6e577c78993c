import * as tf from '@tensorflow/tfjs-core';
import { logNdtr, ndtr, ndtri } from '@vae/math';
import { normalSample } from '@vae/samplers';
import { named } from './family.js';
import { LocationScale } from './location-scale.js';
import type { LocationScaleParams } from './location-scale.js';

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** Parameters of {@link Normal}: `loc`: mean; `scale`: standard deviation, > 0. */
export type NormalParams = LocationScaleParams;

/**
 * The normal (Gaussian) distribution N(loc, scale^2), reparameterized.
 *
 * @remarks
 * log p(x) = -((x - loc) / scale)^2 / 2 - log(scale) - log(2 pi) / 2; entropy
 * 1/2 + log(2 pi)/2 + log(scale); the CDF is Phi((x - loc) / scale), its log computed by
 * `logNdtr` so it stays accurate far in the lower tail. Samples are loc + scale * eps with
 * eps ~ N(0, 1).
 * Inverse CDF loc + sigma Phi^-1(p), through @vae/math's ndtri (float32-accurate in both tails).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Normal } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const q = new Normal({ loc: tf.tensor([0, 1]), scale: tf.tensor([1, 0.5]) });
 *   const z = q.rsample([3], 7); // shape [3, 2], differentiable in loc and scale
 *   console.log(q.logProb(z).shape); // [3, 2]
 *   console.log(q.entropy().arraySync()); // [1.4189, 0.7258]
 * });
 * ```
 */
export class Normal extends named(LocationScale, 'Normal') {
  protected override readonly sampler = normalSample;

  protected _logProb(x: tf.Tensor): tf.Tensor {
    const z = this.standardize(x);
    return tf.sub(tf.mul(-0.5, tf.square(z)), tf.add(tf.log(this.scale), HALF_LOG_TWO_PI));
  }

  protected override _logCdf(x: tf.Tensor): tf.Tensor {
    return logNdtr(this.standardize(x));
  }

  protected override _cdf(x: tf.Tensor): tf.Tensor {
    return ndtr(this.standardize(x));
  }

  protected override _icdf(p: tf.Tensor): tf.Tensor {
    return tf.add(this.loc, tf.mul(this.scale, ndtri(p)));
  }

  protected override _entropy(): tf.Tensor {
    return tf.add(tf.log(this.scale), 0.5 + HALF_LOG_TWO_PI);
  }

  protected override _variance(): tf.Tensor {
    return tf.square(this.scale);
  }

  protected override _stddev(): tf.Tensor {
    return this.scale;
  }
}
