import * as tf from '@tensorflow/tfjs-core';
import { broadcastShapes, InvalidArgumentError, toFloat32 } from '@vae/math';
import type { TensorInput } from '@vae/math';
import { assertConstraint } from '../constraints.js';
import type { Constraint } from '../constraints.js';

/** Marks the base classes `elementwise` builds, whose `bijectorName` belongs to the class extending them. */
export const BIJECTOR_BASE: unique symbol = Symbol('bijectorBase');

/** Options every bijector's constructor accepts beside its parameters. */
export interface BijectorOptions {
  /**
   * Check parameters at construction and inputs against the domain (`forward`) or codomain
   * (`inverse`) when the bijector declares one (default true). Checks read tensors back
   * synchronously; turn them off in hot loops once inputs are trusted.
   */
  validateArgs?: boolean;
}

/**
 * What a bijector declares about itself to the {@link Bijector} base class: its event ranks, whether
 * its Jacobian is constant, and the sets its inputs live in.
 */
export interface BijectorProperties {
  /** The fewest trailing axes of `x` that one application of `forward` acts on (0 for elementwise maps). */
  readonly forwardMinEventNdims: number;
  /** The fewest trailing axes of `y` that one application of `inverse` acts on (default `forwardMinEventNdims`). */
  readonly inverseMinEventNdims?: number;
  /** Whether the log-determinant of the Jacobian does not depend on the input (default false). */
  readonly isConstantJacobian?: boolean;
  /** The set `forward`'s inputs must lie in, checked when `validateArgs` is on (default: any value). */
  readonly domain?: Constraint;
  /** The set `inverse`'s inputs must lie in, checked when `validateArgs` is on (default: any value). */
  readonly codomain?: Constraint;
}

/**
 * The base class of every bijector: a differentiable, invertible map y = f(x) with the log-determinant
 * of its Jacobian, as TensorFlow Probability's `tfb.Bijector` and Distrax's `Bijector`.
 *
 * @remarks
 * A bijector acts on events of at least `forwardMinEventNdims` trailing axes of x (and
 * `inverseMinEventNdims` of y); leading axes are batch axes it maps independently. The log-Jacobian
 * methods return log |det J| per event: with n = `forwardMinEventNdims`, `forwardLogDetJacobian(x)`
 * has the shape of x without its last n axes (given a larger `eventNdims` it also sums the extra
 * trailing axes, so the result is per event of that rank). The two directions are tied by
 * log |det J_{f^-1}(y)| = -log |det J_f(f^-1(y))|, so a bijector implements `_forward`, `_inverse`
 * and one of `_forwardLogDetJacobian` / `_inverseLogDetJacobian`; the other defaults from it.
 *
 * The public methods convert their input to float32, check its rank (and its domain or codomain
 * when `validateArgs` is on), run the hook inside `tf.tidy` (so every call is memory-neutral) and
 * broadcast a constant log-Jacobian to its full shape. `forwardEventShape`/`inverseEventShape` map
 * event shapes (identity unless the bijector reshapes, as `Reshape` and `SoftmaxCentered` do), and
 * `trainableVariables()` lists the `tf.Variable`s a trainable flow layer optimizes (none by default).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Identity } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const identity = new Identity();
 *   console.log(identity.forward([1, 2]).arraySync()); // [1, 2]
 *   console.log(identity.forwardLogDetJacobian([1, 2]).arraySync()); // [0, 0]
 * });
 * ```
 */
export abstract class Bijector {
  /** The fewest trailing axes of `x` that `forward` acts on jointly. */
  readonly forwardMinEventNdims: number;
  /** The fewest trailing axes of `y` that `inverse` acts on jointly. */
  readonly inverseMinEventNdims: number;
  /** Whether log |det J| is the same at every input (an affine map). */
  readonly isConstantJacobian: boolean;
  /** Whether parameters and inputs are checked (see {@link BijectorOptions}). */
  readonly validateArgs: boolean;
  /** The set `forward`'s inputs lie in, if the bijector restricts them. */
  readonly domain?: Constraint;
  /** The set `inverse`'s inputs lie in, if the bijector restricts them. */
  readonly codomain?: Constraint;

  /**
   * The bijector's name in messages. Every subclass should set its own: a minifier renames classes,
   * so the class's `name` (the fallback) would read `t` in a bundle.
   */
  static readonly bijectorName: string = 'Bijector';

