import * as tf from '@tensorflow/tfjs-core';
import { besselIRatio, expm1, logBesselI, sphericalTerm, withoutGradient } from '@vae/math';
import { vonMisesFisherSample } from '@vae/samplers';
import { constraints } from './constraints.js';
import { directional } from './directional.js';
import type { DirectionalParams } from './directional.js';
import { axialVarianceDiagonal, dotLast, logHankel, logSphereArea } from './sphere.js';
import { detached } from './tape.js';

const LOG_TWO_PI = Math.log(2 * Math.PI);
/** Below this value of y = kappa^2 / (4 (v + 1)) the power series of I_v is used (error ~ y^3). */
const SMALL_Y = 1e-3;

/** Parameters of {@link VonMisesFisher}: `meanDirection`: unit vectors in R^d (d >= 2), shape `B1 + [d]`; `concentration`: kappa >= 0 (0 is the uniform distribution on the sphere), shape `B2`. */
export type VonMisesFisherParams = DirectionalParams;

/** The concentration split by numerical regime; each safe copy holds only its own regime's values. */
interface VmfRegimes {
  isSmall: tf.Tensor;
  isLarge: tf.Tensor;
  /** kappa where small, else 0. */
  kSmall: tf.Tensor;
  /** kappa in the middle regime, else 1. */
  kMiddle: tf.Tensor;
  /** kappa where large, else the threshold (so the asymptotic series stays tame). */
  kLarge: tf.Tensor;
}

/** The mean resultant length and the quantities derived from it, each shaped like kappa. */
interface VmfMoments {
  /** A_d(kappa) = I_{d/2}(kappa) / I_{d/2-1}(kappa). */
  meanNorm: tf.Tensor;
  /** 1 - A_d(kappa), accurate as A_d -> 1. */
  oneMinusMeanNorm: tf.Tensor;
  /** A_d(kappa) / kappa (-> 1/d as kappa -> 0), the variance across the mean direction. */
  meanNormOverKappa: tf.Tensor;
}

/**
 * The von Mises-Fisher distribution on the unit sphere S^{d-1} in R^d, for any d >= 2,
 * reparameterized through its rejection sampler.
 *
 * @remarks
 * Density with respect to the surface measure: p(x) = C_d(kappa) exp(kappa mu^T x), with
 * log C_d(kappa) = (d/2 - 1) log kappa - (d/2) log(2 pi) - log I_{d/2-1}(kappa). The log Bessel
 * function comes from `logBesselI` (never a quotient of unscaled Bessel values). Three regimes, each
 * fed only its own range of kappa so neither values nor gradients see the others' singularities:
 * - y = kappa^2 / (4 (d/2)) below 1e-3 (including kappa = 0): the power series,
 *   log C_d = -log|S^{d-1}| - y + y^2 / (2 (d/2 + 1)); the density tends to the uniform
 *   1 / |S^{d-1}| as kappa -> 0.
 * - kappa above 8 v^2 + 400 (v = d/2 - 1; only small d reach it below 1e5): Hankel's asymptotic
 *   series for e^{-kappa} I_v(kappa), so kappa + log C_d and 1 - A_d are computed without the
 *   cancellation of two numbers near kappa.
 * - otherwise `logBesselI` and `besselIRatio` directly.
 *
 * Where the backend has `@vae/math`'s `SphericalTerms` kernel (wasm after `enableFastWasmKernels`
 * of `@vae/backends`), log C_d, the entropy and the mean norm come from it instead: one kernel each,
 * evaluated in float64, with the closed-form gradients d(kappa + log C_d)/dkappa = 1 - A_d and
 * dH/dkappa = -kappa A_d'(kappa) (see `sphericalTerm`).
 *
 * log p(x) = kappa (mu^T x - 1) + (kappa + log C_d). The mean is A_d(kappa) mu with
 * A_d = I_{d/2} / I_{d/2-1} (`besselIRatio(d/2 - 1, kappa)`); the entropy is
 * -kappa A_d - log C_d = kappa (1 - A_d) - (kappa + log C_d); the mode is mu. The variance is the
 * diagonal of the covariance (as in TFP):
 * Cov = Var[t] mu mu^T + (A_d / kappa)(I - mu mu^T) with t = mu^T x and
 * Var[t] = A_d'(kappa) = 1 - A_d^2 - (d - 1) A_d / kappa. That difference cancels in float32 for
 * large kappa (Var[t] ~ (d - 1) / (2 kappa^2)), so away from kappa = 0 it is taken as the derivative
 * of `besselIRatio`, which is evaluated without cancellation (on a host copy of kappa, one readback):
 * `variance()` is therefore not itself differentiable with respect to the concentration (that part
 * of its gradient is zero).
 *
 * `rsample` is the reparameterized rejection sampler of Naesseth et al. (2017) as implemented by
 * `vonMisesFisherSample` (Wood's algorithm): the gradient flows through the accepted proposal only
 * (the g_rep term), without the correction term g_cor for the dependence of the acceptance
 * probability on the parameters, as in Davidson et al.'s s-vae; the estimator is therefore slightly
 * biased for the concentration. Concentration 0 is allowed (as in TFP) and means the uniform law.
 *
 * Batch shape: broadcast of `meanDirection.shape[:-1]` and `concentration.shape`; event shape `[d]`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { VonMisesFisher } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const vmf = new VonMisesFisher({ meanDirection: [0, 0, 1], concentration: 10 });
 *   const x = vmf.rsample([5], 1); // [5, 3] unit vectors
 *   console.log(vmf.logProb(x).shape); // [5]
 *   console.log(vmf.mean().arraySync()); // [0, 0, 0.9] = A_3(10) mu, A_3(k) = coth(k) - 1/k
 * });
 * ```
 */
