import * as tf from '@tensorflow/tfjs-core';
import * as families from '@vae/distributions';
import { Chi2, Distribution, Exp, Gamma, Normal, VonMises, familyName } from '@vae/distributions';
import { expectMemoryNeutral } from '@vae/testing';
import { builtinKLEntries, createKLRegistry, defaultKLRegistry, klDivergence } from '../index.js';
import type { DistributionClass, KLEntry } from '../index.js';
import { NEVER_NESTING_PAIRS, klSupportNotContained } from './support.js';

// One distribution of each family the table names, with a batch of two different members; the
// families over vectors share their event shape ([3] on the sphere, [2] for the normals), so that
// every listed pair can be evaluated. A family added to the table needs a row here.
const LOC_SCALE = { loc: [0, 1], scale: [1, 2] };
const POSITIVE = [1.5, 3];
const OTHER_POSITIVE = [2, 0.5];
const TWO_POSITIVE = { concentration1: POSITIVE, concentration0: OTHER_POSITIVE };
const PROBS = [0.2, 0.7];
/** Two points in R^2: the locations of the families over vectors. */
const VECTOR_LOC = [
  [0, 1],
  [1, 0],
];
/** Two rows of logits over 3 categories. */
const LOGITS = [
  [0, 1, 2],
  [2, 0, 0],
];
const ON_THE_SPHERE = {
  meanDirection: [
    [0, 0, 1],
    [0.6, 0.8, 0],
  ],
  concentration: [1, 5],
};
/** One bijector object, shared by every TransformedDistribution here: the pair applies under the same bijector only. */
const EXP = new Exp();
/** The location-scale families on the real line share one specimen's parameters. */
const ON_THE_LINE = ['Normal', 'Laplace', 'Logistic', 'Cauchy', 'Gumbel', 'LogNormal'];

/** The constructor's argument of each family's specimen, by family name; a getter where it holds a distribution, made afresh. */
const SPECIMEN_PARAMETERS: Record<string, object> = {
  ...Object.fromEntries(ON_THE_LINE.map((name) => [name, LOC_SCALE])),
  StudentT: { df: POSITIVE, ...LOC_SCALE },
  Exponential: { rate: POSITIVE },
  Poisson: { rate: POSITIVE },
  HalfNormal: { scale: POSITIVE },
  HalfCauchy: { scale: POSITIVE },
  Gamma: { concentration: POSITIVE, rate: OTHER_POSITIVE },
  InverseGamma: { concentration: POSITIVE, scale: OTHER_POSITIVE },
  Weibull: { scale: POSITIVE, concentration: OTHER_POSITIVE },
  Pareto: { scale: POSITIVE, alpha: OTHER_POSITIVE },
  Beta: TWO_POSITIVE,
  Kumaraswamy: TWO_POSITIVE,
  Uniform: { low: [0, 0.25], high: [1, 0.5] },
  ContinuousBernoulli: { probs: PROBS },
  Bernoulli: { probs: PROBS },
  Geometric: { probs: PROBS },
  Binomial: { totalCount: [4, 9], probs: PROBS },
  NegativeBinomial: { totalCount: POSITIVE, probs: PROBS },
  Categorical: { logits: LOGITS },
  OneHotCategorical: { logits: LOGITS },
  Dirichlet: {
    concentration: [
      [1, 2, 3],
      [0.5, 0.5, 4],
    ],
  },
  MultivariateNormal: {
    loc: VECTOR_LOC,
    scaleTril: [
      [1, 0],
      [0.5, 2],
    ],
  },
  LowRankMultivariateNormal: { loc: VECTOR_LOC, covFactor: [[1], [0.5]], covDiag: [1, 2] },
  VonMisesFisher: ON_THE_SPHERE,
  PowerSpherical: ON_THE_SPHERE,
  HypersphericalUniform: { dim: 3, batchShape: [2] },
  VonMises: { loc: [0, 1], concentration: POSITIVE },
  get Independent() {
    return { distribution: new Normal({ loc: VECTOR_LOC, scale: [1, 2] }), reinterpretedBatchNdims: 1 };
  },
  get TransformedDistribution() {
    return { distribution: new Normal(LOC_SCALE), bijector: EXP };
  },
};

/** The specimen of a class of the table: the exported family of its name, built from its row. */
function specimen(cls: DistributionClass): Distribution {
  const name = familyName(cls);
  const params = SPECIMEN_PARAMETERS[name];
  if (!params) throw new Error(`no specimen for ${name}: add a row to SPECIMEN_PARAMETERS`);
  const Family = (families as unknown as Record<string, new (params: object) => Distribution>)[name];
  return new Family(params);
}

/** Frees a specimen, and the base distribution a wrapper (Independent, TransformedDistribution) was made of, which it does not free. */
function disposeSpecimen(d: Distribution): void {
  (d as { distribution?: Distribution }).distribution?.dispose();
  d.dispose();
}

const label = (e: KLEntry): string => `${familyName(e.p)} || ${familyName(e.q)}`;
const entryNames = (entries: readonly KLEntry[]): string[] => entries.map(label);

