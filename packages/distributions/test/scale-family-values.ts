// The value checks that the scale-only families on [0, Infinity) share (HalfNormal, HalfCauchy).
import type { Distribution } from '@vae/distributions';
import { f32 } from './scalar-family-helpers.js';
import type { ErrorReport } from './scalar-family-helpers.js';

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
