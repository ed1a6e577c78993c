import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@vae/math';
import type { TensorInput } from '@vae/math';
import { matrixDiagonal, triangularSolve } from '../linalg.js';
import { Bijector } from './bijector.js';
import type { BijectorOptions } from './bijector.js';
import { INVERTIBLE_LOWER_TRIANGULAR, NON_ZERO } from './constraints.js';
import { elementwise } from './elementwise.js';

/** Parameters of {@link Shift}. */
export interface ShiftParams extends BijectorOptions {
  /** The shift b; a tensor broadcasts against the input's trailing axes. */
  shift: TensorInput;
}

/**
 * The translation y = x + b.
 *
 * @remarks
 * Elementwise: inverse x = y - b, log |dy/dx| = 0 (a constant Jacobian).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Shift } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const shift = new Shift({ shift: [1, -1] });
 *   console.log(shift.forward([[0, 0], [2, 2]]).arraySync()); // [[1, -1], [3, 1]]
 *   console.log(shift.forwardLogDetJacobian([[0, 0], [2, 2]], 1).arraySync()); // [0, 0]
 *   shift.dispose();
 * });
 * ```
 */
export class Shift extends elementwise<ShiftParams>(
  'Shift',
  {
    isConstantJacobian: true,
    forward: (x, b) => tf.add(x, b),
    inverse: (y, b) => tf.sub(y, b),
    forwardLogDetJacobian: (_x, b) => tf.zerosLike(b),
  },
  { name: 'shift' },
) {
  /** The shift b. */
  declare readonly shift: tf.Tensor;
}

/** Parameters of {@link Scale}. */
export interface ScaleParams extends BijectorOptions {
  /** The scale s, non-zero; a tensor broadcasts against the input's trailing axes. */
  scale: TensorInput;
}

/**
 * The elementwise scaling y = s x.
 *
 * @remarks
 * Elementwise: inverse x = y / s, log |dy/dx| = log |s| (a constant Jacobian; s may be negative).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Scale } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const scale = new Scale({ scale: [2, -0.5] });
 *   console.log(scale.forward([3, 4]).arraySync()); // [6, -2]
 *   console.log(scale.forwardLogDetJacobian([3, 4]).arraySync()); // [0.6931, -0.6931]
 *   scale.dispose();
 * });
 * ```
 */
export class Scale extends elementwise<ScaleParams>(
  'Scale',
  {
    isConstantJacobian: true,
    forward: (x, s) => tf.mul(x, s),
    inverse: (y, s) => tf.div(y, s),
    forwardLogDetJacobian: (_x, s) => tf.log(tf.abs(s)),
  },
  { name: 'scale', constraint: NON_ZERO },
) {
  /** The scale s (`validateArgs` checks that it is non-zero and finite). */
  declare readonly scale: tf.Tensor;
}

/** Parameters of {@link Affine}. */
export interface AffineParams extends BijectorOptions {
  /** The shift b, shape `B + [d]` (default 0). */
  shift?: TensorInput;
  /** The lower-triangular scale L, shape `B + [d, d]`; entries above the diagonal are ignored. */
  scaleTril: TensorInput;
}

/**
 * The affine map y = L x + b on vectors, with L lower-triangular (TFP's `ScaleMatvecTriL` after a
 * `Shift`): turns a standard normal into a full-covariance Gaussian with Cholesky factor L.
 *
 * @remarks
 * On events of one axis (`forwardMinEventNdims` = 1): inverse x = L^-1 (y - b) by forward
 * substitution ({@link triangularSolve}), and log |det dy/dx| = sum_i log |L_ii| (the determinant of a
 * triangular matrix is the product of its diagonal), a constant Jacobian of shape `B`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Affine } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const affine = new Affine({ shift: [1, 0], scaleTril: [[2, 0], [1, 4]] });
 *   console.log(affine.forward([1, 1]).arraySync()); // [3, 5]
 *   console.log(affine.inverse([3, 5]).arraySync()); // [1, 1]
 *   console.log(affine.forwardLogDetJacobian([1, 1]).arraySync()); // 2.0794 = log 8
 *   affine.dispose();
 * });
 * ```
 */
export class Affine extends Bijector {
  /** The bijector's name in messages, spelled out because minifiers rename classes. */
  static override readonly bijectorName: string = 'Affine';

  /** The shift b, shape `B + [d]` (a scalar 0 when not given). */
  readonly shift: tf.Tensor;
  /** The lower-triangular scale L, shape `B + [d, d]`, zeroed above the diagonal. */
  readonly scaleTril: tf.Tensor;

  /**
   * @param params - `scaleTril`, optional `shift` and validation options (`validateArgs` checks the
   *   diagonal of L is non-zero and finite)
   */
  constructor(params: AffineParams) {
    const { shift, scaleTril, ...options } = params ?? ({} as AffineParams);
    super({ forwardMinEventNdims: 1, isConstantJacobian: true }, options);
    const raw = this.param(scaleTril, 'scaleTril');
    if (raw.rank < 2 || raw.shape[raw.rank - 1] !== raw.shape[raw.rank - 2] || raw.shape[raw.rank - 1] < 1) {
      throw new InvalidArgumentError(
        'scaleTril',
        'a batch of square matrices, shape B + [d, d] with d >= 1',
        `got shape [${raw.shape}]`,
        this.name,
      );
    }
    if (this.validateArgs) this.param(raw, 'scaleTril', INVERTIBLE_LOWER_TRIANGULAR);
    this.scaleTril = this.own(tf.linalg.bandPart(raw, -1, 0));
    const d = raw.shape[raw.rank - 1];
    this.shift = shift === undefined ? this.own(tf.scalar(0)) : this.param(shift, 'shift');
    if (this.shift.rank > 0 && this.shift.shape[this.shift.rank - 1] !== d && this.shift.shape[this.shift.rank - 1] !== 1) {
      throw new InvalidArgumentError('shift', `shaped B + [${d}] to match scaleTril`, `got shape [${this.shift.shape}]`, this.name);
    }
  }

  protected _forward(x: tf.Tensor): tf.Tensor {
    return tf.add(tf.sum(tf.mul(this.scaleTril, tf.expandDims(x, -2)), -1), this.shift);
  }

  protected _inverse(y: tf.Tensor): tf.Tensor {
    return triangularSolve(this.scaleTril, tf.sub(y, this.shift));
  }

  protected override _forwardLogDetJacobian(): tf.Tensor {
    return tf.sum(tf.log(tf.abs(matrixDiagonal(this.scaleTril))), -1);
  }

  protected override _inverseLogDetJacobian(): tf.Tensor {
    return tf.neg(this._forwardLogDetJacobian());
  }

  protected override _checkInput(t: tf.Tensor, argument: 'x' | 'y'): void {
    const d = this.scaleTril.shape[this.scaleTril.rank - 1];
    if (t.shape[t.rank - 1] !== d) {
      throw new InvalidArgumentError(argument, `shaped batch + [${d}] (scaleTril is ${d} x ${d})`, `got shape [${t.shape}]`, this.name);
    }
  }
}
