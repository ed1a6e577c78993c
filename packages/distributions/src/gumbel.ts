import * as tf from '@tensorflow/tfjs-core';
import { log1p, withoutGradient } from '@vae/math';
import { named } from './family.js';
import { LocationScale } from './location-scale.js';
import type { LocationScaleParams } from './location-scale.js';

const EULER_GAMMA = 0.5772156649015329;

/** Parameters of {@link Gumbel}: `loc`: location (the mode); `scale`: scale beta, > 0. */
export type GumbelParams = LocationScaleParams;

/**
 * The Gumbel (type I extreme value) distribution, the law of the maximum of many light-tailed
 * draws, reparameterized.
 *
 * @remarks
 * With z = (x - loc) / beta: log p(x) = -(z + exp(-z)) - log beta; CDF exp(-exp(-z)), log CDF
 * -exp(-z) (exact, so the lower tail never underflows to log 0); inverse CDF
 * loc - beta log(-log p); mean loc + gamma beta (gamma the Euler-Mascheroni constant); variance
 * pi^2 beta^2 / 6; mode loc; entropy log beta + gamma + 1. Samples are the inverse CDF of the
 * samplers' seeded uniform u, with -log u taken as -log1p(u - 1) above u = 1/2, where u - 1 is exact.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Gumbel } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const d = new Gumbel({ loc: 0, scale: [1, 2] });
 *   console.log(d.logProb(0).arraySync()); // [-1, -1.6931]
 *   console.log(d.cdf(0).arraySync()); // [0.3679, 0.3679]
 *   console.log(d.mean().arraySync()); // [0.5772, 1.1544]
 *   console.log(d.rsample([3], 1).shape); // [3, 2]
 *   d.dispose();
 * });
 * ```
 */
export class Gumbel extends named(LocationScale, 'Gumbel') {
  protected _logProb(x: tf.Tensor): tf.Tensor {
    const z = this.standardize(x);
    return tf.neg(tf.add(tf.add(z, tf.exp(tf.neg(z))), tf.log(this.scale)));
  }

  protected override _logCdf(x: tf.Tensor): tf.Tensor {
    return tf.neg(tf.exp(tf.neg(this.standardize(x))));
  }

  protected override _icdf(p: tf.Tensor): tf.Tensor {
    const upper = withoutGradient((v) => tf.greater(v, 0.5), p);
    const logP = tf.where(upper, log1p(tf.sub(tf.where(upper, p, tf.onesLike(p)), 1)), tf.log(p));
    return tf.sub(this.loc, tf.mul(this.scale, tf.log(tf.neg(logP))));
  }

  protected override _entropy(): tf.Tensor {
    return tf.add(tf.log(this.scale), EULER_GAMMA + 1);
  }

  protected override _mean(): tf.Tensor {
    return tf.add(this.loc, tf.mul(EULER_GAMMA, this.scale));
  }

  protected override _variance(): tf.Tensor {
    return tf.mul((Math.PI * Math.PI) / 6, tf.square(this.scale));
  }

  protected override _stddev(): tf.Tensor {
    return tf.mul(Math.PI / Math.sqrt(6), this.scale);
  }
}
