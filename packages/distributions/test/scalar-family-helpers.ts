// Shared checks for the tests of the scalar and simplex families (Bernoulli ... Kumaraswamy):
// oracle comparison with a worst-error report, Monte Carlo moments, and memory neutrality.
import * as tf from '@tensorflow/tfjs-core';
import {
  expectClose,
  expectKSPass,
  expectMemoryNeutral,
  expectWithinStandardErrors,
  runOnBackends,
  summarize,
  toFlatArray,
  varianceStandardError,
} from '@vae/testing';
import type { Numeric } from '@vae/testing';
import type { TensorInput } from '@vae/math';
import { Distribution } from '@vae/distributions';

/** Rounds to float32, so oracles see exactly the inputs the tensors hold. */
export const f32 = Math.fround;

/**
 * Where |expected| is below the floor, the absolute error is reported instead of the relative one:
 * 1 for log quantities (log densities, log CDFs, entropies: an absolute error there is the relative
 * error of the density), 1e-3 otherwise.
 */
export function floorFor(quantity: string): number {
  return /^log|entropy/i.test(quantity) ? 1 : 1e-3;
}

/** Relative error (absolute below `floor`); 0 for equal values, including equal infinities. */
export function relativeError(actual: number, expected: number, floor = 1e-3): number {
  if (actual === expected || (Number.isNaN(actual) && Number.isNaN(expected))) return 0;
  if (!Number.isFinite(actual) || !Number.isFinite(expected)) return Infinity;
  return Math.abs(actual - expected) / Math.max(Math.abs(expected), floor);
}

/** Collects worst errors per quantity and regime, and prints one line per family at the end. */
export class ErrorReport {
  private readonly worst = new Map<string, { ordinary: number; extreme: number }>();

  constructor(private readonly family: string) {}

  /**
   * Asserts each element within its regime's tolerance and records the worst errors.
   * `extreme[i]` says which regime element i belongs to.
   */
  check(
    quantity: string,
    actual: Numeric,
    expected: readonly number[],
    extreme: readonly boolean[],
    tolerance: { ordinary: number; extreme: number },
  ): void {
    const a = toFlatArray(actual);
    if (a.length !== expected.length) throw new Error(`${quantity}: ${a.length} values, expected ${expected.length}`);
    const entry = this.worst.get(quantity) ?? { ordinary: 0, extreme: 0 };
    const failures: string[] = [];
    a.forEach((v, i) => {
      const err = relativeError(v, expected[i], floorFor(quantity));
      const regime = extreme[i] ? 'extreme' : 'ordinary';
      entry[regime] = Math.max(entry[regime], err);
      if (!(err <= tolerance[regime])) failures.push(`#${i} (${regime}): got ${v}, expected ${expected[i]}, error ${err.toExponential(2)}`);
    });
    this.worst.set(quantity, entry);
    if (failures.length)
      throw new Error(
        `${this.family} ${quantity}: ${failures.length} of ${a.length} beyond tolerance:\n${failures.slice(0, 8).join('\n')}`,
      );
  }

  /**
   * {@link ErrorReport.check} for several quantities of one distribution at once: rows of
   * `[quantity, actual, expected]`, each at `tolerance` unless the row gives its own.
   */
  checkEach(
    extreme: readonly boolean[],
    tolerance: { ordinary: number; extreme: number },
    rows: [string, Numeric, readonly number[], { ordinary: number; extreme: number }?][],
  ): void {
    for (const [quantity, actual, expected, own] of rows) this.check(quantity, actual, expected, extreme, own ?? tolerance);
  }

  /** The report line, e.g. `[Beta] worst rel err vs oracle: logProb ordinary 3.1e-6, extreme 8.2e-5; ...`. */
  line(oracle: string): string {
    const parts = Array.from(this.worst, ([q, w]) => `${q} ordinary ${w.ordinary.toExponential(1)}, extreme ${w.extreme.toExponential(1)}`);
    return `[${this.family}] worst rel err vs ${oracle} (abs err where |expected| < 1 for logs and entropy, < 1e-3 otherwise): ${parts.join(
      '; ',
    )}`;
  }

