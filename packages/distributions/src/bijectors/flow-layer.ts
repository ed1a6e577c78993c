import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@vae/math';
import type { TensorInput } from '@vae/math';
import { Bijector } from './bijector.js';
import type { BijectorOptions, BijectorProperties } from './bijector.js';
import { checkDimension, flowVariable } from './flow-variable.js';

/** Parameters every {@link FlowLayer} takes beside its own. */
export interface FlowLayerParams extends BijectorOptions {
  /** The event size D, the length of the last axis of x and y: an integer >= 1. */
  dim: number;
  /** Seed of the initial values the layer draws for the variables not given (default: unseeded). */
  seed?: number;
}

/** How {@link FlowLayer.variable} initializes a variable. */
export interface FlowVariableInit {
  /** The initial value, of the variable's shape (default: drawn). */
  initial?: TensorInput;
  /** The standard deviation of the N(0, stddev^2) value drawn when none is given (default 0). */
  stddev?: number;
  /** The seed of that draw (default: unseeded). */
  seed?: number;
}

/**
 * The base class of the trainable flow layers ({@link Planar}, {@link Radial}, {@link Householder},
 * {@link MaskedAutoregressive}): bijectors on vectors of a fixed size D whose parameters are
 * `tf.Variable`s that an optimizer trains.
 *
 * @remarks
 * The base owns what every layer shares, so that a layer is its math (`_forward`, `_inverse` and a
 * log-Jacobian hook) and the declarations of its variables:
 * - it checks `dim` (an integer >= the layer's least size) at construction;
 * - it creates the variables ({@link FlowLayer.variable}: a given initial value of the right shape,
 *   checked finite, or seeded N(0, stddev^2) noise), lists them in `trainableVariables()` in the
 *   order they were created, and frees them in `dispose()`; a constructor that throws part-way
 *   frees the ones it had made;
 * - it checks that the last axis of every input is D before a hook sees it, so a wrong size is
 *   named as `x` or `y` of the public call.
 *
 * Events are the last axis (`forwardMinEventNdims` = 1).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { FlowLayer } from '@vae/distributions';
 * import type { FlowLayerParams } from '@vae/distributions';
 *
 * // y = x + b with a trainable b: a volume-preserving layer, as a new flow layer.
 * class LearnedShift extends FlowLayer {
 *   static override readonly bijectorName: string = 'LearnedShift';
 *   readonly b: tf.Variable;
 *   constructor(params: FlowLayerParams) {
 *     super(params, { isConstantJacobian: true });
 *     this.b = this.variable('b', [this.dim], { stddev: 1, seed: params.seed });
 *   }
 *   protected _forward(x: tf.Tensor): tf.Tensor {
 *     return tf.add(x, this.b);
 *   }
 *   protected _inverse(y: tf.Tensor): tf.Tensor {
 *     return tf.sub(y, this.b);
 *   }
 *   protected override _forwardLogDetJacobian(): tf.Tensor {
 *     return tf.scalar(0);
 *   }
 * }
 *
 * const shift = new LearnedShift({ dim: 2, seed: 0 });
 * tf.tidy(() => {
 *   console.log(shift.forwardLogDetJacobian([[1, 2]]).arraySync()); // [0]
 *   console.log(tf.max(tf.abs(tf.sub(shift.inverse(shift.forward([[1, 2]])), [[1, 2]]))).arraySync() < 1e-6); // true
 * });
 * console.log(shift.trainableVariables().length); // 1
 * try {
 *   shift.forward([[1, 2, 3]]);
 * } catch (e) {
 *   console.log((e as Error).message); // 'LearnedShift: x must be of shape batch + [2]...'
 * }
 * shift.dispose();
 * ```
 */
export abstract class FlowLayer extends Bijector {
  /** The event size D. */
  readonly dim: number;
  // A TypeScript-private field (not #private), so the views MaskedAutoregressive.condition() makes
  // with Object.create read their layer's variables through the prototype.
  private readonly variables: tf.Variable[] = [];

  /**
   * @param params - the event size, seed and validation options
   * @param properties - what the layer declares beyond events of one axis (a constant Jacobian)
   * @param minDim - the least event size the layer accepts (default 1)
   */
  protected constructor(params: FlowLayerParams, properties: Omit<BijectorProperties, 'forwardMinEventNdims'> = {}, minDim = 1) {
    super({ ...properties, forwardMinEventNdims: 1 }, params);
    this.dim = checkDimension(params?.dim, 'dim', minDim, this.name);
  }

  /**
   * Creates one of the layer's trainable variables; `trainableVariables()` lists it and `dispose()`
   * frees it. Should the value be unusable, the variables made so far are freed before the error is
   * thrown, so a constructor that throws leaks nothing.
   * @param argument - the parameter's name, for error messages
   * @param shape - the variable's shape; a given initial value must have it
   * @param init - the initial value, or the standard deviation and seed of the noise drawn instead
   * @returns a new `tf.Variable`, owned by the layer
   */
  protected variable(argument: string, shape: number[], init: FlowVariableInit): tf.Variable {
    try {
      const variable = flowVariable(init.initial, shape, init.stddev ?? 0, init.seed, argument, this.name);
      this.variables.push(variable);
      return variable;
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  protected override _checkInput(t: tf.Tensor, argument: 'x' | 'y'): void {
    if (t.shape[t.rank - 1] !== this.dim) {
      throw new InvalidArgumentError(argument, `of shape batch + [${this.dim}] (the layer's dim)`, `got shape [${t.shape}]`, this.name);
    }
  }

  /**
   * The trainable variables.
   * @returns the layer's `tf.Variable`s in the order it created them (each layer's documentation lists them)
   */
  override trainableVariables(): tf.Variable[] {
    return [...this.variables];
  }

  /** Frees the variables and the tensors the layer computed for itself (a conditioned view frees nothing). */
  override dispose(): void {
    super.dispose();
    tf.dispose(this.variables);
  }
}
