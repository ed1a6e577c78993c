import type { TensorInput } from '@vae/math';
import { uniform } from '@vae/samplers';
import type { Constraint } from './constraints.js';
import { Distribution, FAMILY_BASE } from './distribution.js';
import type { DistributionOptions, ParameterSpec, ParameterTensors } from './distribution.js';
import * as tf from '@tensorflow/tfjs-core';

/**
 * A family's table of parameters (torch's `arg_constraints`): per name, a {@link ParameterSpec},
 * or only its constraint (`{ rate: constraints.positive }`), short for a spec of that constraint
 * whose event rank is the constraint's own.
 */
export type ParameterTable = Readonly<Record<string, ParameterSpec | Constraint>>;

/** The spec a table entry stands for: a bare constraint is a spec of it and of its event rank. */
function toSpec(entry: ParameterSpec | Constraint): ParameterSpec {
  return 'constraint' in entry ? entry : { constraint: entry, eventRank: entry.eventRank };
}

/**
 * What the constructor of a class built by {@link family} takes: a value per declared parameter
 * (optional where its spec says `optional: true`) and the {@link DistributionOptions}.
 */
export type FamilyParams<S extends ParameterTable> = {
  -readonly [K in keyof S as S[K] extends { optional: true } ? never : K]: TensorInput;
} & {
  -readonly [K in keyof S as S[K] extends { optional: true } ? K : never]?: TensorInput;
} & DistributionOptions;

/**
 * The parameters a family class is constructed from (its {@link FamilyParams}), named after the
 * class, so a family that declares its table inline still has a Params type:
 * `interface ExponentialParams extends ParamsOf<typeof Exponential> {}`.
 */
export type ParamsOf<C extends abstract new (params: never) => unknown> = ConstructorParameters<C>[0];

/** What a family is beside its parameters: see {@link family}. */
export interface FamilyTraits<S extends ParameterTable, D extends object = object, G = unknown> {
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
   * parameterizations is given); it throws an {@link @vae/math!InvalidArgumentError}. What it
   * returns (which parameterization was given: `'logits'` or `'probs'`) the instance keeps as its
   * protected `given` (see {@link FamilyDistribution}), for the math to branch on.
   * @param params - the constructor's argument
   * @param family - the family's name, for the message
   */
  readonly given?: (params: FamilyParams<S>, family: string) => G;
  /**
   * Properties computed from the converted parameters (the `probs` of a family given `logits`),
   * which replace or join the declared ones: each a tensor, or an {@link OnFirstRead} where it is
   * to be computed only when read.
   * @param parameters - the converted parameters
   * @param own - records a tensor the family created, which `dispose()` frees
   */
  readonly derive?: (
    parameters: ParameterTensors<S>,
    own: (t: tf.Tensor) => tf.Tensor,
  ) => { readonly [K in keyof D]: D[K] | OnFirstRead<D[K]> };
}

/**
 * A derived parameter that is computed when first read rather than in the constructor: what a
 * family's `derive` (see {@link FamilyTraits}) gives in place of a tensor its hot path never
 * reads (Bernoulli's `probs` from `logits`: a likelihood's `logProb` reads only the logits).
 *
 * @remarks
 * The property computes `compute()` on its first read and keeps the result: the tensor lives in
 * the `tf.tidy` scope that first read it (read again after that scope ended, it is computed
 * afresh into the same slot, so repeated reads never pile up dead tensors), and `dispose()` frees
 * the one kept.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { OnFirstRead, constraints, family } from '@vae/distributions';
 *
 * // The exponential distribution given its log rate; the rate is computed only if a method reads it.
 * class LogRateExponential extends family(
 *   'LogRateExponential',
 *   { logRate: constraints.real },
 *   {
 *     support: constraints.nonNegative,
 *     reparameterized: true,
 *     derive: (p) => ({ rate: new OnFirstRead(() => tf.exp(p.logRate)) }),
 *   },
 * ) {
 *   protected _logProb(x: tf.Tensor): tf.Tensor {
 *     return tf.sub(this.logRate, tf.mul(x, tf.exp(this.logRate)));
 *   }
 *   protected override _mean(): tf.Tensor {
 *     return tf.reciprocal(this.rate);
 *   }
 * }
 *
 * const d = new LogRateExponential({ logRate: [0, Math.log(2)] });
 * tf.tidy(() => console.log(d.logProb(1).arraySync())); // [-1, -1.3069]
 * console.log(d.rate.arraySync(), d.rate === d.rate); // [1, 2] true
 * d.dispose();
 * ```
 */
