// Plumbing shared by the bounds (internal: not exported from the package).
import * as tf from '@tensorflow/tfjs-core';
import { Distribution } from '@vae/distributions';
import { InvalidArgumentError, broadcastShapes, stopGradient, toFloat32 } from '@vae/math';
import type { TensorInput } from '@vae/math';
import { isPrior, resolvePrior } from '@vae/priors';
import type { Prior } from '@vae/priors';

/** The pieces of a latent-variable model every bound takes. */
export interface ModelTerms {
  /** The data, shape `[B, ...dataEvent]`. */
  x: TensorInput;
  /** The approximate posterior q(z | x): batch shape `[B]`, event shape `[latentDim]`. */
  posterior: Distribution;
  /** The prior p(z): a `Prior` from `@vae/priors` or a fixed distribution over `[latentDim]`. */
  prior: Prior | Distribution;
  /**
   * The decoder: latents of shape `[S, B, latentDim]` to the distribution p(x | z) with batch shape
   * `[S, B]` (or broadcastable to it) and event shape the data's event shape.
   */
  likelihood: (z: tf.Tensor) => Distribution;
}

/** Checks the model's pieces, returning the data as a tensor (the caller's tidy owns it). */
export function checkTerms(terms: ModelTerms, context: string): tf.Tensor {
  if (terms === null || typeof terms !== 'object') {
    throw new InvalidArgumentError('terms', 'an object { x, posterior, prior, likelihood }', `got ${String(terms)}`, context);
  }
  const { posterior, prior, likelihood } = terms;
  if (!(posterior instanceof Distribution)) {
    throw new InvalidArgumentError('posterior', 'a Distribution (q(z | x))', `got ${describe(posterior)}`, context);
  }
  if (!(prior instanceof Distribution) && !isPrior(prior)) {
    throw new InvalidArgumentError('prior', 'a Prior (from @vae/priors) or a Distribution', `got ${describe(prior)}`, context);
  }
  if (typeof likelihood !== 'function') {
    throw new InvalidArgumentError('likelihood', 'a function from latents z to a Distribution p(x | z)', `got ${describe(likelihood)}`, context);
  }
  if (posterior.batchShape.length !== 1) {
    throw new InvalidArgumentError(
      'posterior',
      'batched over examples: batch shape [B] (one posterior per row of x)',
      `got batch shape [${posterior.batchShape}]`,
      context,
    );
  }
  const x = toFloat32(terms.x, 'x', context);
  if (x.rank < 1 || x.shape[0] !== posterior.batchShape[0]) {
    throw new InvalidArgumentError(
      'x',
      `batched like the posterior: shape [B, ...] with B = ${posterior.batchShape[0]} (the posterior's batch size)`,
      `got shape [${x.shape}]`,
      context,
    );
  }
  return x;
}

/** Checks a sample count: an integer >= min. */
export function checkCount(value: number, argument: string, min: number, context: string): void {
  if (!Number.isInteger(value) || value < min) {
    throw new InvalidArgumentError(argument, `an integer >= ${min}`, `got ${String(value)}`, context);
  }
}

/** Checks an optional seed. */
export function checkSeed(seed: number | undefined, context: string): void {
  if (seed !== undefined && !Number.isInteger(seed)) {
    throw new InvalidArgumentError('seed', 'an integer', `got ${String(seed)}`, context);
  }
}

/** The gradient estimators a bound may use. */
export type Estimator = 'reparameterized' | 'stl' | 'dreg';

/** Checks the estimator name and that the posterior can be differentiated through its samples. */
export function checkEstimator(estimator: string, allowed: readonly Estimator[], posterior: Distribution, context: string): void {
  if (!(allowed as readonly string[]).includes(estimator)) {
    throw new InvalidArgumentError('gradientEstimator', `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, `got ${String(estimator)}`, context);
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
    throw new InvalidArgumentError('likelihood', 'a function returning a Distribution', `it returned ${describe(decoded)}`, context);
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

/** Deterministic, well-mixed sub-seeds of a seed (murmur3's finalizer over seed and index). */
export function subSeed(seed: number | undefined, index: number): number | undefined {
  if (seed === undefined) return undefined;
  let h = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca77)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h & 0x7fffffff;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof Distribution) return value.name;
  if (value instanceof tf.Tensor) return `a tensor of shape [${value.shape}]`;
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return typeof value;
}
