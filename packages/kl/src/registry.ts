import type * as tf from '@tensorflow/tfjs-core';
import { familyName } from '@vae/distributions';
import type { Distribution } from '@vae/distributions';

/** A distribution class (constructor), concrete or abstract. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type DistributionClass<T extends Distribution = Distribution> = abstract new (...args: any[]) => T;

/**
 * An analytic KL divergence KL(p || q) between two families.
 *
 * @param p - the first distribution
 * @param q - the second distribution
 * @param registry - the registry the call was dispatched from, for pairs that delegate to other
 *   pairs (Independent); `klDivergence` always passes it, a pair may ignore it, and a pair that needs it (Independent) throws without it
 * @returns KL(p || q), of shape broadcast(p.batchShape, q.batchShape) (or broadcastable to it)
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type KLFunction<P extends Distribution = any, Q extends Distribution = any> = (p: P, q: Q, registry?: KLRegistry) => tf.Tensor;

/**
 * When a registered pair holds for two particular instances, for pairs whose closed form needs more
 * than the two classes (two `TransformedDistribution`s share one only when they share the bijector).
 *
 * @param p - the first distribution
 * @param q - the second distribution
 * @param registry - the registry the pair was found in, for pairs that delegate to other pairs
 * @returns true when the pair's function gives KL(p || q); false sends `klDivergence` to its fallback
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type KLCondition<P extends Distribution = any, Q extends Distribution = any> = (p: P, q: Q, registry: KLRegistry) => boolean;

/** One registered pair: KL(p || q) for instances of `p` and `q` (or of their subclasses). */
export interface KLEntry {
  /** Class of the first argument. */
  readonly p: DistributionClass;
  /** Class of the second argument. */
  readonly q: DistributionClass;
  /** The divergence. */
  readonly kl: KLFunction;
  /** When the pair holds for two instances (default: always); see {@link KLRegistry.find}. */
  readonly when?: KLCondition;
}

interface Registered {
  readonly kl: KLFunction;
  readonly when?: KLCondition;
}

/** The base classes of `cls`, nearest first, starting with `cls` itself. */
function lineage(cls: DistributionClass): DistributionClass[] {
  const out: DistributionClass[] = [];
  for (let c: unknown = cls; typeof c === 'function' && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    out.push(c as DistributionClass);
  }
  return out;
}

/**
 * A table of analytic KL divergences, dispatched on the class hierarchies of both arguments.
 *
 * @remarks
 * Built from plain data (`createKLRegistry(entries)`); `register` adds pairs afterwards. A lookup
 * for (P, Q) considers every registered (P', Q') with P' an ancestor-or-self of P and Q' one of Q,
 * at distances (i, j) up the two hierarchies. It takes the candidate nearer than every other in
 * both arguments; when no candidate is (two are each nearer in one argument) the lookup is a tie,
 * an error that names the candidates: register the exact pair to break it. Results are memoized
 * until the next `register`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Normal } from '@vae/distributions';
 * import { builtinKLEntries, createKLRegistry } from '@vae/kl';
 * const registry = createKLRegistry(builtinKLEntries.filter((e) => e.p === Normal && e.q === Normal));
 * console.log(registry.has(Normal, Normal)); // true
 * ```
 */
export class KLRegistry {
  private readonly table = new Map<DistributionClass, Map<DistributionClass, Registered>>();
  private readonly memo = new Map<DistributionClass, Map<DistributionClass, Registered | null>>();

  /**
   * @param entries - the pairs to register; a pair given twice is an error
   */
  constructor(entries: readonly KLEntry[] = []) {
    for (const e of entries) this.register(e.p, e.q, e.kl, e.when);
  }

  /**
   * Registers KL(p || q) for instances of `P` and `Q` and their subclasses.
   * @param P - class of the first argument
   * @param Q - class of the second argument
   * @param kl - the divergence
   * @param when - optional: when the pair holds for two instances (see {@link KLRegistry.find})
   * @returns this registry, for chaining
   */
  register<P extends Distribution, Q extends Distribution>(
    P: DistributionClass<P>,
    Q: DistributionClass<Q>,
    kl: KLFunction<P, Q>,
    when?: KLCondition<P, Q>,
  ): this {
    if (
      typeof P !== 'function' ||
      typeof Q !== 'function' ||
      typeof kl !== 'function' ||
      (when !== undefined && typeof when !== 'function')
    ) {
      throw new TypeError('register(P, Q, kl, when?) takes two distribution classes and one or two functions');
    }
    let row = this.table.get(P);
    if (!row) this.table.set(P, (row = new Map()));
    if (row.has(Q)) throw new Error(`KL(${familyName(P)} || ${familyName(Q)}) is already registered; a pair may be registered once`);
    row.set(Q, { kl: kl as KLFunction, when: when as KLCondition | undefined });
    this.memo.clear();
    return this;
  }

