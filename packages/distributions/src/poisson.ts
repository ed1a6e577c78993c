import * as tf from '@tensorflow/tfjs-core';
import { igammac, withoutGradient } from '@vae/math';
import { poissonSample } from '@vae/samplers';
import { constraints } from './constraints.js';
import { family } from './family.js';
import type { FamilyParams } from './family.js';
import { standardGammaLogDensity } from './gamma.js';
import { exactlyOneOf } from './parameterization.js';

const POISSON_PARAMETERS = {
  /** The mean lambda, >= 0 and finite, broadcastable to `batchShape`; give exactly one of `rate` and `logRate`. */
  rate: { constraint: constraints.nonNegative, optional: true },
  /** log lambda, any finite real (the natural output of a decoder), broadcastable to `batchShape`. */
  logRate: { constraint: constraints.real, optional: true },
} as const;

/** Parameters of {@link Poisson}: exactly one of `rate` and `logRate`. */
export interface PoissonParams extends FamilyParams<typeof POISSON_PARAMETERS> {}

/**
 * The Poisson distribution on the counts {0, 1, 2, ...}, parameterized by `rate` or `logRate`.
 *
 * @remarks
 * log p(k) = k log lambda - lambda - lgamma(k + 1). This is the Gamma(k + 1, 1) log density at
 * lambda, and it is computed as one: for k >= 9 around lambda = k + 1 with Stirling's series, so the
 * terms of size k log k never cancel in float32 (k = 1e6 at lambda = 1e6 is exact to ~1e-6), and
 * from `logRate` directly where lambda underflows. Rate 0 gives log p(0) = 0. CDF
 * P(X <= k) = Q(floor(k) + 1, lambda) (`igammac`, the upper regularized incomplete gamma computed
 * directly), differentiable in lambda; relative error about 2e-5 down to CDF values of 1e-30, so
 * `logCdf` is accurate deep in the lower tail (until Q underflows float32 near 1e-38);
 * mean and variance lambda; mode floor(lambda). Samples come from `poissonSample` (not
 * reparameterized: the counts are discrete). Entropy has no closed form and is not defined.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Poisson } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const d = new Poisson({ rate: [0.5, 4, 1e6] });
 *   console.log(d.logProb([0, 3, 1e6]).arraySync()); // [-0.5, -1.6329, -7.8267]
 *   console.log(d.cdf([0, 3, 1e6]).arraySync()); // [0.6065, 0.4335, 0.5003]
 *   const fromLog = new Poisson({ logRate: -80 });
 *   console.log(fromLog.logProb(1).arraySync()); // -80
 * });
 * ```
 */
export class Poisson extends family('Poisson', POISSON_PARAMETERS, {
  support: constraints.nonNegativeInteger,
  reparameterized: false,
  given: (params, family) => exactlyOneOf(params, ['rate', 'logRate'], family),
  derive: (given, own) => ({
    /** The mean lambda, broadcastable to `batchShape`. */
    rate: given.rate ?? own(tf.exp(given.logRate as tf.Tensor)),
    /** log lambda, broadcastable to `batchShape` (-Infinity where the rate is 0). */
    logRate: given.logRate ?? own(tf.log(given.rate as tf.Tensor)),
  }),
}) {
  protected override _sampleN(n: number, seed?: number): tf.Tensor {
    return poissonSample(this.rate, [n, ...this.batchShape], seed, this.samplerOptions);
  }

  protected _logProb(x: tf.Tensor): tf.Tensor {
    return standardGammaLogDensity(tf.add(x, 1), this.rate, this.logRate);
  }

  protected override _cdf(x: tf.Tensor): tf.Tensor {
    const { below, a, lam } = this.cdfArguments(x);
    return tf.where(below, tf.zerosLike(a), igammac(a, lam));
  }

  protected override _logCdf(x: tf.Tensor): tf.Tensor {
    const { below, a, lam } = this.cdfArguments(x);
    return tf.where(below, tf.fill(a.shape, -Infinity), tf.log(igammac(a, lam)));
  }

  /** floor(x) + 1 (1 below 0, masked by `below`) and the rate, broadcast together. */
  private cdfArguments(x: tf.Tensor): { below: tf.Tensor; a: tf.Tensor; lam: tf.Tensor } {
    const shape = tf.broadcast_util.assertAndGetBroadcastShape(x.shape, this.rate.shape);
    const xb = tf.broadcastTo(x, shape);
    const below = withoutGradient((v) => tf.less(v, 0), xb);
    const a = tf.add(tf.floor(tf.relu(xb)), 1);
    return { below, a, lam: tf.broadcastTo(this.rate, shape) };
  }

  protected override _mean(): tf.Tensor {
    return tf.broadcastTo(this.rate, this.batchShape);
  }

  protected override _variance(): tf.Tensor {
    return tf.broadcastTo(this.rate, this.batchShape);
  }

  protected override _mode(): tf.Tensor {
    return tf.broadcastTo(tf.floor(this.rate), this.batchShape);
  }
}
