import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@vae/math';
import type { TensorInput } from '@vae/math';
import { FlowLayer } from './flow-layer.js';
import type { FlowLayerParams } from './flow-layer.js';
import { checkDimension } from './flow-variable.js';

/** Parameters of {@link Householder}. */
export interface HouseholderParams extends FlowLayerParams {
  /** The event size D, an integer >= 2 (in one dimension a reflection is only a sign flip). */
  dim: number;
  /** How many reflections K (default 1). */
  numReflections?: number;
  /** Initial reflection vectors (shape `[K, D]`; default seeded N(0, 1)). */
  vectors?: TensorInput;
}

/**
 * A product of K Householder reflections f(z) = H_K ... H_1 z, H_k = I - 2 v_k v_k^T / |v_k|^2
 * (Tomczak & Welling 2016), with trainable v_k: a volume-preserving orthogonal map.
 *
 * @remarks
 * Each H_k is orthogonal and its own inverse, so f^-1(y) = H_1 ... H_K y and log |det J| = 0
 * (`isConstantJacobian`). A product of D reflections can express any orthogonal matrix, so after a
 * diagonal Gaussian it yields a full-covariance Gaussian posterior. Each application costs O(K D)
 * per event. Events are the last axis. The trainable variables are `[vectors]`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Householder } from '@vae/distributions';
 *
 * const flip = new Householder({ dim: 2, vectors: [[1, 0]] });
 * tf.tidy(() => {
 *   console.log(flip.forward([[3, 4]]).arraySync()); // [[-3, 4]]
 *   console.log(flip.forwardLogDetJacobian([[3, 4]]).arraySync()); // [0]
 * });
 * flip.dispose();
 * ```
 */
export class Householder extends FlowLayer {
  /** The bijector's name in messages, spelled out because minifiers rename classes. */
  static override readonly bijectorName: string = 'Householder';
  /** How many reflections K. */
  readonly numReflections: number;
  /** The reflection vectors v_k, shape `[K, D]` (their lengths do not matter). */
  readonly vectors: tf.Variable;

  /**
   * @param params - the event size, number of reflections, optional initial vectors and seed
   */
  constructor(params: HouseholderParams) {
    super(params, { isConstantJacobian: true }, 2);
    this.numReflections = checkDimension(params.numReflections ?? 1, 'numReflections', 1, this.name);
    this.vectors = this.variable('vectors', [this.numReflections, this.dim], { initial: params.vectors, stddev: 1, seed: params.seed });
    if (this.validateArgs) {
      const smallest = tf.tidy(() => tf.min(tf.sum(tf.square(this.vectors), -1)).dataSync()[0]);
      if (!(smallest > 0)) {
        this.dispose();
        throw new InvalidArgumentError('vectors', 'nonzero rows', 'a reflection vector has length 0', this.name);
      }
    }
  }

  private reflect(z: tf.Tensor, order: number[]): tf.Tensor {
    const units = tf.div(this.vectors, tf.norm(this.vectors, 'euclidean', -1, true));
    // tfjs's Unpack gradient passes a lone output's gradient to stack() as a bare tensor and throws,
    // so a single reflection is taken by reshape (whose gradient is plain) instead of unstack.
    const vs = this.numReflections === 1 ? [tf.reshape(units, [this.dim])] : tf.unstack(units);
    let out = z;
    for (const k of order) out = tf.sub(out, tf.mul(tf.mul(tf.sum(tf.mul(out, vs[k]), -1, true), 2), vs[k]));
    return out;
  }

  protected _forward(x: tf.Tensor): tf.Tensor {
    return this.reflect(
      x,
      Array.from({ length: this.numReflections }, (_, k) => k),
    );
  }

  protected _inverse(y: tf.Tensor): tf.Tensor {
    return this.reflect(
      y,
      Array.from({ length: this.numReflections }, (_, k) => this.numReflections - 1 - k),
    );
  }

  protected override _forwardLogDetJacobian(): tf.Tensor {
    return tf.scalar(0);
  }

  protected override _inverseLogDetJacobian(): tf.Tensor {
    return tf.scalar(0);
  }
}