  /**
   * Whether the exact pair (P, Q) is registered (no hierarchy walk).
   * @param P - class of the first argument
   * @param Q - class of the second argument
   * @returns true when registered
   */
  has(P: DistributionClass, Q: DistributionClass): boolean {
    return this.table.get(P)?.has(Q) ?? false;
  }

  /**
   * Every registered pair as class names, in registration order.
   * @returns `[pName, qName]` pairs
   */
  pairs(): [string, string][] {
    const out: [string, string][] = [];
    for (const [P, row] of this.table) for (const Q of row.keys()) out.push([familyName(P), familyName(Q)]);
    return out;
  }

  /**
   * The divergence for instances of `P` and `Q`: the nearest registered pair up both hierarchies.
   * @param P - class of the first argument
   * @param Q - class of the second argument
   * @returns the function, or undefined when no pair applies; throws on a tie. A pair registered
   *   with a condition may still decline particular instances: {@link KLRegistry.find} checks it.
   */
  lookup(P: DistributionClass, Q: DistributionClass): KLFunction | undefined {
    return this.nearest(P, Q)?.kl;
  }

  /**
   * The divergence for two particular distributions: {@link KLRegistry.lookup} on their classes,
   * then the pair's condition, if it was registered with one, on the instances.
   * @param p - the first distribution
   * @param q - the second distribution
   * @returns the function, or undefined when no pair applies to these two; throws on a tie
   */
  find(p: Distribution, q: Distribution): KLFunction | undefined {
    const found = this.nearest(p.constructor as DistributionClass, q.constructor as DistributionClass);
    if (!found) return undefined;
    return !found.when || found.when(p, q, this) ? found.kl : undefined;
  }

  private nearest(P: DistributionClass, Q: DistributionClass): Registered | undefined {
    let row = this.memo.get(P);
    if (!row) this.memo.set(P, (row = new Map()));
    if (row.has(Q)) return row.get(Q) ?? undefined;
    const found = this.search(P, Q);
    row.set(Q, found ?? null);
    return found;
  }

  private search(P: DistributionClass, Q: DistributionClass): Registered | undefined {
    const ps = lineage(P);
    const qs = lineage(Q);
    const candidates: { i: number; j: number; P: DistributionClass; Q: DistributionClass; entry: Registered }[] = [];
    ps.forEach((Pi, i) => {
      const row = this.table.get(Pi);
      if (row) qs.forEach((Qj, j) => row.has(Qj) && candidates.push({ i, j, P: Pi, Q: Qj, entry: row.get(Qj)! }));
    });
    if (!candidates.length) return undefined;
    const nearest = candidates.filter((c) => !candidates.some((d) => d !== c && d.i <= c.i && d.j <= c.j));
    if (nearest.length > 1) {
      const names = nearest.map((c) => `(${familyName(c.P)}, ${familyName(c.Q)})`).join(' and ');
      throw new Error(
        `KL(${familyName(P)} || ${familyName(Q)}) is ambiguous: registered pairs ${names} are equally near. ` +
          `Break the tie with registry.register(${familyName(P)}, ${familyName(Q)}, fn).`,
      );
    }
    return nearest[0].entry;
  }

  /**
   * Registered pairs whose first class is in P's hierarchy or whose second is in Q's: what the
   * "no KL registered" error lists.
   * @param P - class of the first argument
   * @param Q - class of the second argument
   * @returns `[pName, qName]` pairs
   */
  related(P: DistributionClass, Q: DistributionClass): [string, string][] {
    const ps = new Set(lineage(P));
    const qs = new Set(lineage(Q));
    const out: [string, string][] = [];
    for (const [Pi, row] of this.table)
      for (const Qj of row.keys()) if (ps.has(Pi) || qs.has(Qj)) out.push([familyName(Pi), familyName(Qj)]);
    return out;
  }
}

/**
 * Builds a KL registry from plain data.
 *
 * @param entries - the pairs `{ p, q, kl }`; registering a pair twice is an error
 * @returns a new registry, independent of the default one
 *
 * @example
 * ```ts
 * import { Normal } from '@vae/distributions';
 * import { builtinKLEntries, createKLRegistry } from '@vae/kl';
 * const registry = createKLRegistry(builtinKLEntries.filter((e) => e.p === Normal && e.q === Normal));
 * console.log(registry.pairs()); // [['Normal', 'Normal']]
 * ```
 */
export function createKLRegistry(entries: readonly KLEntry[] = []): KLRegistry {
  return new KLRegistry(entries);
}
