// Float64 reference functions and Monte Carlo gradient helpers shared by the samplers' tests.
import * as tf from '@tensorflow/tfjs-core';
import { expectFinite, expectKSPass, expectWithinStandardErrors, summarize } from '@vae/testing';
import type { TensorInput } from '@vae/math';

/**
 * The (a, b) concentration pairs the two-concentration samplers (Beta, Kumaraswamy) are checked on
 * by KS: both below 1, a flat one, moderate ones skewed each way, a tiny a, and a very concentrated one.
 */
export const CONCENTRATION_PAIRS: [number, number][] = [
  [0.5, 0.5],
  [1, 1],
  [2, 5],
  [10, 0.3],
  [0.1, 3],
  [1000, 1000],
];

/** I_(nu+1)(x) / I_nu(x) in float64 by the Gauss continued fraction (modified Lentz). */
export function besselRatio64(nu: number, x: number): number {
  // I_(nu+1)/I_nu = 1 / (2(nu+1)/x + 1 / (2(nu+2)/x + ...))
  const tiny = 1e-300;
  let f = tiny;
  let c = f;
  let d = 0;
  for (let k = 1; k < 10_000_000; k++) {
    const b = (2 * (nu + k)) / x;
    d = b + d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = b + 1 / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return f;
}

/** A_d(kappa) = E[mu^T z] for the von Mises-Fisher distribution on S^(d-1). */
export function vmfMeanCosine(d: number, kappa: number): number {
  return besselRatio64(d / 2 - 1, kappa);
}

/**
 * CDF of w = mu^T z under vMF(d, kappa), by quadrature in theta = arccos w (density proportional
 * to exp(kappa cos theta) sin^(d-2) theta on [0, pi], smooth for every d >= 2).
 */
export function vmfCosineCdf(d: number, kappa: number, points = 40_000): (w: number) => number {
  // Most of the mass sits within a few multiples of sqrt(d / kappa) of theta = 0.
  const thetaMax = Math.min(Math.PI, 30 * Math.sqrt(d / kappa) + 1e-3);
  const h = thetaMax / points;
  const logDensity = (t: number) => kappa * (Math.cos(t) - 1) + (d - 2) * Math.log(Math.sin(t) || 1e-300);
  let maxLog = -Infinity;
  for (let i = 0; i <= points; i++) maxLog = Math.max(maxLog, logDensity(i * h));
  const cumulative = new Float64Array(points + 1);
  let previous = Math.exp(logDensity(0) - maxLog);
  for (let i = 1; i <= points; i++) {
    const current = Math.exp(logDensity(i * h) - maxLog);
    cumulative[i] = cumulative[i - 1] + 0.5 * h * (previous + current);
    previous = current;
  }
  const total = cumulative[points];
  // P(W <= w) = P(theta >= arccos w) = 1 - F_theta(arccos w)
  return (w: number) => {
    const theta = Math.acos(Math.min(1, Math.max(-1, w)));
    if (theta >= thetaMax) return 0;
    const position = theta / h;
    const i = Math.floor(position);
    const frac = position - i;
    const f = i >= points ? total : cumulative[i] + frac * (cumulative[i + 1] - cumulative[i]);
    return Math.min(1, Math.max(0, 1 - f / total));
  };
}

/** Largest relative gradient-check error seen per sampler, printed once by {@link printGradientReport}. */
const gradientErrors = new Map<string, number>();

/** Records a gradient check's relative error under a sampler's name. */
export function recordGradientError(sampler: string, relativeError: number): void {
  gradientErrors.set(sampler, Math.max(gradientErrors.get(sampler) ?? 0, relativeError));
}

/** Prints the worst relative gradient-check error per sampler (call in afterAll). */
export function printGradientReport(): void {
  const lines = Array.from(gradientErrors.entries()).map(
    ([name, err]) => `  ${name}: worst relative gradient-check error ${err.toExponential(2)}`,
  );
  if (lines.length) console.log(`gradient checks\n${lines.join('\n')}`);
}

/**
 * Monte Carlo gradient check. `perElement(theta)` receives the parameter broadcast to one copy per
 * sample (shape [n]) and returns per-sample values f_i whose mean estimates E[f]; the gradient of
 * sum(f) with respect to that tensor gives each sample's pathwise derivative, so the estimate's
 * standard error comes from their spread. Asserts agreement with `truth` within `z` standard
 * errors (plus `atol`), records and returns the relative error.
 */
export function checkMonteCarloGradient(
  sampler: string,
  n: number,
  theta: number,
  perElement: (thetaFull: tf.Tensor) => tf.Tensor,
  truth: number,
  options: { z?: number; atol?: number; label?: string } = {},
): { estimate: number; standardError: number; relativeError: number } {
  const grads = tf.tidy(() => tf.grad((t: tf.Tensor) => tf.sum(perElement(t)))(tf.fill([n], theta)));
  const values = grads.dataSync();
  grads.dispose();
  const { mean, standardError } = summarize(values);
  const relativeError = Math.abs(mean - truth) / Math.abs(truth);
  expectWithinStandardErrors(mean, truth, standardError, {
    z: options.z ?? 4.5,
    atol: options.atol ?? 0,
    label: options.label ?? `${sampler} gradient`,
  });
  recordGradientError(sampler, relativeError);
  return { estimate: mean, standardError, relativeError };
}

/** Reads a tensor into a float64 array and disposes it. */
export function take(t: tf.Tensor): Float64Array {
  const out = Float64Array.from(t.dataSync() as ArrayLike<number>);
  t.dispose();
  return out;
}

/** A deterministic unit vector in R^d (every coordinate a pseudo-random sine of `seed` and its index, normalized). */
export function unitVector(d: number, seed: number): number[] {
  const v = Array.from({ length: d }, (_, i) => Math.sin(seed * 12.9898 + i * 78.233) + 0.1);
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

/** mu^T z for each row of z (shape [n, d]), differentiable in both; mu has shape [d]. */
export function cosineOf(z: tf.Tensor, mu: tf.Tensor): tf.Tensor {
  return tf.squeeze(tf.matMul(z, tf.reshape(mu, [mu.shape[0], 1])), [1]);
}

/** A sampler on the sphere S^(d-1): mean direction(s) and concentration(s) to samples of `shape` + [d]. */
export type SphereSampler = (meanDirection: TensorInput, concentration: TensorInput, shape: readonly number[], seed?: number) => tf.Tensor;

/**
 * Samples a batch of two mean directions in R^d (the second pointing away from the first) with
 * concentrations 2 and 30, n = 3000 draws each, and asserts each member's mean cosine mu_b^T z
 * matches `meanCosine(d, kappa_b)` within 4.5 standard errors.
 */
export function expectBatchMeanCosines(sample: SphereSampler, d: number, meanCosine: (d: number, kappa: number) => number): void {
  const mus = [unitVector(d, 11), unitVector(d, 12).map((x) => -x)];
  const kappas = [2, 30];
  const n = 3000;
  const z = take(sample(tf.tensor(mus), tf.tensor(kappas), [n, 2], 13));
  for (let b = 0; b < 2; b++) {
    const cosines = Array.from({ length: n }, (_, i) => mus[b].reduce((acc, m, j) => acc + m * z[(i * 2 + b) * d + j], 0));
    const s = summarize(cosines);
    expectWithinStandardErrors(s.mean, meanCosine(d, kappas[b]), s.standardError, { z: 4.5, label: `d=${d} batch ${b}` });
  }
}

/**
 * Samples `shape` + [d] around one mean direction in R^d with the concentrations 1e-4, 1, 1e3 and
 * 1e5 along the last axis of `shape`, and asserts the samples and the gradients of sum(z . v) in
 * the mean direction and the concentrations are finite. `inspect` sees the samples and the mean
 * direction before they are disposed.
 */
export function expectFiniteOverConcentrations(
  sample: SphereSampler,
  d: number,
  shape: number[],
  seed: number,
  inspect: (z: tf.Tensor, mu: tf.Tensor) => void = () => undefined,
): void {
  const mu = tf.tensor(unitVector(d, 1));
  const kappa = tf.tensor([1e-4, 1, 1e3, 1e5]);
  const z = sample(mu, kappa, shape, seed);
  inspect(z, mu);
  expectFinite(take(z), `samples, d = ${d}`);
  const [gm, gk] = tf.grads((m: tf.Tensor, k: tf.Tensor) => tf.sum(tf.mul(sample(m, k, shape, seed), tf.tensor(unitVector(d, 2)))))([
    mu,
    kappa,
  ]);
  expectFinite(take(gm), `mu gradient, d = ${d}`);
  expectFinite(take(gk), `kappa gradient, d = ${d}`);
  tf.dispose([mu, kappa]);
}

/**
 * The (d, kappa, n) cases on which each sampler on the sphere meets the law of its cosine
 * ({@link expectCosineLaw}): d from 2 to 1000, kappa from 1e-4 to 1000; n shrinks with d, since the
 * tangential part costs n (d - 1) normal draws.
 */
const SPHERE_CASES: [d: number, kappa: number, n: number][] = [
  [2, 0.3, 10000],
  [2, 0.5, 4000],
  [3, 1e-4, 4000],
  [3, 1, 10000],
  [3, 5, 4000],
  [3, 50, 10000],
  [3, 1000, 4000],
  [4, 2, 4000],
  [10, 0.5, 5000],
  [10, 50, 2000],
  [64, 20, 3000],
  [100, 20, 600],
  [1000, 100, 500],
];

/** A sampler on the sphere and the law of its cosine t = mu^T z at (d, kappa): its CDF and its mean A_d(kappa). */
export interface SphereSamplerLaw {
  sample: SphereSampler;
  cosineCdf: (d: number, kappa: number) => (t: number) => number;
  meanCosine: (d: number, kappa: number) => number;
}

/** The checks of one sampler on the sphere against the law of its cosine, bound to the sampler. */
export interface SphereSamplerChecks {
  /**
   * One test for each of {@link SPHERE_CASES}: `n` samples around `mu(d, kappa)` are unit vectors,
   * their cosines pass KS against the law's CDF and their mean is the law's within 4.5 standard
   * errors (and `atol`); `title` names the test with printf placeholders for d, kappa and n.
   */
  itMeetsCosineLaw: (title: string, label: string, mu: (d: number, kappa: number) => number[], atol: number) => void;
  /** {@link expectBatchMeanCosines} with the law's mean. */
  expectBatchMeanCosines: (d: number) => void;
  /** {@link expectFiniteOverConcentrations} for this sampler. */
  expectFiniteOverConcentrations: (d: number, shape: number[], seed: number, inspect?: (z: tf.Tensor, mu: tf.Tensor) => void) => void;
}

/** The checks of `law.sample` against the law of its cosine (see {@link SphereSamplerChecks}). */
export function sphereSamplerChecks(law: SphereSamplerLaw): SphereSamplerChecks {
  return {
    itMeetsCosineLaw: (title, label, mu, atol) =>
      it.each(SPHERE_CASES)(title, (d, kappa, n) => {
        const cosine = { cdf: law.cosineCdf(d, kappa), mean: law.meanCosine(d, kappa) };
        expectCosineLaw(law.sample, mu(d, kappa), kappa, n, cosine, { atol, label: `${label}(d=${d}, kappa=${kappa})` });
      }),
    expectBatchMeanCosines: (d) => expectBatchMeanCosines(law.sample, d, law.meanCosine),
    expectFiniteOverConcentrations: (d, shape, seed, inspect) => expectFiniteOverConcentrations(law.sample, d, shape, seed, inspect),
  };
}

/** The law of the cosine t = mu^T z of a sampler on the sphere: its CDF and its mean. */
interface CosineLaw {
  cdf: (t: number) => number;
  mean: number;
}

/**
 * Draws `n` samples of `sample` around `mu` with concentration `kappa` (seed 1) and asserts they
 * are unit vectors (within 1e-4), their cosines t = mu^T z pass KS against `law.cdf` (at 1e-4), and
 * their mean is `law.mean` within 4.5 standard errors (and `atol`).
 */
function expectCosineLaw(
  sample: SphereSampler,
  mu: number[],
  kappa: number,
  n: number,
  law: CosineLaw,
  options: { atol: number; label: string },
): void {
  const direction = tf.tensor(mu);
  const z = sample(direction, kappa, [n], 1);
  const norms = take(tf.norm(z, 'euclidean', -1));
  norms.forEach((v) => expect(Math.abs(v - 1)).toBeLessThan(1e-4));
  const t = take(cosineOf(z, direction));
  tf.dispose([direction, z]);
  expectKSPass(t, law.cdf, 1e-4, options.label);
  const s = summarize(t);
  expectWithinStandardErrors(s.mean, law.mean, s.standardError, { z: 4.5, atol: options.atol, label: `${options.label} E[t]` });
}
