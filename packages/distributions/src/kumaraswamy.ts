import * as tf from '@tensorflow/tfjs-core';
import { digamma, expm1, log1mexp, log1p, logBeta, withoutGradient, xlogy } from '@vae/math';
import { kumaraswamySample } from '@vae/samplers';
import { ConcentrationPair } from './concentration-pair.js';
import type { ConcentrationPairParams } from './concentration-pair.js';
import { named } from './family.js';
import { mulLog } from './parameterization.js';

const EULER_GAMMA = 0.5772156649015329;
const LOWER_TAIL_LOG = Math.log(1e-9);

/** zeta(2), ..., zeta(14): H_b = sum_{k >= 2} (-1)^k zeta(k) b^(k - 1) for |b| < 1. */
const ZETA = [
  1.6449340668482264, 1.2020569031595942, 1.0823232337111381, 1.03692775514337, 1.017343061984449, 1.0083492773819227, 1.0040773561979444,
  1.0020083928260821, 1.0009945751278182, 1.0004941886041194, 1.000246086553308, 1.0001227133475785, 1.0000612481350586,
];

/**
 * The harmonic number H_b = psi(b + 1) + gamma. Below b = 1/4 it is the zeta series (tail below
 * 4e-8 relative): psi(b + 1) + gamma cancels there to an absolute 6e-8, which the entropy multiplies
 * by 1/a (a = 5e-6, b = 2e-3 lost 2e-5 of an entropy of -1197).
 */
function harmonicNumber(b: tf.Tensor): tf.Tensor {
  const small = withoutGradient((v) => tf.less(v, 0.25), b);
  const bS = tf.where(small, b, tf.zerosLike(b));
  let series: tf.Tensor = tf.fill(bS.shape, ZETA[ZETA.length - 1]);
  for (let k = ZETA.length - 2; k >= 0; k--) series = tf.sub(ZETA[k], tf.mul(bS, series));
  const bL = tf.where(small, tf.onesLike(b), b);
  return tf.where(small, tf.mul(bS, series), tf.add(digamma(tf.add(bL, 1)), EULER_GAMMA));
}

/** Parameters of {@link Kumaraswamy} (TensorFlow Probability's and torch's names): `concentration1`: a, > 0: the exponent of x; `concentration0`: b, > 0: the exponent of 1 - x^a. */
export type KumaraswamyParams = ConcentrationPairParams;

/**
 * The Kumaraswamy distribution on [0, 1], a Beta look-alike with a closed-form CDF and inverse
 * CDF, reparameterized.
 *
 * @remarks
 * p(x) = a b x^(a - 1) (1 - x^a)^(b - 1). The log density is computed as
 * log a + log b + xlogy(a - 1, x) + (b - 1) log1mexp(a log x), which keeps log(1 - x^a) accurate
 * when x^a is close to 1, and is exact at the ends (+-Infinity or finite depending on a at 0 and
 * on b at 1, like {@link Beta}). CDF 1 - (1 - x^a)^b, in log space log1mexp(b log(1 - x^a)).
 * Moments m_n = b B(1 + n / a, b) (log B by `logBeta`): mean m_1, variance
 * m_2 - m_1^2 = m_1^2 expm1(log m_2 - 2 log m_1), which still loses relative accuracy when the
 * variance is tiny next to the squared mean (large a or b: ~1e-3 at a = 1000). Entropy
 * (1 - 1/b) + (1 - 1/a) H_b - log(a b) with H_b = psi(b + 1) + gamma the harmonic number. The
 * mode ((a - 1) / (a b - 1))^(1/a) is defined where a >= 1 and b >= 1, not both 1; elsewhere
 * `mode()` throws when `validateArgs` is on and gives NaN when it is off (as for {@link Beta}).
 * Samples are (1 - (1 - u)^(1/b))^(1/a) for uniform u.
 * Inverse CDF (1 - (1 - p)^(1/b))^(1/a), taken as exp(log(-expm1(log1p(-p) / b)) / a) so neither
 * tail rounds to 0 or 1 early.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Kumaraswamy } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const d = new Kumaraswamy({ concentration1: 2, concentration0: [1, 5] });
 *   console.log(d.cdf(0.5).arraySync()); // [0.25, 0.7627]
 *   console.log(d.mean().arraySync()); // [0.6667, 0.3694]
 *   const x = d.rsample([3], 1); // shape [3, 2], differentiable in both concentrations
 *   d.dispose();
 * });
 * ```
 */
export class Kumaraswamy extends named(ConcentrationPair, 'Kumaraswamy') {
  protected override readonly sampler = kumaraswamySample;

