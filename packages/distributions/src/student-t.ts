import * as tf from '@tensorflow/tfjs-core';
import { betainc, broadcastShapes, digamma, lgamma, log1p, logBetainc, logNdtr, ndtr, stopGradient, withoutGradient } from '@vae/math';
import type { TensorInput } from '@vae/math';
import { gammaLogSample, splitSeed, resolveSeed, standardNormal } from '@vae/samplers';
import { log1pSquare } from './cauchy.js';
import { constraints } from './constraints.js';
import type { DistributionOptions } from './distribution.js';
import { family } from './family.js';

/** Parameters of {@link StudentT}. */
export interface StudentTParams extends DistributionOptions {
  /** Degrees of freedom nu, > 0. */
  df: TensorInput;
  /** Location (median and mode; the mean for nu > 1). Default 0. */
  loc?: TensorInput;
  /** Scale, > 0. Default 1. */
  scale?: TensorInput;
}

const STUDENT_T = {
  /** Degrees of freedom, broadcastable to `batchShape`. */
  df: constraints.positive,
  /** Location, broadcastable to `batchShape`. */
  loc: constraints.real,
  /** Scale, broadcastable to `batchShape`. */
  scale: constraints.positive,
} as const;

/** Above a = 10 the series below are good to 1e-10, and lgamma/digamma differences would cancel. */
const SERIES_FROM = 10;
const LGAMMA_HALF = 0.5 * Math.log(Math.PI);
/**
 * From this many degrees of freedom the CDF is Wallace's normal transform (error about 1.6e-7 of
 * log F here, falling as nu^-2), where the incomplete beta's fixed-depth fraction, with a parameter
 * nu / 2 past its tested range, would no longer converge near the center.
 */
const WALLACE_FROM = 1e4;

/**
 * lgamma(a + 1/2) - lgamma(a) and psi(a + 1/2) - psi(a): the differences directly for a < 10, and
 * their asymptotic series 0.5 log a - 1/(8a) + 1/(192 a^3) - 1/(640 a^5) and its derivative above,
 * where each lgamma is ~a log a and float32 would lose the O(log a) difference (df = 1e6 loses 0.06).
 */
function halfShiftDifferences(a: tf.Tensor): { logRatio: tf.Tensor; digammaDiff: tf.Tensor } {
  const large = withoutGradient((v) => tf.greaterEqual(v, SERIES_FROM), a);
  const small = tf.minimum(a, SERIES_FROM);
  const big = tf.maximum(a, SERIES_FROM);
  const r = tf.reciprocal(big);
  const r2 = tf.square(r);
  const seriesLog = tf.add(tf.mul(0.5, tf.log(big)), tf.mul(r, tf.add(-1 / 8, tf.mul(r2, tf.add(1 / 192, tf.mul(r2, -1 / 640))))));
  const seriesPsi = tf.mul(r, tf.add(0.5, tf.mul(r, tf.add(1 / 8, tf.mul(r2, tf.add(-1 / 64, tf.mul(r2, 1 / 128)))))));
  const smallPlus = tf.add(small, 0.5);
  return {
    logRatio: tf.where(large, seriesLog, tf.sub(lgamma(smallPlus), lgamma(small))),
    digammaDiff: tf.where(large, seriesPsi, tf.sub(digamma(smallPlus), digamma(small))),
  };
}

