import * as tf from '@tensorflow/tfjs-core';
import { logAddExp, logBeta, softplus, toFloat32, withoutGradient } from '@vae/math';
import type { TensorInput } from '@vae/math';
import { gammaLogSample, poissonSample, splitSeed, uniform } from '@vae/samplers';
import { assertConstraint, constraints } from './constraints.js';
import type { DistributionOptions } from './distribution.js';
import { family, named } from './family.js';
import type { FamilyParams } from './family.js';
import { binaryLogProbs, binaryParameters, LOGITS_OR_PROBS, mulLog } from './parameterization.js';

const NEGATIVE_BINOMIAL_PARAMETERS = {
  /** The number r of failures that ends the trials, > 0 (need not be an integer), broadcastable to `batchShape`. */
  totalCount: { constraint: constraints.positive },
  ...binaryParameters(constraints.unitIntervalWithoutOne),
} as const;

const ZINB_PARAMETERS = {
  ...NEGATIVE_BINOMIAL_PARAMETERS,
  gateLogits: { constraint: constraints.real },
} as const;

/** Parameters of {@link NegativeBinomial}: `totalCount` and exactly one of `logits` and `probs` (p in [0, 1)). */
export interface NegativeBinomialParams extends FamilyParams<typeof NEGATIVE_BINOMIAL_PARAMETERS> {}

/** The mean and inverse dispersion of a negative binomial, as scVI writes it (see {@link NegativeBinomial.fromMean}). */
export interface NegativeBinomialMeanParams extends DistributionOptions {
  /** The mean mu, > 0. */
  mean: TensorInput;
  /** The inverse dispersion theta (scVI's `theta`, the Gamma-Poisson shape), > 0: variance mu + mu^2 / theta. */
  inverseDispersion: TensorInput;
}

/**
 * log p(k) of the negative binomial with total count r and success log-odds l, from log p and
 * log(1 - p): log C(k + r - 1, k) + k log p + r log(1 - p), with the binomial coefficient
 * taken as -log(k + r) - logBeta(k + 1, r) (logBeta cancels its large terms algebraically).
 */
function negativeBinomialLogMass(x: tf.Tensor, r: tf.Tensor, logP: tf.Tensor, log1mP: tf.Tensor): tf.Tensor {
  const shape = tf.broadcast_util.assertAndGetBroadcastShape(x.shape, r.shape);
  const [xb, rb] = [tf.broadcastTo(x, shape), tf.broadcastTo(r, shape)];
  const coefficient = tf.neg(tf.add(tf.log(tf.add(xb, rb)), logBeta(tf.add(xb, 1), rb)));
  return tf.add(coefficient, tf.add(mulLog(x, logP), mulLog(r, log1mP)));
}

/**
 * The negative binomial distribution: the number of successes before `totalCount` failures, on
 * {0, 1, 2, ...} (torch's convention), parameterized by `totalCount` and `logits` or `probs`; or,
 * as scVI writes it, by mean and inverse dispersion ({@link NegativeBinomial.fromMean}).
 *
 * @remarks
 * p(k) = Gamma(k + r) / (Gamma(r) k!) p^k (1 - p)^r for total count r > 0 and success probability
 * p. The coefficient is computed as -log(k + r) - logBeta(k + 1, r), and with logits l,
 * log p = -softplus(-l) and log(1 - p) = -softplus(l), so logits of +-80 are exact; for counts and
 * total counts near 1e4 the terms k log p and r log(1 - p) cancel against the coefficient and the
 * log mass carries an absolute error of about 1e-3 (float32's ulp at 1e4). Mean r p / (1 - p) =
 * r e^l; variance mean / (1 - p) = r e^l (1 + e^l); mode floor((r - 1) e^l), 0 for r <= 1. scVI's
 * mean mu and inverse dispersion theta are r = theta, l = log mu - log theta (variance
 * mu + mu^2 / theta). Samples are Gamma-Poisson: lambda ~ Gamma(r, rate e^-l) (drawn in log space),
 * then Poisson(lambda); not reparameterized. Entropy has no closed form and is not defined.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { NegativeBinomial } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const d = new NegativeBinomial({ totalCount: 3, probs: [0.2, 0.7] });
 *   console.log(d.logProb([1, 5]).arraySync()); // [-1.1803, -2.3508]
 *   const scvi = NegativeBinomial.fromMean({ mean: 10, inverseDispersion: 2 });
 *   console.log(scvi.mean().arraySync(), scvi.variance().arraySync()); // 10 60
 * });
 * ```
 */