  /** log(1 - x^a) for x in [0, 1]: 0 at x = 0, -Infinity at x = 1, with finite gradients inside. */
  private logOneMinusPower(value: tf.Tensor): tf.Tensor {
    const x = tf.clipByValue(value, 0, 1);
    const interior = withoutGradient((v) => tf.logicalAnd(tf.greater(v, 0), tf.less(v, 1)), x);
    const xs = tf.where(interior, x, tf.fill(x.shape, 0.5));
    const inside = log1mexp(tf.mul(this.concentration1, tf.log(xs)));
    const ends = tf.where(
      withoutGradient((v) => tf.equal(v, 0), x),
      tf.zerosLike(x),
      tf.fill(x.shape, -Infinity),
    );
    return tf.where(interior, inside, ends);
  }

  protected _logProb(x: tf.Tensor): tf.Tensor {
    const a = this.concentration1;
    const b = this.concentration0;
    const logAb = tf.add(tf.log(a), tf.log(b));
    return tf.add(tf.add(logAb, xlogy(tf.sub(a, 1), x)), mulLog(tf.sub(b, 1), this.logOneMinusPower(x)));
  }

  /** log(1 - x^a) b: the log of the survival function (1 - x^a)^b. */
  private logSurvival(x: tf.Tensor): tf.Tensor {
    return tf.mul(this.concentration0, this.logOneMinusPower(x));
  }

  protected override _logCdf(value: tf.Tensor): tf.Tensor {
    // In the far lower tail (b x^a < 1e-9) 1 - (1 - x^a)^b = b x^a to float32 accuracy, and the
    // log survival b log(1 - x^a) would round to 0: log b + a log x is used there.
    const x = tf.clipByValue(value, 0, 1);
    const logB = tf.log(this.concentration0);
    const positive = withoutGradient((v) => tf.greater(v, 0), x);
    const logPower = tf.mul(this.concentration1, tf.log(tf.where(positive, x, tf.onesLike(x))));
    const tail = withoutGradient(
      (lp, lb, v) => tf.logicalAnd(tf.less(tf.add(lp, lb), LOWER_TAIL_LOG), tf.greater(v, 0)),
      logPower,
      logB,
      x,
    );
    const s = this.logSurvival(tf.where(tail, tf.fill(tail.shape, 0.5), x));
    const zero = withoutGradient((v) => tf.equal(v, 0), s);
    const body = tf.where(zero, tf.fill(s.shape, -Infinity), log1mexp(tf.where(zero, tf.fill(s.shape, -1), s)));
    return tf.where(tail, tf.add(logB, logPower), body);
  }

  protected override _cdf(x: tf.Tensor): tf.Tensor {
    return tf.neg(expm1(this.logSurvival(x)));
  }

  /** log of the n-th raw moment b B(1 + n / a, b). */
  private logMoment(n: number): tf.Tensor {
    const b = this.concentration0;
    return tf.add(tf.log(b), logBeta(tf.add(1, tf.div(n, this.concentration1)), b));
  }

  protected override _mean(): tf.Tensor {
    return tf.exp(this.logMoment(1));
  }

  protected override _variance(): tf.Tensor {
    // m2 - m1^2 = m1^2 expm1(d), d = log m2 - 2 log m1: the cancellation moves into a difference of
    // logarithms, which loses less than the difference of the moments themselves. The product is
    // formed in log space, exp(2 log m1 + d + log(1 - e^-d)): where m1^2 underflows, expm1(d)
    // overflows and their product was 0 * Infinity = NaN ((a, b) = (0.01, 250)). d >= 0 by
    // Jensen; a d that rounds to 0 is kept off 0 so the gradient of log(1 - e^-d) stays finite.
    const logM1 = this.logMoment(1);
    const d = tf.maximum(tf.sub(this.logMoment(2), tf.mul(2, logM1)), 1e-30);
    return tf.exp(tf.add(tf.add(tf.mul(2, logM1), d), log1mexp(d)));
  }

  protected override _icdf(p: tf.Tensor): tf.Tensor {
    const inner = tf.neg(expm1(tf.div(log1p(tf.neg(p)), this.concentration0)));
    return tf.exp(tf.div(tf.log(inner), this.concentration1));
  }

  protected override _entropy(): tf.Tensor {
    const a = this.concentration1;
    const b = this.concentration0;
    const harmonic = harmonicNumber(b);
    return tf.sub(tf.add(tf.sub(1, tf.reciprocal(b)), tf.mul(tf.sub(1, tf.reciprocal(a)), harmonic)), tf.add(tf.log(a), tf.log(b)));
  }

  protected override _mode(): tf.Tensor {
    return this.modeWhereDefined(
      (a, b) => tf.logicalAnd(tf.logicalAnd(tf.greaterEqual(a, 1), tf.greaterEqual(b, 1)), tf.greater(tf.mul(a, b), 1)),
      (a, b, defined) => {
        const safeA = tf.where(defined, a, tf.fill(a.shape, 2));
        const safeB = tf.where(defined, b, tf.fill(b.shape, 2));
        return tf.pow(tf.div(tf.sub(safeA, 1), tf.sub(tf.mul(safeA, safeB), 1)), tf.reciprocal(safeA));
      },
    );
  }
}
