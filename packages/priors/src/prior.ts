import * as tf from '@tensorflow/tfjs-core';
import { Distribution } from '@vae/distributions';

/**
 * A prior p(z) over the latent space of a variational autoencoder, possibly with trainable
 * parameters: the piece a model swaps to change its prior.
 *
 * @remarks
 * A prior is a recipe, not a distribution: `distribution()` builds the distribution it stands for
 * from the current values of its variables. Call it inside the training step (inside `tf.tidy` or
 * an optimizer's `minimize`), so the gradient of the loss reaches `trainableVariables` and the
 * tensors derived from them are freed when the step ends. Fixed priors have no variables and
 * build their distribution without creating tensors.
 *
 * Every prior's distribution has batch shape `[]` and event shape `[latentDim]` (the ambient
 * dimension for spherical priors), so `logProb(z)` maps `S + B + [latentDim]` to `S + B`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { LearnedNormalPrior, isPrior } from '@vae/priors';
 * import type { Prior } from '@vae/priors';
 *
 * tf.tidy(() => {
 *   const prior: Prior = new LearnedNormalPrior({ latentDim: 2 });
 *   console.log(isPrior(prior), prior.trainableVariables.length); // true 2
 *   const logPz = tf.tidy(() => prior.distribution().logProb(tf.zeros([5, 2])));
 *   console.log(logPz.shape); // [5]
 *   prior.dispose();
 * });
 * ```
 */
export interface Prior {
  /**
   * The distribution the prior stands for now, rebuilt from the current variables.
   * @returns a distribution with batch shape `[]` and event shape `[latentDim]`
   */
  distribution(): Distribution;
  /** The variables an optimizer should train along with the model (empty for a fixed prior). */
  readonly trainableVariables: tf.Variable[];
  /** Frees the variables and constant tensors the prior holds. */
  dispose(): void;
}

/**
 * Whether a value is a {@link Prior} (as opposed to a plain `Distribution`).
 *
 * @remarks
 * A duck-type test: an object, not a `Distribution`, with a `distribution` method and a
 * `trainableVariables` array. Consumers such as `@vae/elbo` accept either a prior or a fixed
 * distribution and use this to tell them apart.
 *
 * @param value - anything
 * @returns true when `value` implements {@link Prior}
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Normal } from '@vae/distributions';
 * import { StandardNormalPrior, isPrior } from '@vae/priors';
 *
 * tf.tidy(() => {
 *   const prior = new StandardNormalPrior({ latentDim: 3 });
 *   console.log(isPrior(prior), isPrior(new Normal({ loc: 0, scale: 1 }))); // true false
 *   prior.dispose();
 * });
 * ```
 */
export function isPrior(value: unknown): value is Prior {
  if (value === null || typeof value !== 'object' || value instanceof Distribution) return false;
  const candidate = value as Partial<Prior>;
  return typeof candidate.distribution === 'function' && Array.isArray(candidate.trainableVariables);
}

/**
 * Resolves a prior or a distribution to the distribution to use now.
 *
 * @remarks
 * For a {@link Prior} this is `prior.distribution()` (call it inside `tf.tidy`); a `Distribution`
 * is returned as it is.
 *
 * @param prior - a prior or a distribution
 * @returns the distribution p(z)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { StandardNormalPrior, resolvePrior } from '@vae/priors';
 *
 * tf.tidy(() => {
 *   const prior = new StandardNormalPrior({ latentDim: 2 });
 *   const lp = tf.tidy(() => resolvePrior(prior).logProb(tf.zeros([2])));
 *   console.log(lp.dataSync()[0]); // -1.8379 = -log(2 pi)
 *   prior.dispose();
 * });
 * ```
 */
export function resolvePrior(prior: Prior | Distribution): Distribution {
  return prior instanceof Distribution ? prior : prior.distribution();
}
