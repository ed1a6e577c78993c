import * as tf from '@tensorflow/tfjs-core';
import { broadcastShapes, InvalidArgumentError, stopGradient, toFloat32, withoutGradient } from '@vae/math';
import type { TensorInput } from '@vae/math';
import { assertConstraint, constraints } from './constraints.js';
import type { Constraint } from './constraints.js';

/** Options every distribution's constructor accepts beside its parameters. */
export interface DistributionOptions {
  /**
   * Check parameters at construction and values in `logProb`/`cdf` against the support (default
   * true). Checks read tensors back synchronously; turn them off in hot loops once inputs are trusted.
   * With validation off, `logProb` outside the support is `-Infinity`, never NaN.
   */
  validateArgs?: boolean;
}

/**
 * How a family declares one of its parameters (torch's `arg_constraints`, TFP's
 * `_parameter_properties`): the values it may take and how many trailing axes belong to one event.
 *
 * @remarks
 * A family lists its parameters as a table of these and hands it, with the values the user gave,
 * to {@link Distribution.parameters}; the base class converts, owns, validates and broadcasts.
 *
 * @example
 * ```ts
 * import { constraints } from '@vae/distributions';
 * import type { ParameterSpec } from '@vae/distributions';
 * const scale: ParameterSpec = { constraint: constraints.positive };
 * const meanDirection: ParameterSpec = { constraint: constraints.unitVector(), eventRank: 1 };
 * console.log(scale.constraint.description, meanDirection.eventRank); // 'positive (> 0) and finite' 1
 * ```
 */
export interface ParameterSpec {
  /** The values the parameter may take; checked once, at construction, when `validateArgs` is on. */
  readonly constraint: Constraint;
  /**
   * How many trailing axes of the parameter belong to one event (0, the default, for scalar
   * parameters; 1 for a mean direction or a vector of logits): the rest broadcast into `batchShape`.
   */
  readonly eventRank?: number;
  /**
   * Words for the shape a parameter with `eventRank` > 0 must have, used when it has too few axes
   * (default `at least N-dimensional`).
   */
  readonly shapeDescription?: string;
  /** A parameter that may be left out (one of two parameterizations, as `logits` or `probs`). */
  readonly optional?: boolean;
  /**
   * A further check of the shape, run before any constraint (e.g. that a mean direction's last
   * axis is an ambient dimension >= 2); it throws an {@link @vae/math!InvalidArgumentError}.
   * @param value - the parameter as a tensor
   * @param family - the family's name, for the message
   */
  readonly checkShape?: (value: tf.Tensor, family: string) => void;
}

const RANK_WORDS = ['zero', 'one', 'two', 'three'];

/**
 * The tensors {@link Distribution.parameters} returns for a table of {@link ParameterSpec}s (or of
 * bare constraints, in a {@link family}'s table): one float32 tensor per parameter, `undefined` for
 * an optional one the user left out.
 */
export type ParameterTensors<S extends Readonly<Record<string, ParameterSpec | Constraint>>> = {
  [K in keyof S]: S[K] extends { optional: true } ? tf.Tensor | undefined : tf.Tensor;
};

/**
 * Options for `@vae/samplers` calls on a distribution's own parameters: the constructor validated
 * them once (or was told not to), so a sampler must not read them back to the host again, which
 * would stall every training step.
 */
const PARAMETERS_CHECKED = Object.freeze({ validateArgs: false });

/** A sample shape: a number `n` (meaning `[n]`) or an array of dimensions; `[]` draws one sample. */
export type SampleShape = number | readonly number[];

function normalizeSampleShape(sampleShape: SampleShape, context: string): number[] {
  const shape = typeof sampleShape === 'number' ? [sampleShape] : Array.from(sampleShape);
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new InvalidArgumentError('sampleShape', 'a list of non-negative integers', `got [${shape}]`, context);
    }
  }
  return shape;
}

/**
 * The name of a distribution class for messages: its own static `familyName`, else its class name.
 *
 * @remarks
 * Only a `familyName` the class defines itself (or the base that {@link family} or `named` built
 * for it) counts,
 * so a user's subclass of `Normal` that sets none is called by its own class name rather than
 * `Normal`. Class names do not survive
 * minification; the built-in families all set `familyName`.
 *
 * @param cls - a distribution class (a constructor)
 * @returns its name, e.g. `'Normal'`
 *
 * @example
 * ```ts
 * import { Normal, familyName } from '@vae/distributions';
 * console.log(familyName(Normal)); // Normal
 * ```
 */
