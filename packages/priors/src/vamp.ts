import * as tf from '@tensorflow/tfjs-core';
import { Distribution, MixtureSameFamily } from '@vae/distributions';
import { InvalidArgumentError, toFloat32 } from '@vae/math';
import type { TensorInput } from '@vae/math';
import type { Prior } from './prior.js';
import { disposableDistribution, seededNormal, trainableVariable } from './parameters.js';
import { checkInteger, checkPositive, checkSeed } from './validate.js';

/** How to initialize the K pseudo-inputs of a {@link VampPrior} at random. */
export interface PseudoInputInit {
  /** The number of pseudo-inputs K, an integer >= 1. */
  numPseudoInputs: number;
  /** The dimension of one input (a flat vector), an integer >= 1. */
  inputDim: number;
  /** Seed of the initial values (default: unseeded). */
  seed?: number;
  /** Mean of the initial values (default 0.5, the middle of [0, 1] for binary data). */
  initMean?: number;
  /** Standard deviation of the initial values (default 0.1). */
  initStddev?: number;
}

/** Parameters of {@link VampPrior}. */
export interface VampPriorParams {
  /**
   * The VAE's encoder: inputs of shape `[K, ...inputShape]` to the posterior q(z | u) with batch
   * shape `[K]` and event shape `[latentDim]`. Its variables stay the model's.
   */
  encoder: (x: tf.Tensor) => Distribution;
  /**
   * The initial pseudo-inputs, shape `[K, ...inputShape]` (copied into a variable), or a random
   * initialization.
   */
  pseudoInputs: TensorInput | PseudoInputInit;
  /**
   * Optional map applied to the pseudo-inputs before the encoder sees them, e.g. `tf.sigmoid` to
   * keep them in [0, 1] like binary data (Tomczak and Welling clip with a hard tanh).
   */
  pseudoInputTransform?: (u: tf.Tensor) => tf.Tensor;
}

/**
 * The VampPrior (Tomczak and Welling 2018): a uniform mixture of the encoder's posteriors at K
 * learned pseudo-inputs.
 *
 * @remarks
 * p(z) = (1/K) sum_k q(z | u_k), where q is the VAE's own encoder and u_1..u_K are trainable
 * pseudo-inputs. It approximates the aggregate posterior (1/N) sum_n q(z | x_n), the prior that
 * maximizes the ELBO, with K << N points. log p(z) = logsumexp_k log q(z | u_k) - log K, through
 * `MixtureSameFamily` with equal logits. The trainable variable is `pseudoInputs`; the encoder's
 * variables receive gradients through the prior too but belong to the model's variable list.
 * The KL from the posterior has no closed form: use a Monte Carlo KL (`kl: 'auto'` in
 * `@vae/elbo`).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Independent, Normal } from '@vae/distributions';
 * import { VampPrior } from '@vae/priors';
 *
 * tf.tidy(() => {
 *   const w = tf.variable(tf.randomNormal([4, 2], 0, 0.5, 'float32', 3));
 *   const encoder = (x: tf.Tensor) =>
 *     new Independent({ distribution: new Normal({ loc: tf.matMul(x, w), scale: 0.5 }), reinterpretedBatchNdims: 1 });
 *   const prior = new VampPrior({ encoder, pseudoInputs: { numPseudoInputs: 5, inputDim: 4, seed: 1 } });
 *   const lp = tf.tidy(() => prior.distribution().logProb(tf.zeros([3, 2])));
 *   console.log(lp.shape, prior.trainableVariables[0].shape); // [3] [5, 4]
 *   prior.dispose();
 *   w.dispose();
 * });
 * ```
 */
export class VampPrior implements Prior {
  /** The pseudo-inputs u, shape `[K, ...inputShape]`. */
  readonly pseudoInputs: tf.Variable;
  /** The number of pseudo-inputs K. */
  readonly numPseudoInputs: number;
  /** `[pseudoInputs]`. */
  readonly trainableVariables: tf.Variable[];
  private readonly encoder: (x: tf.Tensor) => Distribution;
  private readonly transform?: (u: tf.Tensor) => tf.Tensor;
  private readonly uniformLogits: tf.Tensor;

  /**
   * @param params - the encoder, the pseudo-inputs (or how to draw them) and an optional transform
   */
  constructor(params: VampPriorParams) {
    const context = 'VampPrior';
    if (typeof params?.encoder !== 'function') {
      throw new InvalidArgumentError('encoder', 'a function from inputs to a Distribution', `got ${typeof params?.encoder}`, context);
    }
    const given = params.pseudoInputs;
    if (given === undefined || given === null) {
      throw new InvalidArgumentError(
        'pseudoInputs',
        'a [K, ...inputShape] tensor or { numPseudoInputs, inputDim }',
        'it is missing',
        context,
      );
    }
    if (isInit(given)) {
      checkInteger(given.numPseudoInputs, 'pseudoInputs.numPseudoInputs', 1, context);
      checkInteger(given.inputDim, 'pseudoInputs.inputDim', 1, context);
      checkSeed(given.seed, context);
      const mean = given.initMean ?? 0.5;
      const stddev = given.initStddev ?? 0.1;
      checkPositive(stddev, 'pseudoInputs.initStddev', context);
      this.pseudoInputs = trainableVariable(() => seededNormal([given.numPseudoInputs, given.inputDim], mean, stddev, given.seed));
    } else {
      this.pseudoInputs = trainableVariable(() => {
        const t = toFloat32(given, 'pseudoInputs', context);
        if (t.rank < 1 || t.shape[0] < 1) {
          throw new InvalidArgumentError('pseudoInputs', 'shaped [K, ...inputShape] with K >= 1', `got shape [${t.shape}]`, context);
        }
        return tf.clone(t);
      });
    }
    this.numPseudoInputs = this.pseudoInputs.shape[0];
    this.encoder = params.encoder;
    this.transform = params.pseudoInputTransform;
    this.uniformLogits = tf.keep(tf.zeros([this.numPseudoInputs]));
    this.trainableVariables = [this.pseudoInputs];
  }

  /**
   * The current mixture (1/K) sum_k q(z | u_k): call it inside `tf.tidy` (the training step), or
   * call `dispose()` on the result, which frees the posteriors the encoder made for it.
   * @returns `MixtureSameFamily` over the encoder's posteriors: batch `[]`, event `[latentDim]`
   */
  distribution(): Distribution {
    return disposableDistribution(() => {
      const inputs = this.transform ? this.transform(this.pseudoInputs) : this.pseudoInputs;
      const components = this.encoder(inputs);
      if (
        !(components instanceof Distribution) ||
        components.batchShape.length !== 1 ||
        components.batchShape[0] !== this.numPseudoInputs
      ) {
        const got = components instanceof Distribution ? `batch shape [${components.batchShape}]` : typeof components;
        throw new InvalidArgumentError(
          'encoder',
          `a function returning a Distribution with batch shape [${this.numPseudoInputs}] (one posterior per pseudo-input)`,
          `got ${got}`,
          'VampPrior',
        );
      }
      return new MixtureSameFamily({ mixtureLogits: this.uniformLogits, components, validateArgs: false });
    });
  }

  /** Frees the pseudo-inputs (not the encoder's variables). */
  dispose(): void {
    tf.dispose([this.pseudoInputs, this.uniformLogits]);
  }
}

function isInit(value: unknown): value is PseudoInputInit {
  return (
    typeof value === 'object' && value !== null && !(value instanceof tf.Tensor) && !Array.isArray(value) && !ArrayBuffer.isView(value)
  );
}
