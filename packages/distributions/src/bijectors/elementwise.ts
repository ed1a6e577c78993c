import * as tf from '@tensorflow/tfjs-core';
import { log1mexp, log1p, softplus, softplusInverse } from '@vae/math';
import type { TensorInput } from '@vae/math';
import { constraints } from '../constraints.js';
import { Bijector } from './bijector.js';
import { NON_ZERO, SYMMETRIC_UNIT_INTERVAL } from './constraints.js';
import type { BijectorOptions } from './bijector.js';

const LOG_2 = Math.log(2);

/**
 * The exponential map y = exp(x), from the real line onto the positive reals (a `Normal` under it is
 * a `LogNormal`).
 *
 * @remarks
 * Elementwise: inverse x = log y, log |dy/dx| = x, so the inverse log-Jacobian is -log y. Both are
 * exact in float32 wherever y is finite and positive.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Exp } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const exp = new Exp();
 *   console.log(exp.forward([0, 1]).arraySync()); // [1, 2.7183]
 *   console.log(exp.inverseLogDetJacobian([1, 4]).arraySync()); // [0, -1.3863]
 * });
 * ```
 */
export class Exp extends Bijector {
  /** The bijector's name in messages, spelled out because minifiers rename classes. */
  static override readonly bijectorName: string = 'Exp';

  /**
   * @param options - `validateArgs` (default true) checks that `inverse`'s input is positive
   */
  constructor(options: BijectorOptions = {}) {
    super({ forwardMinEventNdims: 0, codomain: constraints.positive }, options);
  }

  protected _forward(x: tf.Tensor): tf.Tensor {
    return tf.exp(x);
  }

  protected _inverse(y: tf.Tensor): tf.Tensor {
    return tf.log(y);
  }

  protected override _forwardLogDetJacobian(x: tf.Tensor): tf.Tensor {
    return tf.clone(x);
  }

  protected override _inverseLogDetJacobian(y: tf.Tensor): tf.Tensor {
    return tf.neg(tf.log(y));
  }
}

/**
 * The softplus map y = log(1 + exp(x)), from the real line onto the positive reals: the usual way
 * to make an unconstrained parameter positive.
 *
 * @remarks
 * Elementwise: inverse x = log(expm1(y)) (`softplusInverse` of `@vae/math`, accurate for tiny and
 * large y), log |dy/dx| = log sigmoid(x) = -softplus(-x), and the inverse log-Jacobian is
 * -log(1 - exp(-y)) = -log1mexp(y): computed from y directly, so it stays accurate near y = 0
 * (where it is -log y) and for large y (where it is exp(-y)), with no round trip through x.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Softplus } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const softplus = new Softplus();
 *   console.log(softplus.forward([0, -100]).arraySync()); // [0.6931, 3.72e-44]
 *   console.log(softplus.inverse([1e-20, 0.6931472]).arraySync()); // [-46.0517, 0]
 *   console.log(softplus.inverseLogDetJacobian([1e-20]).arraySync()); // [46.0517]
 * });
 * ```
 */
export class Softplus extends Bijector {
  /** The bijector's name in messages, spelled out because minifiers rename classes. */
  static override readonly bijectorName: string = 'Softplus';

  /**
   * @param options - `validateArgs` (default true) checks that `inverse`'s input is positive
   */
  constructor(options: BijectorOptions = {}) {
    super({ forwardMinEventNdims: 0, codomain: constraints.positive }, options);
  }

  protected _forward(x: tf.Tensor): tf.Tensor {
    return softplus(x);
  }

  protected _inverse(y: tf.Tensor): tf.Tensor {
    return softplusInverse(y);
  }

  protected override _forwardLogDetJacobian(x: tf.Tensor): tf.Tensor {
    return tf.neg(softplus(tf.neg(x)));
  }

  protected override _inverseLogDetJacobian(y: tf.Tensor): tf.Tensor {
    return tf.neg(log1mexp(y));
  }
}

/**
 * The logistic sigmoid y = 1 / (1 + exp(-x)), from the real line onto (0, 1) (a `Uniform(0, 1)`
 * under its inverse is a standard `Logistic`).
 *
 * @remarks
 * Elementwise: inverse x = log y - log(1 - y), and
 * log |dy/dx| = log(sigmoid(x) (1 - sigmoid(x))) = -softplus(-x) - softplus(x), written with
 * softplus so it stays finite and accurate at logits of ±80, where sigmoid(x) rounds to 1 or
 * underflows. The inverse log-Jacobian is -log y - log1p(-y).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Sigmoid } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const sigmoid = new Sigmoid();
 *   console.log(sigmoid.forward([0]).arraySync()); // [0.5]
 *   console.log(sigmoid.forwardLogDetJacobian([0, 80]).arraySync()); // [-1.3863, -80]
 * });
 * ```
 */
export class Sigmoid extends Bijector {
  /** The bijector's name in messages, spelled out because minifiers rename classes. */
  static override readonly bijectorName: string = 'Sigmoid';

