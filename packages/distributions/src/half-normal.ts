import * as tf from '@tensorflow/tfjs-core';
import { log1p, ndtr, ndtri, withoutGradient } from '@vae/math';
import { standardNormal } from '@vae/samplers';
import { fromNearerTail } from './nearer-tail.js';
import { constraints } from './constraints.js';
import { family } from './family.js';
import type { ParamsOf } from './family.js';

const HALF_LOG_TWO_OVER_PI = 0.5 * Math.log(2 / Math.PI);
const SQRT_TWO_OVER_PI = Math.sqrt(2 / Math.PI);
const SQRT_PI_OVER_TWO = Math.sqrt(Math.PI / 2);

/** Parameters of {@link HalfNormal}. */
export interface HalfNormalParams extends ParamsOf<typeof HalfNormal> {}

/**
 * The half-normal distribution on [0, Infinity): |X| for X ~ Normal(0, scale), reparameterized.
 *
 * @remarks
 * With z = x / sigma: log p(x) = log(2 / pi) / 2 - log sigma - z^2 / 2; CDF erf(z / sqrt 2) =
 * 2 Phi(z) - 1, taken as 1 - 2 Phi(-z) (its log log1p(-2 Phi(-z))) above z = 1/sqrt 2 and by the
 * odd series of erf below (where 2 Phi(z) - 1 would cancel and tf.erf loses relative precision); mean sigma sqrt(2 / pi); variance
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
 *   console.log(d.logProb(1).arraySync()); // [-0.7258, -1.0439]
 *   console.log(d.cdf(1).arraySync()); // [0.6827, 0.3829]
 *   console.log(d.icdf(0.5).arraySync()); // [0.6745, 1.3490]
 *   console.log(d.mean().arraySync()); // [0.7979, 1.5958]
 *   console.log(d.rsample([3], 1).shape); // [3, 2]
 *   d.dispose();
 * });
 * ```
 */
export class HalfNormal extends family(
  'HalfNormal',
  {
    /** Scale sigma, > 0 (the scale of the Normal(0, sigma) whose absolute value this is), broadcastable to `batchShape`. */
    scale: constraints.positive,
  },
  { support: constraints.nonNegative, reparameterized: true },
) {
  protected override _sampleN(n: number, seed?: number): tf.Tensor {
    return tf.mul(this.scale, tf.abs(standardNormal([n, ...this.batchShape], seed)));
  }

  protected _logProb(x: tf.Tensor): tf.Tensor {
    const z = tf.div(x, this.scale);
    return tf.sub(tf.sub(HALF_LOG_TWO_OVER_PI, tf.log(this.scale)), tf.mul(0.5, tf.square(z)));
  }

  /**
   * The CDF erf(z / sqrt 2) in two pieces that never share a NaN: the odd series of erf below
   * z = 1/sqrt 2 (tf.erf is good to 1e-7 absolutely, only 1e-6 relatively near 0), and
   * -2 Phi(-z), to add to 1 or take log1p of, above (no cancellation: the CDF is >= 0.38 there).
   */
  private cdfPieces(x: tf.Tensor): { upper: tf.Tensor; series: tf.Tensor; tail: tf.Tensor } {
    const y = tf.div(tf.relu(x), tf.mul(Math.SQRT2, this.scale));
    const upper = withoutGradient((v) => tf.greater(v, 0.5), y);
    // erf(y) = 2 / sqrt(pi) (y - y^3 / 3 + y^5 / 10 - y^7 / 42 + y^9 / 216 - y^11 / 1320 + ...): below
    // y = 1/2 the next term is 3e-8 of the sum.
    const a = tf.minimum(y, 0.5);
    const a2 = tf.square(a);
    const poly = [1 / 9360, -1 / 1320, 1 / 216, -1 / 42, 1 / 10, -1 / 3].reduce<tf.Tensor>(
      (acc, c) => tf.add(tf.mul(acc, a2), c),
      tf.zerosLike(a2),
    );
    const series = tf.mul(2 / Math.sqrt(Math.PI), tf.mul(a, tf.add(1, tf.mul(a2, poly))));
    const tail = tf.mul(-2, ndtr(tf.mul(-Math.SQRT2, tf.maximum(y, 0.5))));
    return { upper, series, tail };
  }

  protected override _cdf(x: tf.Tensor): tf.Tensor {
    const { upper, series, tail } = this.cdfPieces(x);
    return tf.where(upper, tf.add(1, tail), series);
  }

  protected override _logCdf(x: tf.Tensor): tf.Tensor {
    const { upper, series, tail } = this.cdfPieces(x);
    return tf.where(upper, log1p(tail), tf.log(series));
  }

  protected override _icdf(p: tf.Tensor): tf.Tensor {
    const lowerHalf = (a: tf.Tensor) => {
      const small = withoutGradient((v) => tf.less(v, 0.1), a);
      // sqrt 2 erfinv(p) = sqrt(pi / 2) (p + pi p^3 / 12 + 7 pi^2 p^5 / 480 + 127 pi^3 p^7 / 40320 + ...):
      // below p = 0.1 the next term is 1e-10 of the sum.
      const s = tf.minimum(a, 0.1);
      const s2 = tf.square(s);
      const series = tf.mul(
        tf.mul(SQRT_PI_OVER_TWO, s),
        tf.add(1, tf.mul(s2, tf.add(Math.PI / 12, tf.mul(s2, tf.add((7 * Math.PI ** 2) / 480, tf.mul(s2, (127 * Math.PI ** 3) / 40320)))))),
      );
      const middle = ndtri(tf.add(0.5, tf.mul(0.5, tf.clipByValue(a, 0.1, 0.5))));
      return tf.where(small, series, middle);
    };
    // Above p = 1/2, sqrt 2 erfinv(p) = -ndtri(q / 2) keeps the digits that 1 - q would lose.
    return tf.mul(
      this.scale,
      fromNearerTail(p, lowerHalf, (q) => tf.neg(ndtri(tf.mul(0.5, q)))),
    );
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
