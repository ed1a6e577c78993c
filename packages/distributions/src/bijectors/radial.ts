import * as tf from '@tensorflow/tfjs-core';
import { softplus, withoutGradient } from '@vae/math';
import type { TensorInput } from '@vae/math';
import { FlowLayer } from './flow-layer.js';
import type { FlowLayerParams } from './flow-layer.js';

/** Parameters of {@link Radial}. */
export interface RadialParams extends FlowLayerParams {
  /** Initial centre z0 (shape `[D]`; default seeded N(0, 0.01)). */
  center?: TensorInput;
  /** Initial unconstrained alpha' (shape `[]`; default 0): alpha = softplus(alpha'). */
  rawAlpha?: TensorInput;
  /** Initial unconstrained beta' (shape `[]`; default 0): beta = -alpha + softplus(beta'). */
  rawBeta?: TensorInput;
}

/**
 * The radial flow f(z) = z + beta h(r) (z - z0), h(r) = 1 / (alpha + r), r = |z - z0|, of Rezende &
 * Mohamed (2015), with trainable z0, alpha, beta.
 *
 * @remarks
 * alpha = softplus(alpha') > 0 and beta = -alpha + softplus(beta') > -alpha, which makes f
 * invertible. With q = 1 + beta h(r): log |det J| = (D - 1) log q + log(q + beta h'(r) r)
 * = (D - 1) log q + log(1 + beta alpha / (alpha + r)^2); both arguments are > 0 since beta > -alpha.
 *
 * The inverse has a closed form: the radius rho = |y - z0| is r (1 + beta / (alpha + r)), so r is
 * the positive root of r^2 + (alpha + beta - rho) r - alpha rho = 0, taken in the form that does not
 * cancel (2 alpha rho / (c + sqrt(c^2 + 4 alpha rho)) for c = alpha + beta - rho > 0), and
 * z = z0 + (y - z0) / q(r). Every factor is computed as a sum of non-negative terms of
 * alpha + beta = softplus(beta'), so beta near -alpha stays finite.
 *
 * Events are the last axis (`forwardMinEventNdims` = 1). The trainable variables are
 * `[center, rawAlpha, rawBeta]`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Radial } from '@vae/distributions';
 *
 * // alpha = softplus(0.5413) = 1, beta = -1 + softplus(1.8546) = 1
 * const radial = new Radial({ dim: 2, center: [0, 0], rawAlpha: 0.5413248546, rawBeta: 1.8545865421 });
 * tf.tidy(() => {
 *   console.log(radial.forward([[3, 4]]).arraySync()); // [[3.5, 4.6667]]
 *   console.log(radial.forwardLogDetJacobian([[3, 4]]).arraySync()); // [0.1816]
 *   console.log(radial.inverse(radial.forward([[3, 4]])).arraySync()); // [[3, 4]]
 * });
 * radial.dispose();
 * ```
 */
export class Radial extends FlowLayer {
  /** The bijector's name in messages, spelled out because minifiers rename classes. */
  static override readonly bijectorName: string = 'Radial';
  /** The centre z0, shape `[D]`. */
  readonly center: tf.Variable;
  /** alpha' with alpha = softplus(alpha'), shape `[]`. */
  readonly rawAlpha: tf.Variable;
  /** beta' with beta = -alpha + softplus(beta'), shape `[]`. */
  readonly rawBeta: tf.Variable;

  /**
   * @param params - the event size, optional initial values and seed, validation options
   */
  constructor(params: RadialParams) {
    super(params);
    this.center = this.variable('center', [this.dim], { initial: params.center, stddev: 0.01, seed: params.seed });
    this.rawAlpha = this.variable('rawAlpha', [], { initial: params.rawAlpha ?? 0 });
    this.rawBeta = this.variable('rawBeta', [], { initial: params.rawBeta ?? 0 });
  }

  // With s = softplus(beta') = alpha + beta > 0, q = 1 + beta / (alpha + r) = (r + s) / (alpha + r) and
  // 1 + beta alpha / (alpha + r)^2 = (r (2 alpha + r) + alpha s) / (alpha + r)^2: sums of non-negative
  // terms, so beta near -alpha (s tiny) does not cancel to log 0 at the centre.
  private alphaS(): [tf.Tensor, tf.Tensor] {
    return [softplus(this.rawAlpha), softplus(this.rawBeta)];
  }

  protected _forward(x: tf.Tensor): tf.Tensor {
    const [alpha, s] = this.alphaS();
    const diff = tf.sub(x, this.center);
    const r = radius(diff, true);
    const q = tf.div(tf.add(r, s), tf.add(alpha, r));
    return tf.add(this.center, tf.mul(q, diff));
  }

  protected _inverse(y: tf.Tensor): tf.Tensor {
    const [alpha, s] = this.alphaS();
    const diff = tf.sub(y, this.center);
    const rho = radius(diff, true);
    const c = tf.sub(s, rho);
    const root = tf.sqrt(tf.add(tf.square(c), tf.mul(tf.mul(alpha, rho), 4)));
    // Each form is used where it does not cancel; the other's denominator may be 0 there, so it is guarded.
    const positiveC = tf.div(tf.mul(tf.mul(alpha, rho), 2), tf.maximum(tf.add(c, root), 1e-30));
    const negativeC = tf.mul(tf.sub(root, c), 0.5);
    const r = tf.where(
      withoutGradient((t) => tf.greater(t, 0), c),
      positiveC,
      negativeC,
    );
    const q = tf.div(tf.add(r, s), tf.add(alpha, r));
    return tf.add(this.center, tf.div(diff, q));
  }

  protected override _forwardLogDetJacobian(x: tf.Tensor): tf.Tensor {
    const [alpha, s] = this.alphaS();
    const r = radius(tf.sub(x, this.center), false);
    const logAr = tf.log(tf.add(alpha, r));
    const logQ = tf.sub(tf.log(tf.add(r, s)), logAr);
    const last = tf.sub(tf.log(tf.add(tf.mul(r, tf.add(tf.mul(alpha, 2), r)), tf.mul(alpha, s))), tf.mul(logAr, 2));
    return tf.add(tf.mul(logQ, this.dim - 1), last);
  }
}

// |v| with a 1e-30 floor under the square root: tf.norm's gradient at the centre is 0/0.
function radius(diff: tf.Tensor, keepDims: boolean): tf.Tensor {
  return tf.sqrt(tf.add(tf.sum(tf.square(diff), -1, keepDims), 1e-30));
}