export function familyName(cls: unknown): string {
  if (typeof cls !== 'function') return String(cls);
  const own = (c: unknown): boolean => typeof c === 'function' && Object.prototype.hasOwnProperty.call(c, 'familyName');
  // A class built by `family(name, ...)` names the one family that extends it.
  const parent: unknown = Object.getPrototypeOf(cls);
  const named = own(cls) ? cls : own(parent) && Object.prototype.hasOwnProperty.call(parent, FAMILY_BASE) ? parent : undefined;
  return named ? String((named as { familyName: unknown }).familyName) : cls.name;
}

/** Marks the base classes `family` and `named` build, whose `familyName` belongs to the class extending them. */
export const FAMILY_BASE: unique symbol = Symbol('familyBase');

/**
 * The base class of every distribution: shapes, validation, memory hygiene and reshaping live
 * here; a family implements small protected hooks.
 *
 * @remarks
 * Shapes follow TensorFlow Probability: a distribution holds a batch of independent distributions
 * of shape `batchShape`, each over events of shape `eventShape`. `sample(sampleShape)` returns
 * `sampleShape + batchShape + eventShape`; `logProb(x)` returns `sampleShape + batchShape`.
 *
 * A family implements `_sampleN(n, seed)` (shape `[n] + batchShape + eventShape`, differentiable
 * when the family is reparameterized) and `_logProb(x)`, and whichever of `_entropy`, `_mean`,
 * `_variance`, `_mode`, `_cdf`, `_logCdf` it has. The public methods validate, run the hook inside
 * `tf.tidy` (so each call is memory-neutral) and reshape.
 *
 * A family declares its parameters as data, a table of {@link ParameterSpec}s (name, constraint,
 * event rank), and its constructor passes the user's values through {@link Distribution.parameters}:
 * the base class converts them to float32 tensors, owns the ones it created, validates each
 * against its constraint once (only when `validateArgs` is on: with it off no parameter is ever
 * read back to the host) and sets `batchShape` to the broadcast of their batch parts. Samplers get
 * {@link Distribution.samplerOptions}, so they do not check the parameters again.
 *
 * Parameters given as numbers or arrays become tensors owned by the distribution; `dispose()`
 * frees them. Tensors the caller passed in are never disposed by the distribution. Like any tfjs
 * tensor, those created inside `tf.tidy` are freed when the tidy ends, so a distribution built
 * inside a training step's tidy costs nothing afterwards.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Normal } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const normal = new Normal({ loc: [0, 1], scale: 2 });
 *   console.log(normal.batchShape, normal.eventShape); // [2] []
 *   const x = normal.sample([5], 42);
 *   console.log(x.shape); // [5, 2]
 *   console.log(normal.logProb(x).shape); // [5, 2]
 *   normal.dispose();
 * });
 * ```
 */
export abstract class Distribution {
  /** Shape of the batch of independent distributions this object holds. */
  readonly batchShape: number[];
  /** Shape of one event (a single draw of one distribution in the batch). */
  readonly eventShape: number[];
  /** Whether parameters and values are checked (see {@link DistributionOptions}). */
  readonly validateArgs: boolean;
  /** Whether `rsample` gives samples differentiable with respect to the parameters. */
  abstract readonly reparameterized: boolean;
  /** The set of values with positive density; `logProb` is `-Infinity` outside it. */
  abstract readonly support: Constraint;

  /**
   * The family's name in messages. Every subclass should set its own: a minifier renames classes,
   * so the class's `name` (the fallback, see {@link familyName}) would read `t` in a bundle.
   */
  static readonly familyName: string = 'Distribution';

  private readonly owned: tf.Tensor[] = [];
  /** The parameters handed to {@link Distribution.parameters}, with their event ranks, for `expand`. */
  private readonly declared: { name: string; tensor: tf.Tensor; eventRank: number }[] = [];

  /**
   * Options to pass to `@vae/samplers` for this distribution's own parameters: `validateArgs: false`,
   * because the constructor checked them once already (or was told not to).
   */
  protected readonly samplerOptions: { readonly validateArgs: false } = PARAMETERS_CHECKED;

  /**
   * @param batchShape - the batch shape (usually the broadcast shape of the parameters)
   * @param eventShape - the event shape
   * @param options - validation options
   */
  protected constructor(batchShape: readonly number[], eventShape: readonly number[], options: DistributionOptions = {}) {
    this.batchShape = Array.from(batchShape);
    this.eventShape = Array.from(eventShape);
    this.validateArgs = options.validateArgs ?? true;
  }

