import * as tf from '@tensorflow/tfjs-core';
import { logBeta } from '@vae/math';
import { uniform } from '@vae/samplers';
import { constraints } from './constraints.js';
import type { Constraint } from './constraints.js';
import { family } from './family.js';
import type { FamilyParams } from './family.js';
import { binaryLogProbs, binaryParameters, LOGITS_OR_PROBS, mulLog } from './parameterization.js';

const BINOMIAL_PARAMETERS = {
  /** The number n of trials, a non-negative integer broadcastable to `batchShape`. */
  totalCount: constraints.nonNegativeInteger,
  ...binaryParameters(constraints.unitInterval),
} as const;

/** Parameters of {@link Binomial}: `totalCount` and exactly one of `logits` and `probs` (p in [0, 1]). */
export interface BinomialParams extends FamilyParams<typeof BINOMIAL_PARAMETERS> {}

/**
 * The binomial distribution: the number of successes in `totalCount` independent trials, on
 * {0, ..., n}, parameterized by `totalCount` and `logits` or `probs`.
 *
 * @remarks
 * log p(k) = log C(n, k) + k log p + (n - k) log(1 - p), the coefficient as
 * -log(n + 1) - logBeta(k + 1, n - k + 1) (free of the cancelling log-gammas), and with logits l,
 * log p = -softplus(-l), log(1 - p) = -softplus(l) (0 log 0 = 0 at p = 0 or 1). For n near 1e5 the
 * terms cancel against the coefficient and the log mass carries an absolute error ~2e-3 (float32's ulp). Counts above n are
 * outside the support (-Infinity, or an error when validating). Mean n p; variance n p (1 - p);
 * mode floor((n + 1) p), capped at n. Samples by inversion: u uniform, X = #{k < n : F(k) < u}
 * with the masses by their ratio recursion in log space, so sampling reads the largest total count back to the host
 * once (sampling is not a training path) and costs O(max n) per draw; not reparameterized.
 * Entropy has no closed form and is not defined.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Binomial } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const d = new Binomial({ totalCount: 10, probs: [0.5, 0.01] });
 *   console.log(d.logProb([5, 0]).arraySync()); // [-1.4020, -0.1005]
 *   console.log(d.mean().arraySync()); // [5, 0.1]
 * });
 * ```
 */
export class Binomial extends family('Binomial', BINOMIAL_PARAMETERS, {
  support: (p): Constraint => ({
    description: 'an integer in [0, totalCount]',
    eventRank: 0,
    check: (x) => tf.tidy(() => tf.logicalAnd(constraints.nonNegativeInteger.check(x), tf.lessEqual(x, p.totalCount))),
  }),
  reparameterized: false,
  ...LOGITS_OR_PROBS,
}) {
  private logMass(x: tf.Tensor): tf.Tensor {
    const [logP, log1mP] = binaryLogProbs(this.given, this);
    const shape = tf.broadcast_util.assertAndGetBroadcastShape(x.shape, this.totalCount.shape);
    const [k, n] = [tf.broadcastTo(x, shape), tf.broadcastTo(this.totalCount, shape)];
    // Outside [0, n] the support mask answers; the clamp keeps logBeta's arguments positive there.
    const rest = tf.maximum(tf.sub(n, k), 0);
    const coefficient = tf.neg(tf.add(tf.log(tf.add(n, 1)), logBeta(tf.add(k, 1), tf.add(rest, 1))));
    return tf.add(coefficient, tf.add(mulLog(k, logP), mulLog(rest, log1mP)));
  }

  protected override _sampleN(n: number, seed?: number): tf.Tensor {
    const maxCount = tf.max(this.totalCount).dataSync()[0];
    const shape = [n, ...this.batchShape];
    const u = uniform(shape, seed);
    const [logP, log1mP] = binaryLogProbs(this.given, this);
    const total = tf.broadcastTo(this.totalCount, shape);
    // log p(k + 1) = log p(k) + log((n - k) / (k + 1)) + log p - log(1 - p), from log p(0) = n log(1 - p):
    // a few kernels per step instead of a logBeta, in log space so that p(0) may underflow.
    let logMass: tf.Tensor = tf.broadcastTo(mulLog(this.totalCount, log1mP), shape);
    let cdf: tf.Tensor = tf.exp(logMass);
    let count: tf.Tensor = tf.cast(tf.logicalAnd(tf.less(cdf, u), tf.less(0, total)), 'float32');
    const logOdds = tf.sub(logP, log1mP);
    for (let k = 1; k < maxCount; k++) {
      const next = tf.tidy(() => {
        const m = tf.add(logMass, tf.add(tf.log(tf.div(tf.relu(tf.sub(total, k - 1)), k)), logOdds));
        const c = tf.add(cdf, tf.exp(m));
        return [m, c, tf.add(count, tf.cast(tf.logicalAnd(tf.less(c, u), tf.less(k, total)), 'float32'))];
      });
      tf.dispose([logMass, cdf, count]);
      [logMass, cdf, count] = next;
    }
    // p = 1 makes the recursion -Infinity + Infinity; every trial succeeds there.
    return tf.where(tf.equal(tf.broadcastTo(this.probs, shape), 1), total, count);
  }

  protected _logProb(x: tf.Tensor): tf.Tensor {
    return this.logMass(x);
  }

  protected override _mean(): tf.Tensor {
    return tf.broadcastTo(tf.mul(this.totalCount, this.probs), this.batchShape);
  }

  protected override _variance(): tf.Tensor {
    const q = this.given === 'probs' ? tf.sub(1, this.probs) : tf.sigmoid(tf.neg(this.logits));
    return tf.broadcastTo(tf.mul(tf.mul(this.totalCount, this.probs), q), this.batchShape);
  }

  protected override _mode(): tf.Tensor {
    return tf.broadcastTo(tf.minimum(tf.floor(tf.mul(tf.add(this.totalCount, 1), this.probs)), this.totalCount), this.batchShape);
  }
}