  /** Prints the report line once (call from afterAll). */
  print(oracle: string): void {
    if (this.worst.size) console.log(this.line(oracle));
  }
}

/** An {@link ErrorReport} for `family` that prints its line against `oracle` after the file's tests. */
export function errorReport(family: string, oracle: string): ErrorReport {
  const report = new ErrorReport(family);
  afterAll(() => report.print(oracle));
  return report;
}

/** Two points on the probability simplex over 3 categories: a `[2]` batch of values for a simplex family. */
export const SIMPLEX_VALUES: number[][] = [
  [0.2, 0.3, 0.5],
  [0.1, 0.1, 0.8],
];

/** Points off the probability simplex over 3 categories: a sum above 1, a negative coordinate, a NaN. */
export const OFF_SIMPLEX: number[][] = [
  [0.5, 0.6, 0.1],
  [-0.1, 0.6, 0.5],
  [NaN, 0.5, 0.5],
];

/** Columns of a `[n, ...batch]` tensor as float64 arrays, one per batch member. */
export function columns(x: tf.Tensor): Float64Array[] {
  const n = x.shape[0];
  const m = x.size / n;
  const data = x.dataSync();
  return Array.from({ length: m }, (_, j) => {
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) col[i] = data[i * m + j];
    return col;
  });
}

/**
 * Draws n samples and checks, per batch member (and per event coordinate for vector events), the
 * sample mean and sample variance against mean() and variance(), and per batch member
 * -mean(logProb) against entropy(), within `z` standard errors (the variance's standard error from
 * the sample's fourth moment).
 */
export function expectMomentsMatch(
  d: Distribution,
  n: number,
  seed: number,
  which: { mean?: boolean; variance?: boolean; entropy?: boolean } = { mean: true, variance: true, entropy: true },
  z = 5,
): void {
  const x = d.sample([n], seed);
  const lp = d.logProb(x);
  const xs = columns(x);
  const lps = columns(lp);
  const truth = (f: () => tf.Tensor) => Array.from(f().dataSync());
  const means = which.mean ? truth(() => d.mean()) : [];
  const vars = which.variance ? truth(() => d.variance()) : [];
  const ents = which.entropy ? truth(() => d.entropy()) : [];
  xs.forEach((col, j) => {
    const s = summarize(col);
    if (which.mean) expectWithinStandardErrors(s.mean, means[j], s.standardError, { z, label: `${d.name} mean[${j}]` });
    if (which.variance)
      expectWithinStandardErrors(s.variance, vars[j], varianceStandardError(col), { z, label: `${d.name} variance[${j}]` });
    if (which.entropy && j < lps.length) {
      const e = summarize(lps[j].map((v) => -v));
      expectWithinStandardErrors(e.mean, ents[j], e.standardError, { z, atol: 1e-6, label: `${d.name} entropy[${j}]` });
    }
  });
  tf.dispose([x, lp]);
}

/** Asserts every call is memory-neutral (tensors it returns are disposed afterwards). */
export async function expectAllMemoryNeutral(family: string, calls: Record<string, () => unknown>): Promise<void> {
  for (const [name, call] of Object.entries(calls)) await expectMemoryNeutral(call, `${family}.${name}`);
}

/** The public methods of a distribution that take no parameters of their own beyond a value. */
export type PublicMethod =
  'sample' | 'rsample' | 'logProb' | 'prob' | 'cdf' | 'logCdf' | 'entropy' | 'mean' | 'variance' | 'stddev' | 'mode';

