import * as tf from '@tensorflow/tfjs-core';
import { logNdtr, ndtr } from '@vae/math';
import type { TensorInput } from '@vae/math';
import { normalSample } from '@vae/samplers';
import { constraints } from './constraints.js';
import type { Constraint } from './constraints.js';
import { Distribution } from './distribution.js';
import type { DistributionOptions } from './distribution.js';

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** Parameters of {@link Normal}. */
export interface NormalParams extends DistributionOptions {
  /** Mean. */
  loc: TensorInput;
  /** Standard deviation, > 0. */
  scale: TensorInput;
}

/**
 * The normal (Gaussian) distribution N(loc, scale^2), reparameterized.
 *
 * @remarks
 * log p(x) = -((x - loc) / scale)^2 / 2 - log(scale) - log(2 pi) / 2; entropy
 * 1/2 + log(2 pi)/2 + log(scale); the CDF is Phi((x - loc) / scale), its log computed by
 * `logNdtr` so it stays accurate far in the lower tail. Samples are loc + scale * eps with
 * eps ~ N(0, 1).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Normal } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const q = new Normal({ loc: tf.tensor([0, 1]), scale: tf.tensor([1, 0.5]) });
 *   const z = q.rsample([3], 7); // shape [3, 2], differentiable in loc and scale
 *   console.log(q.logProb(z).shape); // [3, 2]
 *   console.log(q.entropy().arraySync()); // [1.4189, 0.7258]
 * });
 * ```
 */
export class Normal extends Distribution {
  /** The family's name in messages, spelled out because minifiers rename classes. */
  static override readonly familyName: string = 'Normal';

  /** Mean, broadcastable to `batchShape`. */
  readonly loc: tf.Tensor;
  /** Standard deviation, broadcastable to `batchShape`. */
  readonly scale: tf.Tensor;
  readonly reparameterized = true;
  readonly support: Constraint = constraints.real;

  /**
   * @param params - `loc` and `scale` (numbers, nested arrays or tensors; they broadcast), and options
   */
  constructor(params: NormalParams) {
    const { loc, scale, ...options } = params;
    super([], [], options);
    this.loc = this.param(loc, 'loc');
    this.scale = this.param(scale, 'scale');
    this.checkParam(this.loc, 'loc', constraints.real);
    this.checkParam(this.scale, 'scale', constraints.positive);
    this.batchShape.push(...this.broadcastParams([this.loc.shape, this.scale.shape], ['loc', 'scale']));
  }

  protected _sampleN(n: number, seed?: number): tf.Tensor {
    return normalSample(this.loc, this.scale, [n, ...this.batchShape], seed);
  }

  protected _logProb(x: tf.Tensor): tf.Tensor {
    const z = tf.div(tf.sub(x, this.loc), this.scale);
    return tf.sub(tf.mul(-0.5, tf.square(z)), tf.add(tf.log(this.scale), HALF_LOG_TWO_PI));
  }

  protected override _logCdf(x: tf.Tensor): tf.Tensor {
    return logNdtr(tf.div(tf.sub(x, this.loc), this.scale));
  }

  protected override _cdf(x: tf.Tensor): tf.Tensor {
    return ndtr(tf.div(tf.sub(x, this.loc), this.scale));
  }

  protected override _entropy(): tf.Tensor {
    return tf.add(tf.log(this.scale), 0.5 + HALF_LOG_TWO_PI);
  }

  protected override _mean(): tf.Tensor {
    return this.loc;
  }

  protected override _mode(): tf.Tensor {
    return this.loc;
  }

  protected override _variance(): tf.Tensor {
    return tf.square(this.scale);
  }

  protected override _stddev(): tf.Tensor {
    return this.scale;
  }
}