/**
 * Student's t distribution with location and scale, heavy-tailed and reparameterized.
 *
 * @remarks
 * With z = (x - loc) / sigma: log p(x) = lgamma((nu + 1) / 2) - lgamma(nu / 2) - log(nu pi) / 2 -
 * log sigma - (nu + 1) / 2 log(1 + z^2 / nu), the last log taken without squaring past
 * |z| / sqrt(nu) = 1 (z^2 overflows float32), and lgamma((nu + 1) / 2) - lgamma(nu / 2) by its asymptotic
 * series above nu = 20 (the two lgammas cancel in float32); entropy (nu + 1) / 2 (psi((nu + 1) / 2) - psi(nu / 2))
 * + log(sqrt(nu) B(nu / 2, 1 / 2)) + log sigma; mode and median loc. As in torch, `mean()` is loc
 * for nu > 1 and NaN otherwise, and `variance()` is sigma^2 nu / (nu - 2) for nu > 2, +Infinity for
 * 1 < nu <= 2 and NaN for nu <= 1. Samples are loc + sigma N exp(-log G / 2) with N standard normal
 * and G ~ Gamma(nu / 2, rate nu / 2) drawn as a log-sample (so tiny nu neither underflows nor
 * overflows), differentiable in nu through the Gamma sampler's implicit reparameterization.
 *
 * The CDF goes through the regularized incomplete beta function (`betainc`): with u = z^2 / nu,
 * P(|T| <= |z|) = I_(u/(1+u))(1/2, nu/2) for u <= 1 and P(T <= -|z|) = I_(1/(1+u))(nu/2, 1/2) / 2
 * beyond, so neither argument is formed as 1 minus something small; `logCdf` takes the lower tail
 * from `logBetainc`, finite where the CDF underflows. The gradient in x is the density; in nu it is
 * the incomplete beta's parameter derivative at fixed argument plus the density times du/dnu's share
 * (-z / (2 nu) p(z)), so z = 0 (where the argument's own derivative is infinite) gives no NaN.
 * From nu = 1e4 on, F is Wallace's `Phi(sign(z) sqrt(nu log(1 + z^2/nu)) (8 nu + 1)/(8 nu + 3))`
 * (error about 1.6e-7 of log F at nu = 1e4, falling as nu^-2).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { StudentT } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const d = new StudentT({ df: [1, 3], loc: 0, scale: 1 });
 *   console.log(d.logProb(1).arraySync()); // [-1.8379, -1.5763]
 *   console.log(d.variance().arraySync()); // [NaN, 3]
 *   console.log(d.cdf(-2).arraySync()); // [0.1476, 0.0697]
 *   console.log(d.rsample([3], 1).shape); // [3, 2]
 *   d.dispose();
 * });
 * ```
 */
export class StudentT extends family('StudentT', STUDENT_T, { support: constraints.real, reparameterized: true }) {
  /**
   * @param params - `df`, and optionally `loc` (default 0) and `scale` (default 1) (numbers, nested
   *   arrays or tensors; they broadcast), and options
   */
  constructor(params: StudentTParams) {
    super({ ...params, loc: params.loc ?? 0, scale: params.scale ?? 1 });
  }

  protected override _sampleN(n: number, seed?: number): tf.Tensor {
    const shape = [n, ...this.batchShape];
    const [normalSeed, gammaSeed] = splitSeed(resolveSeed(seed), 2);
    const halfDf = tf.mul(0.5, this.df);
    const logG = gammaLogSample(halfDf, halfDf, shape, gammaSeed, this.samplerOptions);
    const t = tf.mul(standardNormal(shape, normalSeed), tf.exp(tf.mul(-0.5, logG)));
    return tf.add(this.loc, tf.mul(this.scale, t));
  }

  protected _logProb(x: tf.Tensor): tf.Tensor {
    const z = tf.div(tf.sub(x, this.loc), tf.mul(this.scale, tf.sqrt(this.df)));
    const halfDfPlusHalf = tf.mul(0.5, tf.add(this.df, 1));
    const normalizer = tf.sub(
      halfShiftDifferences(tf.mul(0.5, this.df)).logRatio,
      tf.add(tf.mul(0.5, tf.log(tf.mul(Math.PI, this.df))), tf.log(this.scale)),
    );
    return tf.sub(normalizer, tf.mul(halfDfPlusHalf, log1pSquare(z)));
  }

  protected override _entropy(): tf.Tensor {
    // log B(nu / 2, 1 / 2) = lgamma(1 / 2) - (lgamma((nu + 1) / 2) - lgamma(nu / 2)).
    const half = tf.mul(0.5, this.df);
    const { logRatio, digammaDiff } = halfShiftDifferences(half);
    return tf.add(
      tf.add(tf.mul(tf.add(half, 0.5), digammaDiff), tf.mul(0.5, tf.log(this.df))),
      tf.add(tf.sub(LGAMMA_HALF, logRatio), tf.log(this.scale)),
    );
  }

  protected override _mean(): tf.Tensor {
    const defined = withoutGradient((v) => tf.greater(v, 1), this.df);
    const loc = tf.broadcastTo(this.loc, this.batchShape);
    return tf.where(tf.broadcastTo(defined, this.batchShape), loc, tf.fill(this.batchShape, NaN));
  }

  protected override _variance(): tf.Tensor {
    const df = tf.broadcastTo(this.df, this.batchShape);
    const finite = tf.mul(tf.square(this.scale), tf.div(df, tf.sub(tf.maximum(df, 2), 2)));
    const infinite = tf.fill(this.batchShape, Infinity);
    const undefinedValue = tf.fill(this.batchShape, NaN);
    return tf.where(tf.greater(df, 2), finite, tf.where(tf.greater(df, 1), infinite, undefinedValue));
  }

