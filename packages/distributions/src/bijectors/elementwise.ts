import * as tf from '@tensorflow/tfjs-core';
import { log1mexp, log1p, softplus, softplusInverse } from '@vae/math';
import type { TensorInput } from '@vae/math';
import { constraints } from '../constraints.js';
import type { Constraint } from '../constraints.js';
import { Bijector, BIJECTOR_BASE } from './bijector.js';
import { NON_ZERO, SYMMETRIC_UNIT_INTERVAL } from './constraints.js';
import type { BijectorOptions } from './bijector.js';

const LOG_2 = Math.log(2);

/**
 * An elementwise bijector as data: its maps, log-Jacobians and sets. Each function gets the
 * bijector's tensor parameter after its input (Shift's b; `undefined` for a bijector without one).
 */
export interface ElementwiseMap<P extends tf.Tensor | undefined = undefined> {
  /** The set `forward`'s inputs lie in (default: any value). */
  readonly domain?: Constraint;
  /** The set `inverse`'s inputs lie in (default: any value). */
  readonly codomain?: Constraint;
  /** Whether the log-Jacobians do not depend on the input (default false). */
  readonly isConstantJacobian?: boolean;
  /** y = f(x), elementwise, for a checked float32 `x`. */
  readonly forward: (x: tf.Tensor, parameter: P) => tf.Tensor;
  /** x = f^-1(y), elementwise, for a checked float32 `y`. */
  readonly inverse: (y: tf.Tensor, parameter: P) => tf.Tensor;
  /** log |f'(x)|, elementwise (the base sums it over the event axes). */
  readonly forwardLogDetJacobian: (x: tf.Tensor, parameter: P) => tf.Tensor;
  /**
   * log |(f^-1)'(y)|, elementwise, written from y directly where that is more accurate than
   * -log |f'(x)|; without it, -log |f'(f^-1(y))|.
   */
  readonly inverseLogDetJacobian?: (y: tf.Tensor, parameter: P) => tf.Tensor;
}

/** The tensor parameter of an elementwise bijector (Shift's `shift`). */
export interface ElementwiseParameter<N extends string> {
  /** Its name: the constructor's argument and the bijector's property. */
  readonly name: N;
  /** What `validateArgs` checks it against (default: nothing beyond its conversion to float32). */
  readonly constraint?: Constraint;
}

/** The tensor parameter's name in an elementwise bijector's Params (`'shift'` in `ShiftParams`). */
type ParameterName<P> = Exclude<keyof P, keyof BijectorOptions> & string;

/** An elementwise bijector (`forwardMinEventNdims` 0) whose math is an {@link ElementwiseMap}. */
export abstract class ElementwiseBijector extends Bijector {
  /** The map's tensor parameter, `undefined` for a bijector without one. */
  protected parameter: tf.Tensor | undefined;

  /**
   * @param map - the maps, log-Jacobians and sets
   * @param options - `validateArgs` checks `forward`'s inputs against `domain` and `inverse`'s against `codomain`
   */
  protected constructor(
    private readonly map: ElementwiseMap<tf.Tensor | undefined>,
    options: BijectorOptions,
  ) {
    super({ forwardMinEventNdims: 0, domain: map.domain, codomain: map.codomain, isConstantJacobian: map.isConstantJacobian }, options);
  }

  protected _forward(x: tf.Tensor): tf.Tensor {
    return this.map.forward(x, this.parameter);
  }

  protected _inverse(y: tf.Tensor): tf.Tensor {
    return this.map.inverse(y, this.parameter);
  }

  protected override _forwardLogDetJacobian(x: tf.Tensor): tf.Tensor {
    return this.map.forwardLogDetJacobian(x, this.parameter);
  }

  protected override _inverseLogDetJacobian(y: tf.Tensor): tf.Tensor {
    const { inverseLogDetJacobian } = this.map;
    return inverseLogDetJacobian ? inverseLogDetJacobian(y, this.parameter) : super._inverseLogDetJacobian(y);
  }
}

/**
 * The base class of an elementwise bijector: its constructor takes its tensor parameter, if it has
 * one, and the {@link BijectorOptions}, and the class extending it is called `name` in messages even
 * after a minifier renames it. What is left to a bijector is its math, as data.
 *
 * @remarks
 * A parameter is converted to a float32 tensor (owned by the bijector), checked against its
 * constraint when `validateArgs` is on, and kept as the property of its name.
 *
 * @param name - the bijector's name in messages (`'Exp'`)
 * @param map - the maps, log-Jacobians and sets
 * @param parameter - the tensor parameter (`{ name: 'shift' }`), for a bijector that has one; its
 *   Params type is the type argument (`elementwise<ShiftParams>(...)`)
 * @returns a class to extend
 */