  private readonly owned: tf.Tensor[] = [];

  /**
   * @param properties - the event ranks, constant-Jacobian flag, domain and codomain
   * @param options - validation options
   */
  protected constructor(properties: BijectorProperties, options: BijectorOptions = {}) {
    const { forwardMinEventNdims, inverseMinEventNdims = forwardMinEventNdims } = properties;
    this.validateArgs = options.validateArgs ?? true;
    for (const [argument, n] of [
      ['forwardMinEventNdims', forwardMinEventNdims],
      ['inverseMinEventNdims', inverseMinEventNdims],
    ] as const) {
      if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(argument, 'a non-negative integer', `got ${n}`, this.name);
    }
    this.forwardMinEventNdims = forwardMinEventNdims;
    this.inverseMinEventNdims = inverseMinEventNdims;
    this.isConstantJacobian = properties.isConstantJacobian ?? false;
    this.domain = properties.domain;
    this.codomain = properties.codomain;
  }

  /** The bijector's name, used in error messages. */
  get name(): string {
    const cls = this.constructor;
    const own = (c: unknown): boolean => typeof c === 'function' && Object.prototype.hasOwnProperty.call(c, 'bijectorName');
    // A class built by `elementwise(name, ...)` names the one bijector that extends it.
    const parent: unknown = Object.getPrototypeOf(cls);
    const named = own(cls) ? cls : own(parent) && Object.prototype.hasOwnProperty.call(parent, BIJECTOR_BASE) ? parent : undefined;
    return named ? String((named as { bijectorName: unknown }).bijectorName) : cls.name;
  }

  // ---- hooks -------------------------------------------------------------------------------

  /** y = f(x) for a checked float32 `x` of rank >= `forwardMinEventNdims`. */
  protected abstract _forward(x: tf.Tensor): tf.Tensor;
  /** x = f^-1(y) for a checked float32 `y` of rank >= `inverseMinEventNdims`. */
  protected abstract _inverse(y: tf.Tensor): tf.Tensor;

  /**
   * log |det J_f(x)|, of x's shape without its last `forwardMinEventNdims` axes or broadcastable to
   * it (a constant Jacobian may return a scalar). Defaults to -`_inverseLogDetJacobian(f(x))`.
   */
  protected _forwardLogDetJacobian(x: tf.Tensor): tf.Tensor {
    if (this.definesNeitherLogDetJacobian()) throw this.notDefined('forwardLogDetJacobian');
    return tf.neg(this._inverseLogDetJacobian(this._forward(x)));
  }

  /**
   * log |det J_{f^-1}(y)|, of y's shape without its last `inverseMinEventNdims` axes or broadcastable
   * to it. Defaults to -`_forwardLogDetJacobian(f^-1(y))`.
   */
  protected _inverseLogDetJacobian(y: tf.Tensor): tf.Tensor {
    if (this.definesNeitherLogDetJacobian()) throw this.notDefined('inverseLogDetJacobian');
    return tf.neg(this._forwardLogDetJacobian(this._inverse(y)));
  }

  /**
   * y = f(x) and log |det J_f(x)| together. Defaults to the two hooks apart; a layer whose
   * log-Jacobian reuses the work of its forward pass (an autoregressive layer's scales, a chain's
   * intermediate values) overrides it so that work is done once.
   */
  protected _forwardAndLogDetJacobian(x: tf.Tensor): [tf.Tensor, tf.Tensor] {
    return [this._forward(x), this._forwardLogDetJacobian(x)];
  }

  /**
   * Checks an input beyond its rank before any hook sees it (the default accepts every input): a
   * bijector whose events have a fixed size (a flow layer's `dim`, an affine map's d) overrides it
   * to name a wrong one as the public call's argument. It gets the float32 input, of at least the
   * direction's minimum event rank, and its name: `'x'` for `forward` and its log-Jacobian, `'y'`
   * for `inverse` and its. It runs whether or not `validateArgs` is on, so it reads shapes, never
   * values.
   */
  protected _checkInput(_t: tf.Tensor, _argument: 'x' | 'y'): void {}

  private definesNeitherLogDetJacobian(): boolean {
    const proto = Bijector.prototype as unknown as Record<string, unknown>;
    const self = this as unknown as Record<string, unknown>;
    return self._forwardLogDetJacobian === proto._forwardLogDetJacobian && self._inverseLogDetJacobian === proto._inverseLogDetJacobian;
  }

