import * as tf from '@tensorflow/tfjs-core';
import { Independent, MixtureSameFamily, Normal } from '@vae/distributions';
import type { Distribution } from '@vae/distributions';
import { softplus } from '@vae/math';
import type { Prior } from './prior.js';
import { disposableDistribution, seededNormal, softplusInverse64, trainableVariable } from './parameters.js';
import { checkInteger, checkPositive, checkSeed } from './validate.js';

/** Parameters of {@link MixtureOfGaussiansPrior}. */
export interface MixtureOfGaussiansPriorParams {
  /** The latent dimension D, an integer >= 1. */
  latentDim: number;
  /** The number of components K, an integer >= 1. */
  numComponents: number;
  /** Seed of the initial means (default: unseeded). */
  seed?: number;
  /** Standard deviation of the initial means around 0 (default 1). */
  meanSpread?: number;
  /** Initial standard deviation of every component, > 0 (default 1). */
  initialScale?: number;
}

/**
 * A learned mixture of K diagonal Gaussians, p(z) = sum_k pi_k N(z; mu_k, diag(sigma_k^2)).
 *
 * @remarks
 * pi = softmax(logits), sigma_k = softplus(rho_k); the trainable variables are `logits` (`[K]`,
 * initially 0: uniform weights), `means` (`[K, D]`, initially N(0, meanSpread^2), seeded) and
 * `rawScales` (`[K, D]`, initially softplus^-1(initialScale)). Spreading the initial means breaks
 * the symmetry between components; equal means would receive equal gradients forever.
 * log p(z) = logsumexp_k(log pi_k + log N(z; mu_k, sigma_k^2)), evaluated in log space by
 * `MixtureSameFamily`. The KL from a Gaussian posterior has no closed form: estimate it by Monte
 * Carlo (`@vae/elbo` does so automatically with `kl: 'auto'`).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { MixtureOfGaussiansPrior } from '@vae/priors';
 *
 * tf.tidy(() => {
 *   const prior = new MixtureOfGaussiansPrior({ latentDim: 2, numComponents: 3, seed: 1 });
 *   const lp = tf.tidy(() => prior.distribution().logProb(tf.zeros([4, 2])));
 *   console.log(lp.shape); // [4]
 *   console.log(prior.trainableVariables.map((v) => v.shape)); // [[3], [3, 2], [3, 2]]
 *   prior.dispose();
 * });
 * ```
 */
export class MixtureOfGaussiansPrior implements Prior {
  /** The latent dimension D. */
  readonly latentDim: number;
  /** The number of components K. */
  readonly numComponents: number;
  /** Unnormalized log mixture weights, shape `[K]`. */
  readonly logits: tf.Variable;
  /** Component means, shape `[K, D]`. */
  readonly means: tf.Variable;
  /** Unconstrained component scales, shape `[K, D]`: sigma = softplus(rawScales). */
  readonly rawScales: tf.Variable;
  /** `[logits, means, rawScales]`. */
  readonly trainableVariables: tf.Variable[];

  /**
   * @param params - dimensions, seed and initial spread and scale
   */
  constructor(params: MixtureOfGaussiansPriorParams) {
    const context = 'MixtureOfGaussiansPrior';
    checkInteger(params?.latentDim, 'latentDim', 1, context);
    checkInteger(params.numComponents, 'numComponents', 1, context);
    checkSeed(params.seed, context);
    const meanSpread = params.meanSpread ?? 1;
    const initialScale = params.initialScale ?? 1;
    checkPositive(meanSpread, 'meanSpread', context);
    checkPositive(initialScale, 'initialScale', context);
    this.latentDim = params.latentDim;
    this.numComponents = params.numComponents;
    const [k, d] = [this.numComponents, this.latentDim];
    this.logits = trainableVariable(() => tf.zeros([k]));
    this.means = trainableVariable(() => seededNormal([k, d], 0, meanSpread, params.seed));
    this.rawScales = trainableVariable(() => tf.fill([k, d], softplusInverse64(initialScale)));
    this.trainableVariables = [this.logits, this.means, this.rawScales];
  }

  /**
   * The current mixture, built from the variables: call it inside `tf.tidy` (the training step),
   * or call `dispose()` on the result, which frees the scales it derived.
   * @returns `MixtureSameFamily` over `Independent(Normal, 1)` components: batch `[]`, event `[latentDim]`
   */
  distribution(): Distribution {
    return disposableDistribution(() => {
      const base = new Normal({ loc: this.means, scale: softplus(this.rawScales), validateArgs: false });
      const components = new Independent({ distribution: base, reinterpretedBatchNdims: 1 });
      return new MixtureSameFamily({ mixtureLogits: this.logits, components, validateArgs: false });
    });
  }

  /** Frees the variables. */
  dispose(): void {
    tf.dispose([this.logits, this.means, this.rawScales]);
  }
}
