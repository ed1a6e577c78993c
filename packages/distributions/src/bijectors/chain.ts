import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@vae/math';
import { Bijector } from './bijector.js';
import type { BijectorOptions } from './bijector.js';

/**
 * The event ranks of a composition, from its parts in the order they are applied: the forward rank
 * is the smallest x rank every part can act on, and the inverse rank follows from it by each part's
 * rank change (TFP's bookkeeping for `Chain`).
 */
function chainEventNdims(applied: readonly Bijector[]): { forward: number; inverse: number } {
  let offset = 0; // event rank in the current space minus the event rank of x
  let forward = 0;
  for (const b of applied) {
    forward = Math.max(forward, b.forwardMinEventNdims - offset);
    offset += b.inverseMinEventNdims - b.forwardMinEventNdims;
  }
  return { forward, inverse: forward + offset };
}

/**
 * The composition of bijectors, applied right to left as in TFP: `new Chain([f, g]).forward(x)` is
 * f(g(x)).
 *
 * @remarks
 * forward = f_1 ∘ ... ∘ f_n, inverse = f_n^-1 ∘ ... ∘ f_1^-1, and by the chain rule
 * log |det J(x)| = sum_k log |det J_{f_k}(x_k)| with x_n = x and x_{k-1} = f_k(x_k). Each part's
 * log-Jacobian is taken over the events of the whole chain, whose rank in each intermediate space
 * is tracked from the parts' own ranks (a `Reshape` or `SoftmaxCentered` changes it), so every term
 * has the same batch shape. The chain's `forwardMinEventNdims` is the largest rank any part needs,
 * carried back to x. An empty chain is the identity. `trainableVariables()` collects the parts'.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Chain, Exp, Shift } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const shift = new Shift({ shift: 1 });
 *   const expThenShift = new Chain([shift, new Exp()]); // y = exp(x) + 1
 *   console.log(expThenShift.forward([0, 1]).arraySync()); // [2, 3.7183]
 *   console.log(expThenShift.forwardLogDetJacobian([0, 1]).arraySync()); // [0, 1]
 *   shift.dispose();
 * });
 * ```
 */
export class Chain extends Bijector {
  /** The bijector's name in messages, spelled out because minifiers rename classes. */
  static override readonly bijectorName: string = 'Chain';

  /** The parts, in the order given (the last is applied first). */
  readonly bijectors: readonly Bijector[];

  /**
   * @param bijectors - the parts, applied right to left; not copied, and `dispose()` does not free them
   * @param options - validation options (each part validates its own inputs as it was built to)
   */
  constructor(bijectors: readonly Bijector[], options: BijectorOptions = {}) {
    const parts = Array.isArray(bijectors) ? Array.from(bijectors) : [];
    const { forward, inverse } = chainEventNdims([...parts].reverse().filter((b) => b instanceof Bijector));
    super(
      {
        forwardMinEventNdims: forward,
        inverseMinEventNdims: inverse,
        isConstantJacobian: parts.every((b) => b?.isConstantJacobian),
        domain: parts[parts.length - 1]?.domain,
        codomain: parts[0]?.codomain,
      },
      options,
    );
    if (!Array.isArray(bijectors))
      throw new InvalidArgumentError('bijectors', 'an array of Bijectors', `got ${typeof bijectors}`, this.name);
    parts.forEach((b, i) => {
      if (!(b instanceof Bijector)) throw new InvalidArgumentError(`bijectors[${i}]`, 'a Bijector', `got ${typeof b}`, this.name);
    });
    this.bijectors = parts;
  }

  private applied(): Bijector[] {
    return [...this.bijectors].reverse();
  }

  protected _forward(x: tf.Tensor): tf.Tensor {
    let t = x;
    for (const b of this.applied()) t = b.forward(t);
    return t === x ? tf.clone(x) : t;
  }

  protected _inverse(y: tf.Tensor): tf.Tensor {
    let t = y;
    for (const b of this.bijectors) t = b.inverse(t);
    return t === y ? tf.clone(y) : t;
  }

  protected override _forwardLogDetJacobian(x: tf.Tensor): tf.Tensor {
    let t = x;
    let eventNdims = this.forwardMinEventNdims;
    let total: tf.Tensor = tf.zeros(x.shape.slice(0, x.rank - eventNdims));
    for (const b of this.applied()) {
      total = tf.add(total, b.forwardLogDetJacobian(t, eventNdims));
      t = b.forward(t);
      eventNdims += b.inverseMinEventNdims - b.forwardMinEventNdims;
    }
    return total;
  }