  protected override _mode(): tf.Tensor {
    return this.loc;
  }

  protected override _cdf(x: tf.Tensor): tf.Tensor {
    return this.standardCdf(x, false);
  }

  protected override _logCdf(x: tf.Tensor): tf.Tensor {
    return this.standardCdf(x, true);
  }

  /**
   * F(z; nu) (or log F) with z = (x - loc) / scale. The incomplete beta is evaluated at a constant
   * argument (z and nu held fixed), so autodiff sees only its nu/2 parameter; the argument's share of
   * the gradient is added by a term of value zero, c (z - stop(z)) - c z / (2 nu) (nu - stop(nu)),
   * with c = p(z) (or p(z) / F for log F), from dF/dz = p(z) and du/dnu = -(z / (2 nu)) du/dz.
   */
  private standardCdf(x: tf.Tensor, logarithm: boolean): tf.Tensor {
    const zRaw = tf.div(tf.sub(x, this.loc), this.scale);
    const shape = broadcastShapes([zRaw.shape, this.df.shape]);
    const z = tf.broadcastTo(zRaw, shape);
    const nu = tf.broadcastTo(this.df, shape);
    const zs = stopGradient(z);
    const nus = stopGradient(nu);
    const u = tf.div(tf.square(zs), nus);
    const center = withoutGradient((v) => tf.lessEqual(v, 1), u);
    const negative = withoutGradient((v) => tf.less(v, 0), zs);
    // Placeholders off each branch keep Infinity / NaN out of the unselected betainc and its gradient.
    const y = tf.where(center, tf.div(u, tf.add(1, u)), tf.fill(shape, 0.25));
    const w = tf.where(center, tf.fill(shape, 0.25), tf.reciprocal(tf.add(1, u)));
    const halfNu = tf.mul(0.5, nu);
    const centerMass = betainc(0.5, halfNu, y);
    const signedHalf = tf.mul(tf.sign(zs), tf.mul(0.5, centerMass));
    let value: tf.Tensor;
    if (logarithm) {
      const lowerTail = tf.add(Math.log(0.5), logBetainc(halfNu, 0.5, w));
      const upperTail = log1p(tf.mul(-0.5, betainc(halfNu, 0.5, w)));
      const inner = tf.add(Math.log(0.5), log1p(tf.mul(tf.sign(zs), centerMass)));
      value = tf.where(center, inner, tf.where(negative, lowerTail, upperTail));
    } else {
      const tail = tf.mul(0.5, betainc(halfNu, 0.5, w));
      value = tf.where(center, tf.add(0.5, signedHalf), tf.where(negative, tail, tf.sub(1, tail)));
    }
    // Wallace: F = Phi(sign(z) sqrt(nu log(1 + z^2/nu)) (8 nu + 1)/(8 nu + 3)), differentiated in nu at fixed z.
    const large = withoutGradient((v) => tf.greaterEqual(v, WALLACE_FROM), nus);
    const atZero = withoutGradient((v) => tf.equal(v, 0), zs);
    const nuL = tf.where(large, nu, tf.fill(shape, WALLACE_FROM));
    const zL = tf.where(atZero, tf.onesLike(zs), zs);
    const radius = tf.sqrt(tf.mul(nuL, log1pSquare(tf.div(zL, tf.sqrt(nuL)))));
    const wallace = tf.where(
      atZero,
      tf.zerosLike(zs),
      tf.mul(tf.mul(tf.sign(zL), radius), tf.div(tf.add(tf.mul(8, nuL), 1), tf.add(tf.mul(8, nuL), 3))),
    );
    value = tf.where(large, logarithm ? logNdtr(wallace) : ndtr(wallace), value);
    const logDensity = stopGradient(tf.add(this._logProb(x), tf.log(this.scale)));
    const c = tf.exp(logarithm ? tf.sub(logDensity, stopGradient(value)) : logDensity);
    // The nu share belongs to the incomplete-beta branch only; Wallace's is differentiated directly.
    const cBeta = tf.where(large, tf.zerosLike(c), c);
    const argumentShare = tf.sub(tf.mul(c, tf.sub(z, zs)), tf.mul(tf.div(tf.mul(cBeta, zs), tf.mul(2, nus)), tf.sub(nu, nus)));
    return tf.add(value, argumentShare);
  }
}
