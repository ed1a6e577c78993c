import * as tf from '@tensorflow/tfjs-core';
import { expm1, lgamma, log1p, logAddExp, logBesselI, withoutGradient } from '@vae/math';
import { assembleOnSphere, firstAccepted, sizeOf } from './internal.js';
import { normalNoise, uniformNoise } from './noise.js';
import { splitSeed } from './seed.js';
import { directionalSampler } from './sphere.js';
import type { DirectionalSampler, SphericalParameters } from './sphere.js';

/**
 * The number of proposals the von Mises-Fisher sampler's Wood rejection step draws per element
 * (all at once, on the device).
 *
 * @remarks
 * The first accepted proposal is kept. Wood's acceptance probability, integrated numerically over
 * d in [2, 1000] and kappa in [1e-4, 1e5], is at least 0.657 (the minimum is at d = 2 and large
 * kappa; it tends to 1 as kappa -> 0 and is higher for larger d), so all 24 proposals are rejected
 * with probability below 0.343^24 < 7e-12 per element. Such an element keeps its last proposal (a
 * draw from the Beta proposal instead of the target: a bias below 7e-12 in probability).
 */
export const VMF_PROPOSALS = 24;

/**
 * The result of {@link vonMisesFisherSampleWithCorrection}: the sample and its log-correction.
 *
 * @remarks
 * Both tensors belong to the caller (dispose them, or call inside `tf.tidy`).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { vonMisesFisherSampleWithCorrection } from '@vae/samplers';
 * import type { VonMisesFisherSampleWithCorrection } from '@vae/samplers';
 *
 * tf.tidy(() => {
 *   const out: VonMisesFisherSampleWithCorrection = vonMisesFisherSampleWithCorrection(tf.tensor([1, 0, 0, 0]), 5, [3], 1);
 *   console.log(out.logCorrection.shape); // [3]
 * });
 * ```
 */
export interface VonMisesFisherSampleWithCorrection {
  /** The sample, shape `shape` + [d], as {@link vonMisesFisherSample} returns it. */
  sample: tf.Tensor;
  /**
   * log q(w | kappa) - log r(w | kappa) at w = h(eps, kappa), shape `shape`: differentiable in kappa;
   * its gradient weighted by the downstream value is the correction term g_cor of Naesseth et al.
   * (2017). Identically 0 for d = 3 (no rejection there).
   */
  logCorrection: tf.Tensor;
}

// Up to this many degrees of freedom a chi-square draw is a sum of squared normals (exact);
// beyond, Marsaglia and Tsang's gamma sampler (acceptance >= 0.99 there) with GAMMA_PROPOSALS tries.
const CHI_SQUARE_MAX_DOF = 16;
const GAMMA_PROPOSALS = 4;

/**
 * log of Gamma(dof / 2) draws (up to the constant log 2, which the callers' differences cancel),
 * shape `shape`, on the device: log of a chi-square with `dof` degrees of freedom.
 */
function logChiSquare(dof: number, shape: number[], seed: number): tf.Tensor {
  if (dof <= CHI_SQUARE_MAX_DOF) return tf.log(tf.sum(tf.square(normalNoise([...shape, dof], seed)), -1));
  // Marsaglia and Tsang (2000) for alpha = dof / 2 >= 8.5: a = alpha - 1/3, t = 1 + x / sqrt(9a),
  // v = t^3, accept when v > 0 and log u < x^2 / 2 + a - a v + a log v; the draw is a v. Each try
  // is accepted with probability >= 0.99, so all 4 fail with probability < 1e-8; such an element
  // keeps its last try (with v clamped positive).
  const a = dof / 2 - 1 / 3;
  const [seedX, seedU] = splitSeed(seed, 2);
  const x = normalNoise([GAMMA_PROPOSALS, ...shape], seedX);
  const u = uniformNoise([GAMMA_PROPOSALS, ...shape], seedU);
  const t = tf.add(1, tf.mul(x, 1 / Math.sqrt(9 * a)));
  const v = tf.mul(tf.square(t), t);
  const logV = tf.log(tf.maximum(v, 1e-30));
  const bound = tf.add(tf.mul(0.5, tf.square(x)), tf.mul(a, tf.add(tf.sub(1, v), logV)));
  const accept = tf.logicalAnd(tf.greater(v, 0), tf.less(tf.log(u), bound));
  return tf.add(firstAccepted(accept, logV), Math.log(2 * a));
}

