// What the tests of the families on the sphere (VonMisesFisher, PowerSpherical) share: test points,
// a worst-error log against a fixture and the read-out of its closed forms, the Monte Carlo moments,
// the memory check, and the suite of shapes, seeding, validation and the reparameterized gradient in
// the mean direction; `directionalSuite` binds them to one family's file.
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { derivative64, expectClose, expectFinite, expectWithinStandardErrors, runOnBackends, summarize } from '@vae/testing';
import { familyName } from '@vae/distributions';
import type { Distribution } from '@vae/distributions';
import { expectMethodsMemoryNeutral } from './scalar-family-helpers.js';

/** A deterministic unit vector in R^d with every coordinate nonzero: cos(phase + step i) + offset, normalized. */
export function unitVector(d: number, phase: number, step: number, offset: number): number[] {
  const v = Array.from({ length: d }, (_, i) => Math.cos(phase + step * i) + offset);
  const n = Math.hypot(...v);
  return v.map((x) => Math.fround(x / n));
}

/** Points at given cosines t to mu: x = t mu + sqrt(1 - t^2) w, w the unit part of `w0` orthogonal to mu. */
export function pointsAt(mu: number[], cosines: number[], w0: number[]): number[][] {
  const dot = w0.reduce((s, v, i) => s + v * mu[i], 0);
  const w1 = w0.map((v, i) => v - dot * mu[i]);
  const n = Math.hypot(...w1);
  return cosines.map((t) => mu.map((m, i) => Math.fround(t * m + (Math.sqrt(1 - t * t) * w1[i]) / n)));
}

/**
 * The test points of one family's file: unit vectors `unitVector(d, phase)` (coordinates
 * cos(phase + step i) + offset, normalized) and `pointsAt(mu, cosines)`, whose component
 * orthogonal to mu comes from `unitVector(d, orthogonalPhase)`.
 */
function directionalTestPoints(
  step: number,
  offset: number,
  orthogonalPhase: number,
): { unitVector: (d: number, phase: number) => number[]; pointsAt: (mu: number[], cosines: number[]) => number[][] } {
  const at = (d: number, phase: number) => unitVector(d, phase, step, offset);
  return { unitVector: at, pointsAt: (mu, cosines) => pointsAt(mu, cosines, at(mu.length, orthogonalPhase)) };
}

/** A fixture case is extreme at kappa <= 1e-2, kappa >= 1e4 or d >= 256; ordinary otherwise. */
const isExtremeCase = (c: { d: number; kappa: number }): boolean => c.kappa <= 1.01e-2 || c.kappa >= 1e4 || c.d >= 256;

/** A fixture's cases grouped by dimension, as `[d, cases]` rows for `it.each`, in order of first appearance. */
function casesByDimension<C extends { d: number }>(cases: C[]): [number, C[]][] {
  return [...new Set(cases.map((c) => c.d))].map((d) => [d, cases.filter((c) => c.d === d)]);
}

/** A family on the sphere with its normalizer exposed. */
export type WithLogNormalizer = Distribution & { logNormalizer(): tf.Tensor };

/**
 * The closed forms of a batch `[K]` over concentrations, as arrays (mean and variance `[K, d]`),
 * each asserted finite.
 */
export function closedForms(d: WithLogNormalizer): {
  logNormalizer: ArrayLike<number>;
  entropy: ArrayLike<number>;
  mean: number[][];
  variance: number[][];
} {
  const forms = {
    logNormalizer: d.logNormalizer().dataSync(),
    entropy: d.entropy().dataSync(),
    mean: d.mean().arraySync() as number[][],
    variance: d.variance().arraySync() as number[][],
  };
  for (const [label, t] of Object.entries(forms)) expectFinite(Array.isArray(t) ? t.flat() : (t as ArrayLike<number>), label);
  return forms;
}

/** Asserts each tensor of `values` finite, labelled by `prefix` and its key. */
export function expectEachFinite(values: Record<string, tf.Tensor>, prefix = ''): void {
  for (const [label, t] of Object.entries(values)) expectFinite(t, `${prefix}${label}`);
}

/**
 * Draws `n` samples of `d` (one direction `mu`, a scalar concentration) with `seed` and checks
 * E[mu^T x] against mu^T mean(), -E[log p] against entropy(), and the sample variance of
 * `coordinate` against variance() (within 6 standard errors, its standard error from the fourth
 * moment ~ var sqrt(2 / n)). Returns the samples and their projections mu^T x.
 */
