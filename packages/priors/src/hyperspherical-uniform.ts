import type * as tf from '@tensorflow/tfjs-core';
import { HypersphericalUniform } from '@vae/distributions';
import type { Distribution } from '@vae/distributions';
import type { Prior } from './prior.js';
import { checkInteger } from './validate.js';

/** Parameters of {@link HypersphericalUniformPrior}. */
export interface HypersphericalUniformPriorParams {
  /** The ambient dimension d of the sphere S^{d-1} in R^d, an integer >= 2. */
  dim: number;
}

/**
 * The uniform prior on the unit sphere S^{d-1}, for hyperspherical VAEs (Davidson et al. 2018)
 * with a von Mises-Fisher or Power Spherical posterior.
 *
 * @remarks
 * p(z) = 1 / A(d) on |z| = 1, with A(d) = 2 pi^{d/2} / Gamma(d/2) the surface area of S^{d-1}, so
 * log p(z) = lgamma(d/2) - log 2 - (d/2) log pi for every z on the sphere. Unlike N(0, I) it has no
 * centre the posterior collapses to, which helps with hyperspherical latent structure in low
 * dimensions. The KL from a von Mises-Fisher posterior is analytic (`@vae/kl`); from a Power
 * Spherical one too where registered, otherwise Monte Carlo. No trainable variables.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { HypersphericalUniformPrior } from '@vae/priors';
 *
 * tf.tidy(() => {
 *   const prior = new HypersphericalUniformPrior({ dim: 3 });
 *   const lp = prior.distribution().logProb(tf.tensor([[1, 0, 0]]));
 *   console.log(lp.dataSync()[0]); // -2.5310 = -log(4 pi)
 *   prior.dispose();
 * });
 * ```
 */
export class HypersphericalUniformPrior implements Prior {
  /** The ambient dimension d (the latent vectors have d coordinates). */
  readonly dim: number;
  /** Always empty: the uniform distribution is fixed. */
  readonly trainableVariables: tf.Variable[] = [];
  private readonly dist: Distribution;

  /**
   * @param params - the ambient dimension
   */
  constructor(params: HypersphericalUniformPriorParams) {
    checkInteger(params?.dim, 'dim', 2, 'HypersphericalUniformPrior');
    this.dim = params.dim;
    this.dist = new HypersphericalUniform({ dim: this.dim });
  }

  /**
   * The uniform distribution on S^{dim-1}.
   * @returns `HypersphericalUniform`: batch shape `[]`, event shape `[dim]`
   */
  distribution(): Distribution {
    return this.dist;
  }

  /** Frees what the distribution holds. */
  dispose(): void {
    this.dist.dispose();
  }
}
