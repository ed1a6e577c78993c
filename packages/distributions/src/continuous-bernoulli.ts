import * as tf from '@tensorflow/tfjs-core';
import { broadcastShapes, expm1, log1mexp, log1p, softplus, withoutGradient } from '@vae/math';
import { uniform } from '@vae/samplers';
import { constraints } from './constraints.js';
import { family } from './family.js';
import type { FamilyParams } from './family.js';
import { binaryParameters, LOGITS_OR_PROBS, polynomial, safeWhere } from './parameterization.js';

const CONTINUOUS_BERNOULLI_PARAMETERS = binaryParameters(constraints.openUnitInterval);

/**
 * Parameters of {@link ContinuousBernoulli}: exactly one of `logits` (the natural parameter
 * eta = log(lambda / (1 - lambda)), any finite real) and `probs` (the shape parameter lambda, in the
 * open interval (0, 1)).
 */
export interface ContinuousBernoulliParams extends FamilyParams<typeof CONTINUOUS_BERNOULLI_PARAMETERS> {}

// Every formula below is written in the natural parameter eta (the logits). Near eta = 0 (lambda
// near 1/2) the closed forms are 0/0 or cancel catastrophically, so Taylor series take over inside
// a cut chosen where both the series' truncation error and the closed form's rounding error are
// below float32 resolution. Coefficients from sympy series of the closed forms.
const LOG_NORMALIZER_CUT = 0.5; // C(eta) = log(eta / tanh(eta / 2)); next term ~ 1e-9 at the cut
const LOG_NORMALIZER_SERIES = [Math.log(2), 1 / 12, -7 / 1440, 31 / 90720, -127 / 4838400]; // in eta^2
const MEAN_CUT = 0.5; // 1 / (1 - exp(-eta)) - 1 / eta
const MEAN_SERIES = [0.5, 1 / 12, 0, -1 / 720, 0, 1 / 30240]; // in eta
const VARIANCE_CUT = 1; // 1 / eta^2 - 1 / (4 sinh^2(eta / 2)), cancels badly for small eta
const VARIANCE_SERIES = [1 / 12, -1 / 240, 1 / 6048, -1 / 172800, 1 / 5322240, -691 / 118879488000]; // in eta^2
const ENTROPY_CUT = 1;
const ENTROPY_SERIES = [0, -1 / 24, 1 / 960, -1 / 36288, 1 / 1382400]; // in eta^2
const LOG_CDF_CUT = 0.5; // log CDF = log x + g(eta x) - g(eta), g(y) = log(expm1(y) / y)
const G_SERIES = [0, 0.5, 1 / 24, 0, -1 / 2880, 0, 1 / 181440]; // in y
const QUANTILE_CUT = 0.1; // inverse CDF log1p(u expm1(eta)) / eta, 0/0 at eta = 0

/** C(eta) = log(eta / tanh(eta / 2)), the log normalizer, even in eta. */
function logNormalizer(eta: tf.Tensor): tf.Tensor {
  const a = tf.abs(eta);
  return safeWhere(
    (t) => tf.less(tf.abs(t), LOG_NORMALIZER_CUT),
    a,
    (t) => polynomial(LOG_NORMALIZER_SERIES, tf.square(t)),
    0,
    // log tanh(a / 2) = log1mexp(a) - softplus(-a): exact for large a as well.
    (t) => tf.sub(tf.log(t), tf.sub(log1mexp(t), softplus(tf.neg(t)))),
    1,
  );
}

/** The mean 1 / (1 - exp(-eta)) - 1 / eta. */
function meanOf(eta: tf.Tensor): tf.Tensor {
  return safeWhere(
    (t) => tf.less(tf.abs(t), MEAN_CUT),
    eta,
    (t) => polynomial(MEAN_SERIES, t),
    0,
    (t) => tf.sub(logisticTerm(t), tf.reciprocal(t)),
    1,
  );
}

