// The von Mises-Fisher and Power Spherical terms a spherical VAE needs on every step (the KL to the
// uniform prior, the entropy, the log normalizer, the mean resultant length), each with its
// derivative in the concentration, computed per element in float64 on the host. A backend package
// registers `sphericalTermsHost` as a one-pass kernel where tensors live in host memory (the wasm
// backend: @vae/backends' enableFastWasmKernels), and `sphericalTerm` runs that kernel when it is
// there, a tf.customGrad op whose gradient is the kernel's second output: one kernel forward, one
// multiply backward, where the tfjs formulas take thousands of kernels.
import * as tf from '@tensorflow/tfjs-core';
import { DEBYE_U } from './bessel.js';
import { InvalidArgumentError } from './errors.js';

/**
 * Name of the kernel that evaluates {@link sphericalTermsHost}; {@link sphericalTerm} runs it when
 * the active backend has it.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { SPHERICAL_TERMS_KERNEL } from '@vae/math';
 * console.log(tf.getKernel(SPHERICAL_TERMS_KERNEL, 'cpu') === undefined); // true unless registered
 * ```
 */
export const SPHERICAL_TERMS_KERNEL = 'SphericalTerms';

/**
 * The distribution family of a {@link SphericalQuantity}.
 *
 * @example
 * ```ts
 * import type { SphericalFamily } from '@vae/math';
 * const family: SphericalFamily = 'von-mises-fisher';
 * console.log(family);
 * ```
 */
export type SphericalFamily = 'von-mises-fisher' | 'power-spherical';

/**
 * A per-element quantity of a spherical distribution, as a function of its concentration kappa:
 * `kl-uniform` = KL(p || uniform on S^{d-1}); `entropy`; `shifted-log-normalizer` = kappa + log C_d
 * (von Mises-Fisher; log N - kappa log 2 for Power Spherical, where `log-normalizer` is log N);
 * `mean-norm` = |E[x]|.
 *
 * @example
 * ```ts
 * import type { SphericalQuantity } from '@vae/math';
 * const quantity: SphericalQuantity = 'kl-uniform';
 * console.log(quantity);
 * ```
 */
export type SphericalQuantity = 'kl-uniform' | 'entropy' | 'shifted-log-normalizer' | 'mean-norm';

const QUANTITIES: readonly SphericalQuantity[] = ['kl-uniform', 'entropy', 'shifted-log-normalizer', 'mean-norm'];
const FAMILIES: readonly SphericalFamily[] = ['von-mises-fisher', 'power-spherical'];
const LOG_PI = Math.log(Math.PI);
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** log Gamma(z), z > 0, float64: Stirling's series after shifting z to >= 15 (error ~1e-15). */
function lgammaHost(z: number): number {
  let shift = 0;
  while (z < 15) {
    shift += Math.log(z);
    z += 1;
  }
  const r = 1 / (z * z);
  const series = (1 / 12 - r * (1 / 360 - r * (1 / 1260 - r * (1 / 1680 - r / 1188)))) / z;
  return (z - 0.5) * Math.log(z) - z + HALF_LOG_TWO_PI + series - shift;
}

/** digamma(z), z > 0, float64 (shift to >= 15, then the asymptotic series). */
function digammaHost(z: number): number {
  let shift = 0;
  while (z < 15) {
    shift -= 1 / z;
    z += 1;
  }
  const r = 1 / (z * z);
  return Math.log(z) - 0.5 / z - r * (1 / 12 - r * (1 / 120 - r * (1 / 252 - r * (1 / 240 - r / 132)))) + shift;
}

/** trigamma(z), z > 0, float64 (shift to >= 15, then the asymptotic series). */
function trigammaHost(z: number): number {
  let shift = 0;
  while (z < 15) {
    shift += 1 / (z * z);
    z += 1;
  }
  const r = 1 / (z * z);
  return 1 / z + r / 2 + (r / z) * (1 / 6 - r * (1 / 30 - r * (1 / 42 - r * (1 / 30 - (r * 5) / 66)))) + shift;
}

/** log |S^{d-1}| = log 2 + (d/2) log pi - lgamma(d/2). */
function logSphereAreaHost(d: number): number {
  return Math.LN2 + (d / 2) * LOG_PI - lgammaHost(d / 2);
}

// Below this kappa the hypergeometric series is summed (at most ~60 positive terms); from it on,
// Olver's expansion has S = sqrt(nu^2 + kappa^2) >= 20, where its 8 terms are exact to ~1e-12.
const VMF_SERIES_BELOW = 20;

