import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@vae/math';
import { constraints } from '../constraints.js';
import { Bijector } from './bijector.js';
import type { BijectorOptions } from './bijector.js';

/** Parameters of {@link Reshape}. */
export interface ReshapeParams extends BijectorOptions {
  /** The event shape of x (the trailing axes `forward` reshapes). */
  eventShapeIn: readonly number[];
  /** The event shape of y; it has as many elements as `eventShapeIn`. */
  eventShapeOut: readonly number[];
}

function checkShape(shape: readonly number[], argument: string, context: string): number[] {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new InvalidArgumentError(argument, 'an array of positive integers', `got ${JSON.stringify(shape)}`, context);
  }
  return Array.from(shape);
}

/**
 * Reshapes events: the trailing axes `eventShapeIn` of x become `eventShapeOut` (TFP's `Reshape`),
 * e.g. a flat latent vector into an image-shaped one.
 *
 * @remarks
 * A relabelling of coordinates, so log |det J| = 0. `forwardMinEventNdims` is the length of
 * `eventShapeIn` and `inverseMinEventNdims` that of `eventShapeOut`; leading axes are batch axes.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Reshape } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const reshape = new Reshape({ eventShapeIn: [4], eventShapeOut: [2, 2] });
 *   console.log(reshape.forward(tf.zeros([3, 4])).shape); // [3, 2, 2]
 *   console.log(reshape.forwardEventShape([4])); // [2, 2]
 *   console.log(reshape.inverseLogDetJacobian(tf.zeros([3, 2, 2])).arraySync()); // [0, 0, 0]
 * });
 * ```
 */
export class Reshape extends Bijector {
  /** The bijector's name in messages, spelled out because minifiers rename classes. */
  static override readonly bijectorName: string = 'Reshape';

  /** The event shape of x. */
  readonly eventShapeIn: readonly number[];
  /** The event shape of y. */
  readonly eventShapeOut: readonly number[];

  /**
   * @param params - `eventShapeIn`, `eventShapeOut` and validation options
   */
  constructor(params: ReshapeParams) {
    const { eventShapeIn, eventShapeOut, ...options } = params ?? ({} as ReshapeParams);
    const inRank = Array.isArray(eventShapeIn) ? eventShapeIn.length : 0;
    const outRank = Array.isArray(eventShapeOut) ? eventShapeOut.length : 0;
    super({ forwardMinEventNdims: inRank, inverseMinEventNdims: outRank, isConstantJacobian: true }, options);
    this.eventShapeIn = checkShape(eventShapeIn, 'eventShapeIn', this.name);
    this.eventShapeOut = checkShape(eventShapeOut, 'eventShapeOut', this.name);
    const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
    if (size(this.eventShapeIn) !== size(this.eventShapeOut)) {
      throw new InvalidArgumentError(
        'eventShapeOut',
        `of as many elements as eventShapeIn [${this.eventShapeIn}] (${size(this.eventShapeIn)})`,
        `got [${this.eventShapeOut}] (${size(this.eventShapeOut)})`,
        this.name,
      );
    }
  }

  private move(t: tf.Tensor, from: readonly number[], to: readonly number[], argument: string): tf.Tensor {
    const tail = t.shape.slice(t.rank - from.length);
    if (tail.some((d, i) => d !== from[i])) {
      throw new InvalidArgumentError(argument, `shaped batch + [${from}]`, `got shape [${t.shape}]`, this.name);
    }
    return tf.reshape(t, [...t.shape.slice(0, t.rank - from.length), ...to]);
  }

  protected _forward(x: tf.Tensor): tf.Tensor {
    return this.move(x, this.eventShapeIn, this.eventShapeOut, 'x');
  }

  protected _inverse(y: tf.Tensor): tf.Tensor {
    return this.move(y, this.eventShapeOut, this.eventShapeIn, 'y');
  }

  protected override _forwardLogDetJacobian(): tf.Tensor {
    return tf.scalar(0);
  }

  protected override _inverseLogDetJacobian(): tf.Tensor {
    return tf.scalar(0);
  }

  override forwardEventShape(shape: readonly number[]): number[] {
    return [...shape.slice(0, shape.length - this.eventShapeIn.length), ...this.eventShapeOut];
  }

  override inverseEventShape(shape: readonly number[]): number[] {
    return [...shape.slice(0, shape.length - this.eventShapeOut.length), ...this.eventShapeIn];
  }
}

/**
 * Maps R^(K-1) onto the interior of the probability simplex in R^K: y = softmax([x, 0]) (TFP's
 * `SoftmaxCentered`), so a Gaussian over K-1 logits becomes a logistic-normal over K categories.
 *
 * @remarks
 * Pinning the last logit to 0 makes the map one-to-one. Inverse: x_i = log y_i - log y_K. The
 * Jacobian of the first K-1 outputs, diag(y') - y' y'^T with y' = y_{1..K-1}, has determinant
 * (prod_i y'_i)(1 - sum_i y'_i) = prod_{i=1}^{K} y_i, so log |det J| = sum_i log softmax([x, 0])_i,
 * computed with a log-softmax so it stays finite for large logits; the inverse log-Jacobian is
 * -sum_i log y_i. Events have one axis: K-1 for x and K for y.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { SoftmaxCentered } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const toSimplex = new SoftmaxCentered();
 *   console.log(toSimplex.forward([0, 0]).arraySync()); // [0.3333, 0.3333, 0.3333]
 *   console.log(toSimplex.forwardLogDetJacobian([0, 0]).arraySync()); // -3.2958 = 3 log(1/3)
 *   console.log(toSimplex.inverse([0.5, 0.25, 0.25]).arraySync()); // [0.6931, 0]
 * });
 * ```
 */
export class SoftmaxCentered extends Bijector {
  /** The bijector's name in messages, spelled out because minifiers rename classes. */
  static override readonly bijectorName: string = 'SoftmaxCentered';

  /**
   * @param options - `validateArgs` (default true) checks that `inverse`'s input is on the simplex
   */
  constructor(options: BijectorOptions = {}) {
    super({ forwardMinEventNdims: 1, codomain: constraints.simplex() }, options);
  }

  private padded(x: tf.Tensor): tf.Tensor {
    return tf.concat([x, tf.zeros([...x.shape.slice(0, -1), 1])], -1);
  }

  protected _forward(x: tf.Tensor): tf.Tensor {
    return tf.softmax(this.padded(x));
  }

  protected _inverse(y: tf.Tensor): tf.Tensor {
    const k = y.shape[y.rank - 1];
    if (k < 2) throw new InvalidArgumentError('y', 'shaped batch + [K] with K >= 2', `got shape [${y.shape}]`, this.name);
    const logY = tf.log(y);
    const [head, last] = tf.split(logY, [k - 1, 1], -1);
    return tf.sub(head, last);
  }

  protected override _forwardLogDetJacobian(x: tf.Tensor): tf.Tensor {
    return tf.sum(tf.logSoftmax(this.padded(x)), -1);
  }

  protected override _inverseLogDetJacobian(y: tf.Tensor): tf.Tensor {
    return tf.neg(tf.sum(tf.log(y), -1));
  }

  override forwardEventShape(shape: readonly number[]): number[] {
    return [...shape.slice(0, -1), shape[shape.length - 1] + 1];
  }

  override inverseEventShape(shape: readonly number[]): number[] {
    return [...shape.slice(0, -1), shape[shape.length - 1] - 1];
  }
}