export class OnFirstRead<T = tf.Tensor> {
  /**
   * @param compute - builds the property's tensor from the parameters, on the first read
   */
  constructor(readonly compute: () => T) {}
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
 * The base of every class {@link family} builds: a {@link Distribution} that draws with the
 * sampler its family gives as data, or by its inverse CDF.
 *
 * @remarks
 * A family whose draw is one call to a `@vae/samplers` function names it
 * (`protected override readonly sampler = gammaSample`); the default `_sampleN` calls it with the
 * family's parameters in the order of its table, then the shape `[n, ...batchShape]`, the seed and
 * `samplerOptions` (so the sampler never validates them again). A family that names none draws by
 * its inverse CDF, `_icdf` of the samplers' seeded uniforms; one that draws any other way
 * overrides `_sampleN`. Shared bases narrow the sampler's type to the call they make
 * ({@link LocationScale}: `normalSample(loc, scale, ...)`).
 *
 * @example
 * ```ts
 * import { FamilyDistribution, Gamma } from '@vae/distributions';
 * const d = new Gamma({ concentration: 2, rate: 1 });
 * console.log(d instanceof FamilyDistribution); // true
 * d.dispose();
 * ```
 */
export abstract class FamilyDistribution<G = unknown> extends Distribution {
  /**
   * The family's sampler from `@vae/samplers`, called with its parameters in table order, the
   * shape, the seed and `samplerOptions`; none draws by inverse CDF.
   */
  declare protected readonly sampler?: (...args: never[]) => tf.Tensor;
  /**
   * What the family's `given` check returned (see {@link FamilyTraits}): which of its alternative
   * parameterizations the user gave (`'logits'` or `'probs'`), `undefined` for a family without one.
   */
  declare protected readonly given: G;
  /** The family's parameters in the order of its table: the sampler's first arguments. */
  protected get tableParameters(): readonly tf.Tensor[] {
    return [];
  }