/** L = log 0F1(; b; kappa^2 / 4) = log(Gamma(b) I_{b-1}(kappa) / (kappa / 2)^(b-1)), A, 1 - A, A'. */
interface VmfCore {
  logF: number;
  meanNorm: number;
  oneMinusMeanNorm: number;
  derivative: number;
}

/**
 * The von Mises-Fisher core at b = d / 2: for kappa < 20 the series
 * 0F1(; b; z) = sum z^n / ((b)_n n!) (positive terms) and A = (kappa / 2b) 0F1(b + 1) / 0F1(b);
 * above, Olver's uniform expansion at nu = b - 1 (S = sqrt(nu^2 + kappa^2), t = nu / S,
 * P = sum_k u_k(t) / nu^k = sum_k S^-k poly_k(t^2)): L = S + nu log(2 / (nu + S)) - log(2 pi S) / 2
 * + log(1 + P) + lgamma(b); A = kappa / (S + nu) - kappa / (2 S^2) - (kappa / S^3) nu P' / (1 + P)
 * and 1 - A with 1 - kappa / (S + nu) = (nu + nu^2 / (S + kappa)) / (S + nu), no cancellation.
 */
function vmfCore(b: number, lgammaB: number, kappa: number): VmfCore {
  if (kappa < VMF_SERIES_BELOW) {
    const z = (kappa * kappa) / 4;
    // tail0 = 0F1(b) - 1 and tail1 = 0F1(b + 1) - 1 (so log1p keeps L ~ z / b accurate as z -> 0).
    let t0 = 1;
    let t1 = 1;
    let tail0 = 0;
    let tail1 = 0;
    for (let n = 1; n < 200; n++) {
      t0 *= z / ((b + n - 1) * n);
      t1 *= z / ((b + n) * n);
      tail0 += t0;
      tail1 += t1;
      if (t0 <= 1e-17 * tail0 && t1 <= 1e-17 * tail1) break;
    }
    const aOverKappa = (1 + tail1) / (2 * b * (1 + tail0));
    const meanNorm = kappa * aOverKappa;
    // A' = 1 - A^2 - (2b - 1) A / kappa (the Riccati equation); near kappa = 0 it is 1 / (2b).
    return {
      logF: Math.log1p(tail0),
      meanNorm,
      oneMinusMeanNorm: 1 - meanNorm,
      derivative: 1 - meanNorm * meanNorm - (2 * b - 1) * aOverKappa,
    };
  }
  const nu = b - 1;
  const s = Math.sqrt(nu * nu + kappa * kappa);
  const t = nu / s;
  const u = kappa / s;
  const y = t * t;
  // P, nu P'(t) and nu^2 P''(t) as sums over k of S^(d-k) times polynomials in t^2 (see bessel.ts).
  let p = 0;
  let p1 = 0;
  let p2 = 0;
  let invSk = 1;
  for (let k = 1; k <= DEBYE_U.length; k++) {
    invSk /= s;
    const row = DEBYE_U[k - 1];
    let q0 = 0;
    let q1 = 0;
    let q2 = 0;
    for (let j = row.length - 1; j >= 0; j--) {
      const m = k + 2 * j;
      q0 = q0 * y + row[j];
      q1 = q1 * y + m * row[j];
      q2 = q2 * y + m * (m - 1) * row[j];
    }
    p += invSk * q0;
    p1 += invSk * s * q1;
    p2 += invSk * s * s * q2;
  }
  const g1 = p1 / (1 + p);
  const g2 = p2 / (1 + p) - g1 * g1;
  const s2 = s * s;
  const logF = s + nu * Math.log(2 / (nu + s)) - 0.5 * Math.log(2 * Math.PI * s) + Math.log1p(p) + lgammaB;
  const correction = kappa / (2 * s2) + (kappa / (s2 * s)) * g1;
  const meanNorm = kappa / (s + nu) - correction;
  const oneMinusMeanNorm = (nu + (nu * nu) / (s + kappa)) / (s + nu) + correction;
  const u2 = u * u;
  const derivative = t / (s + nu) - (y - u2) / (2 * s2) - ((y - 2 * u2) / (s2 * s)) * g1 + (u / s2) * (u / s2) * g2;
  return { logF, meanNorm, oneMinusMeanNorm, derivative };
}