/**
 * Wood's (1994) rejection step, vectorized: VMF_PROPOSALS proposals eps ~ Beta((d-1)/2, (d-1)/2)
 * per element, each as X / (X + Y) with X, Y chi-square draws, accepted when
 * kappa w + (d-1) log(1 - x0 w) - c >= log u. With q = (2 eps - 1) / (1 - (1 - b) eps) that test is
 * log u <= -2 kappa b q / (1 + b) + (d - 1) log1p((1 - b) q / 2), free of cancellation. Returns
 * delta = log X - log Y of the first accepted proposal. No gradient (eps is held fixed).
 */
function woodAcceptedDelta(k: tf.Tensor, d: number, shape: number[], seed: number): tf.Tensor {
  return withoutGradient((kappa) => {
    const m1 = d - 1;
    const [seedX, seedY, seedU] = splitSeed(seed, 3);
    const proposals = [VMF_PROPOSALS, ...shape];
    const delta = tf.sub(logChiSquare(m1, proposals, seedX), logChiSquare(m1, proposals, seedY));
    const eps = tf.sigmoid(delta);
    const oneMinusEps = tf.sigmoid(tf.neg(delta));
    // b = (d-1) / (2 kappa + sqrt(4 kappa^2 + (d-1)^2)), the cancellation-free form.
    const b = tf.div(m1, tf.add(tf.mul(2, kappa), tf.sqrt(tf.add(tf.mul(4, tf.square(kappa)), m1 * m1))));
    const q = tf.div(tf.sub(eps, oneMinusEps), tf.add(oneMinusEps, tf.mul(b, eps)));
    const linear = tf.div(tf.mul(tf.mul(-2, kappa), tf.mul(b, q)), tf.add(1, b));
    const logAcceptance = tf.add(linear, tf.mul(m1, log1p(tf.mul(tf.mul(0.5, tf.sub(1, b)), q))));
    const accept = tf.lessEqual(tf.log(uniformNoise(proposals, seedU)), logAcceptance);
    return firstAccepted(accept, delta);
  }, k);
}

/**
 * The von Mises-Fisher draw of shape `s` + [d] from checked parameters, with its log-correction
 * when `withCorrection` (else zeros).
 */