export function expectSampleMoments(
  d: Distribution,
  mu: number[],
  n: number,
  seed: number,
  coordinate: number,
): { x: tf.Tensor; t: number[] } {
  const x = d.sample([n], seed);
  const t = Array.from(tf.matMul(x, tf.tensor(mu, [mu.length, 1])).dataSync());
  const st = summarize(t);
  expectWithinStandardErrors(st.mean, dot64(d.mean().arraySync() as number[], mu), st.standardError, { label: 'E[mu^T x]' });
  const e = summarize(tf.neg(d.logProb(x)).dataSync());
  expectWithinStandardErrors(e.mean, d.entropy().dataSync()[0], e.standardError, { label: 'entropy', atol: 1e-4 });
  const xc = summarize(tf.slice(x, [0, coordinate], [n, 1]).dataSync());
  const vc = (d.variance().arraySync() as number[])[coordinate];
  expectWithinStandardErrors(xc.variance, vc, 3 * vc * Math.sqrt(2 / n), { label: `variance[${coordinate}]`, z: 6 });
  return { x, t };
}

/**
 * The validation messages both families give: a mean direction off the sphere, a `badConcentration`
 * (with its `message`), a one-dimensional direction, and the value `offSphere`.
 */
function expectDirectionalValidation(
  make: DirectionalFamily['make'],
  name: string,
  badConcentration: number,
  message: string,
  offSphere: number[],
): void {
  expect(() => make({ meanDirection: [1, 1], concentration: 1 })).toThrow(new RegExp(`${name}: meanDirection must be a unit vector`));
  expect(() => make({ meanDirection: [1, 0], concentration: badConcentration })).toThrow(message);
  expect(() => make({ meanDirection: [1], concentration: 1 })).toThrow(/meanDirection \(its last axis\) must be an integer >= 2/);
  expect(() => make({ meanDirection: [1, 0], concentration: 1 }).logProb(offSphere)).toThrow(
    new RegExp(`${name}: value must be in the support: a unit vector`),
  );
}

/** Every public method of a family on the sphere. */
const DIRECTIONAL_METHODS = ['sample', 'rsample', 'logProb', 'prob', 'entropy', 'mean', 'variance', 'stddev', 'mode'] as const;

/**
 * Every public method of `d` (at the value [0, 1]), its logNormalizer, and each `extra` call are
 * memory-neutral; disposing `d` leaves the caller's `owned` tensors alive.
 */
async function expectDirectionalMemoryNeutral(
  d: WithLogNormalizer,
  owned: tf.Tensor[],
  extra: Record<string, () => unknown>,
): Promise<void> {
  await expectMethodsMemoryNeutral(d, [0, 1], DIRECTIONAL_METHODS, { logNormalizer: () => d.logNormalizer(), ...extra });
  d.dispose();
  expect(owned.some((t) => t.isDisposed)).toBe(false);
}

/** The float64 dot product. */
export const dot64 = (a: number[], b: number[]): number => a.reduce((s, v, i) => s + v * b[i], 0);

/** Worst relative errors (|err| / max(|truth|, atol)) per quantity and regime, printed once after the file. */
class WorstErrors {
  private readonly worst: Record<string, { ordinary: number; extreme: number }> = {};

  constructor(family: string, oracle: string) {
    afterAll(() => {
      const parts = Object.entries(this.worst).map(
        ([q, w]) => `${q}: ordinary ${w.ordinary.toExponential(1)}, extreme ${w.extreme.toExponential(1)}`,
      );
      console.log(`[${family}] worst rel err (|err| / max(|truth|, atol)) vs ${oracle}: ${parts.join('; ')}`);
    });
  }

  /** Records one comparison at a fixture case, extreme by {@link isExtremeCase} (the caller asserts it). */
  record(quantity: string, c: { d: number; kappa: number }, actual: number, expected: number, atol: number): void {
    const extreme = isExtremeCase(c);
    const w = (this.worst[quantity] ??= { ordinary: 0, extreme: 0 });
    const rel = Math.abs(actual - expected) / Math.max(Math.abs(expected), atol);
    w[extreme ? 'extreme' : 'ordinary'] = Math.max(w[extreme ? 'extreme' : 'ordinary'], rel);
  }
}

/** What {@link describeDirectionalChecks} needs to know about a family. */
interface DirectionalFamily {
  /** The family's name. */
  name: string;
  /** The constructor. */
  make: (params: {
    meanDirection: tf.Tensor | number[];
    concentration: tf.Tensor | number | number[];
    validateArgs?: boolean;
  }) => Distribution;
  /** The rsample direction-gradient check: dimension 4 or 5 data, concentration, draws, |E[x]| (A). */
  directionGradient: { m: number[]; a: number[]; concentration: number; n: number; meanNorm: () => number };
  /** A concentration the family rejects with `message`, and a value off the sphere its logProb rejects. */
  validation: { badConcentration: number; message: string; offSphere: number[] };
}

