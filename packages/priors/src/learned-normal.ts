import * as tf from '@tensorflow/tfjs-core';
import { Independent, Normal } from '@vae/distributions';
import type { Distribution } from '@vae/distributions';
import { InvalidArgumentError, softplus } from '@vae/math';
import type { Prior } from './prior.js';
import { disposableDistribution, softplusInverse64, trainableVariable } from './parameters.js';
import { checkInteger, checkPositive } from './validate.js';

/** Parameters of {@link LearnedNormalPrior}. */
export interface LearnedNormalPriorParams {
  /** The latent dimension D, an integer >= 1. */
  latentDim: number;
  /** Initial mean (default 0). */
  initialLoc?: number;
  /** Initial standard deviation, > 0 (default 1). */
  initialScale?: number;
  /**
   * How the unconstrained variable becomes the scale: `'softplus'` (default; gradients stay
   * bounded) or `'exp'` (the variable is the log-scale).
   */
  scaleTransform?: 'softplus' | 'exp';
}

/**
 * A diagonal Gaussian prior N(mu, diag(sigma^2)) whose mean and scale are trained with the model.
 *
 * @remarks
 * p(z) = prod_j N(z_j; mu_j, sigma_j^2) with sigma_j = softplus(rho_j) (or exp(rho_j)); the
 * trainable variables are `loc` (mu, shape `[D]`) and `rawScale` (rho, shape `[D]`). Trained by the
 * ELBO alone, the optimum matches the aggregate posterior's moments per dimension: a learned
 * diagonal prior can absorb a shift or scaling of the latent space, nothing more. The KL from a
 * diagonal Gaussian posterior stays analytic.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { LearnedNormalPrior } from '@vae/priors';
 *
 * tf.tidy(() => {
 *   const prior = new LearnedNormalPrior({ latentDim: 2, initialScale: 2 });
 *   const scale = tf.tidy(() => prior.distribution().stddev());
 *   console.log(scale.arraySync()); // [2, 2]
 *   console.log(prior.trainableVariables.map((v) => v.shape)); // [[2], [2]]
 *   prior.dispose();
 * });
 * ```
 */
export class LearnedNormalPrior implements Prior {
  /** The latent dimension D. */
  readonly latentDim: number;
  /** The mean mu, shape `[D]`. */
  readonly loc: tf.Variable;
  /** The unconstrained scale rho, shape `[D]`: sigma = softplus(rho) or exp(rho). */
  readonly rawScale: tf.Variable;
  /** `[loc, rawScale]`. */
  readonly trainableVariables: tf.Variable[];
  /** The map from `rawScale` to the scale. */
  readonly scaleTransform: 'softplus' | 'exp';

  /**
   * @param params - the latent dimension, initial values and the scale transform
   */
  constructor(params: LearnedNormalPriorParams) {
    const context = 'LearnedNormalPrior';
    checkInteger(params?.latentDim, 'latentDim', 1, context);
    const initialLoc = params.initialLoc ?? 0;
    const initialScale = params.initialScale ?? 1;
    if (!Number.isFinite(initialLoc)) throw new InvalidArgumentError('initialLoc', 'a finite number', `got ${initialLoc}`, context);
    checkPositive(initialScale, 'initialScale', context);
    const transform = params.scaleTransform ?? 'softplus';
    if (transform !== 'softplus' && transform !== 'exp') {
      throw new InvalidArgumentError('scaleTransform', "'softplus' or 'exp'", `got ${String(transform)}`, context);
    }
    this.latentDim = params.latentDim;
    this.scaleTransform = transform;
    const raw = transform === 'softplus' ? softplusInverse64(initialScale) : Math.log(initialScale);
    this.loc = trainableVariable(() => tf.fill([this.latentDim], initialLoc));
    this.rawScale = trainableVariable(() => tf.fill([this.latentDim], raw));
    this.trainableVariables = [this.loc, this.rawScale];
  }

  /**
   * The current N(mu, diag(sigma^2)), built from the variables: call it inside `tf.tidy` (the
   * training step), or call `dispose()` on the result, which frees the scale it derived.
   * @returns `Independent(Normal(loc, scale), 1)`: batch shape `[]`, event shape `[latentDim]`
   */
  distribution(): Distribution {
    return disposableDistribution(() => {
      const scale = this.scaleTransform === 'softplus' ? softplus(this.rawScale) : tf.exp(this.rawScale);
      const base = new Normal({ loc: this.loc, scale, validateArgs: false });
      return new Independent({ distribution: base, reinterpretedBatchNdims: 1 });
    });
  }

  /** Frees the variables. */
  dispose(): void {
    tf.dispose([this.loc, this.rawScale]);
  }
}
