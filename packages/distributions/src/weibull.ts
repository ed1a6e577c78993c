import * as tf from '@tensorflow/tfjs-core';
import { expm1, lgamma, log1mexp, log1p, withoutGradient } from '@vae/math';
import { constraints } from './constraints.js';
import { family } from './family.js';
import type { ParamsOf } from './family.js';
import { onPositive } from './on-positive.js';

const EULER_GAMMA = 0.5772156649015329;

/** Parameters of {@link Weibull}. */
export interface WeibullParams extends ParamsOf<typeof Weibull> {}

/**
 * The Weibull distribution on [0, Infinity) with scale lambda and shape k, reparameterized by its
 * inverse CDF.
 *
 * @remarks
 * With z = x / lambda: log p(x) = log(k / lambda) + (k - 1) log z - z^k (exact at x = 0:
 * +Infinity for k < 1, log(1 / lambda) for k = 1, -Infinity for k > 1); CDF 1 - exp(-z^k) =
 * -expm1(-z^k), log CDF log1mexp(z^k) (k log z - z^k / 2 below z^k = 1e-6); inverse CDF lambda (-log1p(-p))^(1/k); mean
 * lambda Gamma(1 + 1/k); variance lambda^2 Gamma(1 + 2/k) (1 - exp(2 lgamma(1 + 1/k) -
 * lgamma(1 + 2/k))), written with expm1 so it does not cancel for large k; entropy
 * gamma_E (1 - 1/k) + log(lambda / k) + 1; mode lambda ((k - 1) / k)^(1/k) for k > 1, else 0.
 * Samples are the inverse CDF of the samplers' seeded uniforms, differentiable in both parameters.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Weibull } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const d = new Weibull({ scale: 2, concentration: [1, 2] });
 *   console.log(d.logProb(1).arraySync()); // [-1.1931, -0.9431]
 *   console.log(d.cdf(2).arraySync()); // [0.6321, 0.6321]
 *   console.log(d.icdf(0.5).arraySync()); // [1.3863, 1.6651]
 *   console.log(d.rsample([3], 1).shape); // [3, 2]
 *   d.dispose();
 * });
 * ```
 */
export class Weibull extends family(
  'Weibull',
  {
    /** Scale lambda, > 0, broadcastable to `batchShape`. */
    scale: constraints.positive,
    /** Shape k, > 0 (k = 1 is the exponential with rate 1 / lambda), broadcastable to `batchShape`. */
    concentration: constraints.positive,
  },
  { support: constraints.nonNegative, reparameterized: true },
) {
  /** log z and z^k, with log 0 = -Infinity kept out of the gradient (log of a safe 1 there). */
  private standardized(x: tf.Tensor): { logZ: tf.Tensor; zk: tf.Tensor; positive: tf.Tensor } {
    const positive = withoutGradient((v) => tf.greater(v, 0), x);
    const logX = tf.log(tf.where(positive, x, tf.onesLike(x)));
    const logZSafe = tf.sub(logX, tf.log(this.scale));
    const zk = tf.where(positive, tf.exp(tf.mul(this.concentration, logZSafe)), tf.zerosLike(logZSafe));
    return { logZ: logZSafe, zk, positive };
  }

  protected _logProb(x: tf.Tensor): tf.Tensor {
    const { logZ, zk, positive } = this.standardized(x);
    const k = this.concentration;
    const base = tf.sub(tf.log(k), tf.log(this.scale));
    const interior = tf.sub(tf.add(base, tf.mul(tf.sub(k, 1), logZ)), zk);
    // At x = 0: (k - 1) log 0 is +Infinity, 0 or -Infinity as k <, = or > 1.
    const kMinus1 = tf.sub(k, 1);
    const atZero = tf.add(base, tf.mul(tf.sign(tf.neg(kMinus1)), Infinity));
    const atZeroSafe = tf.where(
      withoutGradient((v) => tf.equal(v, 0), kMinus1),
      base,
      atZero,
    );
    const shape = interior.shape;
    return tf.where(tf.broadcastTo(positive, shape), interior, tf.broadcastTo(atZeroSafe, shape));
  }

  protected override _cdf(x: tf.Tensor): tf.Tensor {
    return tf.neg(expm1(tf.neg(this.standardized(x).zk)));
  }

  protected override _logCdf(x: tf.Tensor): tf.Tensor {
    return onPositive(
      x,
      (xs) => {
        const logZ = tf.sub(tf.log(xs), tf.log(this.scale));
        const zk = tf.exp(tf.mul(this.concentration, logZ));
        // Below z^k = 1e-6, log(1 - e^(-u)) = log u - u/2 + O(u^2) from log z, where z^k may underflow.
        const tiny = withoutGradient((v) => tf.less(v, 1e-6), zk);
        const series = tf.sub(tf.mul(this.concentration, logZ), tf.mul(0.5, zk));
        return tf.where(tiny, series, log1mexp(tf.where(tiny, tf.onesLike(zk), zk)));
      },
      -Infinity,
    );
  }

  protected override _icdf(p: tf.Tensor): tf.Tensor {
    // -log(1 - p), -Infinity-free: log1p(-p) is exact for small p, and log of 1 - p is exact above 1/2.
    const logSurvival = log1p(tf.neg(p));
    return tf.mul(this.scale, tf.exp(tf.div(tf.log(tf.neg(logSurvival)), this.concentration)));
  }

  protected override _entropy(): tf.Tensor {
    const k = this.concentration;
    return tf.add(tf.mul(EULER_GAMMA, tf.sub(1, tf.reciprocal(k))), tf.add(tf.sub(tf.log(this.scale), tf.log(k)), 1));
  }

  protected override _mean(): tf.Tensor {
    return tf.mul(this.scale, tf.exp(lgamma(tf.add(1, tf.reciprocal(this.concentration)))));
  }

  protected override _variance(): tf.Tensor {
    const inv = tf.reciprocal(this.concentration);
    const g2 = lgamma(tf.add(1, tf.mul(2, inv)));
    const g1 = lgamma(tf.add(1, inv));
    const ratio = tf.neg(expm1(tf.sub(tf.mul(2, g1), g2)));
    return tf.mul(tf.square(this.scale), tf.mul(tf.exp(g2), ratio));
  }

  protected override _mode(): tf.Tensor {
    const k = this.concentration;
    const above = withoutGradient((v) => tf.greater(v, 1), k);
    const ks = tf.where(above, k, tf.fill(k.shape, 2));
    const mode = tf.mul(this.scale, tf.exp(tf.div(tf.log(tf.sub(1, tf.reciprocal(ks))), ks)));
    return tf.where(tf.broadcastTo(above, mode.shape), mode, tf.zerosLike(mode));
  }
}