/**
 * Shapes and broadcasting, determinism by seed with unit-norm samples, the validation messages and
 * -Infinity (never NaN) off the sphere without validation, and the gradient of
 * E[a^T x] in an unnormalized direction m through rsample (exact for both families: the radial
 * part does not depend on the direction): d/dm E[a^T x] = A (a - (a^T mu) mu) / |m| with mu = m / |m|.
 */
function describeDirectionalChecks(f: DirectionalFamily): void {
  describe(`${f.name} shapes and seeding`, () => {
    it.each([
      ['one direction', [0, 1], 2, [], [3], [3, 2]],
      ['batched kappa', [0, 0, 1], [1, 2], [2], [4], [4, 2, 3]],
      ['batched mu and kappa broadcast [2,1] x [3]', [[[1, 0]], [[0, 1]]], [1, 2, 3], [2, 3], [], [2, 3, 2]],
    ])('%s', (_name, meanDirection, concentration, batchShape, sampleShape, out) => {
      const d = f.make({ meanDirection: meanDirection as number[], concentration: concentration as number[] });
      expect(d.batchShape).toEqual(batchShape);
      const s = d.sample(sampleShape as number[], 1);
      expect(s.shape).toEqual(out);
      expect(d.logProb(s).shape).toEqual(out.slice(0, -1));
      expect(d.entropy().shape).toEqual(batchShape);
      const perCoordinate = [...(batchShape as number[]), out[out.length - 1]];
      for (const m of [d.mean(), d.mode(), d.variance()]) expect(m.shape).toEqual(perCoordinate);
    });

    it('is deterministic by seed; samples are unit vectors', () => {
      const d = f.make({ meanDirection: [0.6, 0.8], concentration: [1, 100] });
      const a = d.sample([5], 3);
      expectClose(a, d.sample([5], 3), { rtol: 0, atol: 0 });
      expect(Array.from(a.dataSync())).not.toEqual(Array.from(d.sample([5], 4).dataSync()));
      expectClose(tf.norm(a, 'euclidean', -1), tf.ones([5, 2]), { atol: 1e-5 });
    });
  });

  describe(`${f.name} validation`, () => {
    it('names the distribution, argument and constraint', () => {
      const { badConcentration, message, offSphere } = f.validation;
      expectDirectionalValidation(f.make, f.name, badConcentration, message, offSphere);
    });

    it('without validation, values off the sphere give -Infinity, never NaN', () => {
      const d = f.make({ meanDirection: [1, 0], concentration: 1, validateArgs: false });
      const lp = d
        .logProb([
          [2, 0],
          [NaN, 0],
          [0, 1],
        ])
        .arraySync() as number[];
      expect(lp[0]).toBe(-Infinity);
      expect(lp[1]).toBe(-Infinity);
      expectFinite(lp[2]);
      d.dispose();
    });
  });

  describe(`${f.name} reparameterized direction`, () => {
    it('rsample is differentiable in the direction: with mu = m / |m|, d/dm E[a^T x] = A (a - (a^T mu) mu) / |m|', () => {
      const { m, a, concentration, n } = f.directionGradient;
      const g = tf.grad((mm: tf.Tensor) => {
        const mu = tf.div(mm, tf.norm(mm));
        const x = f.make({ meanDirection: mu, concentration, validateArgs: false }).rsample([n], 9);
        return tf.mean(tf.matMul(x, tf.tensor(a, [a.length, 1])));
      })(tf.tensor(m));
      const norm = Math.hypot(...m);
      const mu = m.map((v) => v / norm);
      const aMu = dot64(a, mu);
      const meanNorm = f.directionGradient.meanNorm();
      expectClose(
        g,
        a.map((v, i) => (meanNorm * (v - aMu * mu[i])) / norm),
        { rtol: 0.05, atol: 0.01 },
      );
    });
  });
}

/** The test point of {@link expectConcentrationGradientsMatch}: a direction and a point on S^2. */
const D3_MU = [0, 0.6, 0.8];
const D3_X = [0.48, 0.6, -0.64];

/**
 * At d = 3 (mu = (0, 0.6, 0.8), x = (0.48, 0.6, -0.64)), the gradients in the concentration of
 * logProb(x) and of the entropy at `kappa` against float64 central differences of the closed forms
 * `logProb64(kappa, mu^T x)` and `entropy64(kappa)`, within the relative tolerances given (atol 1e-5).
 */
