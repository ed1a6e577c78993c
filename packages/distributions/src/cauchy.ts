import * as tf from '@tensorflow/tfjs-core';
import { log1p, withoutGradient } from '@vae/math';
import { named } from './family.js';
import { fromNearerTail } from './nearer-tail.js';
import { LocationScale } from './location-scale.js';
import type { LocationScaleParams } from './location-scale.js';

/** Parameters of {@link Cauchy}: `loc`: location (median and mode); `scale`: half width at half maximum, > 0. */
export type CauchyParams = LocationScaleParams;

/**
 * log(1 + z^2) without overflow: 2 log|z| + log1p(1 / z^2) once |z| > 1, as z^2 overflows float32
 * past |z| = 1.8e19.
 * @param z - any real tensor
 * @returns log(1 + z^2), z's shape
 */
export function log1pSquare(z: tf.Tensor): tf.Tensor {
  const a = tf.abs(z);
  const big = withoutGradient((v) => tf.greater(v, 1), a);
  const inside = log1p(tf.square(tf.minimum(a, 1)));
  const outside = tf.add(tf.mul(2, tf.log(tf.maximum(a, 1))), log1p(tf.reciprocal(tf.square(tf.maximum(a, 1)))));
  return tf.where(big, outside, inside);
}

/**
 * The Cauchy (Lorentz) distribution, heavy-tailed and reparameterized.
 *
 * @remarks
 * With z = (x - loc) / gamma: log p(x) = -log(pi gamma) - log(1 + z^2); CDF atan2(1, -z) / pi
 * (= 1/2 + atan(z) / pi, written so the lower tail keeps its relative precision), log CDF its log
 * below the median and log1p(-atan2(1, z) / pi) above; entropy log(4 pi gamma); mode and median loc.
 * The mean is undefined and the variance infinite: `mean()` is NaN and `variance()`/`stddev()`
 * +Infinity, as torch gives them. The inverse CDF loc + gamma tan(pi (p - 1/2)) is computed as
 * -gamma / tan(pi p) below p = 1/2 and gamma / tan(pi (1 - p)) above, exact in both tails.
 * Samples are the inverse CDF of the samplers' seeded uniform.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Cauchy } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const d = new Cauchy({ loc: 0, scale: [1, 2] });
 *   console.log(d.logProb(1).arraySync()); // [-1.8379, -2.0610]
 *   console.log(d.cdf(-1e10).arraySync()); // [3.1831e-11, 6.3662e-11]
 *   console.log(d.icdf(0.75).arraySync()); // [1, 2]
 *   console.log(d.mean().arraySync()); // [NaN, NaN]
 *   d.dispose();
 * });
 * ```
 */
export class Cauchy extends named(LocationScale, 'Cauchy') {
  protected _logProb(x: tf.Tensor): tf.Tensor {
    return tf.neg(tf.add(log1pSquare(this.standardize(x)), tf.log(tf.mul(Math.PI, this.scale))));
  }

  protected override _cdf(x: tf.Tensor): tf.Tensor {
    const z = this.standardize(x);
    return tf.div(tf.atan2(tf.onesLike(z), tf.neg(z)), Math.PI);
  }

  protected override _logCdf(x: tf.Tensor): tf.Tensor {
    const z = this.standardize(x);
    const lower = withoutGradient((v) => tf.less(v, 0), z);
    const one = tf.onesLike(z);
    const low = tf.log(tf.div(tf.atan2(one, tf.neg(tf.minimum(z, 0))), Math.PI));
    const high = log1p(tf.div(tf.atan2(one, tf.maximum(z, 0)), -Math.PI));
    return tf.where(lower, low, high);
  }

  protected override _icdf(p: tf.Tensor): tf.Tensor {
    // tan(pi (p - 1/2)) = -1 / tan(pi p) = 1 / tan(pi q): exact in whichever tail p is in.
    const z = fromNearerTail(
      p,
      (a) => tf.neg(tf.reciprocal(tf.tan(tf.mul(Math.PI, a)))),
      (q) => tf.reciprocal(tf.tan(tf.mul(Math.PI, q))),
    );
    return tf.add(this.loc, tf.mul(this.scale, z));
  }

  protected override _entropy(): tf.Tensor {
    return tf.log(tf.mul(4 * Math.PI, this.scale));
  }

  protected override _mean(): tf.Tensor {
    return tf.fill(this.batchShape, NaN);
  }

  protected override _variance(): tf.Tensor {
    return tf.fill(this.batchShape, Infinity);
  }

  protected override _stddev(): tf.Tensor {
    return tf.fill(this.batchShape, Infinity);
  }
}
