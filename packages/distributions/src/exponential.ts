import * as tf from '@tensorflow/tfjs-core';
import { expm1, log1mexp, log1p } from '@vae/math';
import { uniform } from '@vae/samplers';
import { constraints } from './constraints.js';
import { family } from './family.js';
import type { ParamsOf } from './family.js';
import { onPositive } from './on-positive.js';

/** Parameters of {@link Exponential}. */
export interface ExponentialParams extends ParamsOf<typeof Exponential> {}

/**
 * The exponential distribution on [0, Infinity), reparameterized.
 *
 * @remarks
 * log p(x) = log lambda - lambda x; CDF -expm1(-lambda x), log CDF log1mexp(lambda x) (accurate for
 * tiny lambda x, where 1 - exp(-lambda x) would round to 0); mean 1 / lambda; variance
 * 1 / lambda^2; entropy 1 - log lambda; mode 0. Samples are -log(u) / lambda for uniform u.
 * Inverse CDF -log1p(-p) / lambda (exact for tiny p).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Exponential } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const d = new Exponential({ rate: [1, 4] });
 *   console.log(d.logProb(0.5).arraySync()); // [-0.5, -0.6137]
 *   console.log(d.logCdf(1e-9).arraySync()); // [-20.7233, -19.3370]
 *   console.log(d.rsample([2], 1).shape); // [2, 2]
 *   d.dispose();
 * });
 * ```
 */
export class Exponential extends family(
  'Exponential',
  {
    /** Rate lambda, > 0 (the mean is 1 / lambda), broadcastable to `batchShape`. */
    rate: constraints.positive,
  },
  { support: constraints.nonNegative, reparameterized: true },
) {
  protected override _sampleN(n: number, seed?: number): tf.Tensor {
    return tf.div(tf.neg(tf.log(uniform([n, ...this.batchShape], seed))), this.rate);
  }

  protected _logProb(x: tf.Tensor): tf.Tensor {
    return tf.sub(tf.log(this.rate), tf.mul(this.rate, x));
  }

  protected override _logCdf(x: tf.Tensor): tf.Tensor {
    // log1mexp's gradient is NaN at 0, where the log CDF is -Infinity anyway.
    return onPositive(tf.mul(this.rate, tf.relu(x)), log1mexp, -Infinity);
  }

  protected override _cdf(x: tf.Tensor): tf.Tensor {
    return tf.neg(expm1(tf.neg(tf.mul(this.rate, tf.relu(x)))));
  }

  protected override _icdf(p: tf.Tensor): tf.Tensor {
    return tf.div(tf.neg(log1p(tf.neg(p))), this.rate);
  }

  protected override _entropy(): tf.Tensor {
    return tf.sub(1, tf.log(this.rate));
  }

  protected override _mean(): tf.Tensor {
    return tf.reciprocal(this.rate);
  }

  protected override _variance(): tf.Tensor {
    return tf.reciprocal(tf.square(this.rate));
  }

  protected override _stddev(): tf.Tensor {
    return tf.reciprocal(this.rate);
  }

  protected override _mode(): tf.Tensor {
    return tf.zerosLike(this.rate);
  }
}