export function elementwise(name: string, map: ElementwiseMap): new (options?: BijectorOptions) => ElementwiseBijector;
export function elementwise<P extends BijectorOptions>(
  name: string,
  map: ElementwiseMap<tf.Tensor>,
  parameter: ElementwiseParameter<ParameterName<P>>,
): new (params: P) => ElementwiseBijector & Readonly<Record<ParameterName<P>, tf.Tensor>>;
export function elementwise(
  name: string,
  map: ElementwiseMap<tf.Tensor> | ElementwiseMap,
  parameter?: ElementwiseParameter<string>,
): unknown {
  class Elementwise extends ElementwiseBijector {
    static override readonly bijectorName: string = name;

    constructor(params: BijectorOptions & Record<string, unknown> = {}) {
      const { [parameter?.name ?? '']: value, ...options } = params ?? {};
      super(map as ElementwiseMap<tf.Tensor | undefined>, parameter ? options : params);
      if (parameter) {
        this.parameter = this.param(value as TensorInput, parameter.name, parameter.constraint);
        (this as unknown as Record<string, tf.Tensor>)[parameter.name] = this.parameter;
      }
    }
  }
  Object.defineProperty(Elementwise, BIJECTOR_BASE, { value: true });
  return Elementwise;
}

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
export class Exp extends elementwise('Exp', {
  codomain: constraints.positive,
  forward: (x) => tf.exp(x),
  inverse: (y) => tf.log(y),
  forwardLogDetJacobian: (x) => tf.clone(x),
  inverseLogDetJacobian: (y) => tf.neg(tf.log(y)),
}) {}

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
 *   console.log(softplus.forward([0, -20]).arraySync()); // [0.6931, 2.0612e-9]
 *   console.log(softplus.inverse([1e-20, 0.6931472]).arraySync()); // [-46.0517, 0]
 *   console.log(softplus.inverseLogDetJacobian([1e-20]).arraySync()); // [46.0517]
 * });
 * ```
 */
export class Softplus extends elementwise('Softplus', {
  codomain: constraints.positive,
  forward: (x) => softplus(x),
  inverse: (y) => softplusInverse(y),
  forwardLogDetJacobian: (x) => tf.neg(softplus(tf.neg(x))),
  inverseLogDetJacobian: (y) => tf.neg(log1mexp(y)),
}) {}

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
export class Sigmoid extends elementwise('Sigmoid', {
  codomain: constraints.unitInterval,
  forward: (x) => tf.sigmoid(x),
  inverse: (y) => tf.sub(tf.log(y), log1p(tf.neg(y))),
  forwardLogDetJacobian: (x) => tf.neg(tf.add(softplus(tf.neg(x)), softplus(x))),
  inverseLogDetJacobian: (y) => tf.neg(tf.add(tf.log(y), log1p(tf.neg(y)))),
}) {}

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
export class Tanh extends elementwise('Tanh', {
  codomain: SYMMETRIC_UNIT_INTERVAL,
  forward: (x) => tf.tanh(x),
  inverse: (y) => tf.mul(0.5, tf.sub(log1p(y), log1p(tf.neg(y)))),
  forwardLogDetJacobian: (x) => tf.mul(2, tf.sub(tf.sub(LOG_2, x), softplus(tf.mul(-2, x)))),
  inverseLogDetJacobian: (y) => tf.neg(tf.add(log1p(y), log1p(tf.neg(y)))),
}) {}

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
export class Power extends elementwise<PowerParams>(
  'Power',
  {
    domain: constraints.positive,
    codomain: constraints.positive,
    forward: (x, p) => tf.exp(tf.mul(p, tf.log(x))),
    inverse: (y, p) => tf.exp(tf.div(tf.log(y), p)),
    forwardLogDetJacobian: (x, p) => tf.add(tf.log(tf.abs(p)), tf.mul(tf.sub(p, 1), tf.log(x))),
    inverseLogDetJacobian: (y, p) => tf.sub(tf.mul(tf.sub(tf.reciprocal(p), 1), tf.log(y)), tf.log(tf.abs(p))),
  },
  { name: 'power', constraint: NON_ZERO },
) {
  /** The exponent p (`validateArgs` checks that it is non-zero and finite, and that inputs are positive). */
  declare readonly power: tf.Tensor;
}
