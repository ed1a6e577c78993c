import * as tf from '@tensorflow/tfjs-core';
import { log1p, withoutGradient } from '@vae/math';
import { laplaceSample } from '@vae/samplers';
import { named } from './family.js';
import { LocationScale } from './location-scale.js';
import type { LocationScaleParams } from './location-scale.js';

/** Parameters of {@link Laplace}: `loc`: location (mean, median and mode); `scale`: scale b, > 0 (the standard deviation is sqrt(2) b). */
export type LaplaceParams = LocationScaleParams;

/**
 * The Laplace (double exponential) distribution, reparameterized.
 *
 * @remarks
 * log p(x) = -|x - loc| / b - log(2 b); entropy 1 + log(2 b); mean and mode loc; variance 2 b^2.
 * With z = (x - loc) / b the CDF is exp(z) / 2 for z < 0 and 1 - exp(-z) / 2 otherwise; its log is
 * z - log 2 in the lower half and log1p(-exp(-z) / 2) in the upper one, so it never underflows.
 * Samples are loc + b L with L standard Laplace noise.
 * Inverse CDF loc + b log(2p) below p = 1/2 and loc - b log(2 (1 - p)) above (1 - p is exact there).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Laplace } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const d = new Laplace({ loc: 0, scale: [1, 2] });
 *   console.log(d.logProb(1).arraySync()); // [-1.6931, -1.8863]
 *   console.log(d.logCdf(-200).arraySync()); // [-200.6931, -100.6931]
 *   console.log(d.rsample([4], 1).shape); // [4, 2]
 *   d.dispose();
 * });
 * ```
 */
export class Laplace extends named(LocationScale, 'Laplace') {
  protected override readonly sampler = laplaceSample;

  protected _logProb(x: tf.Tensor): tf.Tensor {
    return tf.neg(tf.add(tf.div(tf.abs(tf.sub(x, this.loc)), this.scale), tf.log(tf.mul(2, this.scale))));
  }

  protected override _logCdf(x: tf.Tensor): tf.Tensor {
    const z = this.standardize(x);
    const lower = withoutGradient((v) => tf.less(v, 0), z);
    // Each branch sees only its own half of z, so neither overflows into the other's gradient.
    const zLower = tf.minimum(z, 0);
    const zUpper = tf.maximum(z, 0);
    return tf.where(lower, tf.sub(zLower, Math.LN2), log1p(tf.mul(-0.5, tf.exp(tf.neg(zUpper)))));
  }

  protected override _cdf(x: tf.Tensor): tf.Tensor {
    const z = this.standardize(x);
    const lower = withoutGradient((v) => tf.less(v, 0), z);
    return tf.where(lower, tf.mul(0.5, tf.exp(tf.minimum(z, 0))), tf.sub(1, tf.mul(0.5, tf.exp(tf.neg(tf.maximum(z, 0))))));
  }

  protected override _icdf(p: tf.Tensor): tf.Tensor {
    const upper = withoutGradient((v) => tf.greater(v, 0.5), p);
    const low = tf.log(tf.mul(2, tf.minimum(p, 0.5)));
    const high = tf.neg(tf.log(tf.mul(2, tf.sub(1, tf.maximum(p, 0.5)))));
    return tf.add(this.loc, tf.mul(this.scale, tf.where(upper, high, low)));
  }

  protected override _entropy(): tf.Tensor {
    return tf.add(tf.log(tf.mul(2, this.scale)), 1);
  }

  protected override _variance(): tf.Tensor {
    return tf.mul(2, tf.square(this.scale));
  }

  protected override _stddev(): tf.Tensor {
    return tf.mul(Math.SQRT2, this.scale);
  }
}
