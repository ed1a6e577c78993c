// Plumbing shared by the bounds (internal: not exported from the package; the public ModelTerms
// type and its check live in model-terms.ts).
import * as tf from '@tensorflow/tfjs-core';
import { Distribution } from '@vae/distributions';
import { InvalidArgumentError, broadcastShapes, stopGradient } from '@vae/math';
import { resolvePrior } from '@vae/priors';
import type { Prior } from '@vae/priors';
import { describeValue } from './model-terms.js';

/** Checks a sample count: an integer >= min. */
export function checkCount(value: number, argument: string, min: number, context: string): void {
  if (!Number.isInteger(value) || value < min) {
    throw new InvalidArgumentError(argument, `an integer >= ${min}`, `got ${String(value)}`, context);
  }
}

/** The gradient estimators a bound may use. */
export type Estimator = 'reparameterized' | 'stl' | 'dreg';

/** Checks the estimator name and that the posterior can be differentiated through its samples. */
export function checkEstimator(estimator: string, allowed: readonly Estimator[], posterior: Distribution, context: string): void {
  if (!(allowed as readonly string[]).includes(estimator)) {
    throw new InvalidArgumentError(
      'gradientEstimator',
      `one of ${allowed.map((a) => `'${a}'`).join(', ')}`,
      `got ${String(estimator)}`,
      context,
    );
  }
  // A posterior that is not a Distribution at all is reported by checkTerms.
  if (posterior instanceof Distribution && !posterior.reparameterized) {
    throw new InvalidArgumentError(
      'posterior',
      `reparameterized (with rsample) for the '${estimator}' gradient estimator`,
      `${posterior.name} has no rsample()`,
      context,
    );
  }
}

/** The prior's distribution now (a Prior is rebuilt from its variables; call inside tidy). */
export function priorDistribution(prior: Prior | Distribution, posterior: Distribution, context: string): Distribution {
  const p = resolvePrior(prior);
  const pe = p.eventShape;
  const qe = posterior.eventShape;
  if (pe.length !== qe.length || pe.some((d, i) => d !== qe[i])) {
    throw new InvalidArgumentError(
      'prior',
      `a distribution over the posterior's event shape [${qe}]`,
      `${p.name} has event shape [${pe}]`,
      context,
    );
  }
  return p;
}

/**
 * log q(z) whose gradient keeps only the path through z (sticking the landing): the score term
 * d/dphi log q_phi(z) at fixed z is subtracted, so the value is unchanged.
 */
export function logProbPathOnly(q: Distribution, z: tf.Tensor): tf.Tensor {
  const zFixed = stopGradient(z);
  const direct = q.logProb(zFixed);
  return tf.sub(q.logProb(z), tf.sub(direct, stopGradient(direct)));
}

/** log p(x | z) for latents z of shape [S, B, D], shape [S, B]. */
export function reconstructionLogProb(likelihood: (z: tf.Tensor) => Distribution, z: tf.Tensor, x: tf.Tensor, context: string): tf.Tensor {
  const decoded = likelihood(z);
  if (!(decoded instanceof Distribution)) {
    throw new InvalidArgumentError('likelihood', 'a function returning a Distribution', `it returned ${describeValue(decoded)}`, context);
  }
  const [s, b] = z.shape;
  const expected = `a function returning p(x | z) with batch shape [S, B] = [${s}, ${b}] and the data's event shape (x has shape [${x.shape}])`;
  let lp: tf.Tensor;
  try {
    lp = decoded.logProb(x);
  } catch (error) {
    if (!(error instanceof InvalidArgumentError)) throw error;
    throw new InvalidArgumentError('likelihood', expected, `its logProb(x) failed: ${error.message}`, context);
  }
  let fits = lp.rank <= 2;
  if (fits) {
    try {
      const merged = broadcastShapes([lp.shape, [s, b]]);
      fits = merged.length === 2 && merged[0] === s && merged[1] === b;
    } catch {
      fits = false;
    }
  }
  if (!fits) {
    throw new InvalidArgumentError(
      'likelihood',
      expected,
      `logProb(x) has shape [${lp.shape}] (batch [${decoded.batchShape}], event [${decoded.eventShape}])`,
      context,
    );
  }
  return lp.rank === 2 && lp.shape[0] === s && lp.shape[1] === b ? lp : tf.broadcastTo(lp, [s, b]);
}