// Below kappa = 0.2 beta the Power Spherical KL is integrated (8-point Gauss-Legendre): the
// integrand's nearest singularity, at s = -beta, is then 5 interval lengths away, so the rule is
// exact to ~1e-20 relative, where log|S| - H would lose digits as KL -> 0.
const PS_QUADRATURE_BELOW = 0.2;
// 8-point Gauss-Legendre nodes and weights on [-1, 1].
const GL_NODES = [
  -0.9602898564975363, -0.7966664774136267, -0.525532409916329, -0.1834346424956498, 0.1834346424956498, 0.525532409916329,
  0.7966664774136267, 0.9602898564975363,
];
const GL_WEIGHTS = [
  0.1012285362903763, 0.2223810344533745, 0.3137066458778873, 0.362683783378362, 0.362683783378362, 0.3137066458778873, 0.2223810344533745,
  0.1012285362903763,
];

/**
 * Per-element values and derivatives (in the concentration) of a spherical distribution's
 * quantities, in float64 on the host; the body of the {@link SPHERICAL_TERMS_KERNEL} kernel.
 *
 * @remarks
 * von Mises-Fisher on S^{d-1}, b = d / 2, with L = log 0F1(; b; kappa^2 / 4) and
 * A = I_b / I_{b-1} (L' = A; A' = 1 - A^2 - (d - 1) A / kappa):
 * KL to the uniform = kappa A - L (derivative kappa A'); entropy = log|S^{d-1}| + L - kappa A
 * (-kappa A'); kappa + log C_d = kappa - log|S^{d-1}| - L (1 - A); mean norm A (A'). L and A come
 * from the hypergeometric series below kappa = 20 and from Olver's uniform expansion of I_{b-1}
 * (8 terms, with its exact derivatives) above, where 1 - A is formed without cancellation.
 *
 * Power Spherical, beta = (d - 1) / 2, alpha = beta + kappa:
 * entropy H = 2 beta log 2 + beta log pi + lgamma(alpha) - lgamma(alpha + beta)
 * + kappa (psi(alpha + beta) - psi(alpha)) (derivative kappa (psi'(alpha + beta) - psi'(alpha)));
 * KL = log|S^{d-1}| - H, below kappa = beta / 5 as the integral of s (psi'(beta + s) - psi'(2 beta + s))
 * over [0, kappa] by 8-point Gauss-Legendre (no cancellation as KL -> 0); log N - kappa log 2 =
 * 2 beta log 2 + beta log pi + lgamma(alpha) - lgamma(alpha + beta) (derivative
 * psi(alpha) - psi(alpha + beta)); mean norm kappa / (kappa + d - 1).
 *
 * @param family - `von-mises-fisher` or `power-spherical`
 * @param quantity - which {@link SphericalQuantity}
 * @param dim - the ambient dimension d >= 2
 * @param concentration - kappa per element (>= 0; > 0 for Power Spherical)
 * @param value - receives the quantity per element (same length)
 * @param derivative - receives its derivative in kappa per element (same length)
 * @returns nothing (fills `value` and `derivative`)
 *
 * @example
 * ```ts
 * import { sphericalTermsHost } from '@vae/math';
 * const value = new Float32Array(1);
 * const derivative = new Float32Array(1);
 * sphericalTermsHost('von-mises-fisher', 'mean-norm', 3, Float32Array.of(1), value, derivative);
 * console.log(value[0]); // 0.31304 = coth(1) - 1
 * ```
 */
