// The implicit reparameterization gradient of a standard Gamma sample (Figurnov, Mohamed and Mnih
// 2018), in float64 on the host. Holding the quantile u = P(a, x) fixed,
//   dx/da = -(dP/da)(a, x) / p(x; a),   p(x; a) = x^(a-1) e^-x / Gamma(a).
// We return d(log x)/da, which stays representable when x itself underflows (a = 1e-3 puts most
// of the mass below float32's smallest number), and is what the log-space samplers need.
//
// Below x = a + 1 + 3 sqrt(a) we use the power series of P, whose terms are positive:
//   P = x^a e^-x / Gamma(a + 1) * S,  S = sum_n t_n,  t_0 = 1,  t_n = t_(n-1) x / (a + n),
// and dividing dP/da by p cancels every Gamma function and power:
//   d(log x)/da = -(S (log x - psi(a + 1)) + S') / a,   S' = dS/da.
// Past x = a the terms first grow (by at most ~e^4.5 at the switch), so the cancellation in the
// bracket costs under three of float64's sixteen digits. Above the switch, Legendre's continued
// fraction of the upper function Q = 1 - P,
//   Q = x^a e^-x / Gamma(a) * CF,  CF = 1/(x+1-a- 1(1-a)/(x+3-a- 2(2-a)/(x+5-a- ...))),
// evaluated by the modified Lentz method with its a-derivative carried alongside, gives
//   d(log x)/da = (log x - psi(a)) CF + CF'.
// The continued fraction converges slowly just above x = a, hence the switch point. Both need
// O(sqrt(a)) terms for large a; iterations stop at relative change 1e-15.

const EPS = 1e-15;
const TINY = 1e-300;
const MAX_ITERATIONS = 100000;

/** Digamma in float64 for x > 0: recurrence up to x >= 10, then the asymptotic series. */
export function digamma64(x: number): number {
  let result = 0;
  while (x < 10) {
    result -= 1 / x;
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  const series = inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132)))));
  return result + Math.log(x) - 0.5 * inv - series;
}

function seriesLogDerivative(a: number, logX: number, x: number): number {
  // S = sum t_n and S' = dS/da = -sum t_n H_n with H_n = sum_{k=1..n} 1/(a + k).
  let t = 1;
  let harmonic = 0;
  let sum = 1;
  let sumDerivative = 0;
  for (let n = 1; n < MAX_ITERATIONS; n++) {
    t *= x / (a + n);
    harmonic += 1 / (a + n);
    sum += t;
    sumDerivative -= t * harmonic;
    if (t < EPS * sum && t * harmonic <= EPS * Math.abs(sumDerivative)) break;
  }
  // dP/da / p = (x / a) (S (log x - psi(a + 1)) + S'), and d(log x)/da = (dx/da) / x.
  return -(sum * (logX - digamma64(a + 1)) + sumDerivative) / a;
}

function continuedFractionLogDerivative(a: number, logX: number, x: number): number {
  let b = x + 1 - a;
  const db = -1;
  let c = 1 / TINY;
  let dc = 0;
  let d = 1 / b;
  let dd = -db / (b * b);
  let h = d;
  let dh = dd;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    const dan = i;
    b += 2;
    let denominator = an * d + b;
    const dDenominator = dan * d + an * dd + db;
    if (Math.abs(denominator) < TINY) denominator = TINY;
    d = 1 / denominator;
    dd = -dDenominator * d * d;
    let cNext = b + an / c;
    const dcNext = db + dan / c - (an * dc) / (c * c);
    if (Math.abs(cNext) < TINY) cNext = TINY;
    c = cNext;
    dc = dcNext;
    const delta = d * c;
    const dDelta = dd * c + d * dc;
    const previous = dh;
    dh = dh * delta + h * dDelta;
    h *= delta;
    if (Math.abs(delta - 1) < EPS && Math.abs(dh - previous) <= EPS * Math.abs(dh)) break;
  }
  return (logX - digamma64(a)) * h + dh;
}

/**
 * d(log x)/da of a standard Gamma(a, 1) sample x = exp(logX) at fixed quantile, in float64: the
 * implicit reparameterization gradient (Figurnov, Mohamed and Mnih 2018).
 *
 * @remarks
 * Holding u = P(a, x) fixed, dx/da = -(dP/da)(a, x) / p(x; a). Below x = a + 1 + 3 sqrt(a) from the
 * power series of P, d(log x)/da = -(S (log x - psi(a + 1)) + S') / a; above from Legendre's
 * continued fraction of Q = 1 - P by the modified Lentz method, (log x - psi(a)) CF + CF'. Finite
 * for every a > 0 and finite logX (0 where float64 overflows). The body of the
 * {@link GAMMA_LOG_SAMPLE_GRAD_KERNEL} kernel.
 *
 * @param a - the shape parameter, > 0
 * @param logX - log of the sample
 * @returns d(log x)/da
 *
 * @example
 * ```ts
 * import { gammaLogSampleDerivative } from '@vae/samplers';
 * // Gamma(1) is Exponential: x = -log(1 - u), so at the median d(log x)/da = 0.8338...
 * console.log(gammaLogSampleDerivative(1, Math.log(Math.LN2)));
 * ```
 */
export function gammaLogSampleDerivative(a: number, logX: number): number {
  const x = Math.exp(logX);
  const g = x < a + 1 + 3 * Math.sqrt(a) ? seriesLogDerivative(a, logX, x) : continuedFractionLogDerivative(a, logX, x);
  return Number.isFinite(g) ? g : 0;
}

/**
 * Name of the kernel `d(log x)/da` of standard Gamma samples, elementwise over inputs `alpha` and
 * `logValue` ({@link gammaLogSampleDerivative} per element); the samplers run it in the gradients
 * of their Gamma draws (Gamma, Beta, Dirichlet, Power Spherical) when the backend has it (so the
 * gradient reads nothing back), and `@vae/backends`' `enableFastWasmKernels` registers it on wasm.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { GAMMA_LOG_SAMPLE_GRAD_KERNEL } from '@vae/samplers';
 * console.log(tf.getKernel(GAMMA_LOG_SAMPLE_GRAD_KERNEL, 'cpu') === undefined); // true unless registered
 * ```
 */
export const GAMMA_LOG_SAMPLE_GRAD_KERNEL = 'GammaLogSampleGrad';