/** Every public method of a family with scalar events that defines them all. */
export const SCALAR_METHODS: readonly PublicMethod[] = [
  'sample',
  'rsample',
  'logProb',
  'prob',
  'cdf',
  'logCdf',
  'entropy',
  'mean',
  'variance',
  'stddev',
  'mode',
];

/** How the memory checks call a public method: draws of [3] with seed 1, the value, or nothing. */
function callOf(d: Distribution, method: PublicMethod, value: TensorInput): () => unknown {
  if (method === 'sample' || method === 'rsample') return () => d[method]([3], 1);
  if (method === 'logProb' || method === 'prob' || method === 'cdf' || method === 'logCdf') return () => d[method](value);
  return () => d[method]();
}

/**
 * Asserts that each of `methods` of `d` (called on `value` where they take one) and each `extra`
 * call (a gradient, a construction and dispose, a family's own method) is memory-neutral.
 */
export async function expectMethodsMemoryNeutral(
  d: Distribution,
  value: TensorInput,
  methods: readonly PublicMethod[],
  extra: Record<string, () => unknown> = {},
): Promise<void> {
  const calls: Record<string, () => unknown> = {};
  for (const m of methods) calls[m] = callOf(d, m, value);
  await expectAllMemoryNeutral(d.name, { ...calls, ...extra });
}

/**
 * The memory check of a family with one tensor parameter the caller owns: `build(param)` with param
 * = [2, 3] as a tensor is memory-neutral in each of `methods` (at the values [0.1, 0.2]), as are the
 * gradient of sum(logProb(0.5)) in the parameter, building from plain numbers and disposing, and
 * each `extra(param)` call; disposing the distribution leaves the caller's tensor alive.
 */
export async function expectOwnedParameterMemoryNeutral(
  build: (param: TensorInput) => Distribution,
  methods: readonly PublicMethod[] = SCALAR_METHODS,
  extra: (param: tf.Tensor) => Record<string, () => unknown> = () => ({}),
): Promise<void> {
  const param = tf.tensor([2, 3]);
  const d = build(param);
  await expectMethodsMemoryNeutral(d, [0.1, 0.2], methods, {
    grad: () => tf.grad((t: tf.Tensor) => tf.sum(build(t).logProb(0.5)))(param),
    ...extra(param),
    constructAndDispose: () => build([1, 2]).dispose(),
  });
  d.dispose();
  expect(param.isDisposed).toBe(false);
  param.dispose();
}

/**
 * 4000 draws of `d` with seed 0 pass a Kolmogorov-Smirnov test against the float64 `cdf`, and the
 * same seed gives the same numbers again (seed 0 is a seed like any other).
 */
export function expectSamplesPassKS(d: Distribution, cdf: (x: number) => number): void {
  const x = d.sample([4000], 0);
  expectKSPass(Array.from(x.dataSync()), cdf);
  const again = d.sample([4000], 0);
  expect(Array.from(again.dataSync())).toEqual(Array.from(x.dataSync()));
  tf.dispose([x, again]);
}

/**
 * Declares that a count family given tiny `probs` keeps log(1 - p) on every backend (wasm's
 * `tf.log1p` is log(1 + x), which rounds -1e-30 away): log p(0) = n log1p(-p) for n = 1000, the
 * family's `totalCount`, against float64 at p = 1e-30, 1e-8 and 1e-4.
 */
export function itKeepsTinyProbsOnEachBackend(
  Family: new (params: { totalCount: number; probs: number[] }) => Distribution,
  name: string,
): void {
  it(`${name}: log(1 - p) keeps tiny probs on every backend: log p(0) = n log1p(-p) against float64`, async () => {
    const probs = [1e-30, 1e-8, 1e-4].map(Math.fround);
    const expected = probs.map((p) => 1000 * Math.log1p(-p));
    const out = await runOnBackends(() => {
      const d = new Family({ totalCount: 1000, probs });
      const logProb = d.logProb(0);
      d.dispose();
      return logProb;
    });
    for (const [backend, [logProb]] of Object.entries(out)) expectClose(logProb, expected, { rtol: 1e-6, atol: 0, label: backend });
  });
}

