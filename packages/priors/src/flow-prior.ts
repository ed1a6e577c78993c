import * as tf from '@tensorflow/tfjs-core';
import { Chain, Independent, MaskedAutoregressive, Normal, TransformedDistribution } from '@vae/distributions';
import type { Distribution } from '@vae/distributions';
import type { Prior } from './prior.js';
import { checkInteger } from './validate.js';

/** Parameters of {@link FlowPrior}. */
export interface FlowPriorParams {
  /** The latent dimension D, an integer >= 1. */
  latentDim: number;
  /** How many masked autoregressive layers K (default 2). */
  numLayers?: number;
  /** Hidden units of each layer's MADE conditioner (default max(4 D, 16)). */
  hiddenUnits?: number;
  /** Seed of the layers' initial weights (default: unseeded). */
  seed?: number;
}

/**
 * A normalizing-flow prior: N(0, I) pushed through K masked autoregressive (MAF) layers with
 * trainable MADE conditioners, alternating their order.
 *
 * @remarks
 * p(z) = N(f^-1(z); 0, I) |det J_{f^-1}(z)| with f = f_K o ... o f_1. Each layer is a
 * {@link MaskedAutoregressive} in the `'maf'` direction, so log p(z) (the ELBO's need) is one pass
 * per layer; sampling takes D passes per layer. Layer k runs its autoregression in reversed order
 * when k is odd, so every coordinate conditions on every other after two layers. The layers start
 * near the identity (small output weights), so the prior starts near N(0, I). No KL from a Gaussian
 * posterior is registered for it: `@vae/elbo` falls back to the Monte Carlo KL.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { FlowPrior } from '@vae/priors';
 *
 * const prior = new FlowPrior({ latentDim: 2, seed: 0 });
 * tf.tidy(() => {
 *   const p = prior.distribution();
 *   console.log(p.eventShape, p.logProb(tf.zeros([5, 2])).shape); // [2] [5]
 *   console.log(p.logProb(tf.zeros([2])).arraySync()); // ~-1.8379 = -log(2 pi), near N(0, I) at start
 * });
 * console.log(prior.trainableVariables.length); // 8
 * prior.dispose();
 * ```
 */
export class FlowPrior implements Prior {
  /** The latent dimension D. */
  readonly latentDim: number;
  /** The MAF layers, in the order they are applied to a base sample. */
  readonly layers: MaskedAutoregressive[];
  /** Every layer's variables, layer by layer. */
  readonly trainableVariables: tf.Variable[];
  private readonly loc: tf.Tensor;
  private readonly scale: tf.Tensor;
  private readonly base: Distribution;
  private readonly chain: Chain;

  /**
   * @param params - the latent dimension, number of layers, hidden units and seed
   */
  constructor(params: FlowPriorParams) {
    const context = 'FlowPrior';
    checkInteger(params?.latentDim, 'latentDim', 1, context);
    const numLayers = params.numLayers ?? 2;
    checkInteger(numLayers, 'numLayers', 1, context);
    if (params.hiddenUnits !== undefined) checkInteger(params.hiddenUnits, 'hiddenUnits', 1, context);
    this.latentDim = params.latentDim;
    this.layers = Array.from(
      { length: numLayers },
      (_, k) =>
        new MaskedAutoregressive({
          dim: this.latentDim,
          hiddenUnits: params.hiddenUnits,
          direction: 'maf',
          reverseOrder: k % 2 === 1,
          seed: params.seed === undefined ? undefined : params.seed + 7919 * k,
          validateArgs: false,
        }),
    );
    this.trainableVariables = this.layers.flatMap((l) => l.trainableVariables());
    this.loc = tf.keep(tf.zeros([this.latentDim]));
    this.scale = tf.keep(tf.ones([this.latentDim]));
    this.base = new Independent({
      distribution: new Normal({ loc: this.loc, scale: this.scale, validateArgs: false }),
      reinterpretedBatchNdims: 1,
    });
    // Chain applies its last part first: reversed so layers[0] meets the base sample first.
    this.chain = new Chain([...this.layers].reverse(), { validateArgs: false });
  }

  /**
   * The flow distribution from the current weights (creates no tensors until used).
   * @returns a `TransformedDistribution`: batch shape `[]`, event shape `[latentDim]`
   */
  distribution(): Distribution {
    return new TransformedDistribution({ distribution: this.base, bijector: this.chain, validateArgs: false });
  }

  /** Frees the layers' variables and the base's constants. */
  dispose(): void {
    for (const l of this.layers) l.dispose();
    tf.dispose([this.loc, this.scale]);
  }
}
