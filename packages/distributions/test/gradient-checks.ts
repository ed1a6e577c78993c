// The finite-difference check of logProb's and logCdf's gradients, the inverse-function check of
// icdf, and the parameters of the NaN-free gradient check, that the scalar families' tests share.
import * as tf from '@tensorflow/tfjs-core';
import { derivative64, expectClose, expectMemoryNeutral, gradient64 } from '@vae/testing';
import type { CloseOptions } from '@vae/testing';
import type { Distribution } from '@vae/distributions';
import type { StandardChecks } from './scalar-family-helpers.js';

/** What {@link expectLogProbGradientsMatch} differentiates, and how closely. */
export interface GradientCheckOptions {
  /** The method whose gradients are checked (default `logProb`). */
  method?: 'logProb' | 'logCdf';
  /** Relative tolerance (default 1e-4). */
  rtol?: number;
  /**
   * Absolute tolerance next to rtol (default 1e-5; 0 for a purely relative check); an array gives
   * one per gradient, the parameters' in order and then the value's.
   */
  atol?: number | number[];
}

/**
 * Asserts the gradient of `make(...params)[method](x)` in each parameter and in the value against
 * float64 central differences of `f64(x, ...params)` (rtol 1e-4, atol 1e-5 unless `options` say otherwise).
 */
export function expectLogProbGradientsMatch(
  make: (...params: tf.Tensor[]) => Distribution,
  f64: (x: number, ...params: number[]) => number,
  params: number[],
  x: number,
  options: GradientCheckOptions = {},
): void {
  const method = options.method ?? 'logProb';
  const g = tf.grads((...t: tf.Tensor[]) => make(...t.slice(0, -1))[method](t[t.length - 1]))([...params, x].map((v) => tf.scalar(v)));
  const atol = options.atol ?? 1e-5;
  const tolerance = (i: number) => ({ rtol: options.rtol ?? 1e-4, atol: typeof atol === 'number' ? atol : atol[i] });
  params.forEach((p, i) => {
    const along = (t: number) => f64(x, ...params.map((q, j) => (j === i ? t : q)));
    expectClose(g[i], derivative64(along, p), { ...tolerance(i), label: `d ${method} / d parameter ${i}` });
  });
  expectClose(
    g[params.length],
    derivative64((t) => f64(t, ...params), x),
    { ...tolerance(params.length), label: `d ${method} / d value` },
  );
  tf.dispose(g);
}

/**
 * {@link expectLogProbGradientsMatch} for logProb at `x` and for logCdf at each of `cdfAt` (default
 * `[x]`), both purely relative (atol 0), against the float64 `oracle.logpdf` and `oracle.logcdf`.
 */
export function expectScoreGradientsMatch(
  make: (...params: tf.Tensor[]) => Distribution,
  oracle: { logpdf: (x: number, ...params: number[]) => number; logcdf: (x: number, ...params: number[]) => number },
  params: number[],
  x: number,
  cdfAt: number[] = [x],
): void {
  expectLogProbGradientsMatch(make, oracle.logpdf, params, x, { atol: 0 });
  for (const at of cdfAt) expectLogProbGradientsMatch(make, oracle.logcdf, params, at, { method: 'logCdf', atol: 0 });
}

/** The probabilities at which {@link expectIcdfInvertsCdf} checks icdf's gradient. */
const GRADIENT_PROBABILITIES = [0.01, 0.3, 0.99].map(Math.fround);

/**
 * Asserts that icdf is the inverse of cdf: cdf(icdf(p)) = p at each of `p` (relative `rtol`),
 * d icdf / dp = 1 / pdf(icdf(p)) at p = 0.01, 0.3, 0.99 against the float64 `pdfAtQuantile(p)`
 * (rtol 1e-4), and that icdf is memory-neutral.
 */
export async function expectIcdfInvertsCdf(
  d: Distribution,
  p: number[],
  rtol: number,
  pdfAtQuantile: (p: number) => number,
): Promise<void> {
  const x = d.icdf(p);
  expectClose(d.cdf(x), p, { rtol, atol: 0, label: 'cdf(icdf(p))' });
  const g = tf.grad((t: tf.Tensor) => d.icdf(t))(tf.tensor(GRADIENT_PROBABILITIES));
  expectClose(
    g,
    GRADIENT_PROBABILITIES.map((v) => 1 / pdfAtQuantile(v)),
    { rtol: 1e-4, label: 'd icdf / dp' },
  );
  tf.dispose([x, g]);
  await expectMemoryNeutral(() => d.icdf([0.05, 0.2, 0.7]), `${d.name}.icdf`);
}

/**
 * The reparameterized gradient: d/dparams of the mean of `statistic(x)` (default x) over `n`
 * draws (default 20000, seed 5) of `make(...params).rsample`, against `expected` (closed forms, or
 * finite differences of one), each within its tolerance (one for all, or one per parameter).
 */
export function expectRsampleGradientsMatch(
  make: (...params: tf.Tensor[]) => Distribution,
  params: number[],
  expected: number[],
  tolerance: CloseOptions | CloseOptions[],
  options: { n?: number; seed?: number; statistic?: (x: tf.Tensor) => tf.Tensor } = {},
): void {
  const statistic = options.statistic ?? ((x: tf.Tensor) => x);
  const g = tf.grads((...t: tf.Tensor[]) => tf.mean(statistic(make(...t).rsample([options.n ?? 20000], options.seed ?? 5))))(
    params.map((v) => tf.scalar(v)),
  );
  g.forEach((gi, i) =>
    expectClose(gi, expected[i], { ...(Array.isArray(tolerance) ? tolerance[i] : tolerance), label: `d E[statistic] / d parameter ${i}` }),
  );
  tf.dispose(g);
}

/**
 * {@link expectRsampleGradientsMatch} against float64 central differences (step `h`, default
 * gradient64's) of `mean64`, the mean as a function of the parameters, for a family whose mean has a
 * closed form or a quadrature but no derivative at hand.
 */
export function expectRsampleMeanGradientsMatch(
  make: (...params: tf.Tensor[]) => Distribution,
  params: number[],
  mean64: (...params: number[]) => number,
  tolerance: CloseOptions | CloseOptions[],
  h?: number,
): void {
  expectRsampleGradientsMatch(
    make,
    params,
    gradient64((p) => mean64(...p), params, h),
    tolerance,
  );
}

/**
 * A {@link StandardChecks} `finiteGradients` entry whose parameters all come from one tensor, one row
 * each in the order of `rows`, so that one gradient covers them all; `values` lie in the support.
 */
export function finiteGradientsByRow<P extends { validateArgs?: boolean }>(
  family: new (params: P) => Distribution,
  rows: Partial<Record<keyof P, number[]>>,
  values: number[],
): StandardChecks<P>['finiteGradients'] {
  const names = Object.keys(rows);
  return {
    build: (p) => new family(Object.fromEntries(names.map((name, i) => [name, tf.gather(p, i)])) as unknown as P),
    param: Object.values(rows) as number[][],
    values,
  };
}