/**
 * 1 / (1 - exp(-eta)) for eta away from 0, with no overflow on either side: -1 / expm1(-eta) for
 * eta > 0 and exp(eta) / expm1(eta) for eta < 0. The single form -1 / expm1(-eta) overflows to
 * -1 / Infinity for eta <= -89, where its value is still right (0) but its gradient is
 * Infinity / Infinity = NaN (the continuous Bernoulli's entropy gradient at |logits| >= 89).
 */
function logisticTerm(eta: tf.Tensor): tf.Tensor {
  return safeWhere(
    (t) => tf.greater(t, 0),
    eta,
    (t) => tf.div(-1, expm1(tf.neg(t))),
    1,
    (t) => tf.div(tf.exp(t), expm1(t)),
    -1,
  );
}

/** The variance 1 / eta^2 - 1 / (4 sinh^2(eta / 2)), even in eta. */
function varianceOf(eta: tf.Tensor): tf.Tensor {
  const a = tf.abs(eta);
  return safeWhere(
    (t) => tf.less(tf.abs(t), VARIANCE_CUT),
    a,
    (t) => polynomial(VARIANCE_SERIES, tf.square(t)),
    0,
    // 1 / (4 sinh^2(a / 2)) = exp(-a - 2 log(1 - exp(-a))), no overflow for large a.
    (t) => tf.sub(tf.reciprocal(tf.square(t)), tf.exp(tf.sub(tf.neg(t), tf.mul(2, log1mexp(t))))),
    2,
  );
}

/** The entropy -E[log p(x)], even in eta: a (1 - mean(a)) + softplus(-a) - C(a) with a = |eta|. */
function entropyOf(eta: tf.Tensor): tf.Tensor {
  const a = tf.abs(eta);
  return safeWhere(
    (t) => tf.less(tf.abs(t), ENTROPY_CUT),
    a,
    (t) => polynomial(ENTROPY_SERIES, tf.square(t)),
    0,
    (t) => tf.sub(tf.add(tf.mul(t, meanOf(tf.neg(t))), softplus(tf.neg(t))), logNormalizer(t)),
    2,
  );
}

/**
 * The continuous Bernoulli distribution on [0, 1] (Loaiza-Ganem and Cunningham, 2019),
 * reparameterized through its inverse CDF.
 *
 * @remarks
 * p(x | lambda) = C(lambda) lambda^x (1 - lambda)^(1 - x) on [0, 1]. In the natural parameter
 * eta = logit(lambda) the density is proportional to exp(eta x) and
 * - log p(x) = -x softplus(-eta) - (1 - x) softplus(eta) + C(eta), C(eta) = log(eta / tanh(eta / 2))
 *   (= log(2 atanh(1 - 2 lambda) / (1 - 2 lambda)));
 * - mean 1 / (1 - exp(-eta)) - 1 / eta; variance 1 / eta^2 - 1 / (4 sinh^2(eta / 2));
 * - entropy -eta mean - C(eta) + softplus(eta);
 * - CDF (exp(eta x) - 1) / (exp(eta) - 1), evaluated in log space;
 * - samples x = log1p(u expm1(eta)) / eta for uniform u (the inverse CDF).
 *
 * Each of these is 0/0 or cancels at eta = 0 (lambda = 1/2, the uniform distribution): inside a
 * small cut around it (|eta| < 0.1 to 1 depending on the formula) a Taylor series in eta replaces
 * the closed form. Torch cuts at |lambda - 1/2| < 0.001 with second-order series; working in eta
 * with longer series keeps float32 accuracy at the cut. The mode is 1 where lambda > 1/2 and 0
 * otherwise (at lambda = 1/2 every point is a mode; 0 is returned).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { ContinuousBernoulli } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const d = new ContinuousBernoulli({ probs: [0.2, 0.5, 0.9] });
 *   console.log(d.mean().arraySync()); // [0.3880, 0.5, 0.6699]
 *   console.log(d.logProb(0.5).arraySync()); // [-0.0788, 0, -0.1936]
 *   const x = d.rsample([4], 1); // shape [4, 3], differentiable in probs
 *   d.dispose();
 * });
 * ```
 */