  /** The family's name, used in error messages (see {@link familyName}). */
  get name(): string {
    return familyName(this.constructor);
  }

  /**
   * Turns a parameter into a float32 tensor, owning (for `dispose()`) the tensors it had to create.
   * @param value - the parameter as given
   * @param argument - its name, for error messages
   * @returns a float32 tensor
   */
  protected param(value: TensorInput, argument: string): tf.Tensor {
    if (value === undefined || value === null) {
      throw new InvalidArgumentError(argument, 'given', 'it is missing', this.name);
    }
    const t = toFloat32(value, argument, this.name);
    if (t !== value) this.owned.push(t);
    return t;
  }

  /**
   * Converts, owns, validates and broadcasts the parameters a family declares: the one place a
   * family's constructor handles its inputs.
   *
   * @remarks
   * In the table's order: each given value becomes a float32 tensor (a missing one is an error
   * unless its spec is `optional`), owned by the distribution when it had to be created; then its
   * shape is checked against its `eventRank`; then, when `validateArgs` is on, its constraint
   * (one host read-back per parameter, here and nowhere else); finally the batch parts of all of
   * them (the shape without the last `eventRank` axes) are broadcast and appended to `batchShape`.
   * The tensors themselves keep their shapes: they broadcast against `batchShape` in the math.
   *
   * @param given - the user's values, by parameter name
   * @param specs - the family's table of parameters
   * @returns the parameters as float32 tensors, by name
   */
  protected parameters<S extends Readonly<Record<string, ParameterSpec>>>(
    given: { readonly [K in keyof S]?: TensorInput },
    specs: S,
  ): ParameterTensors<S> {
    const names = Object.keys(specs).filter((name) => !specs[name].optional || (given[name] !== undefined && given[name] !== null));
    const tensors: Record<string, tf.Tensor> = {};
    for (const name of names) tensors[name] = this.param(given[name] as TensorInput, name);
    for (const name of names) {
      const rank = specs[name].eventRank ?? 0;
      const t = tensors[name];
      const { shapeDescription, checkShape } = specs[name];
      if (rank > 0 && (t.rank < rank || (!checkShape && t.shape[t.rank - 1] < 1))) {
        const wanted = shapeDescription ?? `at least ${RANK_WORDS[rank] ?? rank}-dimensional with a non-empty last axis`;
        throw new InvalidArgumentError(name, wanted, `got shape [${t.shape}]`, this.name);
      }
      checkShape?.(t, this.name);
    }
    for (const name of names) this.checkParam(tensors[name], name, specs[name].constraint);
    for (const name of names) this.declared.push({ name, tensor: tensors[name], eventRank: specs[name].eventRank ?? 0 });
    const batchParts = names.map((name) => tensors[name].shape.slice(0, tensors[name].rank - (specs[name].eventRank ?? 0)));
    const earlier = this.batchShape.length ? [this.batchShape] : [];
    const shape = this.broadcastParams([...earlier, ...batchParts], [...earlier.map(() => 'batchShape'), ...names]);
    this.batchShape.splice(0, this.batchShape.length, ...shape);
    return tensors as ParameterTensors<S>;
  }

  /**
   * Records a tensor the distribution computed for itself (e.g. logits from probs) so `dispose()`
   * frees it.
   * @param t - a tensor created by the distribution
   * @returns the same tensor
   */
  protected own<T extends tf.Tensor>(t: T): T {
    this.owned.push(t);
    return t;
  }

  /**
   * Throws an error naming the distribution, the parameter and the constraint when validation is
   * on and a parameter breaks it.
   * @param value - the parameter tensor
   * @param argument - its name
   * @param constraint - the constraint it must satisfy
   */
  protected checkParam(value: tf.Tensor, argument: string, constraint: Constraint): void {
    if (this.validateArgs) assertConstraint(value, argument, constraint, this.name);
  }

  /**
   * The broadcast shape of several parameters, with an error naming them if they do not broadcast.
   * @param shapes - parameter shapes
   * @param names - parameter names
   * @returns the broadcast shape
   */
  protected broadcastParams(shapes: readonly (readonly number[])[], names: readonly string[]): number[] {
    return broadcastShapes(shapes, names, this.name);
  }

  // ---- hooks -------------------------------------------------------------------------------