  protected _sampleN(n: number, seed?: number): tf.Tensor {
    const shape = [n, ...this.batchShape];
    if (!this.sampler) return this._icdf(uniform(shape, seed));
    const sampler = this.sampler as (...args: unknown[]) => tf.Tensor;
    return sampler(...this.tableParameters, shape, seed, this.samplerOptions);
  }
}

/**
 * The class {@link family} returns: abstract (a family still writes its math hooks), constructed
 * from {@link FamilyParams}, with each declared (and derived) parameter as a readonly property.
 */
export type FamilyClass<S extends ParameterTable, D extends object = object, G = unknown> = (abstract new (
  params: FamilyParams<S>,
) => FamilyDistribution<G> & { readonly support: Constraint; readonly reparameterized: boolean } & FamilyInstanceParameters<S, D>) & {
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
 * {@link familyName}). Samples come from the family's `sampler` (`protected override readonly
 * sampler = gammaSample`, see {@link FamilyDistribution}), called with the table's parameters
 * in order, or from its inverse CDF `_icdf` where it names none; a family that draws any other
 * way implements `_sampleN`. What the `given` trait returned (which of `logits` and `probs` was
 * given) is the protected `given`, for the math to branch on (`if (this.given === 'probs')`).
 * What is left to the family is the math: `_logProb` and whichever moments it has. A family with
 * more to do in its constructor (a check across two parameters, a derived tensor) writes one that
 * calls `super(params)` first.
 *
 * @param name - the family's name in messages (`'Weibull'`)
 * @param specs - the parameters (a {@link ParameterSpec} or a bare constraint each), in the order
 *   they are checked, named in messages and handed to the sampler
 * @param traits - the support and whether samples are reparameterized
 * @returns an abstract base class for the family
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { constraints, family } from '@vae/distributions';
 *
 * // The exponential distribution of rate 1 / scale, as a new family drawn by its inverse CDF.
 * class ScaledExponential extends family(
 *   'ScaledExponential',
 *   { scale: constraints.positive },
 *   { support: constraints.nonNegative, reparameterized: true },
 * ) {
 *   protected _logProb(x: tf.Tensor): tf.Tensor {
 *     return tf.neg(tf.add(tf.div(x, this.scale), tf.log(this.scale)));
 *   }
 *   protected override _icdf(p: tf.Tensor): tf.Tensor {
 *     return tf.mul(this.scale, tf.neg(tf.log1p(tf.neg(p))));
 *   }
 * }
 *
 * const d = new ScaledExponential({ scale: [1, 2] });
 * console.log(d.name, d.batchShape); // 'ScaledExponential' [2]
 * tf.tidy(() => console.log(d.logProb(0).arraySync())); // [0, -0.6931]
 * tf.tidy(() => console.log(d.rsample([3], 1).shape)); // [3, 2]
 * d.dispose();
 * ```
 */
export function family<const S extends ParameterTable, D extends object = object, G = unknown>(
  name: string,
  specs: S,
  traits: FamilyTraits<S, D, G>,
): FamilyClass<S, D, G> {
  const { support, reparameterized, eventShape, given, derive } = traits;
  const table = Object.fromEntries(Object.entries(specs).map(([key, entry]) => [key, toSpec(entry)])) as Record<keyof S, ParameterSpec>;
  abstract class Family extends FamilyDistribution<G> {
    static override readonly familyName: string = name;
    readonly reparameterized: boolean = reparameterized;
    /** The tensors of the derived properties computed on first read, one slot each (see {@link OnFirstRead}). */
    private readonly computedOnRead: { tensor?: tf.Tensor }[] = [];

    constructor(params: FamilyParams<S>) {
      super([], [], { validateArgs: params.validateArgs });
      Object.assign(this, { given: given?.(params, this.name) });
      const tensors = this.parameters(params as { readonly [K in keyof S]?: TensorInput }, table) as ParameterTensors<S>;
      Object.assign(this, tensors);
      for (const [key, value] of Object.entries(derive?.(tensors, (t) => this.own(t)) ?? {})) {
        if (value instanceof OnFirstRead) this.computeOnFirstRead(key, value.compute as () => tf.Tensor);
        else (this as Record<string, unknown>)[key] = value;
      }
      if (eventShape) this.eventShape.push(...eventShape(tensors));
      const parameters = this as unknown as FamilyInstanceParameters<S, D>;
      (this as { support: Constraint }).support = typeof support === 'function' ? support(parameters) : support;
    }

    protected override get tableParameters(): readonly tf.Tensor[] {
      return Object.keys(table).map((key) => (this as unknown as Record<string, tf.Tensor>)[key]);
    }

    /** Makes `key` a property computed by `compute` when read, kept in one slot until its scope or `dispose()` frees it. */
    private computeOnFirstRead(key: string, compute: () => tf.Tensor): void {
      const slot: { tensor?: tf.Tensor } = {};
      this.computedOnRead.push(slot);
      // Not `own()`: every read after a tidy freed the last tensor would add a dead entry to that list.
      const read = (): tf.Tensor => (slot.tensor === undefined || slot.tensor.isDisposed ? (slot.tensor = compute()) : slot.tensor);
      Object.defineProperty(this, key, { get: read, enumerable: true, configurable: true });
    }

    /** Frees the tensors this distribution created, the derived ones computed on read included. */
    override dispose(): void {
      for (const slot of this.computedOnRead) {
        tf.dispose(slot.tensor);
        slot.tensor = undefined;
      }
      super.dispose();
    }
  }
  Object.defineProperty(Family, FAMILY_BASE, { value: true });
  return Family as unknown as FamilyClass<S, D, G>;
}
