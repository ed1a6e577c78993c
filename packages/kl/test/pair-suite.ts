// Shared checks for every analytic pair, driven by the committed fixture (fixtures/kl.json, made
// by fixtures/generate_kl.py): values against float64/mpmath references, gradients against float64
// finite differences of the reference, a seeded Monte Carlo estimate, memory neutrality.
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Bernoulli,
  Beta,
  Categorical,
  Chi2,
  ContinuousBernoulli,
  Dirichlet,
  Exponential,
  Gamma,
  Gumbel,
  HypersphericalUniform,
  Independent,
  Kumaraswamy,
  Laplace,
  LogNormal,
  LowRankMultivariateNormal,
  MultivariateNormal,
  Normal,
  OneHotCategorical,
  PowerSpherical,
  Uniform,
  VonMisesFisher,
  Weibull,
} from '@vae/distributions';
import type { Distribution } from '@vae/distributions';
import { expectMemoryNeutral, expectWithinStandardErrors, summarize } from '@vae/testing';
import { klDivergence } from '../src/index.js';

type Value = number | string | null | Value[];
type Params = Record<string, Value>;

/** One fixture case: parameters of p and q, the reference divergence and its gradient. */
export interface FixtureCase {
  p: Params;
  q: Params;
  kl: number | string;
  tag: string;
  grad?: Record<string, Value>;
  [extra: string]: unknown;
}

/** One pair of the fixture. */
export interface FixturePair {
  p: string;
  q: string;
  oracle: string;
  cases: FixtureCase[];
}

interface Fixture {
  pairs: Record<string, FixturePair>;
  lgammaRemainder: { a: number; h: number; r: number }[];
}

const cached = new Map<string, Fixture>();

/** The parsed fixture file (default fixtures/kl.json). */
export function loadFixture(file = 'kl.json'): Fixture {
  if (!cached.has(file)) cached.set(file, JSON.parse(readFileSync(join(__dirname, 'fixtures', file), 'utf8')) as Fixture);
  return cached.get(file)!;
}

/** A fixture number ('inf' strings become Infinity, null becomes NaN). */
export function num(v: Value | unknown): number {
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  if (v === null) return NaN;
  return v as number;
}

/** Flattens a nested fixture value into numbers. */
export function flat(v: Value): number[] {
  return Array.isArray(v) ? v.flatMap(flat) : [num(v)];
}

/** Builds a distribution of the named fixture family from tensors. */
export function build(family: string, params: Record<string, tf.Tensor | number>, validateArgs = true): Distribution {
  const t = params as Record<string, tf.Tensor>;
  switch (family) {
    case 'Normal':
      return new Normal({ loc: t.loc, scale: t.scale, validateArgs });
    case 'LogNormal':
      return new LogNormal({ loc: t.loc, scale: t.scale, validateArgs });
    case 'Laplace':
      return new Laplace({ loc: t.loc, scale: t.scale, validateArgs });
    case 'Bernoulli':
      return new Bernoulli({ logits: t.logits, validateArgs });
    case 'ContinuousBernoulli':
      return new ContinuousBernoulli({ logits: t.logits, validateArgs });
    case 'Categorical':
      return new Categorical({ logits: t.logits, validateArgs });
    case 'OneHotCategorical':
      return new OneHotCategorical({ logits: t.logits, validateArgs });
    case 'Exponential':
      return new Exponential({ rate: t.rate, validateArgs });
    case 'Uniform':
      return new Uniform({ low: t.low, high: t.high, validateArgs });
    case 'Beta':
      return new Beta({ concentration1: t.concentration1, concentration0: t.concentration0, validateArgs });
    case 'Kumaraswamy':
      return new Kumaraswamy({ concentration1: t.concentration1, concentration0: t.concentration0, validateArgs });
    case 'Gamma':
      return new Gamma({ concentration: t.concentration, rate: t.rate, validateArgs });
    case 'Dirichlet':
      return new Dirichlet({ concentration: t.concentration, validateArgs });
    case 'MultivariateNormal':
      return new MultivariateNormal({ loc: t.loc, scaleTril: t.scaleTril, validateArgs });
    case 'VonMisesFisher':
      return new VonMisesFisher({ meanDirection: t.meanDirection, concentration: t.concentration, validateArgs });
    case 'PowerSpherical':
      return new PowerSpherical({ meanDirection: t.meanDirection, concentration: t.concentration, validateArgs });
    case 'HypersphericalUniform':
      return new HypersphericalUniform({ dim: params.dim as number, validateArgs });
    case 'IndependentNormal':
      return new Independent({ distribution: new Normal({ loc: t.loc, scale: t.scale, validateArgs }), reinterpretedBatchNdims: 1 });
    // Issue 20c's families.
    case 'Gumbel':
      return new Gumbel({ loc: t.loc, scale: t.scale, validateArgs });
    case 'Chi2':
      return new Chi2({ df: t.df, validateArgs });
    case 'LowRankMultivariateNormal':
      return new LowRankMultivariateNormal({ loc: t.loc, covFactor: t.covFactor, covDiag: t.covDiag, validateArgs });
    case 'Weibull':
      return new Weibull({ scale: t.scale, concentration: t.concentration, validateArgs });
    default:
      throw new Error(`unknown fixture family ${family}`);
  }
}

