import * as tf from '@tensorflow/tfjs-core';
import { broadcastShapes, digamma, igamma, lgamma, log1p, logIgamma, withoutGradient, xlogy } from '@vae/math';
import { gammaSample } from '@vae/samplers';
import { constraints } from './constraints.js';
import { family } from './family.js';
import type { ParamsOf } from './family.js';
import { onPositive } from './on-positive.js';

// a + lgamma(a) + (1 - a) psi(a) - log(2 pi e a) / 2 = -1/(3a) - 1/(12a^2) - 1/(90a^3) + ... (sympy).
const ENTROPY_ASYMPTOTIC_FROM = 10;
const ENTROPY_SERIES = [-1 / 3, -1 / 12, -1 / 90, 1 / 120, 1 / 210];

/**
 * G(a) = a + lgamma(a) + (1 - a) psi(a), the entropy of Gamma(a, 1), which the Beta and Dirichlet
 * entropies are sums of. The closed form cancels terms of size a log a; for a >= 10 its asymptotic
 * series log(2 pi e a) / 2 + sum_k c_k / a^k is used instead. (Internal: not exported from the package.)
 * @param a - concentrations, > 0
 * @returns G(a), shape of `a`
 */
export function gammaEntropyCore(a: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const large = withoutGradient((v) => tf.greaterEqual(v, ENTROPY_ASYMPTOTIC_FROM), a);
    const aSmall = tf.where(large, tf.onesLike(a), a);
    const aLarge = tf.where(large, a, tf.fill(a.shape, ENTROPY_ASYMPTOTIC_FROM));
    const direct = tf.add(aSmall, tf.add(lgamma(aSmall), tf.mul(tf.sub(1, aSmall), digamma(aSmall))));
    const inverse = tf.reciprocal(aLarge);
    let series: tf.Tensor = tf.zerosLike(inverse);
    for (let k = ENTROPY_SERIES.length - 1; k >= 0; k--) series = tf.mul(tf.add(series, ENTROPY_SERIES[k]), inverse);
    const asymptotic = tf.add(tf.mul(0.5, tf.log(tf.mul(2 * Math.PI * Math.E, aLarge))), series);
    return tf.where(large, asymptotic, direct);
  });
}

// For a >= 10 the Gamma(a, 1) log density is written around z = a with Stirling's series:
// (a - 1) log z - z - lgamma(a) = a log1pmx(t) - log1p(t) - log(2 pi a) / 2 - c(a), t = (z - a) / a,
// so the terms of size a log a that cancel in float32 are never formed.
const STIRLING_FROM = 10;
const STIRLING_SERIES = [1 / 12, -1 / 360, 1 / 1260]; // c(a) = sum_k s_k / a^(2k + 1)
const LOG1PMX_SERIES_BELOW = 0.25;
const LOG1PMX_TERMS = 14;

/** log1p(t) - t, by its power series near 0 where the difference cancels. */
function log1pmx(t: tf.Tensor): tf.Tensor {
  const small = withoutGradient((v) => tf.less(tf.abs(v), LOG1PMX_SERIES_BELOW), t);
  const ts = tf.where(small, t, tf.zerosLike(t));
  const tl = tf.where(small, tf.onesLike(t), t);
  // -t^2/2 + t^3/3 - ... by Horner: t^2 (-1/2 + t (1/3 + t (-1/4 + ...)))
  let acc: tf.Tensor = tf.zerosLike(ts);
  for (let k = LOG1PMX_TERMS + 1; k >= 2; k--) acc = tf.add(tf.mul(acc, ts), (k % 2 === 0 ? -1 : 1) / k);
  return tf.where(small, tf.mul(tf.square(ts), acc), tf.sub(log1p(tl), tl));
}

/**
 * log(z^(a-1) e^(-z) / Gamma(a)), the Gamma(a, 1) log density, exact at z = 0 (xlogy) and free of
 * cancellation for large a. (Internal: not exported from the package.)
 * @param a - concentrations, > 0
 * @param z - points, >= 0, broadcast-compatible with `a`
 * @param logZ - log z when the caller has it more accurately than log of z itself: z = rate x can
 *   fall below float32's smallest normal, which TensorFlow flushes to 0, while log rate + log x is exact
 * @returns the log density, shape broadcast(a, z)
 */
