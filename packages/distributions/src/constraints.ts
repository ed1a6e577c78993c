import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@vae/math';

/**
 * A set of valid values (a support or a parameter's domain), checkable elementwise on tensors.
 *
 * @remarks
 * `check(x)` returns a boolean tensor of shape `x.shape` with the last `eventRank` axes reduced:
 * an event is valid when all of its elements are. NaN is never valid.
 */
export interface Constraint {
  /** Words for error messages, e.g. `positive (> 0)`. */
  readonly description: string;
  /** How many trailing axes form one event (0 for scalar constraints, 1 for simplex or sphere). */
  readonly eventRank: number;
  /**
   * Elementwise (per-event) membership test.
   * @param x - values to test
   * @returns a bool tensor of shape `x.shape` without its last `eventRank` axes
   */
  check(x: tf.Tensor): tf.Tensor;
  /**
   * Optional, for scalar constraints: a float tensor of `x`'s shape that is exactly 0 where `check`
   * holds and positive or NaN elsewhere. A sum of it over an event is 0 only when every element
   * is valid, so wrappers such as `Independent` test whole events with one comparison per event
   * instead of one per element.
   * @param x - values to test
   * @returns a float tensor of shape `x.shape`
   */
  violation?(x: tf.Tensor): tf.Tensor;
}

// Every test below is false for NaN by construction (any comparison with NaN is false), so none
// spends kernels on a separate NaN check: support masks run on every logProb, and on the wasm
// backend each comparison or logical kernel costs about ten multiplies.
function scalar(description: string, test: (x: tf.Tensor) => tf.Tensor, violation?: (x: tf.Tensor) => tf.Tensor): Constraint {
  const constraint: Constraint = { description, eventRank: 0, check: (x) => tf.tidy(() => test(x)) };
  return violation ? { ...constraint, violation: (x) => tf.tidy(() => violation(x)) } : constraint;
}

/** Constraint builders and instances shared by every distribution. */
export const constraints = {
  /** Any real number, +-Infinity excluded. */
  real: scalar('a real number (finite)', (x) => tf.equal(tf.sub(x, x), 0)), // x - x is NaN at +-Infinity
  /** Strictly positive and finite. */
  positive: scalar('positive (> 0) and finite', (x) => tf.logicalAnd(tf.greater(x, 0), tf.less(x, Infinity))),
  /** Zero or positive, finite. */
  nonNegative: scalar('non-negative (>= 0) and finite', (x) => tf.logicalAnd(tf.greaterEqual(x, 0), tf.less(x, Infinity))),
  /** The closed unit interval [0, 1]. */
  unitInterval: scalar('in [0, 1]', (x) => tf.logicalAnd(tf.greaterEqual(x, 0), tf.lessEqual(x, 1))),
  /** The open unit interval (0, 1). */
  openUnitInterval: scalar('in (0, 1)', (x) => tf.logicalAnd(tf.greater(x, 0), tf.less(x, 1))),
  /** Exactly 0 or 1. */
  binary: scalar(
    '0 or 1',
    (x) => tf.equal(tf.mul(x, tf.sub(1, x)), 0), // zero only at 0 and 1, never for NaN or Infinity
    (x) => tf.abs(tf.mul(x, tf.sub(1, x))),
  ),
  /**
   * Integers in [low, high].
   * @param low - smallest valid integer
   * @param high - largest valid integer
   * @returns the constraint
   */
  integerInterval(low: number, high: number): Constraint {
    return scalar(`an integer in [${low}, ${high}]`, (x) =>
      tf.logicalAnd(tf.equal(tf.floor(x), x), tf.logicalAnd(tf.greaterEqual(x, low), tf.lessEqual(x, high))),
    );
  },
  /**
   * The half-open interval [low, high) with tensor bounds (broadcast against the value).
   * @param low - lower bound, included
   * @param high - upper bound, excluded
   * @returns the constraint
   */
  interval(low: tf.Tensor, high: tf.Tensor): Constraint {
    return scalar('in [low, high)', (x) => tf.logicalAnd(tf.greaterEqual(x, low), tf.less(x, high)));
  },
  /**
   * Values above a parameter-dependent bound (a tensor, broadcast against the value): Pareto's
   * support [scale, Infinity), Uniform's high > low.
   * @param low - the bound
   * @param name - the bound's name in messages
   * @param options - `inclusive`: the bound itself is valid (>=); `finite`: +Infinity is not
   * @returns the constraint, e.g. `at least scale, and finite`
   */
  greaterThan(low: tf.Tensor, name: string, options: { inclusive?: boolean; finite?: boolean } = {}): Constraint {
    const { inclusive = false, finite = false } = options;
    return scalar(`${inclusive ? 'at least' : 'greater than'} ${name}${finite ? ', and finite' : ''}`, (x) => {
      const above = inclusive ? tf.greaterEqual(x, low) : tf.greater(x, low);
      return finite ? tf.logicalAnd(above, tf.less(x, Infinity)) : above;
    });
  },
  /**
   * Vectors on the probability simplex: non-negative entries summing to 1 (within `tolerance`).
   * @param tolerance - allowed |sum - 1|
   * @returns the constraint
   */
  simplex(tolerance = 1e-4): Constraint {
    return {
      description: `on the probability simplex (entries >= 0, summing to 1 within ${tolerance})`,
      eventRank: 1,
      check: (x) =>
        tf.tidy(() =>
          tf.logicalAnd(
            tf.all(tf.logicalAnd(tf.greaterEqual(x, 0), tf.logicalNot(tf.isNaN(x))), -1),
            tf.lessEqual(tf.abs(tf.sub(tf.sum(x, -1), 1)), tolerance),
          ),
        ),
    };
  },
  /**
   * One-hot vectors: entries 0 or 1, exactly one 1.
   * @returns the constraint
   */
  oneHot(): Constraint {
    return {
      description: 'one-hot (entries 0 or 1, exactly one 1)',
      eventRank: 1,
      check: (x) => tf.tidy(() => tf.logicalAnd(tf.all(tf.logicalOr(tf.equal(x, 0), tf.equal(x, 1)), -1), tf.equal(tf.sum(x, -1), 1))),
    };
  },
  /**
   * Unit vectors (the sphere S^{d-1} in R^d), |norm - 1| <= tolerance.
   * @param tolerance - allowed |norm - 1|
   * @returns the constraint
   */
  unitVector(tolerance = 1e-3): Constraint {
    return {
      description: `a unit vector (|norm - 1| <= ${tolerance})`,
      eventRank: 1,
      check: (x) => tf.tidy(() => tf.lessEqual(tf.abs(tf.sub(tf.norm(x, 'euclidean', -1), 1)), tolerance)),
    };
  },
  /** The counts 0, 1, 2, ... (finite non-negative integers), the support of the count families. */
  nonNegativeInteger: scalar('a non-negative integer (0, 1, 2, ...)', (x) =>
    tf.logicalAnd(tf.equal(tf.floor(x), x), tf.logicalAnd(tf.greaterEqual(x, 0), tf.less(x, Infinity))),
  ),
  /** The unit interval without 0, (0, 1]: a Geometric success probability. */
  unitIntervalWithoutZero: scalar('in (0, 1]', (x) => tf.logicalAnd(tf.greater(x, 0), tf.lessEqual(x, 1))),
  /** The unit interval without 1, [0, 1): a negative binomial success probability. */
  unitIntervalWithoutOne: scalar('in [0, 1)', (x) => tf.logicalAnd(tf.greaterEqual(x, 0), tf.less(x, 1))),
  /** Real vectors (every entry finite). */
  realVector: {
    description: 'a vector of finite real numbers',
    eventRank: 1,
    check: (x: tf.Tensor) => tf.tidy(() => tf.all(tf.logicalAnd(tf.logicalNot(tf.isNaN(x)), tf.logicalNot(tf.isInf(x))), -1)),
  } as Constraint,
} as const;