  /** Draws `[n] + batchShape + eventShape` samples; differentiable if the family is reparameterized. */
  protected abstract _sampleN(n: number, seed?: number): tf.Tensor;
  /** Log density of `x` (shape `S + batchShape + eventShape`, already checked), shape `S + batchShape`. */
  protected abstract _logProb(x: tf.Tensor): tf.Tensor;
  /**
   * Optional: the unmasked log density of `x` summed over the last `n` axes of `S + batchShape`,
   * as one op, for wrappers that sum over reinterpreted axes (Independent). A family overrides it
   * where one op with its own gradient is cheaper than `_logProb` followed by a sum (the gradient
   * of a tfjs sum multiplies by a ones tensor of the full shape); `undefined` means "no such op for
   * these arguments", and the caller sums `_logProb` itself. The values must be those of that sum.
   */
  protected _logProbSum(_x: tf.Tensor, _n: number): tf.Tensor | undefined {
    return undefined;
  }
  /** Entropy, shape `batchShape`. */
  protected _entropy(): tf.Tensor {
    throw this.notDefined('entropy');
  }
  /** Mean, shape `batchShape + eventShape`. */
  protected _mean(): tf.Tensor {
    throw this.notDefined('mean');
  }
  /** Variance, shape `batchShape + eventShape`. */
  protected _variance(): tf.Tensor {
    throw this.notDefined('variance');
  }
  /** Standard deviation; the square root of the variance unless overridden. */
  protected _stddev(): tf.Tensor {
    return tf.sqrt(this._variance());
  }
  /** Mode, shape `batchShape + eventShape`. */
  protected _mode(): tf.Tensor {
    throw this.notDefined('mode');
  }
  /** CDF of scalar events, shape `S + batchShape`; exp of `_logCdf` unless overridden. */
  protected _cdf(x: tf.Tensor): tf.Tensor {
    // A family with neither hook is told so by the method the caller called, not by the fallback.
    if (this._logCdf === Distribution.prototype._logCdf) throw this.notDefined('cdf');
    return tf.exp(this._logCdf(x));
  }
  /** Log CDF of scalar events, shape `S + batchShape`. */
  protected _logCdf(_x: tf.Tensor): tf.Tensor {
    throw this.notDefined('logCdf');
  }
  /** Inverse CDF (quantile function) of probabilities `p` in [0, 1], shape `S + batchShape`. */
  protected _icdf(_p: tf.Tensor): tf.Tensor {
    throw this.notDefined('icdf');
  }

  /**
   * The error for a method a family does not define.
   * @param method - the method's name
   * @returns the error to throw
   */
  protected notDefined(method: string): Error {
    return new Error(`${this.name} does not define ${method}()`);
  }

  // ---- public API ----------------------------------------------------------------------------

  /**
   * Draws samples; no gradient flows through them (use `rsample` for that).
   * @param sampleShape - leading shape of the draw (default `[]`: one sample per batch member)
   * @param seed - optional integer seed; the same seed gives the same numbers on the same backend
   * @returns a tensor of shape `sampleShape + batchShape + eventShape`
   */
  sample(sampleShape: SampleShape = [], seed?: number): tf.Tensor {
    return tf.tidy(() => {
      const out = this.drawSamples(sampleShape, seed);
      return out.dtype === 'float32' ? stopGradient(out) : out;
    });
  }

  /**
   * Draws reparameterized samples, differentiable with respect to every parameter.
   * @param sampleShape - leading shape of the draw (default `[]`)
   * @param seed - optional integer seed
   * @returns a tensor of shape `sampleShape + batchShape + eventShape`
   */
  rsample(sampleShape: SampleShape = [], seed?: number): tf.Tensor {
    if (!this.reparameterized) {
      throw new Error(`${this.name} is not reparameterized: it has no rsample(); use sample() with a score-function estimator`);
    }
    return tf.tidy(() => this.drawSamples(sampleShape, seed));
  }

