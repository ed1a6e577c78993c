import * as tf from '@tensorflow/tfjs-core';
import { digamma, log1p, logBeta, sphericalTerm, withoutGradient } from '@vae/math';
import { powerSphericalSample } from '@vae/samplers';
import { constraints } from './constraints.js';
import { directional } from './directional.js';
import type { DirectionalParams } from './directional.js';
import { axialVarianceDiagonal, dotLast, logGammaHalfInteger } from './sphere.js';

/** From this alpha on, psi(alpha + beta) - psi(alpha) is taken from the asymptotic series (error < 1e-10). */
const ASYMPTOTIC_DIGAMMA_FROM = 10;

/**
 * psi(a + b) - psi(a) for a > 0, b > 0 without the cancellation of two large digammas: for
 * a >= 10 the asymptotic series psi(z) ~ log z - 1/(2z) - 1/(12 z^2) + 1/(120 z^4) - 1/(252 z^6),
 * differenced term by term with log1p(b / a).
 */
function digammaDifference(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const large = withoutGradient((t) => tf.greaterEqual(t, ASYMPTOTIC_DIGAMMA_FROM), a);
  const aL = tf.where(large, a, tf.fill(a.shape, ASYMPTOTIC_DIGAMMA_FROM));
  const bL = tf.broadcastTo(b, aL.shape);
  const c = tf.add(aL, bL);
  const ia = tf.reciprocal(aL);
  const ic = tf.reciprocal(c);
  const diff = tf.div(bL, tf.mul(aL, c)); // 1/a - 1/c
  const ia2 = tf.square(ia);
  const ic2 = tf.square(ic);
  // 1/a^2 - 1/c^2, 1/a^4 - 1/c^4, 1/a^6 - 1/c^6 as products of differences.
  const d2 = tf.mul(diff, tf.add(ia, ic));
  const d4 = tf.mul(d2, tf.add(ia2, ic2));
  const d6 = tf.mul(d2, tf.add(tf.add(tf.square(ia2), tf.mul(ia2, ic2)), tf.square(ic2)));
  const series = tf.addN([log1p(tf.div(bL, aL)), tf.mul(0.5, diff), tf.mul(1 / 12, d2), tf.mul(-1 / 120, d4), tf.mul(1 / 252, d6)]);
  const aS = tf.where(large, tf.onesLike(a), a);
  const direct = tf.sub(digamma(tf.add(aS, b)), digamma(aS));
  return tf.where(large, series, direct);
}

/** Parameters of {@link PowerSpherical}: `meanDirection`: unit vectors in R^d (d >= 2), shape `B1 + [d]`; `concentration`: kappa > 0, shape `B2`. */
export type PowerSphericalParams = DirectionalParams;

/**
 * The Power Spherical distribution (De Cao & Aziz, 2020) on the unit sphere S^{d-1} in R^d, a
 * von Mises-Fisher look-alike with an exact reparameterized sampler (no rejection) and a
 * normalizer free of Bessel functions.
 *
 * @remarks
 * Density w.r.t. the surface measure: p(x) = N^{-1} (1 + mu^T x)^kappa with, for
 * alpha = (d - 1)/2 + kappa and beta = (d - 1)/2,
 * log N = (alpha + beta) log 2 + beta log pi + lgamma(alpha) - lgamma(alpha + beta).
 * Since lgamma(alpha) - lgamma(alpha + beta) = log B(alpha, beta) - lgamma(beta) and
 * alpha + beta - kappa = 2 beta, the code evaluates
 * log p(x) = kappa log((1 + mu^T x) / 2) - [2 beta log 2 + beta log pi + log B(alpha, beta) - lgamma(beta)]
 * with `logBeta`, so nothing of size kappa cancels. t = mu^T x satisfies (1 + t)/2 ~ Beta(alpha, beta),
 * which gives the entropy
 * H = log N - kappa (log 2 + psi(alpha) - psi(alpha + beta))
 *   = 2 beta log 2 + beta log pi + log B(alpha, beta) - lgamma(beta) + kappa (psi(alpha + beta) - psi(alpha)),
 * the mean ((alpha - beta) / (alpha + beta)) mu = (kappa / (kappa + d - 1)) mu, and the covariance
 * Var[t] ((1 - r) mu mu^T + r I) with Var[t] = 4 alpha beta / ((alpha + beta)^2 (alpha + beta + 1))
 * and r = (alpha + beta) / (2 beta); `variance()` is its diagonal. The mode is mu. At the antipode
 * -mu the density is 0 and `logProb` is -Infinity.
 *
 * Where the backend has `@vae/math`'s `SphericalTerms` kernel (wasm after `enableFastWasmKernels`
 * of `@vae/backends`), log N and the entropy come from it: one kernel each, in float64, with the
 * closed-form gradients psi(alpha) - psi(alpha + beta) + log 2 and kappa (psi'(alpha + beta) - psi'(alpha)).
 *
 * `rsample` uses `powerSphericalSample`: t from the Beta(alpha, beta) marginal, a uniform tangent
 * direction and a Householder reflection, fully reparameterized (the Beta draw through implicit
 * reparameterization).
 *
 * Batch shape: broadcast of `meanDirection.shape[:-1]` and `concentration.shape`; event shape `[d]`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { PowerSpherical } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const ps = new PowerSpherical({ meanDirection: [0, 1], concentration: [1, 10] });
 *   console.log(ps.batchShape, ps.eventShape); // [2] [2]
 *   const x = ps.rsample([3], 5);
 *   console.log(x.shape, ps.logProb(x).shape); // [3, 2, 2] [3, 2]
 *   console.log(ps.mean().arraySync()); // [[0, 0.5], [0, 0.909]]
 * });
 * ```
 */