export class ContinuousBernoulli extends family('ContinuousBernoulli', CONTINUOUS_BERNOULLI_PARAMETERS, {
  support: constraints.unitInterval,
  reparameterized: true,
  ...LOGITS_OR_PROBS,
}) {
  protected override _sampleN(n: number, seed?: number): tf.Tensor {
    return this.quantile(uniform([n, ...this.batchShape], seed));
  }

  /**
   * The inverse CDF: log1p(u expm1(eta)) / eta for eta < 0 and its mirror
   * 1 + log1p((1 - u) expm1(-eta)) / eta for eta > 0 (no overflow, full precision near the
   * end where the mass sits), a Taylor series in eta near 0.
   */
  private quantile(u: tf.Tensor): tf.Tensor {
    const eta = tf.broadcastTo(this.logits, u.shape);
    const direct = (t: tf.Tensor): tf.Tensor => {
      const negative = withoutGradient((e) => tf.less(e, 0), t);
      const a = tf.abs(t);
      const v = tf.where(negative, u, tf.sub(1, u));
      const fromNear = tf.div(log1p(tf.mul(v, expm1(tf.neg(a)))), tf.neg(a));
      return tf.where(negative, fromNear, tf.sub(1, fromNear));
    };
    const series = (t: tf.Tensor): tf.Tensor => {
      // u + eta u(1-u)/2 + eta^2 u(1-u)(1-2u)/6 + eta^3 u(1-u)(1 - 6u + 6u^2)/24
      const w = tf.mul(u, tf.sub(1, u));
      const c2 = tf.div(tf.mul(w, tf.sub(1, tf.mul(2, u))), 6);
      const c3 = tf.div(tf.mul(w, tf.add(tf.sub(1, tf.mul(6, u)), tf.mul(6, tf.square(u)))), 24);
      return tf.add(u, tf.mul(t, tf.add(tf.mul(w, 0.5), tf.mul(t, tf.add(c2, tf.mul(t, c3))))));
    };
    const x = safeWhere((t) => tf.less(tf.abs(t), QUANTILE_CUT), eta, series, 0, direct, 1);
    return tf.clipByValue(x, 0, 1);
  }

  protected _logProb(x: tf.Tensor): tf.Tensor {
    const eta = this.logits;
    const bernoulliPart = tf.add(tf.mul(x, softplus(tf.neg(eta))), tf.mul(tf.sub(1, x), softplus(eta)));
    return tf.sub(logNormalizer(eta), bernoulliPart);
  }

  protected override _logCdf(value: tf.Tensor): tf.Tensor {
    const x = tf.clipByValue(value, 0, 1);
    const eta = tf.broadcastTo(this.logits, broadcastShapes([x.shape, this.logits.shape]));
    const xb = tf.broadcastTo(x, eta.shape);
    const series = (t: tf.Tensor): tf.Tensor => tf.add(tf.log(xb), tf.sub(polynomial(G_SERIES, tf.mul(t, xb)), polynomial(G_SERIES, t)));
    const direct = (t: tf.Tensor): tf.Tensor => {
      // (exp(eta x) - 1) / (exp(eta) - 1) = exp(max(eta, 0)(x - 1)) (1 - exp(-|eta| x)) / (1 - exp(-|eta|))
      const a = tf.abs(t);
      return tf.add(tf.mul(tf.relu(t), tf.sub(xb, 1)), tf.sub(log1mexp(tf.mul(a, xb)), log1mexp(a)));
    };
    return safeWhere((t) => tf.less(tf.abs(t), LOG_CDF_CUT), eta, series, 0, direct, 1);
  }

  protected override _entropy(): tf.Tensor {
    return entropyOf(this.logits);
  }

  protected override _mean(): tf.Tensor {
    return meanOf(this.logits);
  }

  protected override _variance(): tf.Tensor {
    return varianceOf(this.logits);
  }

  protected override _mode(): tf.Tensor {
    return tf.cast(tf.greater(this.logits, 0), 'float32');
  }
}
