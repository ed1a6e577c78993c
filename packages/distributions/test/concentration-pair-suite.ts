// What the tests of the families on [0, 1] with two concentrations (the ConcentrationPair families,
// Beta and Kumaraswamy) share: the oracle grids, every pair of concentrations from an ordinary and an
// extreme list with and without values x, and the standard checks, alike but for the batch.
import type { ConcentrationPairParams, Distribution } from '@vae/distributions';
import { describeStandardChecks, f32 } from './scalar-family-helpers.js';
import { twoParameterShapes } from './shape-rows.js';
import { finiteGradientsByRow } from './gradient-checks.js';

/** One point of {@link concentrationPairCases}: float32 concentrations a, b and value x. */
export interface ConcentrationPairCase {
  a: number;
  b: number;
  x: number;
  /** Either concentration is extreme, or x is within 1e-3 of an end of [0, 1]. */
  extreme: boolean;
}

/** The float32 concentration pairs over `ordinary` then `extreme` values, as a batch and its oracle. */
export interface ConcentrationPairGrid {
  /** Every (a, b), a the outer loop. */
  pairs: (readonly [number, number])[];
  /** Either of the pair is not an ordinary value. */
  extreme: boolean[];
  /** The batch's constructor parameters, a as concentration1 and b as concentration0. */
  params: { concentration1: number[]; concentration0: number[] };
  /** `f(a, b)` over the pairs. */
  oracle: (f: (a: number, b: number) => number) => number[];
}

/** Every (a, b) over `ordinary` then `extreme` values, in float32, as a batch (see {@link ConcentrationPairGrid}). */
export function concentrationPairGrid(ordinary: number[], extreme: number[]): ConcentrationPairGrid {
  const all = [...ordinary, ...extreme];
  const pairs = all.flatMap((a) => all.map((b) => [f32(a), f32(b)] as const));
  return {
    pairs,
    extreme: pairs.map(([a, b]) => !ordinary.includes(a) || !ordinary.includes(b)),
    params: { concentration1: pairs.map((p) => p[0]), concentration0: pairs.map((p) => p[1]) },
    oracle: (f) => pairs.map(([a, b]) => f(a, b)),
  };
}

/** Every (a, b, x) over `ordinary` then `extreme` concentrations and the values `xs`, in float32, x the inner loop. */
export function concentrationPairCases(ordinary: number[], extreme: number[], xs: number[]): ConcentrationPairCase[] {
  return concentrationPairGrid(ordinary, extreme).pairs.flatMap(([a, b]) =>
    xs.map((x) => ({ a, b, x: f32(x), extreme: !ordinary.includes(a) || !ordinary.includes(b) || x < 1e-3 || x > 1 - 1e-3 })),
  );
}

/**
 * {@link describeStandardChecks} for a ConcentrationPair family: the shapes, values, validation
 * messages, support and NaN-free gradient rows are the same for each (every method but the mode,
 * which is undefined for concentrations below 1); a family gives the batch `params` of its Monte
 * Carlo, determinism and memory checks.
 */
export function describeConcentrationPairChecks(
  family: new (params: ConcentrationPairParams) => Distribution,
  params: { concentration1: number[]; concentration0: number[] },
): void {
  const name = family.name;
  describeStandardChecks<ConcentrationPairParams>({
    family,
    shapes: twoParameterShapes<ConcentrationPairParams>('concentration1', 'concentration0', [1, 2], [[1, 2], 3]),
    params,
    value: [0.1, 0.2, 0.3],
    // The mode is defined only where both concentrations are >= 1 (not both 1); these rows have smaller ones.
    skipMethods: ['mode'],
    badParams: [
      [{ concentration1: [1, -1], concentration0: 1 }, `${name}: concentration1 must be positive (> 0) and finite; got -1 at index [1]`],
      [{ concentration1: 1, concentration0: NaN }, new RegExp(`${name}: concentration0 must be positive`)],
    ],
    outside: [-0.1, 1.1, NaN, Infinity],
    supportMessage: new RegExp(`${name}: value must be in the support: in \\[0, 1\\]`),
    // Boundary values where the density is finite.
    finiteGradients: finiteGradientsByRow(family, { concentration1: [1, 2.5], concentration0: [3, 1] }, [0, 1]),
  });
}