  /**
   * @param options - `validateArgs` (default true) checks that `inverse`'s input is in [0, 1]
   */
  constructor(options: BijectorOptions = {}) {
    super({ forwardMinEventNdims: 0, codomain: constraints.unitInterval }, options);
  }

  protected _forward(x: tf.Tensor): tf.Tensor {
    return tf.sigmoid(x);
  }

  protected _inverse(y: tf.Tensor): tf.Tensor {
    return tf.sub(tf.log(y), log1p(tf.neg(y)));
  }

  protected override _forwardLogDetJacobian(x: tf.Tensor): tf.Tensor {
    return tf.neg(tf.add(softplus(tf.neg(x)), softplus(x)));
  }

  protected override _inverseLogDetJacobian(y: tf.Tensor): tf.Tensor {
    return tf.neg(tf.add(tf.log(y), log1p(tf.neg(y))));
  }
}

/**
 * The hyperbolic tangent y = tanh(x), from the real line onto (-1, 1): squashes a Gaussian onto a
 * bounded interval (as for bounded actions).
 *
 * @remarks
 * Elementwise: inverse x = atanh(y) = (log1p(y) - log1p(-y)) / 2, and
 * log |dy/dx| = log(1 - tanh(x)^2) = 2 (log 2 - x - softplus(-2x)), which stays finite for large
 * |x| where 1 - tanh(x)^2 would round to 0. The inverse log-Jacobian is -log1p(y) - log1p(-y),
 * accurate as y nears ±1.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Tanh } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const tanh = new Tanh();
 *   console.log(tanh.forwardLogDetJacobian([0, 20]).arraySync()); // [0, -38.6137]
 *   console.log(tanh.inverse([0.5]).arraySync()); // [0.5493]
 * });
 * ```
 */
export class Tanh extends Bijector {
  /** The bijector's name in messages, spelled out because minifiers rename classes. */
  static override readonly bijectorName: string = 'Tanh';

  /**
   * @param options - `validateArgs` (default true) checks that `inverse`'s input is in [-1, 1]
   */
  constructor(options: BijectorOptions = {}) {
    super({ forwardMinEventNdims: 0, codomain: SYMMETRIC_UNIT_INTERVAL }, options);
  }

  protected _forward(x: tf.Tensor): tf.Tensor {
    return tf.tanh(x);
  }

  protected _inverse(y: tf.Tensor): tf.Tensor {
    return tf.mul(0.5, tf.sub(log1p(y), log1p(tf.neg(y))));
  }

  protected override _forwardLogDetJacobian(x: tf.Tensor): tf.Tensor {
    return tf.mul(2, tf.sub(tf.sub(LOG_2, x), softplus(tf.mul(-2, x))));
  }

  protected override _inverseLogDetJacobian(y: tf.Tensor): tf.Tensor {
    return tf.neg(tf.add(log1p(y), log1p(tf.neg(y))));
  }
}

/** Parameters of {@link Power}. */
export interface PowerParams extends BijectorOptions {
  /** The exponent p, non-zero; a tensor broadcasts against the input's trailing axes. */
  power: TensorInput;
}

/**
 * The power map y = x^p on the positive reals (p non-zero).
 *
 * @remarks
 * Elementwise on x > 0: inverse x = y^(1/p), log |dy/dx| = log |p| + (p - 1) log x, and the
 * inverse log-Jacobian is -log |p| + (1/p - 1) log y. Working with log x keeps the log-Jacobian
 * finite for tiny and huge x where x^(p-1) would underflow or overflow.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Power } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const square = new Power({ power: 2 });
 *   console.log(square.forward([3]).arraySync()); // [9]
 *   console.log(square.forwardLogDetJacobian([3]).arraySync()); // [1.7918]
 *   square.dispose();
 * });
 * ```
 */
export class Power extends Bijector {
  /** The bijector's name in messages, spelled out because minifiers rename classes. */
  static override readonly bijectorName: string = 'Power';

  /** The exponent p. */
  readonly power: tf.Tensor;

  /**
   * @param params - the `power` and validation options (`validateArgs` checks that p is non-zero
   *   and finite, and that inputs are positive)
   */
  constructor(params: PowerParams) {
    const { power, ...options } = params ?? ({} as PowerParams);
    super({ forwardMinEventNdims: 0, domain: constraints.positive, codomain: constraints.positive }, options);
    this.power = this.param(power, 'power', NON_ZERO);
  }

  protected _forward(x: tf.Tensor): tf.Tensor {
    return tf.exp(tf.mul(this.power, tf.log(x)));
  }

  protected _inverse(y: tf.Tensor): tf.Tensor {
    return tf.exp(tf.div(tf.log(y), this.power));
  }

  protected override _forwardLogDetJacobian(x: tf.Tensor): tf.Tensor {
    return tf.add(tf.log(tf.abs(this.power)), tf.mul(tf.sub(this.power, 1), tf.log(x)));
  }

  protected override _inverseLogDetJacobian(y: tf.Tensor): tf.Tensor {
    return tf.sub(tf.mul(tf.sub(tf.reciprocal(this.power), 1), tf.log(y)), tf.log(tf.abs(this.power)));
  }
}