  /**
   * The error for a method a bijector does not define.
   * @param method - the method's name
   * @returns the error to throw
   */
  protected notDefined(method: string): Error {
    return new Error(`${this.name} does not define ${method}()`);
  }

  // ---- helpers for subclasses ----------------------------------------------------------------

  /**
   * Turns a parameter into a float32 tensor, owning (for `dispose()`) the tensors it had to create.
   * @param value - the parameter as given
   * @param argument - its name, for error messages
   * @param constraint - the values it may take, checked when `validateArgs` is on
   * @returns a float32 tensor
   */
  protected param(value: TensorInput, argument: string, constraint?: Constraint): tf.Tensor {
    if (value === undefined || value === null) throw new InvalidArgumentError(argument, 'given', 'it is missing', this.name);
    const t = toFloat32(value, argument, this.name);
    if (t !== value) this.owned.push(t);
    if (constraint && this.validateArgs) assertConstraint(t, argument, constraint, this.name);
    return t;
  }

  /**
   * Records a tensor the bijector computed for itself so `dispose()` frees it.
   * @param t - a tensor created by the bijector
   * @returns the same tensor
   */
  protected own<T extends tf.Tensor>(t: T): T {
    this.owned.push(t);
    return t;
  }

  /** Frees the tensors the bijector created from its parameters (never tensors the caller passed in). */
  dispose(): void {
    tf.dispose(this.owned.splice(0, this.owned.length));
  }

  // ---- public API ----------------------------------------------------------------------------

  private prepare(value: TensorInput, argument: 'x' | 'y', minEventNdims: number, set: Constraint | undefined): tf.Tensor {
    const t = toFloat32(value, argument, this.name);
    if (t.rank < minEventNdims) {
      throw new InvalidArgumentError(
        argument,
        `at least ${minEventNdims}-dimensional (the bijector's event rank)`,
        `got shape [${t.shape}]`,
        this.name,
      );
    }
    this._checkInput(t, argument);
    if (set && this.validateArgs) assertConstraint(t, argument, set, this.name, direction(argument));
    return t;
  }

  private eventNdimsFor(eventNdims: number | undefined, minEventNdims: number, t: tf.Tensor, argument: string): number {
    const n = eventNdims ?? minEventNdims;
    if (!Number.isInteger(n) || n < minEventNdims || n > t.rank) {
      throw new InvalidArgumentError(
        'eventNdims',
        `an integer in [${minEventNdims}, ${t.rank}] (the bijector's event rank to ${argument}'s rank)`,
        `got ${n}`,
        this.name,
      );
    }
    return n;
  }

  /** Broadcasts a hook's log-Jacobian to `inputShape` minus `minEventNdims` axes and sums the extra event axes. */
  private fullLogDetJacobian(ldj: tf.Tensor, input: tf.Tensor, minEventNdims: number, eventNdims: number): tf.Tensor {
    const perEvent = input.shape.slice(0, input.rank - minEventNdims);
    const shape = broadcastShapes([perEvent, ldj.shape], ['input', 'log-Jacobian'], this.name);
    const full = ldj.rank === shape.length && ldj.shape.every((d, i) => d === shape[i]) ? ldj : tf.broadcastTo(ldj, shape);
    const extra = eventNdims - minEventNdims;
    if (extra === 0) return full;
    return tf.sum(
      full,
      Array.from({ length: extra }, (_, i) => full.rank - 1 - i),
    );
  }

  /**
   * Applies the map: y = f(x).
   * @param x - shape `batch + event`, with at least `forwardMinEventNdims` axes
   * @returns y, shape `batch + forwardEventShape(event)`
   */
  forward(x: TensorInput): tf.Tensor {
    return tf.tidy(() => this._forward(this.prepare(x, 'x', this.forwardMinEventNdims, this.domain)));
  }

  /**
   * Applies the inverse map: x = f^-1(y).
   * @param y - shape `batch + event`, with at least `inverseMinEventNdims` axes
   * @returns x, shape `batch + inverseEventShape(event)`
   */
  inverse(y: TensorInput): tf.Tensor {
    return tf.tidy(() => this._inverse(this.prepare(y, 'y', this.inverseMinEventNdims, this.codomain)));
  }