export class NegativeBinomial extends family('NegativeBinomial', NEGATIVE_BINOMIAL_PARAMETERS, {
  support: constraints.nonNegativeInteger,
  reparameterized: false,
  ...LOGITS_OR_PROBS,
}) {
  /**
   * The negative binomial with mean mu and inverse dispersion theta (scVI's `NegativeBinomial(mu, theta)`).
   *
   * @remarks
   * total count theta, logits log mu - log theta: mean mu, variance mu + mu^2 / theta. The logits
   * are owned by the distribution (`dispose()` frees them).
   *
   * @param params - `mean` (> 0) and `inverseDispersion` (> 0), numbers, nested arrays or tensors; and options
   * @returns a {@link NegativeBinomial} with `batchShape` the broadcast of the two
   *
   * @example
   * ```ts
   * import * as tf from '@tensorflow/tfjs-core';
   * import { NegativeBinomial } from '@vae/distributions';
   *
   * tf.tidy(() => {
   *   const d = NegativeBinomial.fromMean({ mean: [1, 100], inverseDispersion: 0.5 });
   *   console.log(d.variance().arraySync()); // [3, 20100]
   * });
   * ```
   */
  static fromMean(params: NegativeBinomialMeanParams): NegativeBinomial {
    const { mean, inverseDispersion, ...options } = params;
    const logits = NegativeBinomial.meanLogits(mean, inverseDispersion, options.validateArgs ?? true);
    const d = new NegativeBinomial({ totalCount: inverseDispersion, logits, ...options });
    d.own(logits);
    return d;
  }

  /** log mu - log theta, after checking both (the one place the mean form is validated). */
  protected static meanLogits(mean: TensorInput, inverseDispersion: TensorInput, validate: boolean): tf.Tensor {
    return tf.tidy(() => {
      const mu = toFloat32(mean, 'mean', NegativeBinomial.familyName);
      const theta = toFloat32(inverseDispersion, 'inverseDispersion', NegativeBinomial.familyName);
      if (validate) {
        assertConstraint(mu, 'mean', constraints.positive, NegativeBinomial.familyName);
        assertConstraint(theta, 'inverseDispersion', constraints.positive, NegativeBinomial.familyName);
      }
      return tf.sub(tf.log(mu), tf.log(theta));
    });
  }

  /** log p and log(1 - p), from whichever parameter was given (as Binomial and Geometric take them). */
  protected logProbs(): [tf.Tensor, tf.Tensor] {
    return binaryLogProbs(this.given, this);
  }

  protected override _sampleN(n: number, seed?: number): tf.Tensor {
    const shape = [n, ...this.batchShape];
    const [gammaSeed, poissonSeed] = seed === undefined ? [undefined, undefined] : splitSeed(seed, 2);
    const [logP, log1mP] = this.logProbs();
    // lambda ~ Gamma(r, rate (1 - p) / p), as log Gamma(r, 1) + log p - log(1 - p), so neither underflows.
    const logRate = tf.add(gammaLogSample(this.totalCount, 1, shape, gammaSeed, this.samplerOptions), tf.sub(logP, log1mP));
    return poissonSample(tf.exp(logRate), shape, poissonSeed, this.samplerOptions);
  }

  protected _logProb(x: tf.Tensor): tf.Tensor {
    const [logP, log1mP] = this.logProbs();
    return negativeBinomialLogMass(x, this.totalCount, logP, log1mP);
  }

  /** p / (1 - p) = e^l. */
  private odds(): tf.Tensor {
    return this.given === 'probs' ? tf.div(this.probs, tf.sub(1, this.probs)) : tf.exp(this.logits);
  }

  protected override _mean(): tf.Tensor {
    return tf.broadcastTo(tf.mul(this.totalCount, this.odds()), this.batchShape);
  }

  protected override _variance(): tf.Tensor {
    const odds = this.odds();
    return tf.broadcastTo(tf.mul(tf.mul(this.totalCount, odds), tf.add(1, odds)), this.batchShape);
  }

  protected override _mode(): tf.Tensor {
    return tf.broadcastTo(tf.relu(tf.floor(tf.mul(tf.sub(this.totalCount, 1), this.odds()))), this.batchShape);
  }
}

/** Parameters of {@link ZeroInflatedNegativeBinomial}: a negative binomial's, and the gate's logits. */
export interface ZeroInflatedNegativeBinomialParams extends NegativeBinomialParams {
  /** Log-odds of the extra zero (the gate pi = sigmoid(gateLogits)), any finite real. */
  gateLogits: TensorInput;
}

