import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, broadcastShapes, expm1, stopGradient } from '@vae/math';
import type { Distribution } from '@vae/distributions';

/** Options of {@link monteCarloKL}. */
export interface MonteCarloKLOptions {
  /** Number of samples drawn from p (default 1000). */
  numSamples?: number;
  /** Optional integer seed for the samples. */
  seed?: number;
  /**
   * `'plain'` (default): mean(log p(z) - log q(z)). `'lowVariance'`: mean((r - 1) - log r) with
   * r = q(z)/p(z), never negative, with lower variance when p and q are close.
   */
  estimator?: 'plain' | 'lowVariance';
}

/**
 * A Monte Carlo estimate of KL(p || q) from samples of p, differentiable in both arguments.
 *
 * @remarks
 * With z_i ~ p, i = 1..n, the plain estimator is (1/n) sum [log p(z_i) - log q(z_i)] and the
 * low-variance one (Schulman's k3) is (1/n) sum [(r_i - 1) - log r_i] with log r_i = log q(z_i) -
 * log p(z_i); both are unbiased because E_p[r] = 1. k3 is never negative and has a lower variance
 * when p and q are close, but its variance is infinite when E_p[r^2] is (q much wider than p, e.g.
 * normals with s_q^2 >= 2 s_p^2): prefer the plain estimator then.
 *
 * Gradients: when `p.reparameterized`, z = rsample and the estimate is differentiated pathwise
 * (through z) as well as through the densities. Otherwise z = sample (no gradient) and the returned
 * value carries a score-function (REINFORCE) surrogate: its value is the estimate, its gradient
 * E[f(z) grad log p(z) + grad f(z)], unbiased but noisier.
 *
 * @param p - the distribution samples are drawn from
 * @param q - the second argument
 * @param options - sample count, seed and estimator
 * @returns the estimate, of shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Normal } from '@vae/distributions';
 * import { monteCarloKL } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const p = new Normal({ loc: 0, scale: 1 });
 *   const q = new Normal({ loc: 0.5, scale: 1.2 });
 *   const kl = monteCarloKL(p, q, { numSamples: 20000, seed: 1, estimator: 'lowVariance' });
 *   console.log(kl.dataSync()[0]); // ~0.1163, the exact log 1.2 + 1.25/2.88 - 1/2
 * });
 * ```
 */
export function monteCarloKL(p: Distribution, q: Distribution, options: MonteCarloKLOptions = {}): tf.Tensor {
  const numSamples = options.numSamples ?? 1000;
  if (!Number.isInteger(numSamples) || numSamples < 1) {
    throw new InvalidArgumentError('numSamples', 'a positive integer', `got ${numSamples}`, 'monteCarloKL');
  }
  const estimator = options.estimator ?? 'plain';
  if (estimator !== 'plain' && estimator !== 'lowVariance') {
    throw new InvalidArgumentError('estimator', "'plain' or 'lowVariance'", `got ${String(estimator)}`, 'monteCarloKL');
  }
  assertSameEvent(p, q, 'monteCarloKL');
  const batchShape = broadcastShapes([p.batchShape, q.batchShape], ['p.batchShape', 'q.batchShape'], 'monteCarloKL');
  return tf.tidy(() => {
    // A reparameterized p scores its draw on the sampling path (a flow is not inverted); any other
    // draw carries no gradient, and the score-function term below supplies it.
    const { sample: z, logProb: logP } = p.sampleAndLogProb([numSamples], options.seed);
    const logQ = q.logProb(z);
    let terms: tf.Tensor;
    if (estimator === 'plain') {
      terms = tf.sub(logP, logQ);
    } else {
      const logR = tf.sub(logQ, logP);
      terms = tf.sub(expm1(logR), logR);
    }
    if (!p.reparameterized) {
      // Score-function surrogate: same value, gradient gains f(z) * grad log p(z).
      terms = tf.add(terms, tf.mul(stopGradient(terms), tf.sub(logP, stopGradient(logP))));
    }
    return tf.broadcastTo(tf.mean(terms, 0), batchShape);
  });
}

/**
 * Throws unless p and q have the same event shape (a KL between different spaces is meaningless).
 * @param p - first distribution
 * @param q - second distribution
 * @param context - who is checking
 */
export function assertSameEvent(p: Distribution, q: Distribution, context: string): void {
  if (p.eventShape.length !== q.eventShape.length || p.eventShape.some((d, i) => d !== q.eventShape[i])) {
    throw new InvalidArgumentError(
      'p and q',
      'distributions over the same event shape',
      `${p.name} has eventShape [${p.eventShape}], ${q.name} has [${q.eventShape}]`,
      context,
    );
  }
}
