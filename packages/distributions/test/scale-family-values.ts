// The value and closed-form checks that the scale-only families on [0, Infinity) share (HalfNormal, HalfCauchy).
import type { TensorInput } from '@vae/math';
import type { Distribution } from '@vae/distributions';
import { describeStandardChecks, f32 } from './scalar-family-helpers.js';
import type { ErrorReport, StandardChecks } from './scalar-family-helpers.js';
import { grid2x3, scalarEventShapes } from './shape-rows.js';

/** The float64 oracle of a scale family: functions of (x, scale). */
export interface ScaleFamilyOracle {
  logpdf(x: number, scale: number): number;
  cdf(x: number, scale: number): number;
  logcdf(x: number, scale: number): number;
}

/**
 * Checks logProb, cdf and logCdf of `make(scales)` against `oracle` at x = k scale for the scales
 * 1e-6, 0.3, 1 and 1e6 and each k of `multiples`; a case is ordinary (tolerance 1e-6) at scale 0.3
 * or 1 with 1e-3 <= k <= 5, extreme (1e-5) otherwise. The errors go to `report`.
 */
export function checkScaleFamilyValues(
  report: ErrorReport,
  make: (scale: number[]) => Distribution,
  oracle: ScaleFamilyOracle,
  multiples: readonly number[],
): void {
  const cases: { s: number; x: number; extreme: boolean }[] = [];
  for (const s of [1e-6, 0.3, 1, 1e6])
    for (const k of multiples) cases.push({ s: f32(s), x: f32(k * f32(s)), extreme: (s !== 0.3 && s !== 1) || k < 1e-3 || k > 5 });
  const d = make(cases.map((c) => c.s));
  const x = cases.map((c) => c.x);
  const at = (f: (x: number, s: number) => number) => cases.map((c) => f(c.x, c.s));
  report.checkEach(
    cases.map((c) => c.extreme),
    { ordinary: 1e-6, extreme: 1e-5 },
    [
      ['logProb', d.logProb(x), at(oracle.logpdf)],
      ['cdf', d.cdf(x), at(oracle.cdf)],
      ['logCdf', d.logCdf(x), at(oracle.logcdf)],
    ],
  );
  d.dispose();
}

/** A closed-form row of {@link checkScaleFamilyMoments}: the quantity, its float64 value at a scale, and an own tolerance. */
export type ScaleFamilyMoment = [
  'entropy' | 'mean' | 'variance' | 'stddev' | 'mode',
  (scale: number) => number,
  { ordinary: number; extreme: number }?,
];

/**
 * Checks each quantity of `make(scales)` against its closed form at the scales 1e-6, 0.3, 2 and 1e6
 * (1e-6 and 1e6 extreme), within 1e-6 unless the row gives its own tolerance. The errors go to `report`.
 */
export function checkScaleFamilyMoments(report: ErrorReport, make: (scale: number[]) => Distribution, moments: ScaleFamilyMoment[]): void {
  const s = [1e-6, 0.3, 2, 1e6].map(f32);
  const d = make(s);
  report.checkEach(
    s.map((v) => v < 1e-3 || v > 1e3),
    { ordinary: 1e-6, extreme: 1e-6 },
    moments.map(([quantity, closedForm, tolerance]) => [quantity, d[quantity](), s.map(closedForm), tolerance]),
  );
  d.dispose();
}

/** The parameters of a scale-only family. */
interface ScaleParams {
  scale: TensorInput;
  validateArgs?: boolean;
}

/**
 * {@link describeStandardChecks} for a scale-only family on [0, Infinity) with every method defined:
 * the shapes, batch, values, validation messages and support are the same for each; a family gives
 * the options of its Monte Carlo check (the closed forms it skips) and the largest value of the NaN-free gradient
 * check (where its log density is still finite in float32).
 */
export function describeScaleFamilyChecks(
  family: new (params: ScaleParams) => Distribution,
  monteCarlo: StandardChecks<ScaleParams>['monteCarlo'],
  largestGradientValue: number,
): void {
  const name = family.name;
  describeStandardChecks<ScaleParams>({
    family,
    shapes: scalarEventShapes({ scale: 1 }, { scale: [1, 2] }, { scale: grid2x3(1) }),
    params: { scale: [0.5, 2, 1e-3] },
    monteCarlo,
    value: [0.1, 0.2, 0],
    badParams: [
      [{ scale: [1, -1] }, `${name}: scale must be positive (> 0) and finite; got -1 at index [1]`],
      [{ scale: NaN }, new RegExp(`${name}: scale must be positive`)],
    ],
    outside: [-1e-3, NaN, Infinity],
    supportMessage: new RegExp(`${name}: value must be in the support: non-negative`),
    finiteGradients: { build: (p) => new family({ scale: p }), param: [0.3, 2], values: [0, largestGradientValue] },
  });
}
