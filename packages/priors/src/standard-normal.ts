import * as tf from '@tensorflow/tfjs-core';
import { Independent, Normal } from '@vae/distributions';
import type { Distribution } from '@vae/distributions';
import type { Prior } from './prior.js';
import { checkInteger } from './validate.js';

/** Parameters of {@link StandardNormalPrior}. */
export interface StandardNormalPriorParams {
  /** The latent dimension D, an integer >= 1. */
  latentDim: number;
}

/**
 * The standard normal prior N(0, I) over R^D, the prior of the original VAE (Kingma and Welling 2014).
 *
 * @remarks
 * p(z) = prod_j N(z_j; 0, 1), so log p(z) = -|z|^2 / 2 - (D / 2) log(2 pi). It is
 * `Independent(Normal(0, 1), 1)` with event shape `[D]`, so the KL from a diagonal Gaussian
 * posterior has a closed form. No trainable variables. The zeros and ones are built once;
 * `distribution()` creates no tensors, so it may be called anywhere.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { StandardNormalPrior } from '@vae/priors';
 *
 * tf.tidy(() => {
 *   const prior = new StandardNormalPrior({ latentDim: 2 });
 *   const p = prior.distribution();
 *   console.log(p.batchShape, p.eventShape); // [] [2]
 *   console.log(p.logProb(tf.tensor([[0, 0], [1, 1]])).arraySync()); // [-1.8379, -2.8379]
 *   prior.dispose();
 * });
 * ```
 */
export class StandardNormalPrior implements Prior {
  /** The latent dimension D. */
  readonly latentDim: number;
  /** Always empty: the standard normal is fixed. */
  readonly trainableVariables: tf.Variable[] = [];
  private readonly loc: tf.Tensor;
  private readonly scale: tf.Tensor;
  private readonly dist: Distribution;

  /**
   * @param params - the latent dimension
   */
  constructor(params: StandardNormalPriorParams) {
    checkInteger(params?.latentDim, 'latentDim', 1, 'StandardNormalPrior');
    this.latentDim = params.latentDim;
    this.loc = tf.keep(tf.zeros([this.latentDim]));
    this.scale = tf.keep(tf.ones([this.latentDim]));
    const base = new Normal({ loc: this.loc, scale: this.scale, validateArgs: false });
    this.dist = new Independent({ distribution: base, reinterpretedBatchNdims: 1 });
  }

  /**
   * The distribution N(0, I).
   * @returns `Independent(Normal(0, 1), 1)`: batch shape `[]`, event shape `[latentDim]`
   */
  distribution(): Distribution {
    return this.dist;
  }

  /** Frees the constant zeros and ones. */
  dispose(): void {
    tf.dispose([this.loc, this.scale]);
  }
}