export class VonMisesFisher extends directional('VonMisesFisher', constraints.nonNegative) {
  private get order(): number {
    return this.dim / 2 - 1;
  }

  /** Above this kappa the Hankel expansion is used (only reached below 1e5 for small d). */
  private get largeFrom(): number {
    return 8 * this.order * this.order + 400;
  }

  private regimes(): VmfRegimes {
    const kappa = this.concentration;
    const v = this.order;
    const largeFrom = this.largeFrom;
    // Masks off the gradient tape (tfjs has no gradients for comparisons).
    const isSmall = withoutGradient((k) => tf.less(tf.div(tf.square(k), 4 * (v + 1)), SMALL_Y), kappa);
    const isLarge = withoutGradient((k) => tf.greater(k, largeFrom), kappa);
    const isMiddle = withoutGradient(
      (k) => tf.logicalAnd(tf.greaterEqual(tf.div(tf.square(k), 4 * (v + 1)), SMALL_Y), tf.lessEqual(k, largeFrom)),
      kappa,
    );
    return {
      isSmall,
      isLarge,
      kSmall: tf.where(isSmall, kappa, tf.zerosLike(kappa)),
      kMiddle: tf.where(isMiddle, kappa, tf.onesLike(kappa)),
      kLarge: tf.where(isLarge, kappa, tf.fill(kappa.shape, largeFrom + 1)),
    };
  }

  /** kappa + log C_d(kappa), finite and accurate even where kappa and log C_d cancel. */
  private shiftedLogC(r: VmfRegimes): tf.Tensor {
    const d = this.dim;
    const v = this.order;
    // Small: log(Gamma(v+1) I_v(k) / (k/2)^v) = y - y^2 / (2 (v + 2)) + O(y^3), y = k^2 / (4 (v + 1)).
    const y = tf.div(tf.square(r.kSmall), 4 * (v + 1));
    const small = tf.sub(tf.sub(r.kSmall, logSphereArea(d)), tf.sub(y, tf.div(tf.square(y), 2 * (v + 2))));
    // Middle: the math package's log Bessel function (kappa was validated: nothing is read back).
    const kM = r.kMiddle;
    const middle = tf.sub(tf.add(kM, tf.sub(tf.mul(v, tf.log(kM)), (d / 2) * LOG_TWO_PI)), logBesselI(v, kM, { validateArgs: false }));
    // Large: kappa + log C_d = ((d - 1)/2) log(kappa / (2 pi)) - log(1 + s_v).
    const large = tf.sub(tf.mul((d - 1) / 2, tf.log(tf.div(r.kLarge, 2 * Math.PI))), logHankel(v, r.kLarge));
    return tf.where(r.isSmall, small, tf.where(r.isLarge, large, middle));
  }

  private moments(r: VmfRegimes): VmfMoments {
    const v = this.order;
    // Small: the continued fraction A / k = 1 / (2(v+1) + k^2 / (2(v+2) + k^2 / (2(v+3)))).
    const k2 = tf.square(r.kSmall);
    const smallAOverK = tf.reciprocal(tf.add(2 * (v + 1), tf.div(k2, tf.add(2 * (v + 2), tf.div(k2, 2 * (v + 3))))));
    const smallA = tf.mul(r.kSmall, smallAOverK);
    // Middle: the math package's ratio.
    const middleA = besselIRatio(v, r.kMiddle, { validateArgs: false });
    // Large: A = (1 + s_{v+1}) / (1 + s_v), so 1 - A = -expm1(log(1 + s_{v+1}) - log(1 + s_v)).
    const largeOneMinusA = tf.neg(expm1(tf.sub(logHankel(v + 1, r.kLarge), logHankel(v, r.kLarge))));
    const pick = (small: tf.Tensor, middle: tf.Tensor, large: tf.Tensor) => tf.where(r.isSmall, small, tf.where(r.isLarge, large, middle));
    const meanNorm = pick(smallA, middleA, tf.sub(1, largeOneMinusA));
    const oneMinusMeanNorm = pick(tf.sub(1, smallA), tf.sub(1, middleA), largeOneMinusA);
    const kNonZero = tf.where(r.isSmall, tf.onesLike(this.concentration), this.concentration);
    const meanNormOverKappa = tf.where(r.isSmall, smallAOverK, tf.div(meanNorm, kNonZero));
    return { meanNorm, oneMinusMeanNorm, meanNormOverKappa };
  }