function vmfDraw(
  { mu, kappa, d }: SphericalParameters,
  s: number[],
  resolved: number,
  withCorrection: boolean,
): { sample: tf.Tensor; logCorrection: tf.Tensor } {
  const [seedW, seedTangent] = splitSeed(resolved, 2);
  const k = tf.broadcastTo(kappa, s);
  let w: tf.Tensor;
  let radial: tf.Tensor;
  let logCorrection: tf.Tensor;
  if (d === 3) {
    // Exact inverse CDF: w = 1 + log(u + (1 - u) e^(-2 kappa)) / kappa. The log is formed as
    // log1p(-(1 - u)(1 - e^(-2 kappa))) for kappa < 1 (no cancellation as kappa -> 0) and as
    // logaddexp(log u, log(1 - u) - 2 kappa) above (no rounding of u + tiny); each branch gets a
    // safe kappa so the untaken one cannot put NaN into the gradient.
    const u = uniformNoise(s, seedW);
    const small = tf.cast(
      withoutGradient((kk) => tf.cast(tf.less(kk, 1), 'float32'), k),
      'bool',
    );
    const kSmall = tf.where(small, k, tf.onesLike(k));
    const kLarge = tf.where(small, tf.onesLike(k), k);
    const logSmall = log1p(tf.mul(tf.sub(1, u), expm1(tf.mul(-2, kSmall))));
    // log(1 - u) with the plain kernel (log(1 + x) on wasm): off by at most 6e-8 absolute, so 1 - w
    // = -logValue / kappa by at most 6e-8 / kappa, below its own rounding for kappa >= 1.
    const logLarge = logAddExp(tf.log(u), tf.sub(tf.log1p(tf.neg(u)), tf.mul(2, kLarge)));
    const logValue = tf.where(small, logSmall, logLarge);
    const oneMinusW = tf.clipByValue(tf.div(tf.neg(logValue), k), 0, 2);
    w = tf.sub(1, oneMinusW);
    radial = tf.sqrt(tf.mul(oneMinusW, tf.sub(2, oneMinusW)));
    logCorrection = tf.zerosLike(k); // no rejection: nothing to correct
  } else {
    const delta = woodAcceptedDelta(k, d, s, seedW);
    const eps = tf.sigmoid(delta);
    const oneMinusEps = tf.sigmoid(tf.neg(delta));
    const m1 = d - 1;
    const root = tf.sqrt(tf.add(tf.mul(4, tf.square(k)), m1 * m1));
    const twoKappa = tf.mul(2, k);
    const b = tf.div(m1, tf.add(twoKappa, root));
    const denominator = tf.add(oneMinusEps, tf.mul(b, eps)); // 1 - (1 - b) eps
    // w = (1 - (1 + b) eps) / (1 - (1 - b) eps) and 1 - w^2 = 4 b eps (1 - eps) / denominator^2.
    w = tf.div(tf.sub(oneMinusEps, tf.mul(b, eps)), denominator);
    radial = tf.div(tf.mul(2, tf.sqrt(tf.mul(b, tf.mul(eps, oneMinusEps)))), denominator);
    if (withCorrection) {
      // log q(w) - log r(w), q the density of w and r the proposal density of w = h(eps). The
      // (1 - w^2)^((d-3)/2) factor of q and the Beta((d-1)/2, (d-1)/2) density of eps cancel to
      //   kappa w + ((d-3)/2) log(4b) + log(2b) - (d-1) log(1 - (1-b) eps)
      // plus kappa's terms of q's normalizer, nu log(kappa/2) - log I_nu(kappa) with nu = d/2 - 1,
      // plus constants: -log(pi)/2 - lgamma(alpha) + log B(alpha, alpha), alpha = (d-1)/2.
      const logB = tf.log(b);
      const nu = d / 2 - 1;
      const alpha = (d - 1) / 2;
      const constant = tf.sub(tf.sub(lgamma(alpha), lgamma(2 * alpha)), 0.5 * Math.log(Math.PI));
      const ratioTerms = tf.add(
        tf.add(tf.mul(k, w), tf.add(tf.mul((d - 3) / 2, tf.add(logB, Math.log(4))), tf.add(logB, Math.LN2))),
        tf.mul(-m1, tf.log(denominator)),
      );
      // On kappa's own (batch) shape: the Bessel function is the expensive part. kappa was checked
      // (or the caller said not to): nothing is read back.
      const normalizer = tf.sub(tf.mul(nu, tf.log(tf.div(kappa, 2))), logBesselI(nu, kappa, { validateArgs: false }));
      logCorrection = tf.add(tf.add(ratioTerms, normalizer), constant);
    } else {
      logCorrection = tf.zerosLike(k);
    }
  }
  const sample = sizeOf(s) === 0 ? tf.zeros([...s, d]) : assembleOnSphere(w, radial, mu, normalNoise([...s, d - 1], seedTangent));
  return { sample, logCorrection };
}

/**
 * Reparameterized von Mises-Fisher sample on the sphere S^(d-1) in R^d, any d >= 2.
 *
 * @remarks
 * Density proportional to exp(kappa mu^T z). The component w = mu^T z has density proportional to
 * exp(kappa w) (1 - w^2)^((d-3)/2) on (-1, 1); given w, the sample is z = M [w, sqrt(1 - w^2) v]
 * with v uniform on S^(d-2) and M an orthogonal (Householder-type) map with M e1 = mu, built from
 * u = e1 + sign(mu_1) mu so it stays well conditioned when mu is e1.
 *
 * w is drawn by the exact inverse CDF for d = 3, w = 1 + log(u + (1 - u) e^(-2 kappa)) / kappa
 * (log1p form for kappa < 1, log-sum-exp form above), and otherwise by Wood's (1994) rejection
 * sampler: eps ~ Beta((d-1)/2, (d-1)/2), w = (1 - (1 + b) eps) / (1 - (1 - b) eps) with
 * b = (d-1) / (2 kappa + sqrt(4 kappa^2 + (d-1)^2)) (the cancellation-free form), accepted when
 * kappa w + (d-1) log(1 - x0 w) - c >= log u, x0 = (1-b)/(1+b), c = kappa x0 + (d-1) log(1 - x0^2),
 * evaluated in a cancellation-free closed form. Rejection is vectorized and stays on the device:
 * 24 proposals (`VMF_PROPOSALS`) per element are drawn at once (eps = X / (X + Y) with X, Y
 * chi-square draws: sums of squared normals up to 16 degrees of freedom, Marsaglia and Tsang's
 * sampler beyond) and the first accepted one is kept (all are rejected with probability < 7e-12 per
 * element; such an element keeps its last proposal). Nothing is read back to the host.
 *
 * Gradient: the sample is a differentiable function of (eps, kappa, mu) with eps the accepted
 * proposal held fixed, and the gradient returned is that pathwise part, g_rep of Naesseth et al.
 * (2017) "Reparameterization gradients through acceptance-rejection sampling algorithms". With
 * respect to mu it is exact; with respect to kappa it omits the correction g_cor = E[f(z) d/dkappa
 * log(q/r)], which is not small: measured relative bias of g_rep for d/dkappa E[mu^T z] is 43% at
 * (d = 2, kappa = 1), 14% at (5, 2) and 6% at (10, 20). For d = 3 there is no rejection and the
 * kappa gradient is exact. To obtain g_cor use {@link vonMisesFisherSampleWithCorrection}.
 *
 * @param meanDirection - unit vectors mu, shape batchShape + [d] (d >= 2) with leading axes
 *   broadcastable to `shape`
 * @param concentration - kappa (> 0), broadcastable to `shape`
 * @param shape - output leading shape (sampleShape + batchShape)
 * @param seed - optional integer seed
 * @param options - {@link SamplerOptions}
 * @returns a float32 tensor of `shape` + [d] with unit rows
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { vonMisesFisherSample } from '@vae/samplers';
 *
 * tf.tidy(() => {
 *   const mu = tf.tensor([1, 0, 0, 0]);
 *   const z = vonMisesFisherSample(mu, 50, [1000], 1);
 *   console.log(z.shape); // [1000, 4]
 *   console.log(tf.mean(tf.matMul(z, tf.reshape(mu, [4, 1]))).dataSync()[0]); // ~0.97
 * });
 * ```
 * @function
 */