  /**
   * Draws samples and their log density in one call, as TensorFlow Probability's
   * `experimental_sample_and_log_prob`: the way a Monte Carlo estimator should ask for both.
   *
   * @remarks
   * The values are those of `z = sample(sampleShape, seed)` and `logProb(z)`. How gradients flow
   * depends on `reparameterize`, which defaults to the family's `reparameterized`:
   * - `true`: as {@link Distribution.rsampleAndLogProb}: z is differentiable in the parameters and
   *   log q(z) is scored on the sampling path (a flow is never inverted);
   * - `false`: z is drawn off the gradient tape (its sampling ops, such as Bernoulli's comparison,
   *   have no gradient) and log q(z) is differentiable in the parameters only, as a score-function
   *   (REINFORCE) estimator needs: grad E[f(z)] = E[f(z) grad log q(z)].
   *
   * Either way the sample is scored without a host read-back: it was drawn from the support, so
   * `validateArgs` does not check it again.
   *
   * @param sampleShape - leading shape of the draw (default `[]`)
   * @param seed - optional integer seed; the same seed gives the same sample as `sample` and `rsample`
   * @param options - `reparameterize`: whether gradients flow through the sample (default: the
   *   family's `reparameterized`; `true` is an error for a family that is not)
   * @returns `sample` of shape `sampleShape + batchShape + eventShape` and `logProb` of shape
   *   `sampleShape + batchShape`
   *
   * @example
   * ```ts
   * import * as tf from '@tensorflow/tfjs-core';
   * import { Bernoulli } from '@vae/distributions';
   *
   * tf.tidy(() => {
   *   const coin = new Bernoulli({ probs: [0.2, 0.9] });
   *   const { sample, logProb } = coin.sampleAndLogProb([3], 0);
   *   console.log(sample.shape, logProb.shape); // [3, 2] [3, 2]
   *   console.log(sample.arraySync()); // [[0, 0], [0, 1], [0, 1]]
   *   console.log(logProb.arraySync()); // [[-0.2231, -2.3026], [-0.2231, -0.1054], [-0.2231, -0.1054]] = log 0.8, log 0.1, log 0.9
   * });
   * ```
   */
  sampleAndLogProb(
    sampleShape: SampleShape = [],
    seed?: number,
    options: { readonly reparameterize?: boolean } = {},
  ): { sample: tf.Tensor; logProb: tf.Tensor } {
    const reparameterize = options.reparameterize ?? this.reparameterized;
    if (typeof reparameterize !== 'boolean') {
      throw new InvalidArgumentError('reparameterize', 'true or false', `got ${String(reparameterize)}`, this.name);
    }
    if (reparameterize && !this.reparameterized) {
      throw new InvalidArgumentError('reparameterize', 'false: the family is not reparameterized', 'got true', this.name);
    }
    if (reparameterize) return this.rsampleAndLogProb(sampleShape, seed);
    return tf.tidy(() => {
      const sample = withoutGradient(() => this.drawSamples(sampleShape, seed));
      return { sample, logProb: this.scoreDrawn(sample) };
    });
  }

  /**
   * Draws reparameterized samples and their log density in one call, as TensorFlow Probability's
   * `experimental_sample_and_log_prob`.
   *
   * @remarks
   * The values are those of `z = rsample(sampleShape, seed)` and `logProb(z)`, with the same
   * gradients (the density is the same function of the noise and the parameters). The reason to call
   * it is speed: a family that knows its density along the sampling path uses that path instead of
   * recomputing from `z`. A {@link TransformedDistribution} scores log p_x(x) - log |det J_f(x)| at
   * the base sample x it just pushed forward, so a flow never runs backwards (an inverse
   * autoregressive flow's inverse takes one pass per dimension, a planar flow's a bisection). The
   * sample is not checked against the support: it was drawn from it. For a call that also serves
   * families that are not reparameterized, see {@link Distribution.sampleAndLogProb}.
   *
   * @param sampleShape - leading shape of the draw (default `[]`)
   * @param seed - optional integer seed; the same seed gives the same sample as `rsample`
   * @returns `sample` of shape `sampleShape + batchShape + eventShape` and `logProb` of shape
   *   `sampleShape + batchShape`
   *
   * @example
   * ```ts
   * import * as tf from '@tensorflow/tfjs-core';
   * import { Normal } from '@vae/distributions';
   *
   * tf.tidy(() => {
   *   const normal = new Normal({ loc: 0, scale: 1 });
   *   const { sample, logProb } = normal.rsampleAndLogProb([3], 0);
   *   console.log(sample.shape, logProb.shape); // [3] [3]
   *   console.log(tf.sub(logProb, normal.logProb(sample)).abs().max().arraySync()); // 0
   * });
   * ```
   */
  rsampleAndLogProb(sampleShape: SampleShape = [], seed?: number): { sample: tf.Tensor; logProb: tf.Tensor } {
    if (!this.reparameterized) {
      throw new Error(`${this.name} is not reparameterized: it has no rsampleAndLogProb(); use sample() and logProb()`);
    }
    return tf.tidy(() => this.draw(sampleShape, (n) => this._sampleAndLogProbN(n, seed)));
  }

