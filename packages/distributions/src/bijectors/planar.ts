import * as tf from '@tensorflow/tfjs-core';
import { softplus, withoutGradient } from '@vae/math';
import type { TensorInput } from '@vae/math';
import { FlowLayer } from './flow-layer.js';
import type { FlowLayerParams } from './flow-layer.js';

/** Parameters of {@link Planar}. */
export interface PlanarParams extends FlowLayerParams {
  /** Initial u (shape `[D]`; default seeded N(0, 0.01)). */
  u?: TensorInput;
  /** Initial w (shape `[D]`; default seeded N(0, 0.01)). */
  w?: TensorInput;
  /** Initial b (shape `[]`; default 0). */
  b?: TensorInput;
}

/** Bisection steps of the inverse: the bracket has width 2|w.u_hat| and halves each step, so 60 reach float32 rounding. */
const INVERSE_BISECTION_STEPS = 60;

/**
 * The planar flow f(z) = z + u_hat tanh(w.z + b) of Rezende & Mohamed (2015), with trainable u, w, b.
 *
 * @remarks
 * f is invertible when w.u_hat >= -1; the layer enforces it by the reparameterization
 * u_hat = u + (m(w.u) - w.u) w / |w|^2 with m(a) = -1 + softplus(a), so w.u_hat = m(w.u) > -1.
 * The Jacobian is I + u_hat psi^T with psi = tanh'(w.z + b) w (matrix determinant lemma):
 * log |det J| = log(1 + tanh'(w.z + b) m(w.u)) = log(tanh(a)^2 + tanh'(a) softplus(w.u)), a = w.z + b:
 * a sum of two non-negative terms, finite even where m rounds to -1 in float32.
 *
 * The inverse has no closed form. It is reduced to one dimension: the component a = w.z solves
 * a + m tanh(a + b) = w.y, a strictly increasing function of a, whose root lies within |m| of w.y;
 * bisection on that bracket finds it (60 halvings, off the gradient tape), one Newton step from the
 * root carries the implicit-function gradient, and z = y - u_hat tanh(a + b). Posteriors only need
 * `forward` and `forwardLogDetJacobian`; the inverse serves density evaluation of given points.
 *
 * Events are the last axis (`forwardMinEventNdims` = 1): x has shape `batch + [D]`. The trainable
 * variables are `[u, w, b]`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Planar } from '@vae/distributions';
 *
 * const planar = new Planar({ dim: 2, u: [1, 0], w: [1, 0], b: 0 });
 * tf.tidy(() => {
 *   // w.u = 1, m(1) = softplus(1) - 1 = 0.3133, u_hat = [0.3133, 0]
 *   console.log(planar.forward([[0.5, 2]]).arraySync()); // [[0.6448, 2]]
 *   console.log(planar.forwardLogDetJacobian([[0, 2]]).arraySync()); // [0.2725]
 *   console.log(planar.inverse(planar.forward([[0.5, 2]])).arraySync()); // [[0.5, 2]]
 * });
 * planar.dispose();
 * ```
 */
export class Planar extends FlowLayer {
  /** The bijector's name in messages, spelled out because minifiers rename classes. */
  static override readonly bijectorName: string = 'Planar';
  /** u, shape `[D]` (u_hat is derived from it). */
  readonly u: tf.Variable;
  /** w, shape `[D]`. */
  readonly w: tf.Variable;
  /** b, shape `[]`. */
  readonly b: tf.Variable;

  /**
   * @param params - the event size, optional initial values and seed, validation options
   */
  constructor(params: PlanarParams) {
    super(params);
    const [s1, s2] = params.seed === undefined ? [undefined, undefined] : [params.seed, params.seed + 1];
    this.u = this.variable('u', [this.dim], { initial: params.u, stddev: 0.01, seed: s1 });
    this.w = this.variable('w', [this.dim], { initial: params.w, stddev: 0.01, seed: s2 });
    this.b = this.variable('b', [], { initial: params.b ?? 0 });
  }

  /** [u_hat, m = w.u_hat] from the current variables. */
  private uHat(): [tf.Tensor, tf.Tensor] {
    const wu = tf.sum(tf.mul(this.w, this.u));
    const m = tf.sub(softplus(wu), 1);
    // |w|^2 floored so a w at 0 (where the correction is moot) does not divide by 0.
    const ww = tf.maximum(tf.sum(tf.square(this.w)), 1e-30);
    const uHat = tf.add(this.u, tf.mul(tf.div(tf.sub(m, wu), ww), this.w));
    return [uHat, m];
  }

  private preActivation(z: tf.Tensor): tf.Tensor {
    return tf.add(tf.sum(tf.mul(z, this.w), -1), this.b);
  }

  protected _forward(x: tf.Tensor): tf.Tensor {
    const [uHat] = this.uHat();
    return tf.add(x, tf.mul(tf.expandDims(tf.tanh(this.preActivation(x)), -1), uHat));
  }

  protected _inverse(y: tf.Tensor): tf.Tensor {
    const [uHat, m] = this.uHat();
    const target = tf.sum(tf.mul(y, this.w), -1);
    const bisected = withoutGradient(
      (t, mm, b) => {
        const radius = tf.abs(mm);
        let lo = tf.sub(t, radius);
        let hi = tf.add(t, radius);
        for (let i = 0; i < INVERSE_BISECTION_STEPS; i++) {
          const mid = tf.mul(tf.add(lo, hi), 0.5);
          const above = tf.greater(tf.add(mid, tf.mul(mm, tf.tanh(tf.add(mid, b)))), t);
          lo = tf.where(above, lo, mid);
          hi = tf.where(above, mid, hi);
        }
        return tf.mul(tf.add(lo, hi), 0.5);
      },
      target,
      m,
      this.b,
    );
    // One Newton step from the (gradient-free) root: at the root it moves nothing, and its
    // derivative is the implicit-function gradient of a with respect to y, w, u and b.
    const t0 = tf.tanh(tf.add(bisected, this.b));
    const residual = tf.sub(tf.add(bisected, tf.mul(m, t0)), target);
    const slope = tf.add(1, tf.mul(m, tf.sub(1, tf.square(t0))));
    const a = tf.sub(bisected, tf.div(residual, tf.maximum(slope, 1e-6)));
    return tf.sub(y, tf.mul(tf.expandDims(tf.tanh(tf.add(a, this.b)), -1), uHat));
  }

  // 1 + tanh'(a) m with m = softplus(w.u) - 1 is written tanh(a)^2 + tanh'(a) softplus(w.u): two
  // non-negative terms, so no cancellation when w.u << 0 drives m to -1 in float32 (the true value
  // is then about log softplus(w.u) = w.u at a = 0, not -Infinity). tanh'(a) = 4 e^(-2|a|) / (1 + e^(-2|a|))^2
  // is taken in log space so it does not round to 0 as tanh(a)^2 rounds to 1.
  protected override _forwardLogDetJacobian(x: tf.Tensor): tf.Tensor {
    const a = this.preActivation(x);
    const wu = tf.sum(tf.mul(this.w, this.u));
    const logSoftplusWu = tf.where(
      withoutGradient((t) => tf.less(t, -15), wu),
      wu,
      tf.log(softplus(wu)),
    );
    const absA = tf.abs(a);
    const logTanhPrime = tf.mul(tf.sub(tf.sub(Math.log(2), absA), softplus(tf.mul(absA, -2))), 2);
    return tf.log(tf.add(tf.square(tf.tanh(a)), tf.exp(tf.add(logTanhPrime, logSoftplusWu))));
  }
}