/** The value of a scalar tensor-valued function and its gradient, as numbers. */
export function valueAndGrad(f: (t: tf.Tensor) => tf.Tensor, at: number): { value: number; grad: number } {
  return tf.tidy(() => {
    const { value, grad } = tf.valueAndGrad((t: tf.Tensor) => f(t) as tf.Scalar)(tf.scalar(at));
    return { value: value.dataSync()[0], grad: grad.dataSync()[0] };
  });
}

/** The methods beyond sample/logProb/prob/rsample that a family may or may not define. */
export type OptionalMethod = 'cdf' | 'logCdf' | 'entropy' | 'mean' | 'variance' | 'stddev' | 'mode';

/**
 * The hooks behind each optional method: a family defines the method when its class overrides any
 * of them, since {@link Distribution}'s `_cdf` is exp of `_logCdf` and its `_stddev` the square
 * root of `_variance`, and every other default throws `<name> does not define <method>()`.
 */
const HOOKS: Record<OptionalMethod, readonly string[]> = {
  cdf: ['_cdf', '_logCdf'],
  logCdf: ['_logCdf'],
  entropy: ['_entropy'],
  mean: ['_mean'],
  variance: ['_variance'],
  stddev: ['_stddev', '_variance'],
  mode: ['_mode'],
};

/**
 * The optional methods a family's class defines (`defined`) and those it leaves to the base
 * class's "does not define" error (`undefined`), read from its prototype chain (see {@link HOOKS}):
 * `undefines` names hooks it overrides only to throw that error.
 */
export function optionalMethods(
  family: abstract new (...args: never[]) => Distribution,
  undefines: readonly OptionalMethod[] = [],
): {
  defined: OptionalMethod[];
  undefined: OptionalMethod[];
} {
  const own = family.prototype as Record<string, unknown>;
  const base = Distribution.prototype as unknown as Record<string, unknown>;
  const all = Object.keys(HOOKS) as OptionalMethod[];
  const defines = (m: OptionalMethod) => !undefines.includes(m) && HOOKS[m].some((hook) => own[hook] !== base[hook]);
  return { defined: all.filter(defines), undefined: all.filter((m) => !defines(m)) };
}

/** Values outside the support of every family on the non-negative integers: a fraction, a negative, NaN and Infinity. */
export const NOT_COUNTS = [0.5, -1, NaN, Infinity];

/** The closed forms a Monte Carlo estimate checks. */
type MonteCarloForm = 'mean' | 'variance' | 'entropy';

/** What {@link describeStandardChecks} needs to know about a family. */
export interface StandardChecks<P extends { validateArgs?: boolean }> {
  /** The family's class: its constructor builds each distribution, its name labels the tests. */
  family: new (params: P) => Distribution;
  /** [params, batchShape, eventShape, sampleShape, expected sample shape] rows. */
  shapes: [P, number[], number[], number[], number[]][];
  /** Parameters of a small batch for the Monte Carlo, determinism and memory checks. */
  params: P;
  /**
   * The Monte Carlo check compares every closed form among mean, variance and entropy that the
   * family defines, but those in `skip` (where a sample average cannot check it at this size),
   * with `samples` draws (default 20000; fewer for slow samplers); it runs if any form is left.
   */
  monteCarlo?: { samples?: number; skip?: MonteCarloForm[] };
  /** A value in the support, broadcastable to the batch of `params`. */
  value: number | number[] | number[][];
  /**
   * Relative tolerance between the broadcast and the single logProb (default 1e-6): families whose
   * log mass is a difference of large terms (lgamma sums) carry TensorFlow's position-dependent
   * rounding of those terms, a few ulps of the terms rather than of the result.
   */
  broadcastRtol?: number;
  /**
   * Inherited methods the family's class overrides only to throw `does not define` (a subclass
   * without its parent's closed form); every other method it defines or not is read from its hooks
   * (see {@link optionalMethods}).
   */
  undefines?: OptionalMethod[];
  /**
   * Methods the family defines that the shape and memory checks leave out, each with a comment
   * saying why (a mode defined only for some parameters throws for the others with validation on).
   */
  skipMethods?: OptionalMethod[];
  /** Constructor calls that must throw, with the expected message. */
  badParams: [P, string | RegExp][];
  /** Values outside the support (each broadcast against the batch of `params`). */
  outside: (number | number[])[];
  /** The support's description as the validation message gives it. */
  supportMessage: RegExp;
  /**
   * Builds the family from one differentiable parameter tensor, with values in the support
   * (boundary points where the log density is finite included): the gradients of logProb in the
   * parameter and in the values (and of logProb(rsample()) for reparameterized families) must be
   * free of NaN.
   */
  finiteGradients: { build: (param: tf.Tensor) => Distribution; param: number[] | number[][]; values: number[] | number[][] };
}