export function standardGammaLogDensity(a: tf.Tensor, z: tf.Tensor, logZ?: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const shape = broadcastShapes([a.shape, z.shape]);
    const ab = tf.broadcastTo(a, shape);
    const zb = tf.broadcastTo(z, shape);
    const stirling = withoutGradient((u, v) => tf.logicalAnd(tf.greaterEqual(u, STIRLING_FROM), tf.greater(v, 0)), ab, zb);
    const aS = tf.where(stirling, tf.onesLike(ab), ab);
    const zS = tf.where(stirling, tf.onesLike(zb), zb);
    // (a - 1) log z by xlogy (0 log 0 = 0), except where z fell below float32's smallest normal from a
    // positive point (subnormal, or 0 on backends that flush subnormals): there from logZ.
    let powerTerm = xlogy(tf.sub(aS, 1), zS);
    if (logZ !== undefined) {
      const logZb = tf.broadcastTo(logZ, shape);
      const underflow = withoutGradient((u, v) => tf.logicalAnd(tf.less(u, 2 ** -126), tf.greater(v, -Infinity)), zb, logZb);
      const logZSafe = tf.where(underflow, logZb, tf.zerosLike(logZb));
      powerTerm = tf.where(underflow, tf.mul(tf.sub(aS, 1), logZSafe), powerTerm);
    }
    const direct = tf.sub(powerTerm, tf.add(zS, lgamma(aS)));
    const aL = tf.where(stirling, ab, tf.fill(shape, STIRLING_FROM));
    const zL = tf.where(stirling, zb, tf.fill(shape, STIRLING_FROM));
    const t = tf.div(tf.sub(zL, aL), aL);
    const inverse = tf.reciprocal(aL);
    const inverseSquared = tf.square(inverse);
    let c: tf.Tensor = tf.zerosLike(inverse);
    for (let k = STIRLING_SERIES.length - 1; k >= 0; k--) c = tf.add(tf.mul(c, inverseSquared), STIRLING_SERIES[k]);
    c = tf.mul(c, inverse);
    const large = tf.sub(tf.sub(tf.mul(aL, log1pmx(t)), log1p(t)), tf.add(tf.mul(0.5, tf.log(tf.mul(2 * Math.PI, aL))), c));
    return tf.where(stirling, large, direct);
  });
}

/** Parameters of {@link Gamma}. */
export interface GammaParams extends ParamsOf<typeof Gamma> {}

/**
 * The gamma distribution on [0, Infinity) with shape alpha and rate beta, reparameterized by
 * implicit differentiation.
 *
 * @remarks
 * log p(x) = xlogy(alpha - 1, x) + alpha log beta - beta x - lgamma(alpha) (for alpha >= 10
 * rewritten around beta x = alpha with Stirling's series, so it does not cancel), exact at x = 0
 * (+Infinity for alpha < 1, log beta for alpha = 1, -Infinity for alpha > 1). CDF P(alpha, beta x)
 * (the regularized lower incomplete gamma function `igamma`; its gradient in alpha is not
 * provided and comes back as zero), log CDF its logarithm `logIgamma`, which takes it from the power series
 * a log z - z - lgamma(a + 1) + log sum_n z^n / ((a+1)...(a+n)) where P underflows; mean
 * alpha / beta; variance alpha / beta^2; entropy
 * alpha - log beta + lgamma(alpha) + (1 - alpha) psi(alpha) (from its asymptotic series for
 * alpha >= 10, free of cancellation); mode max(alpha - 1, 0) / beta (0 for
 * alpha < 1, where the density is unbounded at 0, as in torch).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Gamma } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const d = new Gamma({ concentration: [0.5, 1, 3], rate: 2 });
 *   console.log(d.logProb(1).arraySync()); // [-2.2258, -1.3069, -0.6137]
 *   console.log(d.cdf(1).arraySync()); // [0.9545, 0.8647, 0.3233]
 *   const x = d.rsample([4], 1); // shape [4, 3], differentiable in concentration and rate
 *   d.dispose();
 * });
 * ```
 */
export class Gamma extends family(
  'Gamma',
  {
    /** Shape alpha, > 0, broadcastable to `batchShape`. */
    concentration: constraints.positive,
    /** Rate beta, > 0 (the inverse scale), broadcastable to `batchShape`. */
    rate: constraints.positive,
  },
  { support: constraints.nonNegative, reparameterized: true },
) {
  protected override readonly sampler = gammaSample;

  protected _logProb(x: tf.Tensor): tf.Tensor {
    const r = this.rate;
    const logR = tf.log(r);
    // log(rate x) from the logs, -Infinity at x = 0 (log of a safe 1 there, so no 0/0 in its gradient).
    const logX = onPositive(x, tf.log, -Infinity);
    return tf.add(standardGammaLogDensity(this.concentration, tf.mul(r, x), tf.add(logR, logX)), logR);
  }

  protected override _cdf(x: tf.Tensor): tf.Tensor {
    const rx = tf.mul(this.rate, tf.relu(x));
    const shape = broadcastShapes([this.concentration.shape, rx.shape]);
    return igamma(tf.broadcastTo(this.concentration, shape), tf.broadcastTo(rx, shape));
  }

  protected override _logCdf(x: tf.Tensor): tf.Tensor {
    return logIgamma(this.concentration, tf.mul(this.rate, tf.relu(x)));
  }

  protected override _entropy(): tf.Tensor {
    return tf.sub(gammaEntropyCore(this.concentration), tf.log(this.rate));
  }

  protected override _mean(): tf.Tensor {
    return tf.div(this.concentration, this.rate);
  }

  protected override _variance(): tf.Tensor {
    return tf.div(this.concentration, tf.square(this.rate));
  }

  protected override _stddev(): tf.Tensor {
    return tf.div(tf.sqrt(this.concentration), this.rate);
  }

  protected override _mode(): tf.Tensor {
    return tf.div(tf.relu(tf.sub(this.concentration, 1)), this.rate);
  }
}
