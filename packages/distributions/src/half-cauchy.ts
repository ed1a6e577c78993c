import * as tf from '@tensorflow/tfjs-core';
import { log1p, withoutGradient } from '@vae/math';
import { log1pSquare } from './cauchy.js';
import { fromNearerTail } from './nearer-tail.js';
import { constraints } from './constraints.js';
import { family } from './family.js';
import type { ParamsOf } from './family.js';

/** Parameters of {@link HalfCauchy}. */
export interface HalfCauchyParams extends ParamsOf<typeof HalfCauchy> {}

/**
 * The half-Cauchy distribution on [0, Infinity): |X| for X ~ Cauchy(0, scale), a common
 * heavy-tailed prior on scales, reparameterized.
 *
 * @remarks
 * With z = x / gamma: log p(x) = log(2 / (pi gamma)) - log(1 + z^2); CDF (2 / pi) atan(z), log CDF
 * its log below z = 1 and log1p(-(2 / pi) atan(1 / z)) above; entropy log(2 pi gamma); mode 0.
 * The mean and variance are infinite: `mean()`, `variance()` and `stddev()` are +Infinity, as in
 * torch. The inverse CDF gamma tan(pi p / 2) is taken as gamma / tan(pi (1 - p) / 2) above
 * p = 1/2, exact as p nears 1. Samples are the inverse CDF of the samplers' seeded uniform.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { HalfCauchy } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const d = new HalfCauchy({ scale: [1, 2] });
 *   console.log(d.logProb(1).arraySync()); // [-1.1447, -1.3679]
 *   console.log(d.cdf(2).arraySync()); // [0.7048, 0.5]
 *   console.log(d.icdf(0.5).arraySync()); // [1, 2]
 *   console.log(d.rsample([3], 1).shape); // [3, 2]
 *   d.dispose();
 * });
 * ```
 */
export class HalfCauchy extends family(
  'HalfCauchy',
  {
    /** Scale gamma, > 0 (the median), broadcastable to `batchShape`. */
    scale: constraints.positive,
  },
  { support: constraints.nonNegative, reparameterized: true },
) {
  protected _logProb(x: tf.Tensor): tf.Tensor {
    return tf.neg(tf.add(log1pSquare(tf.div(x, this.scale)), tf.log(tf.mul(Math.PI / 2, this.scale))));
  }

  protected override _cdf(x: tf.Tensor): tf.Tensor {
    return tf.mul(2 / Math.PI, tf.atan(tf.div(tf.relu(x), this.scale)));
  }

  protected override _logCdf(x: tf.Tensor): tf.Tensor {
    const z = tf.div(tf.relu(x), this.scale);
    const upper = withoutGradient((v) => tf.greater(v, 1), z);
    const low = tf.log(tf.mul(2 / Math.PI, tf.atan(tf.minimum(z, 1))));
    const high = log1p(tf.mul(-2 / Math.PI, tf.atan(tf.reciprocal(tf.maximum(z, 1)))));
    return tf.where(upper, high, low);
  }

  protected override _icdf(p: tf.Tensor): tf.Tensor {
    // tan(pi p / 2) = 1 / tan(pi q / 2): exact in whichever tail p is in.
    const z = fromNearerTail(
      p,
      (a) => tf.tan(tf.mul(Math.PI / 2, a)),
      (q) => tf.reciprocal(tf.tan(tf.mul(Math.PI / 2, q))),
    );
    return tf.mul(this.scale, z);
  }

  protected override _entropy(): tf.Tensor {
    return tf.log(tf.mul(2 * Math.PI, this.scale));
  }

  protected override _mean(): tf.Tensor {
    return tf.fill(this.batchShape, Infinity);
  }

  protected override _variance(): tf.Tensor {
    return tf.fill(this.batchShape, Infinity);
  }

  protected override _mode(): tf.Tensor {
    return tf.zerosLike(this.scale);
  }
}