  protected override _forwardAndLogDetJacobian(x: tf.Tensor): [tf.Tensor, tf.Tensor] {
    // One pass: each step's output feeds the next, instead of running the chain once for y and
    // again (step by step) for the log-Jacobian.
    let t = x;
    let eventNdims = this.forwardMinEventNdims;
    let total: tf.Tensor = tf.zeros(x.shape.slice(0, x.rank - eventNdims));
    for (const b of this.applied()) {
      const step = b.forwardAndLogDetJacobian(t, eventNdims);
      total = tf.add(total, step.logDetJacobian);
      t = step.y;
      eventNdims += b.inverseMinEventNdims - b.forwardMinEventNdims;
    }
    return [t === x ? tf.clone(x) : t, total];
  }

  protected override _inverseLogDetJacobian(y: tf.Tensor): tf.Tensor {
    let t = y;
    let eventNdims = this.inverseMinEventNdims;
    let total: tf.Tensor = tf.zeros(y.shape.slice(0, y.rank - eventNdims));
    for (const b of this.bijectors) {
      total = tf.add(total, b.inverseLogDetJacobian(t, eventNdims));
      t = b.inverse(t);
      eventNdims += b.forwardMinEventNdims - b.inverseMinEventNdims;
    }
    return total;
  }

  override forwardEventShape(shape: readonly number[]): number[] {
    return this.applied().reduce((s, b) => b.forwardEventShape(s), Array.from(shape));
  }

  override inverseEventShape(shape: readonly number[]): number[] {
    return this.bijectors.reduce((s, b) => b.inverseEventShape(s), Array.from(shape));
  }

  override trainableVariables(): tf.Variable[] {
    return Array.from(new Set(this.bijectors.flatMap((b) => b.trainableVariables())));
  }
}

/**
 * The inverse of a bijector: forward and inverse (and their log-Jacobians, event ranks, event-shape
 * maps, domain and codomain) swap places, as TFP's `Invert`.
 *
 * @remarks
 * For g = f^-1: g(x) = f^-1(x) and log |det J_g(x)| = log |det J_{f^-1}(x)| = -log |det J_f(g(x))|.
 * `new Invert(new Sigmoid())` is the logit map; a `Uniform(0, 1)` under it is a standard `Logistic`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Exp, Invert } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const log = new Invert(new Exp());
 *   console.log(log.forward([1, 4]).arraySync()); // [0, 1.3863]
 *   console.log(log.forwardLogDetJacobian([1, 4]).arraySync()); // [0, -1.3863]
 * });
 * ```
 */
export class Invert extends Bijector {
  /** The bijector's name in messages, spelled out because minifiers rename classes. */
  static override readonly bijectorName: string = 'Invert';

  /** The bijector whose inverse this is; `dispose()` does not free it. */
  readonly bijector: Bijector;

  /**
   * @param bijector - the bijector to invert
   * @param options - validation options (the inner bijector validates its own inputs)
   */
  constructor(bijector: Bijector, options: BijectorOptions = {}) {
    const ok = bijector instanceof Bijector;
    super(
      ok
        ? {
            forwardMinEventNdims: bijector.inverseMinEventNdims,
            inverseMinEventNdims: bijector.forwardMinEventNdims,
            isConstantJacobian: bijector.isConstantJacobian,
            domain: bijector.codomain,
            codomain: bijector.domain,
          }
        : { forwardMinEventNdims: 0 },
      options,
    );
    if (!ok) throw new InvalidArgumentError('bijector', 'a Bijector', `got ${typeof bijector}`, this.name);
    this.bijector = bijector;
  }

  protected _forward(x: tf.Tensor): tf.Tensor {
    return this.bijector.inverse(x);
  }

  protected _inverse(y: tf.Tensor): tf.Tensor {
    return this.bijector.forward(y);
  }

  protected override _forwardLogDetJacobian(x: tf.Tensor): tf.Tensor {
    return this.bijector.inverseLogDetJacobian(x);
  }

  protected override _inverseLogDetJacobian(y: tf.Tensor): tf.Tensor {
    return this.bijector.forwardLogDetJacobian(y);
  }

  override forwardEventShape(shape: readonly number[]): number[] {
    return this.bijector.inverseEventShape(shape);
  }

  override inverseEventShape(shape: readonly number[]): number[] {
    return this.bijector.forwardEventShape(shape);
  }

  override trainableVariables(): tf.Variable[] {
    return this.bijector.trainableVariables();
  }
}
