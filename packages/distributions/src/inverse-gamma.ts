import * as tf from '@tensorflow/tfjs-core';
import { broadcastShapes, digamma, igammac, withoutGradient } from '@vae/math';
import { gammaLogSample } from '@vae/samplers';
import { constraints } from './constraints.js';
import { family } from './family.js';
import type { ParamsOf } from './family.js';
import { onPositive } from './on-positive.js';
import { gammaEntropyCore, standardGammaLogDensity } from './gamma.js';

const FLOAT32_MAX = 3.4028234663852886e38;

/** Parameters of {@link InverseGamma}. */
export interface InverseGammaParams extends ParamsOf<typeof InverseGamma> {}

/**
 * The inverse gamma distribution on (0, Infinity): 1 / Y for Y ~ Gamma(alpha, rate beta),
 * reparameterized through Gamma's implicit-gradient sampler.
 *
 * @remarks
 * With z = beta / x: log p(x) = log g_alpha(z) + log beta - 2 log x, g_alpha the Gamma(alpha, 1)
 * density (so the Stirling form for large alpha carries over), -Infinity at x = 0;
 * CDF Q(alpha, beta / x), the regularized upper incomplete gamma function computed directly
 * (`igammac`), so the CDF and its log keep their relative accuracy in the lower tail (x small); mean beta / (alpha - 1) for alpha > 1, else +Infinity; variance
 * beta^2 / ((alpha - 1)^2 (alpha - 2)) for alpha > 2, else +Infinity; mode beta / (alpha + 1);
 * entropy alpha + log beta + lgamma(alpha) - (1 + alpha) psi(alpha) = G(alpha) - 2 psi(alpha) + log beta,
 * G(alpha) the Gamma(alpha, 1) entropy (from its asymptotic series for large alpha).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { InverseGamma } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const d = new InverseGamma({ concentration: [1, 3], scale: 2 });
 *   console.log(d.logProb(1).arraySync()); // [-1.3069, -0.6137]
 *   console.log(d.mode().arraySync()); // [1, 0.5]
 *   console.log(d.rsample([4], 1).shape); // [4, 2]
 *   d.dispose();
 * });
 * ```
 */
export class InverseGamma extends family(
  'InverseGamma',
  {
    /** Shape alpha, > 0, broadcastable to `batchShape`. */
    concentration: constraints.positive,
    /** Scale beta, > 0, broadcastable to `batchShape`. */
    scale: constraints.positive,
  },
  {
    support: constraints.positive,
    reparameterized: true,
  },
) {
  protected override _sampleN(n: number, seed?: number): tf.Tensor {
    // exp(-log Y) rather than 1 / Y: Y underflows for small alpha long before 1 / Y overflows.
    const logY = gammaLogSample(this.concentration, this.scale, [n, ...this.batchShape], seed, this.samplerOptions);
    return tf.minimum(tf.exp(tf.neg(logY)), FLOAT32_MAX);
  }

  protected _logProb(x: tf.Tensor): tf.Tensor {
    return onPositive(
      x,
      (xs) => {
        const logX = tf.log(xs);
        const logScale = tf.log(this.scale);
        const z = tf.div(this.scale, xs);
        return tf.sub(tf.add(standardGammaLogDensity(this.concentration, z, tf.sub(logScale, logX)), logScale), tf.mul(2, logX));
      },
      -Infinity,
    );
  }

  protected override _cdf(x: tf.Tensor): tf.Tensor {
    return onPositive(
      x,
      (xs) => {
        const z = tf.div(this.scale, xs);
        const shape = broadcastShapes([this.concentration.shape, z.shape]);
        return igammac(tf.broadcastTo(this.concentration, shape), tf.broadcastTo(z, shape));
      },
      0,
    );
  }

  protected override _logCdf(x: tf.Tensor): tf.Tensor {
    return tf.log(this._cdf(x));
  }

  protected override _entropy(): tf.Tensor {
    const a = this.concentration;
    return tf.add(tf.sub(gammaEntropyCore(a), tf.mul(2, digamma(a))), tf.log(this.scale));
  }

  protected override _mean(): tf.Tensor {
    // beta / (alpha - 1) where alpha > 1, else +Infinity.
    return onPositive(tf.sub(this.concentration, 1), (am1) => tf.div(this.scale, am1), Infinity);
  }

  protected override _variance(): tf.Tensor {
    const a = this.concentration;
    const defined = withoutGradient((v) => tf.greater(v, 2), a);
    const as = tf.where(defined, a, tf.fill(a.shape, 3));
    const variance = tf.div(tf.square(this.scale), tf.mul(tf.square(tf.sub(as, 1)), tf.sub(as, 2)));
    return tf.where(tf.broadcastTo(defined, variance.shape), variance, tf.fill(variance.shape, Infinity));
  }

  protected override _mode(): tf.Tensor {
    return tf.div(this.scale, tf.add(this.concentration, 1));
  }
}