export function sphericalTermsHost(
  family: SphericalFamily,
  quantity: SphericalQuantity,
  dim: number,
  concentration: ArrayLike<number>,
  value: { [i: number]: number; length: number },
  derivative: { [i: number]: number; length: number },
): void {
  const logArea = logSphereAreaHost(dim);
  const n = concentration.length;
  if (family === 'von-mises-fisher') {
    const b = dim / 2;
    const lgammaB = lgammaHost(b);
    for (let i = 0; i < n; i++) {
      const kappa = concentration[i];
      const c = vmfCore(b, lgammaB, kappa);
      if (quantity === 'kl-uniform') {
        value[i] = kappa * c.meanNorm - c.logF;
        derivative[i] = kappa * c.derivative;
      } else if (quantity === 'entropy') {
        value[i] = logArea + c.logF - kappa * c.meanNorm;
        derivative[i] = -kappa * c.derivative;
      } else if (quantity === 'shifted-log-normalizer') {
        value[i] = kappa - logArea - c.logF;
        derivative[i] = c.oneMinusMeanNorm;
      } else {
        value[i] = c.meanNorm;
        derivative[i] = c.derivative;
      }
    }
    return;
  }
  const beta = (dim - 1) / 2;
  const constant = 2 * beta * Math.LN2 + beta * LOG_PI;
  for (let i = 0; i < n; i++) {
    const kappa = concentration[i];
    const alpha = beta + kappa;
    if (quantity === 'mean-norm') {
      value[i] = kappa / (kappa + dim - 1);
      derivative[i] = (dim - 1) / ((kappa + dim - 1) * (kappa + dim - 1));
      continue;
    }
    const logNormalizer = constant + lgammaHost(alpha) - lgammaHost(alpha + beta);
    if (quantity === 'shifted-log-normalizer') {
      value[i] = logNormalizer;
      derivative[i] = digammaHost(alpha) - digammaHost(alpha + beta);
      continue;
    }
    const slope = kappa * (trigammaHost(alpha + beta) - trigammaHost(alpha)); // dH / dkappa
    let entropy: number;
    let kl: number;
    if (quantity === 'kl-uniform' && kappa < PS_QUADRATURE_BELOW * beta) {
      kl = 0;
      for (let j = 0; j < GL_NODES.length; j++) {
        const s = 0.5 * kappa * (1 + GL_NODES[j]);
        kl += GL_WEIGHTS[j] * s * (trigammaHost(beta + s) - trigammaHost(2 * beta + s));
      }
      kl *= 0.5 * kappa;
      entropy = logArea - kl;
    } else {
      entropy = logNormalizer + kappa * (digammaHost(alpha + beta) - digammaHost(alpha));
      kl = logArea - entropy;
    }
    value[i] = quantity === 'kl-uniform' ? kl : entropy;
    derivative[i] = quantity === 'kl-uniform' ? -slope : slope;
  }
}

function checkOptions(family: SphericalFamily, quantity: SphericalQuantity, dim: number): void {
  const context = 'sphericalTerm';
  if (!FAMILIES.includes(family))
    throw new InvalidArgumentError('family', `one of ${FAMILIES.join(', ')}`, `got ${String(family)}`, context);
  if (!QUANTITIES.includes(quantity))
    throw new InvalidArgumentError('quantity', `one of ${QUANTITIES.join(', ')}`, `got ${String(quantity)}`, context);
  if (!Number.isInteger(dim) || dim < 2) throw new InvalidArgumentError('dim', 'an integer >= 2', `got ${dim}`, context);
}

/**
 * A spherical distribution's quantity as a one-kernel differentiable op, when the active backend
 * has the {@link SPHERICAL_TERMS_KERNEL} kernel; `undefined` otherwise (callers then use their
 * tfjs formulas).
 *
 * @remarks
 * Values and derivatives as {@link sphericalTermsHost} computes them (float64, rounded once to
 * float32). Gradient through `tf.customGrad`: dy times the kernel's derivative output, so a
 * training step's KL costs one kernel forward and one multiply backward. The concentration is not
 * read back and not validated (callers validate their parameters).
 *
 * @param family - `von-mises-fisher` or `power-spherical`
 * @param quantity - which {@link SphericalQuantity}
 * @param dim - the ambient dimension d (an integer >= 2)
 * @param concentration - float32 tensor of kappa
 * @returns a float32 tensor shaped like `concentration`, or undefined without the kernel
 * @throws InvalidArgumentError when family, quantity or dim is not one of the allowed values
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { sphericalTerm } from '@vae/math';
 * const kl = tf.tidy(() => sphericalTerm('von-mises-fisher', 'kl-uniform', 3, tf.tensor([1, 10]))?.arraySync());
 * console.log(kl ?? 'no kernel on this backend'); // 'no kernel on this backend' (math alone; [0.1516, 1.9957] with @vae/backends' kernels on wasm)
 * ```
 */
export function sphericalTerm(
  family: SphericalFamily,
  quantity: SphericalQuantity,
  dim: number,
  concentration: tf.Tensor,
): tf.Tensor | undefined {
  checkOptions(family, quantity, dim);
  if (!tf.getKernel(SPHERICAL_TERMS_KERNEL, tf.getBackend())) return undefined;
  return tf.tidy(() => {
    const kappa = concentration.dtype === 'float32' ? concentration : tf.cast(concentration, 'float32');
    const op = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [x, save] = inputs as [tf.Tensor, tf.GradSaveFunc];
      const [value, slope] = tf.engine().runKernel(SPHERICAL_TERMS_KERNEL, { x }, { family, quantity, dim }) as unknown as tf.Tensor[];
      save([slope]);
      return {
        value,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, saved[0]),
      };
    });
    return op(kappa);
  });
}
