import * as tf from '@tensorflow/tfjs-core';
import { expm1, lgamma, log1p, logAddExp, logBesselI } from '@vae/math';
import type { TensorInput } from '@vae/math';
import { standardGammaLogHost } from './gamma.js';
import { assembleOnSphere, checkShape, sizeOf, withoutGradient } from './internal.js';
import type { SamplerOptions } from './internal.js';
import { normalNoise, uniformNoise } from './noise.js';
import { resolveSeed, splitSeed } from './seed.js';
import { sphericalParameters } from './sphere.js';

/**
 * The maximum number of rounds of the von Mises-Fisher sampler's vectorized Wood rejection step.
 *
 * @remarks
 * Each round proposes for every still-unaccepted element. Wood's acceptance probability, integrated
 * numerically over d in [2, 1000] and kappa in [1e-4, 1e5], is at least 0.657 (the minimum is at
 * d = 2 and large kappa; it tends to 1 as kappa -> 0), so an element is still unaccepted after 64
 * rounds with probability below 0.35^64 < 1e-29. Such an element keeps its last proposal.
 *
 * @example
 * ```ts
 * import { VMF_MAX_ROUNDS } from '@vae/samplers';
 * console.log(VMF_MAX_ROUNDS); // 64
 * ```
 */
export const VMF_MAX_ROUNDS = 64;

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
 * const out: VonMisesFisherSampleWithCorrection = vonMisesFisherSampleWithCorrection(tf.tensor([1, 0, 0, 0]), 5, [3], 1);
 * console.log(out.logCorrection.shape); // [3]
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

function log1pExp(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/**
 * Wood's (1994) rejection sampler for the accepted Beta proposal, on the host (no gradient).
 * Returns delta = log X - log Y of the accepted eps = X / (X + Y), eps ~ Beta((d-1)/2, (d-1)/2).
 */
function woodAcceptedProposals(kappa: Float32Array, d: number, seed: number): Float32Array {
  const n = kappa.length;
  const out = new Float32Array(n);
  if (n === 0) return out;
  const m1 = d - 1;
  // b = (d-1) / (2 kappa + sqrt(4 kappa^2 + (d-1)^2)): the cancellation-free form of
  // (-2 kappa + sqrt(4 kappa^2 + (d-1)^2)) / (d-1).
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = kappa[i];
    b[i] = m1 / (2 * k + Math.sqrt(4 * k * k + m1 * m1));
  }
  const seeds = splitSeed(seed, 3 * VMF_MAX_ROUNDS);
  let remaining: number[] = Array.from({ length: n }, (_, i) => i);
  for (let round = 0; round < VMF_MAX_ROUNDS && remaining.length > 0; round++) {
    const m = remaining.length;
    const alpha = new Float32Array(m).fill(m1 / 2);
    const logX = standardGammaLogHost(alpha, seeds[3 * round]);
    const logY = standardGammaLogHost(alpha, seeds[3 * round + 1]);
    const uTensor = uniformNoise([m], seeds[3 * round + 2]);
    const u = uTensor.dataSync();
    uTensor.dispose();
    const next: number[] = [];
    const last = round === VMF_MAX_ROUNDS - 1;
    for (let j = 0; j < m; j++) {
      const i = remaining[j];
      const delta = logX[j] - logY[j];
      // eps and 1 - eps from the log-odds, each accurate near its own end.
      const eps = Math.exp(-log1pExp(-delta));
      const oneMinusEps = Math.exp(-log1pExp(delta));
      const bi = b[i];
      const denominator = oneMinusEps + bi * eps; // 1 - (1 - b) eps
      // Wood's test kappa w + (d-1) log(1 - x0 w) - c >= log u with x0 = (1-b)/(1+b) and
      // c = kappa x0 + (d-1) log(1 - x0^2), rewritten without cancellation (w - x0 and 1 - x0 w
      // in closed form in eps and b).
      const logAcceptance =
        (2 * kappa[i] * bi * (oneMinusEps - eps)) / ((1 + bi) * denominator) + m1 * (Math.log1p(bi) - Math.LN2 - Math.log(denominator));
      if (Math.log(u[j]) <= logAcceptance || last) out[i] = delta;
      else next.push(i);
    }
    remaining = next;
  }
  return out;
}

interface VmfParts {
  sample: tf.Tensor;
  logCorrection: tf.Tensor;
}

function vmf(context: string, meanDirection: TensorInput, concentration: TensorInput, shape: readonly number[], seed: number | undefined, options: SamplerOptions, withCorrection: boolean): VmfParts {
  const s = checkShape(shape, context);
  const resolved = resolveSeed(seed);
  const [seedW, seedTangent] = splitSeed(resolved, 2);
  return tf.tidy(() => {
    const { mu, kappa, d } = sphericalParameters(meanDirection, concentration, s, context, options.validateArgs !== false);
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
      const small = tf.cast(withoutGradient((kk) => tf.cast(tf.less(kk, 1), 'float32'), k), 'bool');
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
      const kappaData = k.dataSync() as Float32Array;
      const delta = tf.tensor(woodAcceptedProposals(Float32Array.from(kappaData), d, seedW), s, 'float32');
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
        // On kappa's own (batch) shape: the Bessel function is the expensive part.
        const normalizer = tf.sub(tf.mul(nu, tf.log(tf.div(kappa, 2))), logBesselI(nu, kappa));
        logCorrection = tf.add(tf.add(ratioTerms, normalizer), constant);
      } else {
        logCorrection = tf.zerosLike(k);
      }
    }
    const sample = sizeOf(s) === 0 ? tf.zeros([...s, d]) : assembleOnSphere(w, radial, mu, normalNoise([...s, d - 1], seedTangent));
    return { sample, logCorrection };
  });
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
 * evaluated in float64 in a cancellation-free closed form. Rejection is vectorized: every round
 * proposes for all still-unaccepted elements; at most {@link VMF_MAX_ROUNDS} rounds (failure
 * probability < 1e-29 per element, an element that never accepts keeps its last proposal).
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
 * const mu = tf.tensor([1, 0, 0, 0]);
 * const z = vonMisesFisherSample(mu, 50, [1000], 1);
 * console.log(z.shape); // [1000, 4]
 * console.log(tf.mean(tf.matMul(z, tf.reshape(mu, [4, 1]))).dataSync()[0]); // about 0.97
 * ```
 */
export function vonMisesFisherSample(
  meanDirection: TensorInput,
  concentration: TensorInput,
  shape: readonly number[],
  seed?: number,
  options: SamplerOptions = {},
): tf.Tensor {
  return tf.tidy(() => {
    const { sample, logCorrection } = vmf('vonMisesFisherSample', meanDirection, concentration, shape, seed, options, false);
    logCorrection.dispose();
    return sample;
  });
}

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
 * const { sample, logCorrection } = vonMisesFisherSampleWithCorrection(tf.tensor([0, 1]), 2, [10], 3);
 * console.log(sample.shape, logCorrection.shape); // [10, 2] [10]
 * ```
 */
export function vonMisesFisherSampleWithCorrection(
  meanDirection: TensorInput,
  concentration: TensorInput,
  shape: readonly number[],
  seed?: number,
  options: SamplerOptions = {},
): VonMisesFisherSampleWithCorrection {
  return vmf('vonMisesFisherSampleWithCorrection', meanDirection, concentration, shape, seed, options, true);
}