  /**
   * log C_d(kappa), the log normalizing constant (w.r.t. the surface measure).
   *
   * @remarks
   * -log|S^{d-1}| at kappa = 0; computed as described on {@link VonMisesFisher}.
   *
   * @returns shape `batchShape`
   *
   * @example
   * ```ts
   * import * as tf from '@tensorflow/tfjs-core';
   * import { VonMisesFisher } from '@vae/distributions';
   *
   * tf.tidy(() => {
   *   const vmf = new VonMisesFisher({ meanDirection: [1, 0, 0], concentration: [0, 1] });
   *   console.log(vmf.logNormalizer().arraySync()); // [-2.531, -2.692]: -log(4 pi), log(1 / (2 pi (e - 1/e)))
   * });
   * ```
   */
  logNormalizer(): tf.Tensor {
    return tf.tidy(() =>
      tf.broadcastTo(tf.sub(this.fastShiftedLogC() ?? this.shiftedLogC(this.regimes()), this.concentration), this.batchShape),
    );
  }

  /** kappa + log C_d from the backend's `SphericalTerms` kernel, when it has one (see `sphericalTerm`). */
  private fastShiftedLogC(): tf.Tensor | undefined {
    return sphericalTerm('von-mises-fisher', 'shifted-log-normalizer', this.dim, this.concentration);
  }

  // Not a sampler given as data (as PowerSpherical's is): the sampler needs kappa > 0, and below
  // 1e-20 the law is the uniform one to float32 precision, so kappa = 0 is raised to 1e-20 first.
  protected override _sampleN(n: number, seed?: number): tf.Tensor {
    const kappa = tf.maximum(this.concentration, 1e-20);
    return vonMisesFisherSample(this.meanDirection, kappa, [n, ...this.batchShape], seed, this.samplerOptions);
  }

  protected _logProb(x: tf.Tensor): tf.Tensor {
    const cosine = dotLast(this.meanDirection, x);
    return tf.add(tf.mul(this.concentration, tf.sub(cosine, 1)), this.fastShiftedLogC() ?? this.shiftedLogC(this.regimes()));
  }

  protected override _entropy(): tf.Tensor {
    const fast = sphericalTerm('von-mises-fisher', 'entropy', this.dim, this.concentration);
    if (fast) return fast;
    const r = this.regimes();
    return tf.sub(tf.mul(this.concentration, this.moments(r).oneMinusMeanNorm), this.shiftedLogC(r));
  }

  protected override _mean(): tf.Tensor {
    const meanNorm = sphericalTerm('von-mises-fisher', 'mean-norm', this.dim, this.concentration) ?? this.moments(this.regimes()).meanNorm;
    return tf.mul(tf.expandDims(meanNorm, -1), this.meanDirection);
  }

  protected override _mode(): tf.Tensor {
    return this.meanDirection;
  }

  protected override _variance(): tf.Tensor {
    const r = this.regimes();
    const { meanNorm, meanNormOverKappa } = this.moments(r);
    const v = this.order;
    // Var[t] = A_d'(kappa). The Riccati form 1 - A^2 - (d - 1) A / kappa cancels catastrophically
    // for large kappa (Var[t] ~ (d - 1) / (2 kappa^2)), so away from kappa = 0 take the derivative
    // of besselIRatio, which the math package evaluates without cancellation; near 0 the Riccati
    // form is benign (Var[t] -> 1/d) and the ratio's argument would be 0.
    const kN = tf.where(r.isSmall, tf.onesLike(this.concentration), this.concentration);
    // On a detached copy, so an enclosing tf.grad neither records nor differentiates this inner one.
    const derivative = tf.grad((k: tf.Tensor) => tf.sum(besselIRatio(v, k)))(detached(kN));
    const riccati = tf.sub(tf.sub(1, tf.square(meanNorm)), tf.mul(this.dim - 1, meanNormOverKappa));
    const varT = tf.relu(tf.where(r.isSmall, riccati, derivative));
    return axialVarianceDiagonal(this.meanDirection, varT, meanNormOverKappa);
  }
}
