/** Mean, unbiased variance and standard error of the mean of a sample. */
export interface SampleSummary {
  mean: number;
  variance: number;
  standardError: number;
  n: number;
}

/** Summarizes a sample in float64 (two-pass, so large means do not swamp the variance). */
export function summarize(values: ArrayLike<number>): SampleSummary {
  const n = values.length;
  if (n < 2) throw new Error('summarize needs at least two values');
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  const variance = ss / (n - 1);
  return { mean, variance, standardError: Math.sqrt(variance / n), n };
}

/**
 * Asserts a Monte Carlo estimate agrees with the truth within `z` standard errors (plus an
 * absolute slack for float32 rounding). The message gives the z-score.
 */
export function expectWithinStandardErrors(
  estimate: number,
  truth: number,
  standardError: number,
  options: { z?: number; atol?: number; label?: string } = {},
): void {
  const z = options.z ?? 5;
  const atol = options.atol ?? 0;
  const diff = Math.abs(estimate - truth);
  if (!(diff <= z * standardError + atol)) {
    throw new Error(
      `${options.label ?? 'estimate'} ${estimate} vs truth ${truth}: off by ${diff.toExponential(3)} = ` +
        `${(diff / standardError).toFixed(2)} standard errors (se ${standardError.toExponential(3)}, allowed z ${z})`,
    );
  }
}

/** Standard error of the sample variance for a sample with the given summary and fourth central moment. */
export function varianceStandardError(values: ArrayLike<number>): number {
  const { mean, variance, n } = summarize(values);
  let m4 = 0;
  for (let i = 0; i < n; i++) m4 += (values[i] - mean) ** 4;
  m4 /= n;
  return Math.sqrt(Math.max(m4 - ((n - 3) / (n - 1)) * variance * variance, 0) / n);
}

/** Result of a one-sample Kolmogorov-Smirnov test. */
export interface KSResult {
  statistic: number;
  /** Asymptotic p-value (Kolmogorov distribution with Stephens' small-sample correction). */
  pValue: number;
  n: number;
}

/** One-sample Kolmogorov-Smirnov test of `samples` against a continuous CDF. */
export function ksTest(samples: ArrayLike<number>, cdf: (x: number) => number): KSResult {
  const xs = Float64Array.from(samples).sort();
  const n = xs.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(xs[i]);
    d = Math.max(d, f - i / n, (i + 1) / n - f);
  }
  const sqrtN = Math.sqrt(n);
  const lambda = (sqrtN + 0.12 + 0.11 / sqrtN) * d;
  return { statistic: d, pValue: kolmogorovSurvival(lambda), n };
}

/** P(K > lambda) for the Kolmogorov distribution. */
export function kolmogorovSurvival(lambda: number): number {
  if (lambda < 0.2) return 1;
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = 2 * (k % 2 === 1 ? 1 : -1) * Math.exp(-2 * k * k * lambda * lambda);
    sum += term;
    if (Math.abs(term) < 1e-16) break;
  }
  return Math.min(Math.max(sum, 0), 1);
}

/** Asserts a KS test does not reject at level `alpha` (default 1e-4: seeded tests, few false alarms). */
export function expectKSPass(samples: ArrayLike<number>, cdf: (x: number) => number, alpha = 1e-4, label = 'sample'): KSResult {
  const r = ksTest(samples, cdf);
  if (!(r.pValue >= alpha)) {
    throw new Error(
      `${label}: Kolmogorov-Smirnov D = ${r.statistic.toExponential(3)} over n = ${r.n}, p = ${r.pValue.toExponential(3)} < ${alpha}`,
    );
  }
  return r;
}
