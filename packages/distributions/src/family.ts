import type { TensorInput } from '@vae/math';
import type { Constraint } from './constraints.js';
import { Distribution, FAMILY_BASE } from './distribution.js';
import type { DistributionOptions, ParameterSpec, ParameterTensors } from './distribution.js';
import type * as tf from '@tensorflow/tfjs-core';

/** A family's table of parameters: one {@link ParameterSpec} per name (torch's `arg_constraints`). */
export type ParameterTable = Readonly<Record<string, ParameterSpec>>;

/**
 * What the constructor of a class built by {@link family} takes: a value per declared parameter
 * (optional where its spec says `optional: true`) and the {@link DistributionOptions}.
 */
export type FamilyParams<S extends ParameterTable> = {
  -readonly [K in keyof S as S[K] extends { optional: true } ? never : K]: TensorInput;
} & {
  -readonly [K in keyof S as S[K] extends { optional: true } ? K : never]?: TensorInput;
} & DistributionOptions;

/** What a family is beside its parameters: see {@link family}. */
export interface FamilyTraits<S extends ParameterTable, D extends object = object> {
  /**
   * The set of values with positive density: a constraint, or one built from the parameters once
   * they are tensors (Pareto's `x >= scale`).
   */
  readonly support: Constraint | ((parameters: FamilyInstanceParameters<S, D>) => Constraint);
  /** Whether `rsample` gives samples differentiable with respect to the parameters. */
  readonly reparameterized: boolean;
  /** The event shape from the parameters (default `[]`, a scalar family). */
  readonly eventShape?: (parameters: ParameterTensors<S>) => readonly number[];
  /**
   * A check of the values as given, before any is converted (that exactly one of two
   * parameterizations is given); it throws an {@link @vae/math!InvalidArgumentError}.
   * @param params - the constructor's argument
   * @param family - the family's name, for the message
   */
  readonly given?: (params: FamilyParams<S>, family: string) => unknown;
  /**
   * Properties computed from the converted parameters (the `probs` of a family given `logits`),
   * which replace or join the declared ones.
   * @param parameters - the converted parameters
   * @param own - records a tensor the family created, which `dispose()` frees
   */
  readonly derive?: (parameters: ParameterTensors<S>, own: (t: tf.Tensor) => tf.Tensor) => D;
}

/** The parameter properties of a family's instance: the declared tensors, with the derived ones over them. */
export type FamilyInstanceParameters<S extends ParameterTable, D extends object = object> = {
  readonly [K in keyof S as K extends keyof D ? never : K]: ParameterTensors<S>[K];
} & { readonly [K in keyof D]: D[K] };

/** A class whose instances are `T`: a mixin's base must take `...args: any[]` (TS2545). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type MixinBase<T> = abstract new (...args: any[]) => T;

/**
 * The base class of one family within a shared base: `base` under the family's name.
 *
 * @remarks
 * A family built on a shared base ({@link LocationScale}, {@link ConcentrationPair}) or on another
 * family (Chi2 on Gamma) extends `named(Base, 'Name')`, so that `name` is the family's in messages:
 * the name is spelled out here because minifiers rename classes (see {@link familyName}). A
 * subclass of the family that names none is called by its own class name.
 *
 * @param base - the shared base class
 * @param name - the family's name in messages (`'Normal'`)
 * @returns an abstract subclass of `base` that names the family extending it
 */
export function named<B extends MixinBase<Distribution>>(base: B, name: string): B {
  abstract class Named extends base {
    static readonly familyName: string = name;
  }
  Object.defineProperty(Named, FAMILY_BASE, { value: true });
  return Named;
}

/**
 * The class {@link family} returns: abstract (a family still writes its math hooks), constructed
 * from {@link FamilyParams}, with each declared (and derived) parameter as a readonly property.
 */
export type FamilyClass<S extends ParameterTable, D extends object = object> = (abstract new (
  params: FamilyParams<S>,
) => Distribution & { readonly support: Constraint; readonly reparameterized: boolean } & FamilyInstanceParameters<S, D>) & {
  readonly familyName: string;
};

/**
 * The base class of a family, built from its name, its parameters as data and its traits: a family
 * that extends it is its parameters, constraints and math in one file.
 *
 * @remarks
 * The class's constructor takes the user's values by parameter name plus the
 * {@link DistributionOptions}, and hands them with the table to the base's `parameters`: it
 * converts each to a float32 tensor (owning the ones it created), checks shapes, validates each
 * against its constraint once when `validateArgs` is on (never reading a tensor back otherwise) and
 * sets `batchShape` to the broadcast of their batch parts. Each parameter then is a readonly
 * `tf.Tensor` property of the same name (`undefined` for an optional one left out), documented by
 * the comment on its entry in the table. `support` and `reparameterized` come from the traits;
 * the name is the family's in messages even after a minifier renames the class (see
 * {@link familyName}). What is left to the family is the math: `_sampleN`, `_logProb` and
 * whichever moments it has. A family with more to do in its constructor (a check across two
 * parameters, a derived tensor) writes one that calls `super(params)` first.
 *
 * @param name - the family's name in messages (`'Weibull'`)
 * @param specs - the parameters, in the order they are checked and named in messages
 * @param traits - the support and whether samples are reparameterized
 * @returns an abstract base class for the family
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { constraints, family } from '@vae/distributions';
 *
 * // The exponential distribution of rate 1 / scale, as a new family.
 * class ScaledExponential extends family(
 *   'ScaledExponential',
 *   { scale: { constraint: constraints.positive } },
 *   { support: constraints.nonNegative, reparameterized: true },
 * ) {
 *   protected _sampleN(n: number, seed?: number): tf.Tensor {
 *     return tf.mul(this.scale, tf.neg(tf.log(tf.randomUniform([n, ...this.batchShape], 0, 1, 'float32', seed))));
 *   }
 *   protected _logProb(x: tf.Tensor): tf.Tensor {
 *     return tf.neg(tf.add(tf.div(x, this.scale), tf.log(this.scale)));
 *   }
 * }
 *
 * const d = new ScaledExponential({ scale: [1, 2] });
 * console.log(d.name, d.batchShape); // 'ScaledExponential' [2]
 * tf.tidy(() => console.log(d.logProb(0).arraySync())); // [0, -0.6931]
 * d.dispose();
 * ```
 */
export function family<const S extends ParameterTable, D extends object = object>(
  name: string,
  specs: S,
  traits: FamilyTraits<S, D>,
): FamilyClass<S, D> {
  const { support, reparameterized, eventShape, given, derive } = traits;
  abstract class Family extends Distribution {
    static override readonly familyName: string = name;
    readonly reparameterized: boolean = reparameterized;

    constructor(params: FamilyParams<S>) {
      super([], [], { validateArgs: params.validateArgs });
      given?.(params, this.name);
      const tensors = this.parameters(params as { readonly [K in keyof S]?: TensorInput }, specs);
      const all = { ...tensors, ...derive?.(tensors, (t) => this.own(t)) } as unknown as FamilyInstanceParameters<S, D>;
      Object.assign(this, all);
      if (eventShape) this.eventShape.push(...eventShape(tensors));
      (this as { support: Constraint }).support = typeof support === 'function' ? support(all) : support;
    }
  }
  Object.defineProperty(Family, FAMILY_BASE, { value: true });
  return Family as unknown as FamilyClass<S, D>;
}