/** Tensors for a case's parameters (the ambient dimension `dim` stays a number). */
export function tensors(params: Params): Record<string, tf.Tensor | number> {
  const out: Record<string, tf.Tensor | number> = {};
  for (const [k, v] of Object.entries(params)) out[k] = k === 'dim' ? (v as number) : tf.tensor(v as number[]);
  return out;
}

/** The shape of a nested array. */
function shapeOf(v: Value): number[] {
  return Array.isArray(v) ? [v.length, ...shapeOf(v[0])] : [];
}

/** Shape signature of a case: cases with equal signatures can be stacked into one batch. */
function signature(c: FixtureCase): string {
  const shapes = (params: Params) =>
    Object.entries(params)
      .map(([k, v]) => (k === 'dim' ? `dim=${v}` : `${k}:${JSON.stringify(shapeOf(v))}`))
      .join(',');
  return `${shapes(c.p)}|${shapes(c.q)}`;
}

/** Groups (case, index) pairs by shape signature, keeping order. */
function groupByShapes<T extends readonly [FixtureCase, number]>(cases: T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const entry of cases) {
    const key = signature(entry[0]);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(entry);
  }
  return [...groups.values()];
}

/** p and q holding several cases of equal shapes as one batch along a new leading axis. */
function makeBatch(pair: FixturePair, cases: FixtureCase[]) {
  const stackSide = (side: 'p' | 'q') => {
    const out: Record<string, tf.Tensor | number> = {};
    for (const k of Object.keys(cases[0][side])) {
      out[k] = k === 'dim' ? (cases[0][side][k] as number) : tf.tensor(cases.map((c) => c[side][k]) as number[]);
    }
    return out;
  };
  const pt = stackSide('p');
  const qt = stackSide('q');
  return { p: build(pair.p, pt), q: build(pair.q, qt), pt, qt };
}

/**
 * The divergences of every case of a pair, one tensor per group of equally shaped cases (for
 * comparisons across backends).
 * @param name - the fixture key
 * @returns one tensor per group
 */
export function fixtureDivergences(name: string): tf.Tensor[] {
  const pair = loadFixture().pairs[name];
  return groupByShapes(pair.cases.map((c, i) => [c, i] as const)).map((group) => {
    const { p, q } = makeBatch(
      pair,
      group.map(([c]) => c),
    );
    return klDivergence(p, q);
  });
}

/** Options of {@link describePair}. */
export interface PairSuiteOptions {
  /** Relative tolerance against the fixture (default 1e-5); cases tagged 'nearly equal' use nearRtol. */
  rtol?: number;
  /** Relative tolerance of the 'nearly equal' cases (default rtol). */
  nearRtol?: number;
  /** Absolute tolerance (default 1e-12: tiny divergences are held to their relative accuracy; an exact 0 allows 1e-6). */
  atol?: number;
  /** Gradient tolerances (default rtol 2e-3, atol 1e-4 of the case's largest gradient entry). */
  gradRtol?: number;
  /** Indices of the cases checked by Monte Carlo (default: the first with a finite KL > 1e-3). */
  monteCarloCases?: number[];
  /** Samples per Monte Carlo check (default 4000). */
  numSamples?: number;
  /** Fixture file under test/fixtures holding the pair (default kl.json). */
  fixture?: string;
}

/**
 * Registers the standard checks of one fixture pair: values, gradients, Monte Carlo, memory.
 * @param name - the fixture key, e.g. 'Beta||Beta'
 * @param options - tolerances and Monte Carlo settings
 */