export const vonMisesFisherSample: DirectionalSampler = directionalSampler(
  'vonMisesFisherSample',
  (parameters, s, resolved) => vmfDraw(parameters, s, resolved, false).sample,
);

/**
 * von Mises-Fisher sample together with the log-density ratio that yields the rejection
 * correction gradient.
 *
 * @remarks
 * Same sample (and pathwise gradient g_rep) as {@link vonMisesFisherSample} with the same seed.
 * Wood's sampler accepts eps with density pi(eps | kappa) = s(eps) q(h(eps, kappa) | kappa) /
 * r(h(eps, kappa) | kappa), with s the Beta((d-1)/2, (d-1)/2) proposal density, h the map to w, q
 * the density of w = mu^T z (proportional to exp(kappa w) (1 - w^2)^((d-3)/2), normalized with
 * `logBesselI` from `@vae/math`) and r the density of the proposal w = h(eps). `logCorrection` is
 * log q - log r at the accepted proposal, in closed form
 * kappa w + ((d-3)/2) log(4b) + log(2b) - (d-1) log(1 - (1-b) eps) + (d/2 - 1) log(kappa/2)
 * - log I_(d/2-1)(kappa) + const. For a downstream f, the full gradient of E[f(z)] is g_rep + g_cor
 * with g_cor = E[f(z) d/dkappa logCorrection] (Naesseth et al. 2017): differentiate the surrogate
 * f(z) + stopGradient(f(z)) * logCorrection. E[d/dkappa logCorrection] = 0 (a score), so a baseline
 * may be subtracted from f in the second term to reduce variance. At d = 3 the sampler is an exact
 * inverse CDF and `logCorrection` is 0.
 *
 * @param meanDirection - unit vectors mu, shape batchShape + [d] (d >= 2)
 * @param concentration - kappa (> 0), broadcastable to `shape`
 * @param shape - output leading shape (sampleShape + batchShape)
 * @param seed - optional integer seed
 * @param options - {@link SamplerOptions}
 * @returns `{ sample, logCorrection }` of shapes `shape` + [d] and `shape`
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { vonMisesFisherSampleWithCorrection } from '@vae/samplers';
 *
 * tf.tidy(() => {
 *   const { sample, logCorrection } = vonMisesFisherSampleWithCorrection(tf.tensor([0, 1]), 2, [10], 3);
 *   console.log(sample.shape, logCorrection.shape); // [10, 2] [10]
 * });
 * ```
 * @function
 */
export const vonMisesFisherSampleWithCorrection: DirectionalSampler<VonMisesFisherSampleWithCorrection> = directionalSampler(
  'vonMisesFisherSampleWithCorrection',
  (parameters, s, resolved) => vmfDraw(parameters, s, resolved, true),
);