  /**
   * n reparameterized samples, shaped `[n] + batchShape + eventShape` (or flat), and their log
   * density, `[n] + batchShape`. The default scores the sample with `logProb`'s math; a family
   * overrides it when the sampling path gives the density more cheaply.
   */
  protected _sampleAndLogProbN(n: number, seed?: number): [tf.Tensor, tf.Tensor] {
    const z = tf.reshape(this._sampleN(n, seed), [n, ...this.batchShape, ...this.eventShape]);
    return [z, this.scoreDrawn(z)];
  }

  private drawSamples(sampleShape: SampleShape, seed?: number): tf.Tensor {
    return this.draw(sampleShape, (n) => [this._sampleN(n, seed), undefined]).sample;
  }

  /**
   * Runs a sampling hook for prod(sampleShape) draws and lays out what it returns: the sample as
   * `sampleShape + batchShape + eventShape` and its log density, when the hook gives one, as
   * `sampleShape + batchShape`. The one place a sample shape is read.
   */
  private draw<L extends tf.Tensor | undefined>(
    sampleShape: SampleShape,
    hook: (n: number) => readonly [tf.Tensor, L],
  ): { sample: tf.Tensor; logProb: L } {
    const shape = normalizeSampleShape(sampleShape, this.name);
    const [flat, flatLogProb] = hook(shape.reduce((a, b) => a * b, 1));
    const outer = [...shape, ...this.batchShape];
    const logProb = (flatLogProb === undefined ? undefined : tf.reshape(flatLogProb, outer)) as L;
    return { sample: tf.reshape(flat, [...outer, ...this.eventShape]), logProb };
  }

  /**
   * The log density of a sample this distribution drew: `logProb`'s value without its conversion
   * and support check, which would read the sample back to the host for nothing.
   */
  private scoreDrawn(z: tf.Tensor): tf.Tensor {
    const x = z.dtype === 'float32' ? z : tf.cast(z, 'float32'); // Categorical draws int32 indices
    return this.masked(x, Distribution.unmaskedLogProb(this, x));
  }

  /**
   * Converts and checks a value: its trailing axes must match the event shape and the rest must
   * broadcast with the batch shape.
   * @param value - the value as given
   * @returns the value as a float32 tensor
   */
  protected prepareValue(value: TensorInput): tf.Tensor {
    const x = toFloat32(value, 'value', this.name);
    const eventRank = this.eventShape.length;
    const trailing = x.shape.slice(x.rank - eventRank);
    if (x.rank < eventRank || trailing.some((d, i) => d !== this.eventShape[i] && d !== 1)) {
      throw new InvalidArgumentError(
        'value',
        `shaped sampleShape + batchShape + eventShape with eventShape [${this.eventShape}]`,
        `got shape [${x.shape}]`,
        this.name,
      );
    }
    broadcastShapes([x.shape.slice(0, x.rank - eventRank), this.batchShape], ['value', 'batchShape'], this.name);
    if (this.validateArgs) assertConstraint(x, 'value', this.support, this.name, 'in the support: ');
    return x;
  }

  /**
   * Log density (or log mass) of `value`.
   * @param value - shape `S + batchShape + eventShape` (or broadcastable to it)
   * @returns shape `S + batchShape`; `-Infinity` outside the support when validation is off
   */
  logProb(value: TensorInput): tf.Tensor {
    return tf.tidy(() => {
      const x = this.prepareValue(value);
      return this.masked(x, Distribution.unmaskedLogProb(this, x));
    });
  }

  /** `lp` where `x` is in the support, `-Infinity` elsewhere. */
  private masked(x: tf.Tensor, lp: tf.Tensor): tf.Tensor {
    // Untaped: the mask has no gradient, and taping it breaks tf.grad of logProb(rsample(...)).
    const inside = withoutGradient((t) => this.support.check(t), x);
    return tf.where(inside, lp, tf.fill(lp.shape, -Infinity));
  }

  /**
   * Density (or mass) of `value`: `exp(logProb(value))`.
   * @param value - shape `S + batchShape + eventShape`
   * @returns shape `S + batchShape`
   */
  prob(value: TensorInput): tf.Tensor {
    return tf.tidy(() => tf.exp(this.logProb(value)));
  }

  /**
   * Cumulative distribution function, for families with scalar events that define it.
   * @param value - shape `S + batchShape`
   * @returns shape `S + batchShape`
   */
  cdf(value: TensorInput): tf.Tensor {
    return tf.tidy(() => this._cdf(this.prepareValue(value)));
  }