function unravel(index: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length).fill(0);
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = index % shape[i];
    index = Math.floor(index / shape[i]);
  }
  return out;
}

/**
 * Throws an {@link @vae/math!InvalidArgumentError} naming the argument, the constraint, the first
 * offending value (the whole event for vector constraints) and its index, unless every event of
 * `value` satisfies `constraint`.
 *
 * @remarks
 * Reads the check back synchronously: validation costs one readback per call.
 *
 * @param value - the tensor to check (not disposed)
 * @param argument - the argument's name
 * @param constraint - the constraint
 * @param context - who is checking (a distribution's name)
 * @param prefix - words put before the constraint's description (e.g. `in the support: `)
 * @returns nothing; throws on the first invalid event
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { assertConstraint, constraints } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const scale = tf.tensor([1, 0]);
 *   try {
 *     assertConstraint(scale, 'scale', constraints.positive, 'Normal');
 *   } catch (e) {
 *     console.log((e as Error).message); // 'Normal: scale must be positive (> 0) and finite; got 0 at index [1]'
 *   }
 * });
 * ```
 */
export function assertConstraint(value: tf.Tensor, argument: string, constraint: Constraint, context?: string, prefix = ''): void {
  const flags = constraint.check(value);
  const ok = flags.dataSync();
  const bad = ok.findIndex((f) => f !== 1);
  if (bad < 0) {
    flags.dispose();
    return;
  }
  // A bound that is a tensor (Pareto's scale) broadcasts against the value, so the flags may have
  // more axes and entries than the value: the bad flag's index is mapped back to the value's entry.
  const flagShape = flags.shape;
  flags.dispose();
  const valueOuter = value.shape.slice(0, value.rank - constraint.eventRank);
  const eventSize = value.shape.slice(valueOuter.length).reduce((a, b) => a * b, 1);
  const index = unravel(bad, flagShape);
  const offset = flagShape.length - valueOuter.length;
  const entry = valueOuter.reduce((flat, d, i) => flat * d + (d === 1 ? 0 : index[offset + i]), 0);
  const shown = Array.from(value.dataSync().slice(entry * eventSize, entry * eventSize + Math.min(eventSize, 6)));
  const got = eventSize === 1 ? `${shown[0]}` : `[${shown.join(', ')}${eventSize > 6 ? ', ...' : ''}]`;
  const broadcast = offset > 0 || valueOuter.some((d, i) => d !== flagShape[i]);
  const at = flagShape.length ? ` at index [${index}]${broadcast ? ` of its broadcast shape [${flagShape}]` : ''}` : '';
  throw new InvalidArgumentError(argument, prefix + constraint.description, `got ${got}${at}`, context);
}
