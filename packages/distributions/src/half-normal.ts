import * as tf from '@tensorflow/tfjs-core';
import { log1p, ndtr, ndtri, withoutGradient } from '@vae/math';
import type { TensorInput } from '@vae/math';
import { standardNormal } from '@vae/samplers';
import { constraints } from './constraints.js';
import type { Constraint } from './constraints.js';
import { Distribution } from './distribution.js';
import type { DistributionOptions } from './distribution.js';

const HALF_LOG_TWO_OVER_PI = 0.5 * Math.log(2 / Math.PI);
const SQRT_TWO_OVER_PI = Math.sqrt(2 / Math.PI);
const SQRT_PI_OVER_TWO = Math.sqrt(Math.PI / 2);

/** Parameters of {@link HalfNormal}. */
export interface HalfNormalParams extends DistributionOptions {
  /** Scale sigma, > 0 (the scale of the Normal(0, sigma) whose absolute value this is). */
  scale: TensorInput;
}

/**
 * The half-normal distribution on [0, Infinity): |X| for X ~ Normal(0, scale), reparameterized.
 *
 * @remarks
 * With z = x / sigma: log p(x) = log(2 / pi) / 2 - log sigma - z^2 / 2; CDF erf(z / sqrt 2) =
 * 2 Phi(z) - 1, its log taken as log1p(-2 Phi(-z)) above z = 1 (where the CDF nears 1) and as
 * log erf(z / sqrt 2) below (where 2 Phi(z) - 1 would cancel); mean sigma sqrt(2 / pi); variance
 * sigma^2 (1 - 2 / pi); entropy log(sigma sqrt(pi / 2)) + 1/2; mode 0. The inverse CDF is
 * sigma Phi^-1((1 + p) / 2), written -sigma Phi^-1((1 - p) / 2) above p = 1/2 (1 - p is exact there)
 * and by the series of sqrt 2 erfinv(p) below p = 0.1 (where 1/2 + p/2 would round p away).
 * Samples are sigma |N| for standard normal N.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { HalfNormal } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const d = new HalfNormal({ scale: [1, 2] });
 *   console.log(d.logProb(1).arraySync()); // [-0.7258, -0.9620]
 *   console.log(d.cdf(1).arraySync()); // [0.6827, 0.3829]
 *   console.log(d.icdf(0.6827).arraySync()); // [1, 2]
 *   console.log(d.mean().arraySync()); // [0.7979, 1.5958]
 *   console.log(d.rsample([3], 1).shape); // [3, 2]
 *   d.dispose();
 * });
 * ```
 */
export class HalfNormal extends Distribution {
  /** The family's name in messages, spelled out because minifiers rename classes. */
  static override readonly familyName: string = 'HalfNormal';

  /** Scale, broadcastable to `batchShape`. */
  readonly scale: tf.Tensor;
  readonly reparameterized = true;
  readonly support: Constraint = constraints.nonNegative;

  /**
   * @param params - `scale` (a number, nested array or tensor), and options
   */
  constructor(params: HalfNormalParams) {
    const { scale, ...options } = params;
    super([], [], options);
    ({ scale: this.scale } = this.parameters({ scale }, { scale: { constraint: constraints.positive } }));
  }

  protected _sampleN(n: number, seed?: number): tf.Tensor {
    return tf.mul(this.scale, tf.abs(standardNormal([n, ...this.batchShape], seed)));
  }

  protected _logProb(x: tf.Tensor): tf.Tensor {
    const z = tf.div(x, this.scale);
    return tf.sub(tf.sub(HALF_LOG_TWO_OVER_PI, tf.log(this.scale)), tf.mul(0.5, tf.square(z)));
  }

  protected override _cdf(x: tf.Tensor): tf.Tensor {
    return tf.erf(tf.mul(Math.SQRT1_2, tf.div(tf.relu(x), this.scale)));
  }

  protected override _logCdf(x: tf.Tensor): tf.Tensor {
    const z = tf.div(tf.relu(x), this.scale);
    const upper = withoutGradient((v) => tf.greater(v, 1), z);
    // Each branch sees only its own range, so neither one's NaN or Infinity reaches the other's gradient.
    const low = tf.log(tf.erf(tf.mul(Math.SQRT1_2, tf.minimum(z, 1))));
    const high = log1p(tf.mul(-2, ndtr(tf.neg(tf.maximum(z, 1)))));
    return tf.where(upper, high, low);
  }

  protected override _icdf(p: tf.Tensor): tf.Tensor {
    const upper = withoutGradient((v) => tf.greater(v, 0.5), p);
    const small = withoutGradient((v) => tf.less(v, 0.1), p);
    // sqrt 2 erfinv(p) = sqrt(pi / 2) (p + pi p^3 / 12 + 7 pi^2 p^5 / 480 + 127 pi^3 p^7 / 40320 + ...):
    // below p = 0.1 the next term is 1e-10 of the sum.
    const q = tf.minimum(p, 0.1);
    const q2 = tf.square(q);
    const series = tf.mul(
      tf.mul(SQRT_PI_OVER_TWO, q),
      tf.add(1, tf.mul(q2, tf.add(Math.PI / 12, tf.mul(q2, tf.add((7 * Math.PI ** 2) / 480, tf.mul(q2, (127 * Math.PI ** 3) / 40320)))))),
    );
    const middle = ndtri(tf.add(0.5, tf.mul(0.5, tf.clipByValue(p, 0.1, 0.5))));
    const tail = tf.neg(ndtri(tf.mul(0.5, tf.sub(1, tf.maximum(p, 0.5)))));
    return tf.mul(this.scale, tf.where(upper, tail, tf.where(small, series, middle)));
  }

  protected override _entropy(): tf.Tensor {
    return tf.add(tf.log(this.scale), 0.5 * Math.log(Math.PI / 2) + 0.5);
  }

  protected override _mean(): tf.Tensor {
    return tf.mul(SQRT_TWO_OVER_PI, this.scale);
  }

  protected override _variance(): tf.Tensor {
    return tf.mul(1 - 2 / Math.PI, tf.square(this.scale));
  }

  protected override _mode(): tf.Tensor {
    return tf.zerosLike(this.scale);
  }
}