  /**
   * Log of the cumulative distribution function, accurate far in the lower tail.
   * @param value - shape `S + batchShape`
   * @returns shape `S + batchShape`
   */
  logCdf(value: TensorInput): tf.Tensor {
    return tf.tidy(() => this._logCdf(this.prepareValue(value)));
  }

  /**
   * Inverse cumulative distribution function (the quantile function), for families with scalar
   * events that define it: the x with `cdf(x) = p`.
   * @param probability - probabilities in [0, 1], shape `S + batchShape` (or broadcastable)
   * @returns shape `S + batchShape`
   */
  icdf(probability: TensorInput): tf.Tensor {
    return tf.tidy(() => {
      const p = toFloat32(probability, 'probability', this.name);
      broadcastShapes([p.shape, this.batchShape], ['probability', 'batchShape'], this.name);
      if (this.validateArgs) assertConstraint(p, 'probability', constraints.unitInterval, this.name);
      return this._icdf(p);
    });
  }

  /**
   * Differential entropy (or Shannon entropy for discrete families), in nats.
   * @returns shape `batchShape`
   */
  entropy(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(this._entropy(), this.batchShape));
  }

  /**
   * Mean.
   * @returns shape `batchShape + eventShape`
   */
  mean(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(this._mean(), [...this.batchShape, ...this.eventShape]));
  }

  /**
   * Variance (elementwise, for vector events).
   * @returns shape `batchShape + eventShape`
   */
  variance(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(this._variance(), [...this.batchShape, ...this.eventShape]));
  }

  /**
   * Standard deviation.
   * @returns shape `batchShape + eventShape`
   */
  stddev(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(this._stddev(), [...this.batchShape, ...this.eventShape]));
  }

  /**
   * Mode (the most likely value).
   * @returns shape `batchShape + eventShape`
   */
  mode(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(this._mode(), [...this.batchShape, ...this.eventShape]));
  }

  /**
   * The same family with its batch broadcast to `batchShape` (torch's and TFP's `expand`/`broadcast_to`).
   *
   * @remarks
   * The current `batchShape` must broadcast to the new one (numpy rules: axes of size 1 stretch,
   * new axes are added in front). Each declared parameter (see {@link Distribution.parameters}) is
   * broadcast to `batchShape` plus its own event axes, and a new instance of the same class is
   * built from them with this one's `validateArgs`; the broadcasts are differentiable, so gradients
   * reach the original parameters. The new distribution owns the broadcast tensors: dispose it
   * separately. Families whose constructors take more than declared parameters implement the
   * protected hook `_expand`.
   *
   * @param batchShape - the new batch shape, which the current one broadcasts to
   * @returns a new distribution of the same family with that batch shape
   *
   * @example
   * ```ts
   * import * as tf from '@tensorflow/tfjs-core';
   * import { Normal } from '@vae/distributions';
   *
   * const d = new Normal({ loc: [0, 1], scale: 1 });
   * const e = d.expand([3, 2]);
   * console.log(e.batchShape); // [3, 2]
   * const lp = e.logProb(0);
   * console.log(lp.arraySync()); // [[-0.9189, -1.4189], [-0.9189, -1.4189], [-0.9189, -1.4189]]
   * tf.dispose(lp);
   * e.dispose();
   * d.dispose();
   * ```
   */
  expand(batchShape: readonly number[]): Distribution {
    const target = this.shapeArgument(batchShape);
    const wanted = `a shape that the batch shape [${this.batchShape}] broadcasts to`;
    let broadcast: number[];
    try {
      broadcast = broadcastShapes([this.batchShape, target]);
    } catch {
      throw new InvalidArgumentError('batchShape', wanted, `got [${target}]`, this.name);
    }
    if (broadcast.length !== target.length || broadcast.some((n, i) => n !== target[i])) {
      throw new InvalidArgumentError('batchShape', wanted, `got [${target}]`, this.name);
    }
    return this._expand(target);
  }

  /**
   * The same family with its batch members laid out in a new batch shape of the same size (TFP's
   * `BatchReshape`), e.g. `[K]` as `[K, 1]` so that two distributions broadcast into a `[K, K]` table.
   *
   * @remarks
   * Each declared parameter is broadcast to the current `batchShape` plus its event axes and
   * reshaped, in row-major order, to `batchShape` plus its event axes; the new instance is built as
   * in {@link Distribution.expand} (same `validateArgs`, differentiable, it owns the new tensors).
   * Families whose constructors take more than declared parameters implement `_reshapeBatch`.
   *
   * @param batchShape - the new batch shape, with as many members as the current one
   * @returns a new distribution of the same family with that batch shape
   *
   * @example
   * ```ts
   * import * as tf from '@tensorflow/tfjs-core';
   * import { Normal } from '@vae/distributions';
   *
   * const d = new Normal({ loc: [0, 1], scale: 1 });
   * const column = d.reshapeBatch([2, 1]);
   * console.log(column.batchShape); // [2, 1]
   * const lp = column.logProb([0, 1]);
   * console.log(lp.arraySync()); // [[-0.9189, -1.4189], [-1.4189, -0.9189]]
   * tf.dispose(lp);
   * column.dispose();
   * d.dispose();
   * ```
   */
  reshapeBatch(batchShape: readonly number[]): Distribution {
    const target = this.shapeArgument(batchShape);
    const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
    if (size(target) !== size(this.batchShape)) {
      const wanted = `a shape of ${size(this.batchShape)} batch members, as [${this.batchShape}] has`;
      throw new InvalidArgumentError('batchShape', wanted, `got [${target}]`, this.name);
    }
    return this._reshapeBatch(target);
  }

  private shapeArgument(batchShape: readonly number[]): number[] {
    if (!Array.isArray(batchShape) || batchShape.some((n) => !Number.isInteger(n) || n < 0)) {
      throw new InvalidArgumentError('batchShape', 'a list of non-negative integers', `got ${JSON.stringify(batchShape)}`, this.name);
    }
    return Array.from(batchShape);
  }

  /**
   * Builds the expanded distribution (see {@link Distribution.expand}); `batchShape` is already
   * checked. The default rebuilds the family from its declared parameters.
   * @param batchShape - the new batch shape
   * @returns the new distribution
   */
  protected _expand(batchShape: number[]): Distribution {
    return this.rebuild('expand', (t, event) => tf.broadcastTo(t, [...batchShape, ...event]));
  }

  /**
   * Builds the reshaped distribution (see {@link Distribution.reshapeBatch}); `batchShape` is
   * already checked. The default rebuilds the family from its declared parameters.
   * @param batchShape - the new batch shape
   * @returns the new distribution
   */
  protected _reshapeBatch(batchShape: number[]): Distribution {
    return this.rebuild('reshapeBatch', (t, event) =>
      tf.tidy(() => tf.reshape(tf.broadcastTo(t, [...this.batchShape, ...event]), [...batchShape, ...event])),
    );
  }

  /** A new instance of this class from the declared parameters, each mapped (with its event shape). */
  private rebuild(method: string, map: (tensor: tf.Tensor, eventShape: number[]) => tf.Tensor): Distribution {
    if (this.declared.length === 0) throw this.notDefined(method);
    const params: Record<string, unknown> = { validateArgs: this.validateArgs };
    const created: tf.Tensor[] = [];
    for (const { name, tensor, eventRank } of this.declared) {
      const t = map(tensor, tensor.shape.slice(tensor.rank - eventRank));
      created.push(t);
      params[name] = t;
    }
    const Family = this.constructor as new (params: Record<string, unknown>) => Distribution;
    let rebuilt: Distribution;
    try {
      rebuilt = new Family(params);
    } catch (e) {
      tf.dispose(created);
      throw e;
    }
    for (const t of created) rebuilt.own(t);
    return rebuilt;
  }

  /** Frees the tensors this distribution created from numbers or arrays (not the caller's tensors). */
  dispose(): void {
    tf.dispose(this.owned.splice(0));
  }

  /**
   * `d`'s log density of an already prepared value, without the support mask, broadcast to
   * `S + batchShape`: `logProb` before its mask. Wrappers that mask whole events themselves
   * (Independent) call it so the base's elementwise mask is not paid twice. Protected and static,
   * so a subclass reaches another distribution's hook through the type system, not around it.
   */
  protected static unmaskedLogProb(d: Distribution, x: tf.Tensor): tf.Tensor {
    const lp = d._logProb(x);
    const shape = broadcastShapes([lp.shape, x.shape.slice(0, x.rank - d.eventShape.length), d.batchShape]);
    return shape.length === lp.rank && shape.every((n, i) => n === lp.shape[i]) ? lp : tf.broadcastTo(lp, shape);
  }

  /**
   * `d`'s {@link Distribution._logProbSum} hook (the unmasked log density summed over the last `n`
   * axes of `S + batchShape` in one op), or `undefined` where the family has none.
   */
  protected static unmaskedLogProbSum(d: Distribution, x: tf.Tensor, n: number): tf.Tensor | undefined {
    return d._logProbSum(x, n);
  }
}
