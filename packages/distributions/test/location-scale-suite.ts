// The tests every location-scale family (Laplace, Logistic, Gumbel) runs against its @stdlib
// oracle: densities and CDFs over ordinary and extreme regimes, closed-form moments, gradients by
// float64 finite differences, a seeded Monte Carlo gradient of rsample, and the standard checks.
import * as tf from '@tensorflow/tfjs-core';
import { gradient64 } from '@vae/testing';
import type { Distribution, LocationScaleParams } from '@vae/distributions';
import { expectRsampleGradientsMatch, expectScoreGradientsMatch } from './gradient-checks.js';
import { errorReport, describeStandardChecks, f32 } from './scalar-family-helpers.js';
import type { StandardChecks } from './scalar-family-helpers.js';
import { scalarEventShapes } from './shape-rows.js';

/** The @stdlib functions of a location-scale family, arguments (x, loc, scale) or (loc, scale). */
export interface LocationScaleOracle {
  logpdf(x: number, loc: number, scale: number): number;
  cdf(x: number, loc: number, scale: number): number;
  logcdf(x: number, loc: number, scale: number): number;
  entropy(loc: number, scale: number): number;
  mean(loc: number, scale: number): number;
  variance(loc: number, scale: number): number;
  stdev(loc: number, scale: number): number;
  mode(loc: number, scale: number): number;
}

/** What {@link describeLocationScaleFamily} needs to know about a family. */
export interface LocationScaleFamily {
  /** The family's class: its constructor builds each distribution, its name labels the tests and messages. */
  family: new (params: LocationScaleParams) => Distribution;
  /** Its @stdlib oracle. */
  oracle: LocationScaleOracle;
  /** How many scales out the extreme values lie (the log CDF must stay accurate there). */
  farOut: number;
  /** Points where the gradient of logCdf in (loc, scale) is checked, at loc 0.3 and scale 1.7. */
  logCdfGradientAt: number[];
  /**
   * The second moment E[x^2] as a function of (loc, scale), written out for the test's name; a
   * family without one (Cauchy) gives another expectation E[statistic(x)] with a closed form.
   */
  secondMoment: { formula: string; value: (loc: number, scale: number) => number; statistic?: (x: tf.Tensor) => tf.Tensor };
  /** The Monte Carlo check's options (default: every closed form, 20000 draws). */
  monteCarlo?: StandardChecks<LocationScaleParams>['monteCarlo'];
  /** Values for the never-NaN gradient check, at loc [0.3, -1] and scale 2. */
  finiteGradientValues: [number, number];
  /** Tolerances of the mean (absolute is relative where the mean is a sum with loc). */
  meanTolerance?: number;
}

/**
 * Describes the shared oracle, gradient, Monte Carlo and standard checks of a location-scale family.
 * @param f - the family
 */
export function describeLocationScaleFamily(f: LocationScaleFamily): void {
  const name = f.family.name;
  const make = (params: LocationScaleParams): Distribution => new f.family(params);
  const report = errorReport(name, '@stdlib');

  describe(`${name} against @stdlib`, () => {
    // Scales from 1e-6 to 1e6 and values up to `farOut` scales out (the extreme regime).
    const cases: { loc: number; scale: number; x: number; extreme: boolean }[] = [];
    for (const loc of [0, -3, 1e3]) {
      for (const scale of [1e-6, 1e-2, 1, 1e3, 1e6]) {
        for (const k of [-f.farOut, -5, -1, 0, 0.5, 3, f.farOut]) {
          cases.push({
            loc: f32(loc),
            scale: f32(scale),
            x: f32(loc + k * scale),
            extreme: Math.abs(k) > 10 || scale === 1e-6 || scale === 1e6,
          });
        }
      }
    }
    const ext = cases.map((c) => c.extreme);

    it('logProb, cdf and logCdf', () => {
      const d = make({ loc: cases.map((c) => c.loc), scale: cases.map((c) => c.scale) });
      const x = cases.map((c) => c.x);
      const oracle = (fn: (x: number, m: number, s: number) => number) => cases.map((c) => fn(c.x, c.loc, c.scale));
      report.check('logProb', d.logProb(x), oracle(f.oracle.logpdf), ext, { ordinary: 1e-5, extreme: 1e-5 });
      report.check('cdf', d.cdf(x), oracle(f.oracle.cdf), ext, { ordinary: 1e-5, extreme: 1e-5 });
      report.check('logCdf', d.logCdf(x), oracle(f.oracle.logcdf), ext, { ordinary: 1e-5, extreme: 1e-5 });
      d.dispose();
    });

    it('entropy, mean, variance, stddev and mode', () => {
      const scales = [1e-6, 0.3, 1, 1e6].map(f32);
      const ext = scales.map((s) => s < 1e-3 || s > 1e3);
      const d = make({ loc: 2, scale: scales });
      const oracle = (fn: (m: number, s: number) => number) => scales.map((s) => fn(2, s));
      const meanTolerance = f.meanTolerance ?? 1e-7;
      report.check('entropy', d.entropy(), oracle(f.oracle.entropy), ext, { ordinary: 1e-6, extreme: 1e-6 });
      report.check('mean', d.mean(), oracle(f.oracle.mean), ext, { ordinary: meanTolerance, extreme: meanTolerance });
      report.check('variance', d.variance(), oracle(f.oracle.variance), ext, { ordinary: 1e-6, extreme: 1e-6 });
      report.check('stddev', d.stddev(), oracle(f.oracle.stdev), ext, { ordinary: 1e-6, extreme: 1e-6 });
      report.check('mode', d.mode(), oracle(f.oracle.mode), ext, { ordinary: 0, extreme: 0 });
      d.dispose();
    });
  });

  describe(`${name} gradients`, () => {
    it('logProb and logCdf gradients match float64 finite differences', () => {
      const makeFrom = (loc: tf.Tensor, scale: tf.Tensor) => make({ loc, scale });
      expectScoreGradientsMatch(makeFrom, f.oracle, [f32(0.3), f32(1.7)], f32(-0.4), f.logCdfGradientAt);
    });

    it(`rsample is differentiable: ${f.secondMoment.statistic ? 'E' : 'E[x^2]'} = ${f.secondMoment.formula}, its gradient by Monte Carlo`, () => {
      const [m, s] = [0.8, 1.3];
      const expected = gradient64(([loc, scale]) => f.secondMoment.value(loc, scale), [m, s]);
      expectRsampleGradientsMatch(
        (loc, scale) => make({ loc, scale }),
        [m, s],
        expected,
        { rtol: 0.05 },
        {
          statistic: f.secondMoment.statistic ?? tf.square,
        },
      );
    });
  });

  describeStandardChecks<LocationScaleParams>({
    family: f.family,
    shapes: scalarEventShapes({ loc: 0, scale: 1 }, { loc: [0, 1], scale: 1 }, { loc: [[0], [1]], scale: [1, 2, 3] }),
    params: { loc: [-1, 3, 0], scale: [0.5, 2, 1e-3] },
    monteCarlo: f.monteCarlo,
    value: [0.1, 0.2, 0.3],
    badParams: [
      [{ loc: 0, scale: [1, -1] }, `${name}: scale must be positive (> 0) and finite; got -1 at index [1]`],
      [{ loc: NaN, scale: 1 }, new RegExp(`${name}: loc must be a real number`)],
    ],
    outside: [NaN, Infinity, -Infinity],
    supportMessage: new RegExp(`${name}: value must be in the support: a real number`),
    finiteGradients: { build: (p) => make({ loc: p, scale: 2 }), param: [0.3, -1], values: f.finiteGradientValues },
  });
}
