import * as tf from '@tensorflow/tfjs-core';
import { expm1, log1mexp, log1p, withoutGradient } from '@vae/math';
import { constraints } from './constraints.js';
import { family } from './family.js';
import type { ParamsOf } from './family.js';
import { onPositive } from './on-positive.js';

/** Parameters of {@link Pareto}. */
export interface ParetoParams extends ParamsOf<typeof Pareto> {}

/**
 * The Pareto (type I) distribution on [scale, Infinity), a power-law tail, reparameterized.
 *
 * @remarks
 * log p(x) = log alpha - log x - alpha log(x / x_m) for x >= x_m (log(x / x_m) as log1p((x - x_m) / x_m)
 * near x_m, where log x - log x_m would cancel); with t = alpha log(x / x_m)
 * the CDF is -expm1(-t) and the log CDF log1mexp(t) (exact for x just above x_m); entropy
 * log(x_m / alpha) + 1 / alpha + 1; mode x_m. The mean alpha x_m / (alpha - 1) is +Infinity for
 * alpha <= 1 and the variance x_m^2 alpha / ((alpha - 1)^2 (alpha - 2)) +Infinity for alpha <= 2, as
 * torch gives them. Inverse CDF x_m exp(-log1p(-p) / alpha); samples are it applied to the
 * samplers' seeded uniform, i.e. x_m exp(E / alpha) with E standard exponential.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Pareto } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const d = new Pareto({ scale: 1, alpha: [1, 3] });
 *   console.log(d.logProb(2).arraySync()); // [-1.3863, -1.6740]
 *   console.log(d.cdf(2).arraySync()); // [0.5, 0.875]
 *   console.log(d.mean().arraySync()); // [Infinity, 1.5]
 *   console.log(d.icdf(0.5).arraySync()); // [2, 1.2599]
 *   d.dispose();
 * });
 * ```
 */
export class Pareto extends family(
  'Pareto',
  {
    /** Scale x_m, > 0: the smallest value of the support, broadcastable to `batchShape`. */
    scale: constraints.positive,
    /** Shape (tail index) alpha, > 0, broadcastable to `batchShape`. */
    alpha: constraints.positive,
  },
  {
    support: (p) => constraints.greaterThan(p.scale, 'scale', { inclusive: true, finite: true }),
    reparameterized: true,
  },
) {
  protected _logProb(x: tf.Tensor): tf.Tensor {
    return tf.sub(tf.sub(tf.log(this.alpha), tf.log(x)), tf.mul(this.alpha, this.logRatio(x)));
  }

  /**
   * log(x / x_m) >= 0 (clamped at 0 below the support): log1p((x - x_m) / x_m) near x_m, where
   * x - x_m is exact and log x - log x_m would cancel (alpha = 1000 multiplies that error), and
   * log x - log x_m far above, where (x - x_m) / x_m could overflow.
   */
  private logRatio(x: tf.Tensor): tf.Tensor {
    const excess = tf.div(tf.relu(tf.sub(x, this.scale)), this.scale);
    const far = withoutGradient((v) => tf.greater(v, 1), excess);
    const near = log1p(tf.minimum(excess, 1));
    // The floor keeps log x finite (and its gradient 0) for values outside the support, which `far` never selects.
    const away = tf.sub(tf.log(tf.maximum(x, 2 ** -126)), tf.log(this.scale));
    return tf.where(far, away, near);
  }

  /** alpha log(x / x_m), 0 below the support. */
  private tailExponent(x: tf.Tensor): tf.Tensor {
    return tf.mul(this.alpha, this.logRatio(x));
  }

  protected override _cdf(x: tf.Tensor): tf.Tensor {
    return tf.neg(expm1(tf.neg(this.tailExponent(x))));
  }

  protected override _logCdf(x: tf.Tensor): tf.Tensor {
    // log1mexp's gradient is NaN at 0, where the log CDF is -Infinity anyway.
    return onPositive(this.tailExponent(x), log1mexp, -Infinity);
  }

  protected override _icdf(p: tf.Tensor): tf.Tensor {
    return tf.mul(this.scale, tf.exp(tf.div(tf.neg(log1p(tf.neg(p))), this.alpha)));
  }

  protected override _entropy(): tf.Tensor {
    return tf.add(tf.add(tf.log(tf.div(this.scale, this.alpha)), tf.reciprocal(this.alpha)), 1);
  }

  protected override _mean(): tf.Tensor {
    // As torch: alpha clamped at 1, so alpha <= 1 gives x_m / 0 = +Infinity.
    const a = tf.maximum(this.alpha, 1);
    return tf.div(tf.mul(a, this.scale), tf.sub(a, 1));
  }

  protected override _variance(): tf.Tensor {
    const a = tf.maximum(this.alpha, 2);
    return tf.div(tf.mul(tf.square(this.scale), a), tf.mul(tf.square(tf.sub(a, 1)), tf.sub(a, 2)));
  }

  protected override _mode(): tf.Tensor {
    return tf.broadcastTo(this.scale, this.batchShape);
  }
}
