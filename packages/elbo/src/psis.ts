import { InvalidArgumentError } from '@vae/math';

/** A fitted generalized Pareto distribution (location 0). */
export interface GeneralizedParetoFit {
  /** The shape k (xi); k > 0 is a heavy tail with finite moments of order < 1/k only. */
  k: number;
  /** The scale sigma > 0. */
  sigma: number;
}

/** Strength of the weakly informative prior on b's grid (Zhang and Stephens' default, as in PSIS). */
const PRIOR_BS = 3;
/** Weight (in pseudo-observations) of the weakly informative prior pulling k toward 0.5. */
const PRIOR_K = 10;

/**
 * Fits a generalized Pareto distribution to exceedances with the Zhang and Stephens (2009)
 * estimator and the weakly informative prior of the PSIS paper (Vehtari et al. 2024).
 *
 * @remarks
 * The GPD with shape k and scale sigma has density (1/sigma)(1 + k x / sigma)^(-1/k - 1). Zhang and
 * Stephens reparameterize by b = -k / sigma, profile k out as k(b) = mean_i log(1 - b x_i), and
 * average b over a grid of m = 30 + floor(sqrt(n)) quantile-spaced points
 * b_j = 1/x_(n) + (1 - sqrt(m / (j - 1/2))) / (3 x_(floor(n/4 + 1/2))), weighting each by its
 * profile likelihood L(b_j) = n [log(-b_j / k(b_j)) - k(b_j) - 1] (normalized, negligible weights
 * below 10 eps dropped). Then k = k(b_hat), sigma = -k / b_hat, and the PSIS paper's weakly
 * informative prior shrinks the shape: k <- (n k + 10 * 0.5) / (n + 10). Computed in float64.
 *
 * @param exceedances - positive values over the threshold, at least 5 (any order)
 * @returns the fitted shape `k` and scale `sigma`
 *
 * @example
 * ```ts
 * import { fitGeneralizedPareto } from '@vae/elbo';
 * // Exact quantiles of a GPD with k = 0.5, sigma = 1: x = ((1 - u)^(-k) - 1) / k
 * const x = Array.from({ length: 999 }, (_, i) => (Math.pow(1 - (i + 1) / 1000, -0.5) - 1) / 0.5);
 * console.log(fitGeneralizedPareto(x)); // { k: 0.4896, sigma: 1.0055 }
 * ```
 */
export function fitGeneralizedPareto(exceedances: ArrayLike<number>): GeneralizedParetoFit {
  const x = Float64Array.from(exceedances).sort();
  const n = x.length;
  if (n < 5 || !(x[0] > 0) || !Number.isFinite(x[n - 1])) {
    throw new InvalidArgumentError(
      'exceedances',
      'at least 5 positive finite values',
      `got ${n} values, smallest ${x[0]}, largest ${x[n - 1]}`,
      'fitGeneralizedPareto',
    );
  }
  const m = 30 + Math.floor(Math.sqrt(n));
  const quartile = x[Math.floor(n / 4 + 0.5) - 1];
  const b = new Float64Array(m);
  const profile = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    b[j] = 1 / x[n - 1] + (1 - Math.sqrt(m / (j + 0.5))) / (PRIOR_BS * quartile);
    const kj = meanLog1p(x, b[j]);
    profile[j] = n * (Math.log(-b[j] / kj) - kj - 1);
  }
  // w_j = 1 / sum_l exp(L_l - L_j), i.e. a softmax of the profile log likelihoods.
  let maxL = -Infinity;
  for (const l of profile) if (l > maxL) maxL = l;
  const weights = new Float64Array(m);
  let total = 0;
  for (let j = 0; j < m; j++) {
    weights[j] = Number.isFinite(profile[j]) ? Math.exp(profile[j] - maxL) : 0;
    total += weights[j];
  }
  let bHat = 0;
  let kept = 0;
  for (let j = 0; j < m; j++) {
    const w = weights[j] / total;
    if (w >= 10 * Number.EPSILON) {
      bHat += w * b[j];
      kept += w;
    }
  }
  bHat /= kept;
  const kRaw = meanLog1p(x, bHat);
  const sigma = -kRaw / bHat;
  const k = (n * kRaw + PRIOR_K * 0.5) / (n + PRIOR_K);
  return { k, sigma };
}

/** mean_i log(1 - b x_i). */
function meanLog1p(x: Float64Array, b: number): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.log1p(-b * x[i]);
  return s / x.length;
}

/**
 * The number of largest weights PSIS fits the tail to: M = ceil(min(S / 5, 3 sqrt(S))).
 * @param numSamples - the number of importance samples S
 * @returns M
 */
export function paretoTailSize(numSamples: number): number {
  return Math.ceil(Math.min(0.2 * numSamples, 3 * Math.sqrt(numSamples)));
}

/**
 * The Pareto-smoothed importance sampling diagnostic k-hat from the largest log importance weights.
 *
 * @param largestDescending - at least the M + 1 largest log weights, in descending order
 * @param numSamples - the total number of weights S they came from
 * @returns k-hat; NaN when S is too small to fit a tail (M < 5), -Infinity when the largest weights
 *   tie (fewer than 5 strictly exceed the threshold: bounded weights, no tail)
 */
