// The model every bound takes apart, and the check of its pieces (before any work starts).
import * as tf from '@tensorflow/tfjs-core';
import { Distribution } from '@vae/distributions';
import { InvalidArgumentError, toFloat32 } from '@vae/math';
import type { TensorInput } from '@vae/math';
import { isPrior } from '@vae/priors';
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
    throw new InvalidArgumentError('posterior', 'a Distribution (q(z | x))', `got ${describeValue(posterior)}`, context);
  }
  if (!(prior instanceof Distribution) && !isPrior(prior)) {
    throw new InvalidArgumentError('prior', 'a Prior (from @vae/priors) or a Distribution', `got ${describeValue(prior)}`, context);
  }
  if (typeof likelihood !== 'function') {
    throw new InvalidArgumentError(
      'likelihood',
      'a function from latents z to a Distribution p(x | z)',
      `got ${describeValue(likelihood)}`,
      context,
    );
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

/** Package-internal: a short description of a wrong argument for an error message. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof Distribution) return value.name;
  if (value instanceof tf.Tensor) return `a tensor of shape [${value.shape}]`;
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return typeof value;
}