function expectConcentrationGradientsMatch(
  make: DirectionalFamily['make'],
  kappa: number,
  logProb64: (kappa: number, t: number) => number,
  entropy64: (kappa: number) => number,
  rtol: { logProb: number; entropy: number },
): void {
  const t = dot64(D3_MU, D3_X);
  const build = (concentration: tf.Tensor) => make({ meanDirection: D3_MU, concentration });
  const g = tf.grad((k: tf.Tensor) => build(k).logProb(D3_X))(tf.scalar(kappa));
  expectClose(
    g,
    derivative64((k) => logProb64(k, t), kappa),
    { rtol: rtol.logProb, atol: 1e-5, label: 'd logProb / d kappa' },
  );
  const ge = tf.grad((k: tf.Tensor) => build(k).entropy())(tf.scalar(kappa));
  expectClose(ge, derivative64(entropy64, kappa), { rtol: rtol.entropy, atol: 1e-5, label: 'd entropy / d kappa' });
  tf.dispose([g, ge]);
}

/** The quantities {@link expectBackendParity} compares. */
const PARITY_QUANTITIES = ['logProb', 'entropy', 'mean', 'variance'] as const;

/**
 * The cpu and wasm backends agree on logProb (at `x`), entropy, mean and variance of the family with
 * mean direction `mu` and a batch of `kappas` (one per row), within `tolerance[quantity]`.
 */
async function expectBackendParity(
  make: DirectionalFamily['make'],
  mu: number[],
  x: number[][],
  kappas: number[],
  tolerance: Record<(typeof PARITY_QUANTITIES)[number], { rtol: number; atol: number }>,
): Promise<void> {
  const quantities = PARITY_QUANTITIES;
  const results = await runOnBackends(() => {
    const d = make({ meanDirection: mu, concentration: kappas.map((k) => [k]) as unknown as number[] });
    const values = quantities.map((q) => (q === 'logProb' ? d.logProb(x) : d[q]()));
    d.dispose();
    return values;
  });
  results.cpu.forEach((v, i) => expectClose(results.wasm[i], v, { ...tolerance[quantities[i]], label: quantities[i] }));
}

/** A fixture of one family: its cases over dimension and concentration (and whatever else the file reads). */
export interface DirectionalFixture {
  /** One row a (d, kappa) with the oracle's values. */
  cases: { d: number; kappa: number }[];
}

/** One family's test kit: the family's name, constructor, fixture, oracle and test points, bound once. */
export interface DirectionalSuite<F extends DirectionalFixture> {
  /** The parsed fixture. */
  fixture: F;
  /** The fixture's cases grouped by dimension, as `[d, cases]` rows for `it.each`, in order of first appearance. */
  byDimension: [number, F['cases']][];
  /** Unit vectors of this file's test points (see {@link directionalTestPoints}). */
  unitVector: (d: number, phase: number) => number[];
  /** Points at given cosines to mu (see {@link directionalTestPoints}). */
  pointsAt: (mu: number[], cosines: number[]) => number[][];
  /** Records one comparison against the fixture in the worst-error log printed after the file. */
  record: WorstErrors['record'];
  /** {@link expectConcentrationGradientsMatch} for this family. */
  expectConcentrationGradientsMatch: (
    kappa: number,
    logProb64: (kappa: number, t: number) => number,
    entropy64: (kappa: number) => number,
    rtol: { logProb: number; entropy: number },
  ) => void;
  /** {@link expectBackendParity} for this family. */
  expectBackendParity: (
    mu: number[],
    x: number[][],
    kappas: number[],
    tolerance: Parameters<typeof expectBackendParity>[4],
  ) => Promise<void>;
  /** {@link expectDirectionalMemoryNeutral}. */
  expectMemoryNeutral: typeof expectDirectionalMemoryNeutral;
  /** {@link describeDirectionalChecks} for this family. */
  describeChecks: (checks: Pick<DirectionalFamily, 'validation' | 'directionGradient'>) => void;
}

/**
 * The kit of one family's test file: the family's constructor bound into the shared checks, the
 * fixture `test/fixtures/<fixture>` and a worst-error log against its `oracle`, and the test points
 * `directionalTestPoints(...points)`.
 */
export function directionalSuite<F extends DirectionalFixture>(
  family: new (params: Parameters<DirectionalFamily['make']>[0]) => Distribution,
  options: { fixture: string; oracle: string; points: [step: number, offset: number, orthogonalPhase: number] },
): DirectionalSuite<F> {
  const f = { name: familyName(family), make: (p: Parameters<DirectionalFamily['make']>[0]) => new family(p) };
  const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures', options.fixture), 'utf8')) as F;
  const errors = new WorstErrors(f.name, options.oracle);
  return {
    fixture,
    byDimension: casesByDimension(fixture.cases),
    ...directionalTestPoints(...options.points),
    record: errors.record.bind(errors),
    expectConcentrationGradientsMatch: (...args) => expectConcentrationGradientsMatch(f.make, ...args),
    expectBackendParity: (...args) => expectBackendParity(f.make, ...args),
    expectMemoryNeutral: expectDirectionalMemoryNeutral,
    describeChecks: (checks) => describeDirectionalChecks({ name: f.name, make: f.make, ...checks }),
  };
}