/**
 * The checks every family shares: shapes and broadcasting, Monte Carlo moments, determinism by
 * seed, memory neutrality of every public method, validation messages, -Infinity outside the
 * support with validation off, and errors for undefined methods. Which methods a family defines
 * is read from the family itself ({@link optionalMethods} and its `reparameterized` flag), so a
 * config never lists them and a new hook is checked as soon as the family has it.
 */
export function describeStandardChecks<P extends { validateArgs?: boolean }>(c: StandardChecks<P>): void {
  const name = c.family.name;
  const make = (params: P): Distribution => new c.family(params);
  const optional = optionalMethods(c.family, c.undefines);
  const defined = optional.defined.filter((m) => !c.skipMethods?.includes(m));
  const notDefined = optional.undefined;
  describe(`${name} shapes`, () => {
    it.each(c.shapes)('%j: batchShape %j, eventShape %j; sample(%j) -> %j', (params, batchShape, eventShape, sampleShape, sampleOut) => {
      const d = make(params);
      expect(d.batchShape).toEqual(batchShape);
      expect(d.eventShape).toEqual(eventShape);
      const s = d.sample(sampleShape, 1);
      expect(s.shape).toEqual(sampleOut);
      const lp = d.logProb(s);
      expect(lp.shape).toEqual(sampleOut.slice(0, sampleOut.length - eventShape.length));
      expect(Array.from(lp.dataSync()).some((v) => Number.isNaN(v))).toBe(false);
      if (d.reparameterized) expect(d.rsample(sampleShape, 2).shape).toEqual(sampleOut);
      for (const m of defined) {
        if (m === 'cdf' || m === 'logCdf') expect(d[m](s).shape).toEqual(sampleOut);
        else if (m === 'entropy') expect(d.entropy().shape).toEqual(batchShape);
        else expect(d[m]().shape).toEqual([...batchShape, ...eventShape]);
      }
      tf.dispose([s, lp]);
      d.dispose();
    });
  });

  describe(`${name} broadcasting`, () => {
    it('logProb broadcasts a value against the batch and keeps leading sample axes', () => {
      const d = make(c.params);
      const one = d.logProb(c.value);
      expect(one.shape).toEqual(d.batchShape);
      const value = tf.tensor(c.value as number[]);
      const stacked = tf.stack([value, value, value]);
      const three = d.logProb(stacked);
      expect(three.shape).toEqual([3, ...d.batchShape]);
      // Not bit-equal: TensorFlow's vectorized exp/log round the same input differently by position in the buffer.
      expectClose(
        three,
        [0, 1, 2].flatMap(() => Array.from(one.dataSync())),
        { rtol: c.broadcastRtol ?? 1e-6, atol: 1e-7 },
      );
      tf.dispose([one, value, stacked, three]);
      d.dispose();
    });
  });

  describe(`${name} sampling`, () => {
    const forms = (['mean', 'variance', 'entropy'] as const).filter((f) => defined.includes(f) && !c.monteCarlo?.skip?.includes(f));
    if (forms.length > 0) {
      it('sample moments and -mean(logProb) match the closed forms within 5 standard errors', () => {
        const d = make(c.params);
        expectMomentsMatch(d, c.monteCarlo?.samples ?? 20000, 17, Object.fromEntries(forms.map((f) => [f, true])));
        d.dispose();
      });
    }

    it('is deterministic by seed', () => {
      const d = make(c.params);
      const [a, b, other] = [d.sample([6], 9), d.sample([6], 9), d.sample([6], 10)];
      expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
      expect(Array.from(a.dataSync())).not.toEqual(Array.from(other.dataSync()));
      tf.dispose([a, b, other]);
      d.dispose();
    });

    it('rsample() draws exactly when the family is flagged reparameterized, and throws otherwise', () => {
      const d = make(c.params);
      if (d.reparameterized) {
        const x = d.rsample([2], 1);
        expect(x.shape).toEqual([2, ...d.batchShape, ...d.eventShape]);
        x.dispose();
      } else expect(() => d.rsample([2], 1)).toThrow(`${name} is not reparameterized`);
      d.dispose();
    });
  });

  describe(`${name} gradients are never NaN`, () => {
    it('in the parameter and the value, on the boundary too, and through logProb(rsample())', () => {
      const { build, param, values } = c.finiteGradients;
      const [gp, gx] = tf.grads((p: tf.Tensor, x: tf.Tensor) => tf.sum(build(p).logProb(x)))([tf.tensor(param), tf.tensor(values)]);
      for (const [what, g] of [
        ['parameter', gp],
        ['value', gx],
      ] as const) {
        const bad = Array.from(g.dataSync()).findIndex((v) => Number.isNaN(v));
        if (bad >= 0) throw new Error(`${name}: gradient of logProb in the ${what} is NaN at flat index ${bad}`);
      }
      const probe = make(c.params);
      const reparameterized = probe.reparameterized;
      probe.dispose();
      if (reparameterized) {
        const g = tf.grad((p: tf.Tensor) => {
          const d = build(p);
          return tf.sum(d.logProb(d.rsample([64], 3)));
        })(tf.tensor(param));
        expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
      }
    });
  });

  describe(`${name} validation and memory`, () => {
    it.each(c.badParams)('rejects %j with a message naming the distribution, argument and constraint', (params, message) => {
      expect(() => make(params)).toThrow(message);
    });

    it('rejects values outside the support when validating', () => {
      const d = make(c.params);
      for (const v of c.outside) expect(() => d.logProb(v)).toThrow(c.supportMessage);
      d.dispose();
    });

    it('without validation, logProb outside the support is -Infinity, never NaN', () => {
      const d = make({ ...c.params, validateArgs: false });
      for (const v of c.outside) {
        const lp = d.logProb(v);
        expect(Array.from(lp.dataSync()).every((x) => x === -Infinity)).toBe(true);
        lp.dispose();
      }
      d.dispose();
    });

    if (notDefined.length) {
      it.each(notDefined)('%s() is not defined', (m) => {
        const d = make(c.params);
        const call = m === 'cdf' || m === 'logCdf' ? () => d[m](c.value) : () => d[m]();
        expect(call).toThrow(`${name} does not define`);
        d.dispose();
      });
    }

    it('every public method is memory-neutral, and dispose() frees what the constructor made', async () => {
      const d = make(c.params);
      await expectMethodsMemoryNeutral(
        d,
        c.value,
        ['sample', 'logProb', 'prob', ...(d.reparameterized ? (['rsample'] as const) : []), ...defined],
        {
          constructAndDispose: () => make(c.params).dispose(),
        },
      );
      d.dispose();
    });
  });
}