/**
 * The zero-inflated negative binomial (scVI's ZINB): with probability pi = sigmoid(gateLogits) a 0,
 * otherwise a {@link NegativeBinomial} draw.
 *
 * @remarks
 * log p(0) = logAddExp(log pi, log(1 - pi) + log NB(0)) with log pi = -softplus(-g),
 * log(1 - pi) = -softplus(g) and log NB(0) = r log(1 - p); log p(k) = log(1 - pi) + log NB(k) for
 * k > 0. Mean (1 - pi) mu; variance (1 - pi) mu (1 + mu / r + pi mu), with mu the NB mean. Built
 * from scVI's mean and inverse dispersion by {@link ZeroInflatedNegativeBinomial.fromMean}. Samples
 * a gate draw, then a negative binomial one; not reparameterized.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { ZeroInflatedNegativeBinomial } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const d = new ZeroInflatedNegativeBinomial({ totalCount: 2, logits: 1, gateLogits: 0 });
 *   console.log(d.logProb([0, 3]).arraySync()); // [-0.6233, -2.8732]
 *   console.log(d.mean().arraySync()); // 2.7183
 * });
 * ```
 */
export class ZeroInflatedNegativeBinomial extends named(NegativeBinomial, 'ZeroInflatedNegativeBinomial') {
  /** Log-odds of the extra zero, broadcastable to `batchShape`. */
  readonly gateLogits: tf.Tensor;

  /**
   * @param params - the negative binomial's parameters and `gateLogits`, and options
   */
  constructor(params: ZeroInflatedNegativeBinomialParams) {
    const { gateLogits, ...rest } = params;
    super(rest);
    ({ gateLogits: this.gateLogits } = this.parameters({ gateLogits }, { gateLogits: ZINB_PARAMETERS.gateLogits }));
  }

  /**
   * The ZINB with mean mu and inverse dispersion theta of its negative binomial part, and gate logits (scVI's form).
   *
   * @remarks
   * As {@link NegativeBinomial.fromMean}: total count theta, logits log mu - log theta.
   *
   * @param params - `mean` (> 0), `inverseDispersion` (> 0) and `gateLogits`, and options
   * @returns a {@link ZeroInflatedNegativeBinomial} with `batchShape` the broadcast of the three
   *
   * @example
   * ```ts
   * import * as tf from '@tensorflow/tfjs-core';
   * import { ZeroInflatedNegativeBinomial } from '@vae/distributions';
   *
   * tf.tidy(() => {
   *   const d = ZeroInflatedNegativeBinomial.fromMean({ mean: 5, inverseDispersion: 1, gateLogits: [-80, 0] });
   *   console.log(d.mean().arraySync()); // [5, 2.5]
   * });
   * ```
   */
  static override fromMean(params: NegativeBinomialMeanParams & { gateLogits: TensorInput }): ZeroInflatedNegativeBinomial {
    const { mean, inverseDispersion, gateLogits, ...options } = params;
    const logits = NegativeBinomial.meanLogits(mean, inverseDispersion, options.validateArgs ?? true);
    const d = new ZeroInflatedNegativeBinomial({ totalCount: inverseDispersion, logits, gateLogits, ...options });
    d.own(logits);
    return d;
  }

  protected override _sampleN(n: number, seed?: number): tf.Tensor {
    const [gateSeed, countSeed] = seed === undefined ? [undefined, undefined] : splitSeed(seed, 2);
    const counts = super._sampleN(n, countSeed);
    const gate = tf.less(uniform([n, ...this.batchShape], gateSeed), tf.sigmoid(this.gateLogits));
    return tf.where(gate, tf.zerosLike(counts), counts);
  }

  protected override _logProb(x: tf.Tensor): tf.Tensor {
    const g = this.gateLogits;
    const logGate = tf.neg(softplus(tf.neg(g)));
    const logKeep = tf.neg(softplus(g));
    const [, log1mP] = this.logProbs();
    const nb = tf.add(logKeep, super._logProb(x));
    const zero = logAddExp(logGate, tf.add(logKeep, mulLog(this.totalCount, log1mP)));
    const atZero = withoutGradient((v) => tf.equal(v, 0), tf.broadcastTo(x, nb.shape));
    return tf.where(atZero, tf.broadcastTo(zero, nb.shape), nb);
  }

  protected override _mean(): tf.Tensor {
    return tf.mul(tf.sigmoid(tf.neg(this.gateLogits)), super._mean());
  }

  protected override _variance(): tf.Tensor {
    const mu = super._mean();
    const keep = tf.sigmoid(tf.neg(this.gateLogits));
    const gate = tf.sigmoid(this.gateLogits);
    const spread = tf.add(1, tf.add(tf.div(mu, this.totalCount), tf.mul(gate, mu)));
    return tf.broadcastTo(tf.mul(tf.mul(keep, mu), spread), this.batchShape);
  }

  protected override _mode(): tf.Tensor {
    throw this.notDefined('mode');
  }
}