export class PowerSpherical extends directional('PowerSpherical', constraints.positive) {
  protected override readonly sampler = powerSphericalSample;

  private get beta(): number {
    return (this.dim - 1) / 2;
  }

  /** log N - kappa log 2 = 2 beta log 2 + beta log pi + log B(alpha, beta) - lgamma(beta). */
  private shiftedLogNormalizer(): tf.Tensor {
    const fast = sphericalTerm('power-spherical', 'shifted-log-normalizer', this.dim, this.concentration);
    if (fast) return fast;
    const beta = this.beta;
    const alpha = tf.add(this.concentration, beta);
    const constant = 2 * beta * Math.log(2) + beta * Math.log(Math.PI) - logGammaHalfInteger(this.dim - 1);
    return tf.add(logBeta(alpha, beta), constant);
  }

  /**
   * log N(kappa, d), the log normalizing constant: p(x) = (1 + mu^T x)^kappa / N.
   *
   * @remarks
   * (alpha + beta) log 2 + beta log pi + lgamma(alpha) - lgamma(alpha + beta), evaluated through
   * `logBeta` (see {@link PowerSpherical}).
   *
   * @returns shape `batchShape`
   *
   * @example
   * ```ts
   * import * as tf from '@tensorflow/tfjs-core';
   * import { PowerSpherical } from '@vae/distributions';
   *
   * tf.tidy(() => {
   *   const ps = new PowerSpherical({ meanDirection: [1, 0, 0], concentration: 1 });
   *   console.log(ps.logNormalizer().arraySync()); // 2.5310 = log(4 pi)
   * });
   * ```
   */
  logNormalizer(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(tf.add(this.shiftedLogNormalizer(), tf.mul(this.concentration, Math.log(2))), this.batchShape));
  }

  protected _logProb(x: tf.Tensor): tf.Tensor {
    const halfGap = tf.mul(0.5, tf.sub(dotLast(this.meanDirection, x), 1)); // (t - 1)/2 in [-1, 0]
    return tf.sub(tf.mul(this.concentration, log1p(halfGap)), this.shiftedLogNormalizer());
  }

  protected override _entropy(): tf.Tensor {
    const fast = sphericalTerm('power-spherical', 'entropy', this.dim, this.concentration);
    if (fast) return fast;
    const alpha = tf.add(this.concentration, this.beta);
    return tf.add(this.shiftedLogNormalizer(), tf.mul(this.concentration, digammaDifference(alpha, tf.scalar(this.beta))));
  }

  /** E[mu^T x] = (alpha - beta) / (alpha + beta) = kappa / (kappa + d - 1). */
  private meanNorm(): tf.Tensor {
    return tf.div(this.concentration, tf.add(this.concentration, this.dim - 1));
  }

  protected override _mean(): tf.Tensor {
    return tf.mul(tf.expandDims(this.meanNorm(), -1), this.meanDirection);
  }

  protected override _mode(): tf.Tensor {
    return this.meanDirection;
  }

  protected override _variance(): tf.Tensor {
    const beta = this.beta;
    const sum = tf.add(this.concentration, 2 * beta); // alpha + beta
    const alpha = tf.add(this.concentration, beta);
    const varT = tf.div(tf.mul(4 * beta, alpha), tf.mul(tf.square(sum), tf.add(sum, 1)));
    const varPerp = tf.div(tf.mul(2, alpha), tf.mul(sum, tf.add(sum, 1))); // varT (alpha + beta) / (2 beta)
    return axialVarianceDiagonal(this.meanDirection, varT, varPerp);
  }
}
