import * as tf from '@tensorflow/tfjs-core';
import { expm1, log1mexp, softplus, withoutGradient, xlog1py, xlogy } from '@vae/math';
import { uniform } from '@vae/samplers';
import { constraints } from './constraints.js';
import { family } from './family.js';
import type { FamilyParams } from './family.js';
import { binaryLogProbs, binaryParameters, LOGITS_OR_PROBS, mulLog } from './parameterization.js';

const GEOMETRIC_PARAMETERS = binaryParameters(constraints.unitIntervalWithoutZero);

/** Parameters of {@link Geometric}: exactly one of `logits` and `probs` (p in (0, 1]). */
export interface GeometricParams extends FamilyParams<typeof GEOMETRIC_PARAMETERS> {}

/**
 * The geometric distribution: the number of failures before the first success, on {0, 1, 2, ...}
 * (torch's convention), parameterized by `logits` or `probs`.
 *
 * @remarks
 * p(k) = (1 - p)^k p. With logits l: log p(k) = -k softplus(l) - softplus(-l), exact for |l| up
 * to the float32 range; with probs: xlog1py(k, -p) + log p (p = 1 gives all mass at 0). CDF
 * 1 - (1 - p)^(floor(k) + 1), taken as -expm1((floor(k) + 1) log(1 - p)), and its log by
 * `log1mexp`; mean (1 - p) / p = e^-l; variance (1 - p) / p^2 = e^-l (1 + e^-l); mode 0; entropy
 * (-(1 - p) log(1 - p) - p log p) / p = softplus(-l) + e^-l softplus(l). Samples
 * floor(log u / log(1 - p)) for uniform u (inversion), not reparameterized.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Geometric } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const d = new Geometric({ probs: [0.5, 0.1] });
 *   console.log(d.logProb([0, 3]).arraySync()); // [-0.6931, -2.6187]
 *   console.log(d.mean().arraySync()); // [1, 9]
 *   console.log(new Geometric({ logits: -80 }).logProb(0).arraySync()); // -80
 * });
 * ```
 */
export class Geometric extends family('Geometric', GEOMETRIC_PARAMETERS, {
  support: constraints.nonNegativeInteger,
  reparameterized: false,
  ...LOGITS_OR_PROBS,
}) {
  protected override _sampleN(n: number, seed?: number): tf.Tensor {
    const [, logFailure] = binaryLogProbs(this.given, this);
    const u = uniform([n, ...this.batchShape], seed);
    // + 0 turns the -0 of log u / -Infinity (p = 1) into 0.
    return tf.add(tf.floor(tf.div(tf.log(u), logFailure)), 0);
  }

  protected _logProb(x: tf.Tensor): tf.Tensor {
    const [logSuccess, logFailure] = binaryLogProbs(this.given, this);
    return tf.add(mulLog(x, logFailure), logSuccess);
  }

  /** (floor(k) + 1) log(1 - p), with `below` marking k < 0. */
  private logSurvival(x: tf.Tensor): { below: tf.Tensor; logS: tf.Tensor } {
    const [, logFailure] = binaryLogProbs(this.given, this);
    const below = withoutGradient((v) => tf.less(v, 0), x);
    return { below, logS: mulLog(tf.add(tf.floor(tf.relu(x)), 1), logFailure) };
  }

  protected override _cdf(x: tf.Tensor): tf.Tensor {
    const { below, logS } = this.logSurvival(x);
    const cdf = tf.neg(expm1(logS));
    return tf.where(below, tf.zerosLike(cdf), cdf);
  }

  protected override _logCdf(x: tf.Tensor): tf.Tensor {
    const { below, logS } = this.logSurvival(x);
    const logCdf = log1mexp(logS);
    return tf.where(below, tf.fill(logCdf.shape, -Infinity), logCdf);
  }

  protected override _mean(): tf.Tensor {
    const mean = this.given === 'probs' ? tf.div(tf.sub(1, this.probs), this.probs) : tf.exp(tf.neg(this.logits));
    return tf.broadcastTo(mean, this.batchShape);
  }

  protected override _variance(): tf.Tensor {
    const p = this.probs;
    const variance =
      this.given === 'probs'
        ? tf.div(tf.sub(1, p), tf.square(p))
        : tf.mul(tf.exp(tf.neg(this.logits)), tf.add(1, tf.exp(tf.neg(this.logits))));
    return tf.broadcastTo(variance, this.batchShape);
  }

  protected override _mode(): tf.Tensor {
    return tf.zeros(this.batchShape);
  }

  protected override _entropy(): tf.Tensor {
    const p = this.probs;
    if (this.given === 'probs') {
      return tf.broadcastTo(tf.div(tf.neg(tf.add(xlog1py(tf.sub(1, p), tf.neg(p)), xlogy(p, p))), p), this.batchShape);
    }
    const l = this.logits;
    return tf.broadcastTo(tf.add(softplus(tf.neg(l)), tf.mul(tf.exp(tf.neg(l)), softplus(l))), this.batchShape);
  }
}
