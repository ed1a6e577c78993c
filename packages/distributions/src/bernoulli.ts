import * as tf from '@tensorflow/tfjs-core';
import { softplus, sumToShape, withoutGradient, xlog1py, xlogy } from '@vae/math';
import { uniform } from '@vae/samplers';
import { constraints } from './constraints.js';
import { family } from './family.js';
import type { FamilyParams } from './family.js';
import { binaryLogProbs, binaryParameters, LOGITS_OR_PROBS_ON_READ } from './parameterization.js';

const BERNOULLI_PARAMETERS = binaryParameters(constraints.unitInterval);

/**
 * log p(x) = -softplus((1 - 2x) l) for binary x, summed over the last `n` axes, as one op whose
 * gradient is taken in the logits only: d/dl = -(1 - 2x) sigmoid((1 - 2x) l).
 *
 * The values are those of the ops below followed by a sum, and the gradient is the one tfjs's
 * autodiff of them gives to the bit (each factor it multiplies in is +-1 or dy, in a different
 * order); what changes is the work: autodiff of `sum` multiplies dy by a ones tensor of the full
 * shape built on the host, and the chain negates, multiplies by the sigmoid and by (1 - 2x) as
 * separate full-size passes. Here the sum's gradient is a broadcast inside one multiply, and the
 * negation is on dy, which is `n` axes smaller. The value x is data (a Bernoulli value is
 * discrete), so no gradient flows to it; a training step never asks for one.
 */
function bernoulliLogMassSum(x: tf.Tensor, logits: tf.Tensor, n: number): tf.Tensor {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const l = args[0] as tf.Tensor;
    const save = args[1] as tf.GradSaveFunc;
    const sign = tf.sub(1, tf.mul(2, x));
    const t = tf.mul(sign, l);
    const lp = tf.neg(softplus(t));
    const axes = Array.from({ length: n }, (_, i) => lp.rank - 1 - i);
    const value = n === 0 ? lp : tf.sum(lp, axes);
    save([sign, t]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [s, tSaved] = saved;
        const negDy = tf.neg(n === 0 ? dy : tf.reshape(dy, [...dy.shape, ...axes.map(() => 1)]));
        return sumToShape(tf.mul(tf.mul(tf.sigmoid(tSaved), s), negDy), l.shape);
      },
    };
  });
  return op(logits) as tf.Tensor;
}

/** Parameters of {@link Bernoulli}: exactly one of `logits` and `probs` (p in [0, 1]). */
export interface BernoulliParams extends FamilyParams<typeof BERNOULLI_PARAMETERS> {}

/**
 * The Bernoulli distribution on {0, 1}, parameterized by `logits` or `probs`.
 *
 * @remarks
 * With logits l: log p(1) = -softplus(-l) and log p(0) = -softplus(l), exact for |l| up to the
 * float32 range; with probs p: log p(x) = xlogy(x, p) + xlog1py(1 - x, -p), so p = 0 and p = 1
 * give 0 and -Infinity where they should, never NaN. Entropy
 * -p log p - (1 - p) log(1 - p); mean p; variance p (1 - p); the mode is 1 where p > 1/2 and 0
 * otherwise (0 at the tie p = 1/2, as in TensorFlow Probability). The CDF is 0 below 0, 1 - p on
 * [0, 1) and 1 from 1 on. Samples are float32 zeros and ones (`u < p` for uniform u), not
 * reparameterized. Built from logits, `probs` is sigmoid(logits) computed on first use (a
 * likelihood's `logProb` never needs it) and then kept: it lives in the `tf.tidy` scope that first
 * read it (read again after that scope ended, it is recomputed) and `dispose()` frees it.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Bernoulli } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const coin = new Bernoulli({ logits: [0, 80, -80] });
 *   console.log(coin.logProb([1, 1, 1]).arraySync()); // [-0.6931, -1.8e-35, -80]
 *   console.log(coin.sample([2], 3).shape); // [2, 3]
 *   coin.dispose();
 * });
 * ```
 */
export class Bernoulli extends family('Bernoulli', BERNOULLI_PARAMETERS, {
  support: constraints.binary,
  reparameterized: false,
  ...LOGITS_OR_PROBS_ON_READ,
}) {
  protected override _sampleN(n: number, seed?: number): tf.Tensor {
    const shape = [n, ...this.batchShape];
    return tf.cast(tf.less(uniform(shape, seed), this.probs), 'float32');
  }

  protected _logProb(x: tf.Tensor): tf.Tensor {
    if (this.given === 'probs') return tf.add(xlogy(x, this.probs), xlog1py(tf.sub(1, x), tf.neg(this.probs)));
    // -softplus(-l) at 1 and -softplus(l) at 0, as one softplus of (1 - 2x) l: exact for both
    // values (other x are masked to -Infinity by logProb), and half the work of the textbook
    // x log p + (1 - x) log(1 - p), which matters for a 784-pixel likelihood in a training step.
    return bernoulliLogMassSum(x, this.logits, 0);
  }

  protected override _logProbSum(x: tf.Tensor, n: number): tf.Tensor | undefined {
    // With logits of the full batch shape the op's output is already S + batchShape, so its sum is
    // Independent's; anything else takes the general route.
    const full = this.logits.rank === this.batchShape.length && this.logits.shape.every((d, i) => d === this.batchShape[i]);
    return this.given === 'probs' || !full ? undefined : bernoulliLogMassSum(x, this.logits, n);
  }

  protected override _logCdf(x: tf.Tensor): tf.Tensor {
    const [, logP0] = binaryLogProbs(this.given, this);
    const [below, within] = [withoutGradient((v) => tf.less(v, 0), x), withoutGradient((v) => tf.less(v, 1), x)];
    return tf.where(below, tf.fill(x.shape, -Infinity), tf.where(within, logP0, tf.zerosLike(logP0)));
  }

  protected override _cdf(x: tf.Tensor): tf.Tensor {
    const p0 = this.given === 'probs' ? tf.sub(1, this.probs) : tf.sigmoid(tf.neg(this.logits));
    const [below, within] = [withoutGradient((v) => tf.less(v, 0), x), withoutGradient((v) => tf.less(v, 1), x)];
    return tf.where(below, tf.zerosLike(x), tf.where(within, p0, tf.onesLike(p0)));
  }

  protected override _entropy(): tf.Tensor {
    const p = this.probs;
    if (this.given === 'probs') return tf.neg(tf.add(xlogy(p, p), xlog1py(tf.sub(1, p), tf.neg(p))));
    // p softplus(-l) + (1 - p) softplus(l), with 1 - p = sigmoid(-l) kept exact for large l.
    const l = this.logits;
    return tf.add(tf.mul(p, softplus(tf.neg(l))), tf.mul(tf.sigmoid(tf.neg(l)), softplus(l)));
  }

  protected override _mean(): tf.Tensor {
    return this.probs;
  }

  protected override _variance(): tf.Tensor {
    if (this.given === 'probs') return tf.mul(this.probs, tf.sub(1, this.probs));
    return tf.mul(this.probs, tf.sigmoid(tf.neg(this.logits)));
  }

  protected override _mode(): tf.Tensor {
    return tf.cast(tf.greater(this.probs, 0.5), 'float32');
  }
}
