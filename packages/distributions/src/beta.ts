import * as tf from '@tensorflow/tfjs-core';
import { betainc, digamma, logBeta, logBetainc, xlog1py, xlogy } from '@vae/math';
import { betaSample } from '@vae/samplers';
import { ConcentrationPair } from './concentration-pair.js';
import type { ConcentrationPairParams } from './concentration-pair.js';
import { named } from './family.js';
import { gammaEntropyCore } from './gamma.js';

/** Parameters of {@link Beta} (TensorFlow Probability's and torch's names): `concentration1`: alpha, > 0: the exponent of x (the pseudo-count of ones); `concentration0`: beta, > 0: the exponent of 1 - x (the pseudo-count of zeros). */
export type BetaParams = ConcentrationPairParams;

/**
 * The beta distribution on [0, 1], reparameterized by implicit differentiation.
 *
 * @remarks
 * log p(x) = xlogy(alpha - 1, x) + xlog1py(beta - 1, -x) - log B(alpha, beta), so the ends are
 * exact: at x = 0 the log density is -log B when alpha = 1, +Infinity when alpha < 1 and
 * -Infinity when alpha > 1 (and likewise at x = 1 with beta). Mean alpha / (alpha + beta);
 * variance alpha beta / ((alpha + beta)^2 (alpha + beta + 1)); entropy
 * log B(alpha, beta) - (alpha - 1) psi(alpha) - (beta - 1) psi(beta) + (alpha + beta - 2) psi(alpha + beta),
 * evaluated as G(alpha) + G(beta) - G(alpha + beta) - psi(alpha + beta) with G(x) = x + lgamma(x) +
 * (1 - x) psi(x) the Gamma(x) entropy, taken from its asymptotic series for x >= 10 so that large
 * concentrations do not cancel.
 *
 * The mode (alpha - 1) / (alpha + beta - 2) is defined where alpha >= 1 and beta >= 1 but not both
 * equal to 1 (this includes the end points 0 for alpha = 1 and 1 for beta = 1). Elsewhere the
 * density is flat or unbounded at an end and there is no single mode: `mode()` throws when
 * `validateArgs` is on and returns NaN there when it is off (TensorFlow Probability's
 * `allow_nan_stats` convention). The CDF is the regularized incomplete beta function
 * I_x(alpha, beta) (`betainc` from `@vae/math`; relative error about 3e-4 or better), its gradient
 * in x the density and in both concentrations the derivative of the continued fraction; `logCdf` is
 * `logBetainc`, finite far in the lower tail where the CDF underflows. Values outside [0, 1] (with
 * `validateArgs` off) give 0 below and 1 above.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Beta } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const d = new Beta({ concentration1: [1, 0.5, 2], concentration0: 2 });
 *   console.log(d.logProb(0).arraySync()); // [0.6931, Infinity, -Infinity]
 *   console.log(d.mean().arraySync()); // [0.3333, 0.2, 0.5]
 *   console.log(d.cdf(0.5).arraySync()); // [0.75, 0.8839, 0.5]
 *   const x = d.rsample([4], 1); // shape [4, 3], differentiable in both concentrations
 *   d.dispose();
 * });
 * ```
 */
export class Beta extends named(ConcentrationPair, 'Beta') {
  protected override readonly sampler = betaSample;

  protected _logProb(x: tf.Tensor): tf.Tensor {
    const a = this.concentration1;
    const b = this.concentration0;
    return tf.sub(tf.add(xlogy(tf.sub(a, 1), x), xlog1py(tf.sub(b, 1), tf.neg(x))), logBeta(a, b));
  }

  protected override _cdf(x: tf.Tensor): tf.Tensor {
    return betainc(this.concentration1, this.concentration0, tf.clipByValue(x, 0, 1));
  }

  protected override _logCdf(x: tf.Tensor): tf.Tensor {
    return logBetainc(this.concentration1, this.concentration0, tf.clipByValue(x, 0, 1));
  }

  protected override _entropy(): tf.Tensor {
    // = G(a) + G(b) - G(a + b) - psi(a + b) with G(x) = x + lgamma(x) + (1 - x) psi(x), each G
    // from its asymptotic series for large x: the closed form cancels terms of size a log a.
    const a = this.concentration1;
    const b = this.concentration0;
    const total = tf.add(a, b);
    return tf.sub(tf.add(gammaEntropyCore(a), gammaEntropyCore(b)), tf.add(gammaEntropyCore(total), digamma(total)));
  }

  protected override _mean(): tf.Tensor {
    return tf.div(this.concentration1, tf.add(this.concentration1, this.concentration0));
  }

  protected override _variance(): tf.Tensor {
    const a = this.concentration1;
    const b = this.concentration0;
    const total = tf.add(a, b);
    return tf.div(tf.mul(a, b), tf.mul(tf.square(total), tf.add(total, 1)));
  }

  protected override _mode(): tf.Tensor {
    return this.modeWhereDefined(
      (a, b) => tf.logicalAnd(tf.logicalAnd(tf.greaterEqual(a, 1), tf.greaterEqual(b, 1)), tf.greater(tf.add(a, b), 2)),
      (a, b) => tf.div(tf.sub(a, 1), tf.sub(tf.add(a, b), 2)),
    );
  }
}