describe('builtinKLEntries, the default table of analytic pairs', () => {
  it('holds plain data: { p, q, kl } or { p, q, kl, when }, with exported family classes and functions', () => {
    const exported = families as unknown as Record<string, unknown>;
    const wrong = builtinKLEntries.filter(
      (e) =>
        Object.getPrototypeOf(e) !== Object.prototype ||
        !['kl,p,q', 'kl,p,q,when'].includes(Object.keys(e).sort().join()) ||
        ![e.p, e.q].every((C) => C.prototype instanceof Distribution && exported[familyName(C)] === C) ||
        typeof e.kl !== 'function' ||
        !(e.kl.length >= 2 && e.kl.length <= 3) ||
        !(e.when === undefined || typeof e.when === 'function'),
    );
    expect(entryNames(wrong)).toEqual([]);
    expect(builtinKLEntries.length).toBeGreaterThan(100);
  });

  it('pairs two distinct families, or a family with itself', () => {
    const selfPairs = builtinKLEntries.filter((e) => e.p === e.q);
    const crossPairs = builtinKLEntries.filter((e) => e.p !== e.q);
    expect(crossPairs.filter((e) => familyName(e.p) === familyName(e.q)).map(label)).toEqual([]);
    // The self-pairs are the listed same-family closed forms: none of them is the support rule's +Infinity.
    expect(selfPairs.filter((e) => e.kl === klSupportNotContained).map(label)).toEqual([]);
    expect(selfPairs.map((e) => familyName(e.p))).toEqual(
      expect.arrayContaining(['Normal', 'Beta', 'Independent', 'TransformedDistribution', 'VonMises']),
    );
  });

  it('lists no pair twice', () => {
    const seen = new Map<DistributionClass, Set<DistributionClass>>();
    const twice = builtinKLEntries.filter((e) => {
      const row = seen.get(e.p) ?? seen.set(e.p, new Set()).get(e.p)!;
      return row.has(e.q) || !row.add(e.q);
    });
    expect(entryNames(twice)).toEqual([]);
    // The registry built from it would refuse a repeated pair.
    expect(() => createKLRegistry([...builtinKLEntries, builtinKLEntries[0]])).toThrow(/already registered/);
  });

  it('is what the default registry dispatches: the same pairs, each to its own function', () => {
    const registered = defaultKLRegistry.pairs().map(([p, q]) => `${p} || ${q}`);
    expect([...registered].sort()).toEqual(entryNames(builtinKLEntries).sort());
    const elsewhere = builtinKLEntries.filter((e) => !defaultKLRegistry.has(e.p, e.q) || defaultKLRegistry.lookup(e.p, e.q) !== e.kl);
    expect(entryNames(elsewhere)).toEqual([]);
    // A subclass takes its base's pair: Chi2 || Chi2 is Gamma || Gamma, with no entry of its own.
    expect(builtinKLEntries.some((e) => e.p === Chi2 || e.q === Chi2)).toBe(false);
    expect(defaultKLRegistry.lookup(Chi2, Chi2)).toBe(builtinKLEntries.find((e) => e.p === Gamma && e.q === Gamma)!.kl);
  });

  it('holds every pair of the support rule, +Infinity unless listed with a closed form of its own', () => {
    const missing = NEVER_NESTING_PAIRS.filter(([P, Q]) => !builtinKLEntries.some((e) => e.p === P && e.q === Q));
    expect(missing.map(([P, Q]) => `${familyName(P)} || ${familyName(Q)}`)).toEqual([]);
    const appended = builtinKLEntries.slice(builtinKLEntries.findIndex((e) => e.p === VonMises && e.q === VonMises) + 1);
    expect(appended.length).toBeGreaterThan(0);
    expect(appended.filter((e) => e.kl !== klSupportNotContained).map(label)).toEqual([]);
  });

  it.each(builtinKLEntries.map((e) => [label(e), e] as const))(
    '%s: kl(p, q) is KL of the joint batch shape, >= 0, never NaN, +Infinity by the support rule, 0 for a self-pair of equal distributions, memory-neutral; klDivergence gives the same',
    async (name, e) => {
      const [p, q] = [specimen(e.p), specimen(e.q)];
      tf.tidy(() => {
        const kl = e.kl(p, q, defaultKLRegistry);
        expect(kl.shape).toEqual([2]);
        const values = Array.from(kl.dataSync());
        expect(values.filter((v) => !(v >= -1e-6))).toEqual([]);
        if (e.kl === klSupportNotContained) expect(values).toEqual([Infinity, Infinity]);
        if (e.p === e.q) expect(values.map((v) => Math.abs(v) < 1e-5)).toEqual([true, true]);
        expect(Array.from(klDivergence(p, q).dataSync())).toEqual(values);
      });
      await expectMemoryNeutral(() => e.kl(p, q, defaultKLRegistry), name);
      [p, q].forEach(disposeSpecimen);
    },
  );
});
