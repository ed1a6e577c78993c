import * as tf from '@tensorflow/tfjs-core';
import { log1mexp, logNdtr, ndtr, withoutGradient } from '@vae/math';
import { normalSample } from '@vae/samplers';
import { constraints } from './constraints.js';
import type { Constraint } from './constraints.js';
import { named } from './family.js';
import { LocationScale } from './location-scale.js';
import type { LocationScaleParams } from './location-scale.js';
import { onPositive } from './on-positive.js';

const SMALLEST_NORMAL = 2 ** -126;
const LARGEST_FLOAT32 = 3.4028234663852886e38;

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** Parameters of {@link LogNormal}: `loc`: mean of log x; `scale`: standard deviation of log x, > 0. */
export type LogNormalParams = LocationScaleParams;

/**
 * The log-normal distribution: x = exp(y) with y ~ N(loc, scale^2), reparameterized.
 *
 * @remarks
 * log p(x) = -((log x - loc) / s)^2 / 2 - log s - log(2 pi) / 2 - log x on x > 0; CDF
 * Phi((log x - loc) / s) (its log by `logNdtr`, accurate deep in the lower tail); mean
 * exp(loc + s^2 / 2); variance expm1(s^2) exp(2 loc + s^2); mode exp(loc - s^2); entropy
 * loc + 1/2 + log(2 pi) / 2 + log s. Moments overflow float32 to Infinity for large loc or s.
 * Samples whose exact value lies beyond float32's range (log x above 88.7 or below -87.3, common
 * for scales near 100) cannot be represented: they are clamped to the largest float32 and to the
 * smallest normal one, 2^-126, so every sample is a finite point of the support (its `logProb` is
 * finite) and the clamped ones carry no gradient.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { LogNormal } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const d = new LogNormal({ loc: 0, scale: [0.25, 1] });
 *   console.log(d.mean().arraySync()); // [1.0317, 1.6487]
 *   console.log(d.logProb(1).arraySync()); // [0.4674, -0.9189]
 *   console.log(d.rsample([3], 2).shape); // [3, 2]
 *   d.dispose();
 * });
 * ```
 */
export class LogNormal extends named(LocationScale, 'LogNormal') {
  readonly support: Constraint = constraints.positive;

  protected override _sampleN(n: number, seed?: number): tf.Tensor {
    // exp of a normal draw overflows float32 past log x = 88.7 and underflows below -87.3 (scale
    // 100 does both often). Like the samplers' Gamma draws, keep it inside the support's float32
    // range, [2^-126, largest float32], so logProb of the distribution's own sample is finite and
    // never a support error. Clamped draws carry no gradient.
    return tf.clipByValue(
      tf.exp(normalSample(this.loc, this.scale, [n, ...this.batchShape], seed, this.samplerOptions)),
      SMALLEST_NORMAL,
      LARGEST_FLOAT32,
    );
  }

  /** (log x - loc) / s, with x <= 0 (outside the support) sent to -Infinity. */
  private standardizedLog(x: tf.Tensor): tf.Tensor {
    return onPositive(x, (xs) => tf.div(tf.sub(tf.log(xs), this.loc), this.scale), -Infinity);
  }

  protected _logProb(x: tf.Tensor): tf.Tensor {
    const positive = withoutGradient((v) => tf.greater(v, 0), x);
    const logX = tf.log(tf.where(positive, x, tf.onesLike(x)));
    const z = tf.div(tf.sub(logX, this.loc), this.scale);
    return tf.sub(tf.mul(-0.5, tf.square(z)), tf.add(tf.add(tf.log(this.scale), HALF_LOG_TWO_PI), logX));
  }

  protected override _logCdf(x: tf.Tensor): tf.Tensor {
    return logNdtr(this.standardizedLog(x));
  }

  protected override _cdf(x: tf.Tensor): tf.Tensor {
    return ndtr(this.standardizedLog(x));
  }

  protected override _entropy(): tf.Tensor {
    return tf.add(tf.add(this.loc, tf.log(this.scale)), 0.5 + HALF_LOG_TWO_PI);
  }

  protected override _mean(): tf.Tensor {
    return tf.exp(tf.add(this.loc, tf.mul(0.5, tf.square(this.scale))));
  }

  /** log variance = log(expm1(s^2)) + 2 loc + s^2, with log(expm1(v)) = v + log1mexp(v). */
  private logVariance(): tf.Tensor {
    const s2 = tf.square(this.scale);
    return tf.add(tf.add(log1mexp(s2), tf.mul(2, s2)), tf.mul(2, this.loc));
  }

  protected override _variance(): tf.Tensor {
    // In log space: no intermediate overflow when a huge exp(2 loc) meets a tiny expm1(s^2).
    return tf.exp(this.logVariance());
  }

  protected override _stddev(): tf.Tensor {
    return tf.exp(tf.mul(0.5, this.logVariance()));
  }

  protected override _mode(): tf.Tensor {
    return tf.exp(tf.sub(this.loc, tf.square(this.scale)));
  }
}
