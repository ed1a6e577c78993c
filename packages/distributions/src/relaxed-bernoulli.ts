import * as tf from '@tensorflow/tfjs-core';
import { softplus, withoutGradient } from '@vae/math';
import { relaxedBernoulliSample } from '@vae/samplers';
import { constraints } from './constraints.js';
import { family } from './family.js';
import type { ParamsOf } from './family.js';
import { binaryParameters, LOGITS_OR_PROBS } from './parameterization.js';

/**
 * Parameters of {@link RelaxedBernoulli}: `temperature` and exactly one of `logits` and `probs` of
 * the underlying Bernoulli (p in the open interval (0, 1)).
 */
export interface RelaxedBernoulliParams extends ParamsOf<typeof RelaxedBernoulli> {}

/**
 * The relaxed Bernoulli (binary Concrete, Maddison et al. 2017; Jang et al. 2017) on [0, 1],
 * reparameterized.
 *
 * @remarks
 * x = sigmoid((l + L) / t) with L standard logistic noise, l the logits and t the temperature.
 * As in torch (a `LogitRelaxedBernoulli` transformed by the sigmoid), the logit y = logit(x) is
 * Logistic(l / t, 1 / t), so with d = l - t y
 * log p(x) = log t - softplus(d) - softplus(-d) - log x - log(1 - x),
 * evaluated with log x and log1p(-x) (never with logit(x) formed first), so values within float32
 * resolution of 0 or 1 stay finite. Samples that round to exactly 0 or 1 (common at low
 * temperature) get the density's limit there: +Infinity when t < 1, -Infinity when t > 1, and
 * -l (at 0) or l (at 1) when t = 1. The CDF is sigmoid(t logit(x) - l), its log
 * -softplus(l - t logit(x)). The mean, variance, entropy and mode have no closed form and are not
 * defined.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { RelaxedBernoulli } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const d = new RelaxedBernoulli({ temperature: 0.5, logits: [-1, 2] });
 *   const x = d.rsample([3], 7); // shape [3, 2], values in [0, 1], differentiable in logits and temperature
 *   console.log(d.logProb(x).shape); // [3, 2]
 *   d.dispose();
 * });
 * ```
 */
export class RelaxedBernoulli extends family(
  'RelaxedBernoulli',
  {
    /** The relaxation temperature, > 0 (small temperatures approach a Bernoulli), broadcastable to `batchShape`. */
    temperature: constraints.positive,
    ...binaryParameters(constraints.openUnitInterval),
  },
  {
    support: constraints.unitInterval,
    reparameterized: true,
    ...LOGITS_OR_PROBS,
  },
) {
  protected override _sampleN(n: number, seed?: number): tf.Tensor {
    return relaxedBernoulliSample(this.logits, this.temperature, [n, ...this.batchShape], seed, this.samplerOptions);
  }

  protected _logProb(x: tf.Tensor): tf.Tensor {
    const t = this.temperature;
    const l = this.logits;
    const atZero = withoutGradient((v) => tf.equal(v, 0), x);
    const atOne = withoutGradient((v) => tf.equal(v, 1), x);
    const interior = withoutGradient((v) => tf.logicalAnd(tf.notEqual(v, 0), tf.notEqual(v, 1)), x);
    const xs = tf.where(interior, x, tf.fill(x.shape, 0.5));
    const logX = tf.log(xs);
    // log(1 - x) enters only beside log(x) (as the logit and as log x + log(1 - x)): where 1 - x
    // rounds, x < 1/2 and |log x| > |log(1 - x)|, so the plain kernel's error (at most 1.2e-7 absolute;
    // it is log(1 + x) on wasm) is below the rounding of log x; the accurate log1p would cost eight
    // kernels on the hot path of every relaxed Bernoulli log-density.
    const log1mX = tf.log1p(tf.neg(xs));
    const d = tf.sub(l, tf.mul(t, tf.sub(logX, log1mX)));
    const inside = tf.sub(tf.sub(tf.log(t), tf.add(softplus(d), softplus(tf.neg(d)))), tf.add(logX, log1mX));
    // The density's limits at the ends: x^(t - 1) e^(-l) near 0 and (1 - x)^(t - 1) e^(l) near 1.
    const [hot, cold] = [withoutGradient((v) => tf.less(v, 1), t), withoutGradient((v) => tf.greater(v, 1), t)];
    const end = (atTOne: tf.Tensor): tf.Tensor =>
      tf.where(hot, tf.fill(t.shape, Infinity), tf.where(cold, tf.fill(t.shape, -Infinity), atTOne));
    return tf.where(atZero, end(tf.neg(l)), tf.where(atOne, end(l), inside));
  }

  protected override _logCdf(value: tf.Tensor): tf.Tensor {
    const x = tf.clipByValue(value, 0, 1);
    // The plain log1p suffices beside log(x), as in _logProb.
    const logit = tf.sub(tf.log(x), tf.log1p(tf.neg(x)));
    return tf.neg(softplus(tf.sub(this.logits, tf.mul(this.temperature, logit))));
  }

  protected override _cdf(value: tf.Tensor): tf.Tensor {
    const x = tf.clipByValue(value, 0, 1);
    // The plain log1p suffices beside log(x), as in _logProb.
    const logit = tf.sub(tf.log(x), tf.log1p(tf.neg(x)));
    return tf.sigmoid(tf.sub(tf.mul(this.temperature, logit), this.logits));
  }
}