export function paretoKFromTail(largestDescending: ArrayLike<number>, numSamples: number): number {
  const m = paretoTailSize(numSamples);
  if (largestDescending.length < m + 1) {
    throw new InvalidArgumentError(
      'largestDescending',
      `the ${m + 1} largest log weights`,
      `got ${largestDescending.length}`,
      'paretoKFromTail',
    );
  }
  if (m < 5) return NaN; // too few samples to fit a tail
  const top = largestDescending[0];
  if (!Number.isFinite(top)) return NaN;
  // Exceedances of the weights (scaled by the largest, so no overflow) over the (M+1)-th largest.
  const cutoff = Math.max(largestDescending[m] - top, Math.log(Number.MIN_VALUE));
  const expCutoff = Math.exp(cutoff);
  const tail: number[] = [];
  for (let i = 0; i < m; i++) {
    const v = largestDescending[i] - top;
    if (v > cutoff) tail.push(Math.exp(v) - expCutoff);
  }
  // The largest weights tie (e.g. a proposal equal to the target): no tail at all.
  if (tail.length < 5) return -Infinity;
  return fitGeneralizedPareto(tail).k;
}

/**
 * The Pareto k-hat diagnostic of a set of importance weights, given in log space (Vehtari,
 * Simpson, Gelman, Yao and Gabry, "Pareto smoothed importance sampling", 2015/2024).
 *
 * @remarks
 * A generalized Pareto distribution is fitted (see {@link fitGeneralizedPareto}) to the exceedances
 * w_(i) - w_(M+1) of the M = ceil(min(S/5, 3 sqrt(S))) largest weights over the next one. Its shape
 * estimates how many moments the weight distribution has (those of order < 1/k): k-hat < 0.5 means
 * finite variance and a reliable estimate; k-hat > 0.7 means the importance-sampling estimate
 * cannot be trusted (its error shrinks impractically slowly with S); in between, PSIS smoothing
 * would still help (the paper's threshold for S samples is min(1 - 1/log10(S), 0.7)).
 *
 * @param logWeights - the S log importance weights (any scale; only their differences matter)
 * @returns k-hat; NaN when S is too small (fewer than 5 tail points, S < 25) or the weights are not
 *   finite; -Infinity when the largest weights tie (constant weights: no tail)
 *
 * @example
 * ```ts
 * import { paretoKHat } from '@vae/elbo';
 * // Log weights of a lognormal proposal mismatch: log w ~ N(0, 2^2) gives a heavy tail.
 * let seed = 1;
 * const u = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
 * const logW = Array.from({ length: 4000 }, () => 2 * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()));
 * console.log(paretoKHat(logW)); // 0.65: above 0.5, the variance of w is (nearly) infinite in practice
 * ```
 */
export function paretoKHat(logWeights: ArrayLike<number>): number {
  const sorted = Float64Array.from(logWeights).sort().reverse();
  if (sorted.some((v) => Number.isNaN(v))) return NaN;
  return paretoKFromTail(sorted.subarray(0, paretoTailSize(sorted.length) + 1), sorted.length);
}

/**
 * The effective sample size of importance weights given in log space, (sum w)^2 / sum w^2.
 *
 * @remarks
 * Computed as exp(2 logsumexp(log w) - logsumexp(2 log w)) in float64, so weights spanning hundreds
 * of nats neither overflow nor underflow. It lies in [1, S]: S for equal weights, 1 when one weight
 * dominates. A small ESS warns that the estimate rests on few samples; unlike k-hat it can look fine
 * when the proposal misses a region entirely.
 *
 * @param logWeights - the S log importance weights
 * @returns the effective sample size, in [1, S]
 *
 * @example
 * ```ts
 * import { effectiveSampleSize } from '@vae/elbo';
 * console.log(effectiveSampleSize([0, 0, 0, 0])); // 4
 * console.log(effectiveSampleSize([0, -1000, -1000])); // 1
 * ```
 */
export function effectiveSampleSize(logWeights: ArrayLike<number>): number {
  const lse = new RunningLogSumExp();
  const lse2 = new RunningLogSumExp();
  for (let i = 0; i < logWeights.length; i++) {
    lse.add(logWeights[i]);
    lse2.add(2 * logWeights[i]);
  }
  return Math.exp(2 * lse.value - lse2.value);
}

/** A float64 log-sum-exp accumulated one value at a time (rescaled when a new maximum arrives). */
export class RunningLogSumExp {
  private max = -Infinity;
  private sum = 0;

  /** Adds one log value. */
  add(v: number): void {
    if (v === -Infinity) return;
    if (v > this.max) {
      this.sum = this.sum * Math.exp(this.max - v) + 1;
      this.max = v;
    } else {
      this.sum += Math.exp(v - this.max);
    }
  }

  /** log sum exp of everything added (-Infinity when nothing finite was). */
  get value(): number {
    return this.max === -Infinity ? -Infinity : this.max + Math.log(this.sum);
  }
}