  /**
   * log |det J_f(x)|: the log of the volume change of the forward map at x, per event.
   * @param x - shape `batch + event`
   * @param eventNdims - how many trailing axes of x form one event (default `forwardMinEventNdims`;
   *   a larger value sums the log-Jacobian over the extra axes)
   * @returns shape `x.shape` without its last `eventNdims` axes
   */
  forwardLogDetJacobian(x: TensorInput, eventNdims?: number): tf.Tensor {
    return tf.tidy(() => {
      const t = this.prepare(x, 'x', this.forwardMinEventNdims, this.domain);
      const n = this.eventNdimsFor(eventNdims, this.forwardMinEventNdims, t, 'x');
      return this.fullLogDetJacobian(this._forwardLogDetJacobian(t), t, this.forwardMinEventNdims, n);
    });
  }

  /**
   * Applies the map and its log-Jacobian in one call: the values of `forward(x)` and
   * `forwardLogDetJacobian(x, eventNdims)`.
   *
   * @remarks
   * A flow evaluates both at every step of a chain; a bijector that computes log |det J_f(x)| from
   * the same intermediate values as f(x) (a masked autoregressive layer's scales, a planar layer's
   * w·x + b, each step of a {@link Chain}) computes them once here.
   *
   * @param x - shape `batch + event`
   * @param eventNdims - how many trailing axes of x form one event (default `forwardMinEventNdims`)
   * @returns `y`, shape `batch + forwardEventShape(event)`, and `logDetJacobian`, shape `x.shape`
   *   without its last `eventNdims` axes
   *
   * @example
   * ```ts
   * import * as tf from '@tensorflow/tfjs-core';
   * import { Exp } from '@vae/distributions';
   *
   * tf.tidy(() => {
   *   const { y, logDetJacobian } = new Exp().forwardAndLogDetJacobian([0, 1]);
   *   console.log(y.arraySync(), logDetJacobian.arraySync()); // [1, 2.7183] [0, 1]
   * });
   * ```
   */
  forwardAndLogDetJacobian(x: TensorInput, eventNdims?: number): { y: tf.Tensor; logDetJacobian: tf.Tensor } {
    return tf.tidy(() => {
      const t = this.prepare(x, 'x', this.forwardMinEventNdims, this.domain);
      const n = this.eventNdimsFor(eventNdims, this.forwardMinEventNdims, t, 'x');
      const [y, ldj] = this._forwardAndLogDetJacobian(t);
      return { y, logDetJacobian: this.fullLogDetJacobian(ldj, t, this.forwardMinEventNdims, n) };
    });
  }

  /**
   * log |det J_{f^-1}(y)| = -log |det J_f(f^-1(y))|, per event.
   * @param y - shape `batch + event`
   * @param eventNdims - how many trailing axes of y form one event (default `inverseMinEventNdims`)
   * @returns shape `y.shape` without its last `eventNdims` axes
   */
  inverseLogDetJacobian(y: TensorInput, eventNdims?: number): tf.Tensor {
    return tf.tidy(() => {
      const t = this.prepare(y, 'y', this.inverseMinEventNdims, this.codomain);
      const n = this.eventNdimsFor(eventNdims, this.inverseMinEventNdims, t, 'y');
      return this.fullLogDetJacobian(this._inverseLogDetJacobian(t), t, this.inverseMinEventNdims, n);
    });
  }

  /**
   * The event shape of y for an event shape of x (the same shape unless the bijector reshapes).
   * @param shape - an event shape of x, at least `forwardMinEventNdims` long
   * @returns the matching event shape of y
   */
  forwardEventShape(shape: readonly number[]): number[] {
    return Array.from(shape);
  }

  /**
   * The event shape of x for an event shape of y (the same shape unless the bijector reshapes).
   * @param shape - an event shape of y, at least `inverseMinEventNdims` long
   * @returns the matching event shape of x
   */
  inverseEventShape(shape: readonly number[]): number[] {
    return Array.from(shape);
  }

  /**
   * The variables an optimizer should train (a flow layer's weights); none for a fixed bijector.
   * @returns the trainable `tf.Variable`s, in a stable order
   */
  trainableVariables(): tf.Variable[] {
    return [];
  }
}

function direction(argument: 'x' | 'y'): string {
  return argument === 'x' ? 'in the domain: ' : 'in the codomain: ';
}