export function describePair(name: string, options: PairSuiteOptions = {}): void {
  const pair = loadFixture(options.fixture).pairs[name];
  if (!pair) throw new Error(`no fixture for ${name}`);
  const rtol = options.rtol ?? 1e-5;
  const nearRtol = options.nearRtol ?? rtol;
  const atol = options.atol ?? 1e-12;
  const make = (c: FixtureCase, validateArgs = true) => {
    const pt = tensors(c.p);
    const qt = tensors(c.q);
    return { p: build(pair.p, pt, validateArgs), q: build(pair.q, qt, validateArgs), pt, qt };
  };

  describe(`KL(${name}) [${pair.oracle}${options.fixture ? `, ${options.fixture}` : ''}]`, () => {
    it(`matches the reference values (${pair.cases.length} cases, batched by parameter shapes)`, () => {
      let worst = 0;
      let worstCase = -1;
      let worstNear = 0;
      const failures: string[] = [];
      for (const group of groupByShapes(pair.cases.map((c, i) => [c, i] as const))) {
        tf.tidy(() => {
          const { p, q } = makeBatch(
            pair,
            group.map(([c]) => c),
          );
          const values = klDivergence(p, q).dataSync();
          group.forEach(([c, i], j) => {
            const actual = values[j];
            const expected = num(c.kl);
            if (!Number.isFinite(expected)) {
              if (actual !== expected) failures.push(`case ${i} (${c.tag}): ${actual}, expected ${expected}`);
              return;
            }
            const err = Math.abs(actual - expected);
            const rel = expected === 0 ? err : err / Math.abs(expected);
            if (expected !== 0 && c.tag.includes('nearly equal')) worstNear = Math.max(worstNear, rel);
            if (expected !== 0 && rel > worst) {
              worst = rel;
              worstCase = i;
            }
            const tol = expected === 0 ? 1e-6 : atol + (c.tag.includes('nearly equal') ? nearRtol : rtol) * Math.abs(expected);
            if (!(err <= tol))
              failures.push(
                `case ${i} (${c.tag}) p=${JSON.stringify(c.p)} q=${JSON.stringify(
                  c.q,
                )}: ${actual}, expected ${expected}, rel err ${rel.toExponential(2)}`,
              );
          });
        });
      }
      console.log(
        `[KL ${name}] worst rel err vs fixture: ${worst.toExponential(2)} (case ${worstCase}${
          worstCase >= 0 ? ` ${pair.cases[worstCase].tag}` : ''
        }, ${pair.oracle}); nearly-equal cases: ${worstNear.toExponential(2)}`,
      );
      expect(failures).toEqual([]);
    });

    const withGrad = pair.cases.map((c, i) => [c, i] as const).filter(([c]) => c.grad);
    if (withGrad.length) {
      it(`gradients in both arguments match float64 finite differences (${withGrad.length} cases)`, () => {
        const failures: string[] = [];
        let worst = 0;
        for (const group of groupByShapes(withGrad)) {
          const keys = Object.keys(group[0][0].grad!);
          tf.tidy(() => {
            const { pt, qt } = makeBatch(
              pair,
              group.map(([c]) => c),
            );
            const inputs = keys.map((k) => (k.startsWith('p.') ? pt : qt)[k.slice(2)] as tf.Tensor);
            const f = (...xs: tf.Tensor[]) => {
              const pp = { ...pt };
              const qq = { ...qt };
              keys.forEach((k, j) => ((k.startsWith('p.') ? pp : qq)[k.slice(2)] = xs[j]));
              // Batch members are independent, so the gradient of the sum is each member's gradient.
              return tf.sum(klDivergence(build(pair.p, pp), build(pair.q, qq)));
            };
            const grads = tf
              .grads(f)(inputs)
              .map((g) => g.arraySync() as Value[]);
            group.forEach(([c, i], member) => {
              const expected = keys.map((k) => flat(c.grad![k]));
              const scale = Math.max(...expected.flat().filter(Number.isFinite).map(Math.abs), 1e-2);
              keys.forEach((k, j) => {
                const got = flat(grads[j][member]);
                expected[j].forEach((e, m) => {
                  if (!Number.isFinite(e)) return;
                  const err = Math.abs(got[m] - e);
                  const tol = 1e-4 * scale + (options.gradRtol ?? 2e-3) * Math.abs(e);
                  worst = Math.max(worst, err / (Math.abs(e) + 1e-4 * scale));
                  if (!(err <= tol)) failures.push(`case ${i} (${c.tag}) d/d${k}[${m}]: ${got[m]}, expected ${e}`);
                });
              });
            });
          });
        }
        console.log(`[KL ${name}] worst gradient rel err vs finite differences: ${worst.toExponential(2)}`);
        expect(failures).toEqual([]);
      });
    }

    it('agrees with a seeded Monte Carlo estimate (mean of log p - log q over samples of p)', () => {
      const firstFinite = pair.cases.findIndex((c) => Number.isFinite(num(c.kl)) && num(c.kl) > 1e-3 && !c.tag.includes('nearly equal'));
      const indices = options.monteCarloCases ?? [firstFinite >= 0 ? firstFinite : 0];
      for (const i of indices) {
        const c = pair.cases[i];
        tf.tidy(() => {
          const { p, q } = make(c, false);
          const exact = klDivergence(p, q).dataSync()[0];
          const z = p.sample([options.numSamples ?? 4000], 20261 + 7 * i);
          const terms = tf.sub(p.logProb(z), q.logProb(z)).dataSync();
          if (!Number.isFinite(exact)) {
            // Some draws of p fall where q has no density, so the estimate is +Infinity too.
            expect(Array.from(terms).some((v) => v === Infinity)).toBe(true);
            return;
          }
          const s = summarize(terms);
          expectWithinStandardErrors(s.mean, exact, s.standardError, {
            z: 5,
            atol: 1e-5 * (1 + Math.abs(exact)),
            label: `${name} case ${i}`,
          });
        });
      }
    });

    it('klDivergence is memory-neutral', async () => {
      const { p, q } = make(pair.cases[0]);
      await expectMemoryNeutral(() => klDivergence(p, q), `klDivergence(${name})`);
    });
  });
}
