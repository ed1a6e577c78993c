import * as tf from '@tensorflow/tfjs-core';
import { besselIRatio, expm1, logBesselI, withoutGradient } from '@vae/math';
import { vonMisesSample } from '@vae/samplers';
import { constraints } from './constraints.js';
import type { Constraint } from './constraints.js';
import { family } from './family.js';
import type { ParamsOf } from './family.js';
import { logHankel } from './sphere.js';

const LOG_TWO_PI = Math.log(2 * Math.PI);
/**
 * From this concentration on, log(e^-k I_0(k)) and 1 - I_1(k) / I_0(k) come from Hankel's series,
 * where log I_0(k) - k and 1 - I_1 / I_0 formed in float32 would each lose digits to cancellation.
 * At k = 50 the 6th term is below 1e-11.
 */
const HANKEL_FROM = 50;

/** The circle as angles in [-pi, pi] (pi itself included, as in TFP: it is the same point as -pi). */
const CIRCLE: Constraint = {
  description: 'an angle in [-pi, pi]',
  eventRank: 0,
  check: (x) => tf.tidy(() => tf.logicalAnd(tf.greaterEqual(x, -Math.PI), tf.lessEqual(x, Math.PI))),
  violation: (x) => tf.tidy(() => tf.relu(tf.sub(tf.abs(x), Math.PI))),
};

/** Parameters of {@link VonMises}. */
export interface VonMisesParams extends ParamsOf<typeof VonMises> {}

/**
 * The Bessel quantities of a von Mises concentration, each accurate in float32 from 1e-6 to 1e6
 * and beyond: log(e^-k I_0(k)) (the log normalizer without its k), A(k) = I_1(k) / I_0(k) and
 * 1 - A(k). Below HANKEL_FROM from `logBesselI` and `besselIRatio`, above from Hankel's series; each
 * branch sees only safe values, so neither's gradient is NaN where the other is taken.
 */
function vonMisesBesselTerms(k: tf.Tensor): { logScaledI0: tf.Tensor; meanResultant: tf.Tensor; oneMinusMeanResultant: tf.Tensor } {
  const large = withoutGradient((v) => tf.greaterEqual(v, HANKEL_FROM), k);
  const kSmall = tf.where(large, tf.onesLike(k), k);
  const kLarge = tf.where(large, k, tf.fill(k.shape, HANKEL_FROM));
  const h0 = logHankel(0, kLarge);
  const logScaledI0 = tf.where(
    large,
    tf.sub(h0, tf.mul(0.5, tf.log(tf.mul(2 * Math.PI, kLarge)))),
    tf.sub(logBesselI(0, kSmall, { validateArgs: false }), kSmall),
  );
  const ratio = besselIRatio(0, kSmall, { validateArgs: false });
  // A = (1 + s_1) / (1 + s_0), so 1 - A = -expm1(log(1 + s_1) - log(1 + s_0)).
  const largeOneMinus = tf.neg(expm1(tf.sub(logHankel(1, kLarge), h0)));
  const oneMinusMeanResultant = tf.where(large, largeOneMinus, tf.sub(1, ratio));
  const meanResultant = tf.where(large, tf.sub(1, largeOneMinus), ratio);
  return { logScaledI0, meanResultant, oneMinusMeanResultant };
}

/**
 * The von Mises distribution on the circle (angles in [-pi, pi]), reparameterized by implicit
 * gradients.
 *
 * @remarks
 * log p(x) = kappa cos(x - mu) - log(2 pi I_0(kappa)), written as
 * -2 kappa sin^2((x - mu) / 2) - log(2 pi) - log(e^-kappa I_0(kappa)) so that neither kappa cos and
 * log I_0 (both about kappa) nor cos(x - mu) - 1 cancel: finite and accurate for kappa from 1e-6 to
 * 1e6 and at x = +-pi. log(e^-kappa I_0) is `logBesselI(0, kappa) - kappa` below kappa = 50 and
 * Hankel's series -log(2 pi kappa) / 2 + log(1 + s_0(kappa)) above.
 *
 * With A(kappa) = I_1(kappa) / I_0(kappa) (`besselIRatio(0, kappa)`, Hankel's series from 50, with
 * 1 - A as an expm1 so it keeps its digits as A -> 1): E[cos(x - mu)] = A; the mean and the mode are
 * mu (as in TFP; the circular mean); the variance is the circular variance 1 - A (as in TFP); the
 * entropy is kappa (1 - A) + log(2 pi) + log(e^-kappa I_0(kappa)).
 *
 * `sample`/`rsample` are `vonMisesSample` of `@vae/samplers` (Best and Fisher's rejection sampler
 * on the device, seeded, wrapped to [-pi, pi)); `rsample` is differentiable: d x / d mu = 1 and
 * d x / d kappa is the implicit reparameterization gradient -(dF/dkappa) / p(x) (Figurnov et al.
 * 2018), F the CDF. The support check accepts [-pi, pi], pi included (it is -pi on the circle).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { VonMises } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const d = new VonMises({ loc: 0, concentration: [1, 1e6] });
 *   console.log(d.logProb(0).arraySync()); // [-1.0738, 5.9888]
 *   console.log(d.variance().arraySync()); // [0.5536, 5e-7]
 *   console.log(d.entropy().arraySync()); // [1.6274, -5.4888]
 *   console.log(d.rsample([3], 1).shape); // [3, 2]
 *   d.dispose();
 * });
 * ```
 */
export class VonMises extends family(
  'VonMises',
  {
    /** The mean direction mu, an angle (any finite real; it acts modulo 2 pi), broadcastable to `batchShape`. */
    loc: constraints.real,
    /** The concentration kappa, > 0 (kappa -> 0 is the uniform law on the circle), broadcastable to `batchShape`. */
    concentration: constraints.positive,
  },
  { support: CIRCLE, reparameterized: true },
) {
  protected override readonly sampler = vonMisesSample;

  protected _logProb(x: tf.Tensor): tf.Tensor {
    const halfSine = tf.sin(tf.mul(0.5, tf.sub(x, this.loc)));
    const { logScaledI0 } = vonMisesBesselTerms(this.concentration);
    return tf.sub(tf.mul(tf.mul(-2, this.concentration), tf.square(halfSine)), tf.add(logScaledI0, LOG_TWO_PI));
  }

  protected override _entropy(): tf.Tensor {
    const { logScaledI0, oneMinusMeanResultant } = vonMisesBesselTerms(this.concentration);
    return tf.add(tf.mul(this.concentration, oneMinusMeanResultant), tf.add(logScaledI0, LOG_TWO_PI));
  }

  protected override _mean(): tf.Tensor {
    return this.loc;
  }

  protected override _mode(): tf.Tensor {
    return this.loc;
  }

  protected override _variance(): tf.Tensor {
    return vonMisesBesselTerms(this.concentration).oneMinusMeanResultant;
  }
}
