import * as tf from '@tensorflow/tfjs-core';
import { broadcastShapes, withoutGradient } from '@vae/math';
import { uniform } from '@vae/samplers';
import { constraints } from './constraints.js';
import { family } from './family.js';
import type { FamilyParams } from './family.js';

const UNIFORM_PARAMETERS = {
  /** Lower bound, included in the support, broadcastable to `batchShape`. */
  low: constraints.real,
  /** Upper bound, excluded from the support (> low), broadcastable to `batchShape`. */
  high: constraints.real,
} as const;

/** Parameters of {@link Uniform}. */
export interface UniformParams extends FamilyParams<typeof UNIFORM_PARAMETERS> {}

/**
 * The continuous uniform distribution on [low, high), reparameterized.
 *
 * @remarks
 * log p(x) = -log(high - low) on [low, high) (per batch member: the support is
 * `constraints.interval(low, high)`); CDF clip((x - low) / (high - low), 0, 1); mean
 * (low + high) / 2; variance (high - low)^2 / 12; entropy log(high - low). Every point of the
 * support is a mode, so `mode()` is not defined. Samples are low + (high - low) u for uniform u in
 * (0, 1).
 * Inverse CDF low + p (high - low).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Uniform } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const d = new Uniform({ low: [0, -1], high: [2, 1] });
 *   console.log(d.logProb(0.5).arraySync()); // [-0.6931, -0.6931]
 *   console.log(d.cdf(0.5).arraySync()); // [0.25, 0.75]
 *   console.log(d.rsample([3], 4).shape); // [3, 2]
 *   d.dispose();
 * });
 * ```
 */
export class Uniform extends family('Uniform', UNIFORM_PARAMETERS, {
  support: (p) => constraints.interval(p.low, p.high),
  reparameterized: true,
}) {
  /**
   * @param params - `low` and `high` (numbers, nested arrays or tensors; they broadcast), and options
   */
  constructor(params: UniformParams) {
    super(params);
    this.checkParam(this.high, 'high', constraints.greaterThan(this.low, 'low'));
  }

  protected override _sampleN(n: number, seed?: number): tf.Tensor {
    const u = uniform([n, ...this.batchShape], seed);
    const x = tf.add(this.low, tf.mul(tf.sub(this.high, this.low), u));
    // low + u (high - low) rounds to high itself for u near 1 when the width is a few ulps of
    // low, outside the half-open support (logProb -Infinity): such a draw wraps to low, as u = 0.
    return tf.where(
      withoutGradient((v, h) => tf.less(v, h), x, this.high),
      x,
      tf.broadcastTo(this.low, x.shape),
    );
  }

  protected _logProb(x: tf.Tensor): tf.Tensor {
    return tf.broadcastTo(tf.neg(tf.log(tf.sub(this.high, this.low))), broadcastShapes([x.shape, this.batchShape]));
  }

  protected override _cdf(x: tf.Tensor): tf.Tensor {
    return tf.clipByValue(tf.div(tf.sub(x, this.low), tf.sub(this.high, this.low)), 0, 1);
  }

  protected override _logCdf(x: tf.Tensor): tf.Tensor {
    return tf.log(this._cdf(x));
  }

  protected override _icdf(p: tf.Tensor): tf.Tensor {
    return tf.add(this.low, tf.mul(p, tf.sub(this.high, this.low)));
  }

  protected override _entropy(): tf.Tensor {
    return tf.log(tf.sub(this.high, this.low));
  }

  protected override _mean(): tf.Tensor {
    return tf.add(this.low, tf.mul(0.5, tf.sub(this.high, this.low)));
  }

  protected override _variance(): tf.Tensor {
    return tf.div(tf.square(tf.sub(this.high, this.low)), 12);
  }

  protected override _stddev(): tf.Tensor {
    return tf.div(tf.sub(this.high, this.low), Math.sqrt(12));
  }
}
