import * as tf from '@tensorflow/tfjs-core';
import { log1p, logSigmoid, softplus } from '@vae/math';
import { logisticSample } from '@vae/samplers';
import { named } from './family.js';
import { LocationScale } from './location-scale.js';
import type { LocationScaleParams } from './location-scale.js';

/** Parameters of {@link Logistic}: `loc`: location (mean, median and mode); `scale`: scale s, > 0 (the standard deviation is pi s / sqrt(3)). */
export type LogisticParams = LocationScaleParams;

/**
 * The logistic distribution, reparameterized.
 *
 * @remarks
 * With z = (x - loc) / s: log p(x) = -softplus(z) - softplus(-z) - log s (the symmetric form of
 * -z - 2 log(1 + exp(-z)) - log s, exact in both tails); CDF sigmoid(z), log CDF logSigmoid(z) =
 * -softplus(-z); entropy log s + 2; mean and mode loc; variance pi^2 s^2 / 3. Samples are
 * loc + s (log u - log(1 - u)) for uniform u.
 * Inverse CDF loc + s (log p - log1p(-p)), the logit of p.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Logistic } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const d = new Logistic({ loc: 1, scale: 0.5 });
 *   console.log(d.logProb(1).arraySync()); // -0.6931
 *   console.log(d.cdf(1).arraySync()); // 0.5
 *   console.log(d.entropy().arraySync()); // 1.3069
 *   d.dispose();
 * });
 * ```
 */
export class Logistic extends named(LocationScale, 'Logistic') {
  protected override readonly sampler = logisticSample;

  protected _logProb(x: tf.Tensor): tf.Tensor {
    const z = this.standardize(x);
    return tf.neg(tf.add(tf.add(softplus(z), softplus(tf.neg(z))), tf.log(this.scale)));
  }

  protected override _logCdf(x: tf.Tensor): tf.Tensor {
    return logSigmoid(this.standardize(x));
  }

  protected override _cdf(x: tf.Tensor): tf.Tensor {
    return tf.sigmoid(this.standardize(x));
  }

  protected override _icdf(p: tf.Tensor): tf.Tensor {
    return tf.add(this.loc, tf.mul(this.scale, tf.sub(tf.log(p), log1p(tf.neg(p)))));
  }

  protected override _entropy(): tf.Tensor {
    return tf.add(tf.log(this.scale), 2);
  }

  protected override _variance(): tf.Tensor {
    return tf.mul((Math.PI * Math.PI) / 3, tf.square(this.scale));
  }

  protected override _stddev(): tf.Tensor {
    return tf.mul(Math.PI / Math.sqrt(3), this.scale);
  }
}
