// icdf on the families with a closed-form or stable quantile (issue 20): against float64 closed
// forms written with log1p (and @stdlib's quantile where it keeps its precision), cdf(icdf(p)) = p
// from p = 1e-30 to 1 - 2^-24, the gradient 1 / pdf(icdf(p)), and memory neutrality. Gumbel,
// HalfNormal, Cauchy, HalfCauchy and Pareto test theirs beside their sources.
import * as tf from '@tensorflow/tfjs-core';
import exponentialDist from '@stdlib/stats-base-dists-exponential';
import kumaraswamyDist from '@stdlib/stats-base-dists-kumaraswamy';
import laplaceDist from '@stdlib/stats-base-dists-laplace';
import logisticDist from '@stdlib/stats-base-dists-logistic';
import normalDist from '@stdlib/stats-base-dists-normal';
import uniformDist from '@stdlib/stats-base-dists-uniform';
import { expectClose, expectMemoryNeutral } from '@vae/testing';
import { Exponential, Kumaraswamy, Laplace, Logistic, Normal, Uniform } from '../src/index.js';
import type { Distribution } from '../src/index.js';
import { f32 } from './scalar-family-helpers.js';

/** Phi^-1(p) for p < 1/2 by bisection on @stdlib's float64 CDF (its quantile gives -Infinity at p = 1e-30). */
function standardNormalQuantile(p: number): number {
  let [lo, hi] = [-40, 0];
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (normalDist.cdf(mid, 0, 1) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

const P = [1e-30, 1e-8, 0.05, 0.3, 0.5, 0.9, 1 - 2 ** -20, 1 - 2 ** -24].map(f32);
const MIDDLE = P.slice(2, 6);

interface Case {
  make: () => Distribution;
  /** The float64 quantile, accurate in both tails. */
  quantile: (p: number) => number;
  /** @stdlib's quantile (checked on the middle probabilities only). */
  stdlib: (p: number) => number;
  pdf: (x: number) => number;
  /** Tolerance of cdf(icdf(p)) = p: rounding x to float32 moves the CDF by 6e-8 x pdf(x) / cdf(x). */
  roundTrip: number;
}

const CASES: [string, Case][] = [
  [
    'Normal',
    {
      make: () => new Normal({ loc: 1, scale: 2 }),
      quantile: (p) => 1 + 2 * (p < 0.5 ? standardNormalQuantile(p) : -standardNormalQuantile(1 - p)),
      stdlib: (p) => normalDist.quantile(p, 1, 2),
      pdf: (x) => normalDist.pdf(x, 1, 2),
      roundTrip: 2e-5,
    },
  ],
  [
    'Laplace',
    {
      make: () => new Laplace({ loc: 1, scale: 2 }),
      quantile: (p) => (p < 0.5 ? 1 + 2 * Math.log(2 * p) : 1 - 2 * Math.log(2 * (1 - p))),
      stdlib: (p) => laplaceDist.quantile(p, 1, 2),
      pdf: (x) => laplaceDist.pdf(x, 1, 2),
      roundTrip: 1e-5,
    },
  ],
  [
    'Logistic',
    {
      make: () => new Logistic({ loc: 1, scale: 2 }),
      quantile: (p) => 1 + 2 * (Math.log(p) - Math.log1p(-p)),
      stdlib: (p) => logisticDist.quantile(p, 1, 2),
      pdf: (x) => logisticDist.pdf(x, 1, 2),
      roundTrip: 1e-5,
    },
  ],
  [
    'Exponential',
    {
      make: () => new Exponential({ rate: 3 }),
      quantile: (p) => -Math.log1p(-p) / 3,
      stdlib: (p) => exponentialDist.quantile(p, 3),
      pdf: (x) => exponentialDist.pdf(x, 3),
      roundTrip: 2e-6,
    },
  ],
  [
    'Uniform',
    {
      make: () => new Uniform({ low: -1, high: 3 }),
      quantile: (p) => -1 + 4 * p,
      stdlib: (p) => uniformDist.quantile(p, -1, 3),
      pdf: () => 0.25,
      roundTrip: 1e-5,
    },
  ],
  [
    'Kumaraswamy',
    {
      make: () => new Kumaraswamy({ concentration1: 2, concentration0: 5 }),
      quantile: (p) => Math.exp(Math.log(-Math.expm1(Math.log1p(-p) / 5)) / 2),
      stdlib: (p) => kumaraswamyDist.quantile(p, 2, 5),
      pdf: (x) => kumaraswamyDist.pdf(x, 2, 5),
      roundTrip: 1e-5,
    },
  ],
];

describe('icdf', () => {
  it.each(CASES)('%s: float64 quantile and @stdlib, cdf(icdf(p)) = p in both tails, gradient 1 / pdf, memory-neutral', async (name, c) => {
    const d = c.make();
    expectClose(d.icdf(P), P.map(c.quantile), { rtol: 2e-6, atol: 1e-6 });
    expectClose(d.icdf(MIDDLE), MIDDLE.map(c.stdlib), { rtol: 2e-6, atol: 1e-6 });
    // Uniform's CDF at its upper end, and the 1e-30 tail of the bounded families, are exact only to an absolute 1e-7.
    const x = d.icdf(P);
    expectClose(d.cdf(x), P, { rtol: c.roundTrip, atol: name === 'Uniform' || name === 'Kumaraswamy' ? 1e-7 : 0 });
    const at = [0.01, 0.3, 0.99].map(f32);
    const g = tf.grad((p: tf.Tensor) => d.icdf(p))(tf.tensor(at));
    expectClose(
      g,
      at.map((p) => 1 / c.pdf(c.quantile(p))),
      { rtol: 1e-4 },
    );
    expect(() => d.icdf(1.5)).toThrow(`${name}: probability must be in [0, 1]; got 1.5`);
    tf.dispose([x, g]);
    await expectMemoryNeutral(() => d.icdf([0.2, 0.7]), `${name}.icdf`);
    d.dispose();
  });
});
