import * as tf from '@tensorflow/tfjs-core';
import { withoutGradient } from '@vae/math';
import { VonMisesFisher } from '@vae/distributions';
import type { HypersphericalUniform } from '@vae/distributions';
import { guard, klToSphereUniform, logSphereArea } from './numerics.js';

/** Below y = kappa^2 / (2d) the power series of the divergence itself is used (error ~ y^9). */
const SERIES_BELOW = 0.05;
/** Below this y the hypergeometric series 0F1 is summed directly; above it, log|S| - entropy. */
const HYPERGEOMETRIC_BELOW = 10;
const SERIES_TERMS = 8;
const HYPERGEOMETRIC_TERMS = 45;

/**
 * Coefficients c_n (n = 1..N) of log 0F1(; b; x) = sum_n c_n x^n, in float64.
 * @param b - the parameter b = d / 2
 * @param terms - N
 * @returns [c_1, ..., c_N]
 */
function logHypergeometricCoefficients(b: number, terms: number): number[] {
  const a = [1];
  for (let n = 1; n <= terms; n++) a.push(a[n - 1] / ((b + n - 1) * n));
  const c = [0];
  for (let n = 1; n <= terms; n++) {
    let s = 0;
    for (let k = 1; k < n; k++) s += k * c[k] * a[n - k];
    c.push(a[n] - s / n);
  }
  return c.slice(1);
}

/**
 * 0F1(; b; x) = sum_n x^n / ((b)_n n!), summed directly (all terms positive).
 * @param b - parameter
 * @param x - argument tensor, >= 0
 * @returns the sum, shape of x
 */
function hypergeometric0F1(b: number, x: tf.Tensor): tf.Tensor {
  let term: tf.Tensor = tf.onesLike(x);
  let sum: tf.Tensor = tf.onesLike(x);
  for (let n = 1; n <= HYPERGEOMETRIC_TERMS; n++) {
    term = tf.mul(term, tf.div(x, (b + n - 1) * n));
    sum = tf.add(sum, term);
  }
  return sum;
}

/**
 * KL(vMF(mu, kappa) || uniform on S^{d-1}): how far a von Mises-Fisher posterior is from the
 * uniform prior of a hyperspherical VAE, accurate from kappa = 0 to 1e5 and d up to 1000.
 *
 * @remarks
 * KL = kappa A_d(kappa) + log C_d(kappa) + log|S^{d-1}| with A_d = I_{d/2} / I_{d/2-1} and
 * log C_d = (d/2 - 1) log kappa - (d/2) log(2 pi) - log I_{d/2-1}(kappa). With b = d/2,
 * x = kappa^2 / 4 and L(x) = log 0F1(; b; x) = log(Gamma(b) I_{b-1}(kappa) / (kappa/2)^{b-1}) this
 * is exactly KL = 2x L'(x) - L(x) = kappa A_d - L, and three regimes keep it accurate:
 * - y = x / b < 0.05: the power series KL = sum_n (2n - 1) c_n x^n (8 terms; c_n the Taylor
 *   coefficients of L, computed in float64), so KL ~ kappa^2 / (2d) keeps full relative accuracy
 *   as kappa -> 0 (KL(0) = 0);
 * - 0.05 <= y < 10: 0F1(b; x) and 0F1(b + 1; x) summed directly (45 positive terms), with
 *   A_d = (kappa / 2b) 0F1(b + 1; x) / 0F1(b; x);
 * - y >= 10: log|S^{d-1}| - H(vMF), with the entropy from `VonMisesFisher` (logBesselI,
 *   besselIRatio and Hankel's expansion for large kappa): no cancellation since KL is large here.
 * The mean direction does not matter. Gradients flow to the concentration. Where the backend has
 * `@vae/math`'s `SphericalTerms` kernel (wasm after `enableFastWasmKernels` of `@vae/backends`) the
 * KL is that one kernel instead (float64: L = log 0F1 by its series below kappa = 20, Olver's
 * expansion above), with the closed-form gradient dKL/dkappa = kappa A_d'(kappa).
 *
 * @param p - the von Mises-Fisher distribution, event shape `[d]`
 * @param q - the uniform distribution on the same sphere (ambient dimension d)
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { HypersphericalUniform, VonMisesFisher } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const p = new VonMisesFisher({ meanDirection: [0, 0, 1], concentration: [1e-3, 10, 1e5] });
 *   const kl = klDivergence(p, new HypersphericalUniform({ dim: 3 }));
 *   console.log(kl.arraySync()); // [1.667e-7, 1.9957, 11.2061]: kappa^2/6 for small kappa
 * });
 * ```
 */
export function klVonMisesFisherHypersphericalUniform(p: VonMisesFisher, q: HypersphericalUniform): tf.Tensor {
  void q;
  return klToSphereUniform(p, 'von-mises-fisher', (d, kappa) => {
    const b = d / 2;
    const x = tf.div(tf.square(kappa), 4);
    const y = tf.div(x, b);
    const isSeries = withoutGradient((t) => tf.less(t, SERIES_BELOW), y);
    const isLarge = withoutGradient((t) => tf.greaterEqual(t, HYPERGEOMETRIC_BELOW), y);
    const isMiddle = withoutGradient((t) => tf.logicalAnd(tf.greaterEqual(t, SERIES_BELOW), tf.less(t, HYPERGEOMETRIC_BELOW)), y);

    const xS = guard(isSeries, x, 0);
    const c = logHypergeometricCoefficients(b, SERIES_TERMS);
    let series: tf.Tensor = tf.fill(xS.shape, (2 * SERIES_TERMS - 1) * c[SERIES_TERMS - 1]);
    for (let n = SERIES_TERMS - 1; n >= 1; n--) series = tf.add(tf.mul(series, xS), (2 * n - 1) * c[n - 1]);
    series = tf.mul(series, xS);

    const xM = guard(isMiddle, x, b);
    const f0 = hypergeometric0F1(b, xM);
    const f1 = hypergeometric0F1(b + 1, xM);
    const middle = tf.sub(tf.mul(tf.div(tf.mul(2, xM), b), tf.div(f1, f0)), tf.log(f0));

    const kappaL = guard(isLarge, kappa, Math.sqrt(4 * b * HYPERGEOMETRIC_BELOW) + 1);
    const surrogate = new VonMisesFisher({ meanDirection: p.meanDirection, concentration: kappaL, validateArgs: false });
    const large = tf.sub(logSphereArea(d), surrogate.entropy());
    return tf.where(isSeries, series, tf.where(isLarge, large, middle));
  });
}
