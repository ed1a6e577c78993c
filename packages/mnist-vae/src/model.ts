import * as tf from '@tensorflow/tfjs';
import {
  Chain,
  Householder,
  Independent,
  MaskedAutoregressive,
  Normal,
  Planar,
  Radial,
  PowerSpherical,
  TransformedDistribution,
  VonMisesFisher,
} from '@vae/distributions';
import type { Bijector } from '@vae/distributions';
import type { Distribution } from '@vae/distributions';
import { bernoulliLikelihood, continuousBernoulliLikelihood, elbo, iwaeBound } from '@vae/elbo';
import { InvalidArgumentError } from '@vae/math';
import {
  FlowPrior,
  HypersphericalUniformPrior,
  LearnedNormalPrior,
  MixtureOfGaussiansPrior,
  StandardNormalPrior,
  VampPrior,
} from '@vae/priors';
import type { Prior } from '@vae/priors';
import { mixSeed } from '@vae/samplers';
import { applyStack, glorotUniform } from './layers.js';
import type { Activation, DenseLayer } from './layers.js';
import { Rng } from './rng.js';

/** The family of the approximate posterior q(z|x). */
export type PosteriorFamily = 'normal' | 'vmf' | 'power-spherical' | 'iaf' | 'planar' | 'radial' | 'householder';

/**
 * Whether a posterior family lives on the sphere (`vmf`, `power-spherical`) rather than in R^d
 * (`normal` and the normalizing-flow posteriors `iaf`, `planar`, `radial`, `householder`).
 * @param posterior - the family
 * @returns true for the spherical families
 *
 * @example
 * ```ts
 * import { isSphericalPosterior } from '@vae/mnist-vae';
 * console.log(isSphericalPosterior('vmf'), isSphericalPosterior('iaf')); // true false
 * ```
 */
export function isSphericalPosterior(posterior: PosteriorFamily): boolean {
  return posterior === 'vmf' || posterior === 'power-spherical';
}
/** The prior p(z). */
export type PriorKind = 'standard' | 'learned' | 'mog' | 'vamp' | 'spherical' | 'flow';

/** Everything that fixes a model's architecture and initial weights. */
export interface VaeConfig {
  /** Pixels per image (784 for MNIST). */
  inputDim: number;
  /** The latent dimension: z in R^d for a normal posterior, z on S^{d-1} in R^d for spherical ones. */
  latentDim: number;
  /** Hidden widths of the encoder (each followed by ELU). */
  encoderUnits: number[];
  /** Hidden widths of the decoder. */
  decoderUnits: number[];
  /** The activation after each decoder hidden layer (the seed model has none after the first). */
  decoderActivations: Activation[];
  /** The posterior family. */
  posterior: PosteriorFamily;
  /** The prior. */
  prior: PriorKind;
  /** Flow steps K of an `iaf`, `planar`, `radial` or `householder` posterior (reflections for householder), and MAF layers of the `flow` prior. */
  flowSteps: number;
  /**
   * Hidden units of each `iaf` step's MADE conditioner and of each MAF layer of the `flow` prior
   * (0: the layers' default, max(4 latentDim, 16)).
   */
  flowHiddenUnits: number;
  /** Mixture components of the `mog` prior, pseudo-inputs of the `vamp` prior. */
  priorComponents: number;
  /** The decoder's pixel distribution: `bernoulli` for binarized data, `continuous-bernoulli` for grey levels. */
  likelihood: 'bernoulli' | 'continuous-bernoulli';
  /** Seed of the initial weights. */
  seed: number;
}

/**
 * The seed documents' architecture: 784-256-64-32 encoder, z-32-64-256-784 decoder, 2-d latent.
 *
 * @remarks
 * Normal posterior, standard normal prior, Bernoulli decoder, 10 prior components (for `mog` and
 * `vamp`), seed 0.
 *
 * @example
 * ```ts
 * import { DEFAULT_VAE_CONFIG } from '@vae/mnist-vae';
 * console.log(DEFAULT_VAE_CONFIG.encoderUnits, DEFAULT_VAE_CONFIG.latentDim); // [256, 64, 32] 2
 * ```
 */
export const DEFAULT_VAE_CONFIG: Readonly<VaeConfig> = Object.freeze({
  inputDim: 784,
  latentDim: 2,
  encoderUnits: [256, 64, 32],
  decoderUnits: [32, 64, 256],
  decoderActivations: ['linear', 'elu', 'elu'] as Activation[],
  posterior: 'normal' as PosteriorFamily,
  prior: 'standard' as PriorKind,
  priorComponents: 10,
  flowSteps: 2,
  flowHiddenUnits: 0,
  likelihood: 'bernoulli' as const,
  seed: 0,
});

const POSTERIORS: readonly PosteriorFamily[] = ['normal', 'vmf', 'power-spherical', 'iaf', 'planar', 'radial', 'householder'];
const PRIORS: readonly PriorKind[] = ['standard', 'learned', 'mog', 'vamp', 'spherical', 'flow'];

/**
 * Fills in defaults and checks a configuration: names the field and the constraint it breaks.
 *
 * @remarks
 * A spherical posterior (`vmf`, `power-spherical`) gets the spherical prior unless told
 * otherwise, and needs `latentDim` >= 2 (the ambient dimension of S^{d-1}).
 *
 * @param partial - any subset of {@link VaeConfig}
 * @returns the complete configuration
 *
 * @example
 * ```ts
 * import { resolveVaeConfig } from '@vae/mnist-vae';
 * console.log(resolveVaeConfig({ posterior: 'vmf', latentDim: 3 }).prior); // spherical
 * ```
 */
export function resolveVaeConfig(partial: Partial<VaeConfig> = {}): VaeConfig {
  const posterior = partial.posterior ?? DEFAULT_VAE_CONFIG.posterior;
  const spherical = isSphericalPosterior(posterior);
  const config: VaeConfig = {
    ...DEFAULT_VAE_CONFIG,
    encoderUnits: [...DEFAULT_VAE_CONFIG.encoderUnits],
    decoderUnits: [...DEFAULT_VAE_CONFIG.decoderUnits],
    decoderActivations: [...DEFAULT_VAE_CONFIG.decoderActivations],
    prior: spherical ? 'spherical' : 'standard',
    ...Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)),
  };
  const ctx = 'MnistVae';
  if (!POSTERIORS.includes(config.posterior))
    throw new InvalidArgumentError('posterior', `one of ${POSTERIORS.join(', ')}`, `got ${String(config.posterior)}`, ctx);
  if (!PRIORS.includes(config.prior))
    throw new InvalidArgumentError('prior', `one of ${PRIORS.join(', ')}`, `got ${String(config.prior)}`, ctx);
  const minDim = spherical ? 2 : 1;
  if (!Number.isInteger(config.latentDim) || config.latentDim < minDim) {
    throw new InvalidArgumentError(
      'latentDim',
      `an integer >= ${minDim}${spherical ? ' (the ambient dimension of the sphere S^{d-1})' : ''}`,
      `got ${config.latentDim}`,
      ctx,
    );
  }
  if (spherical && config.prior !== 'spherical' && config.prior !== 'vamp') {
    throw new InvalidArgumentError(
      'prior',
      `'spherical' (or 'vamp') for a ${config.posterior} posterior, whose latent lives on the sphere`,
      `got '${config.prior}'`,
      ctx,
    );
  }
  if (!spherical && config.prior === 'spherical') {
    throw new InvalidArgumentError(
      'prior',
      'one of standard, learned, mog, vamp, flow for a Euclidean posterior (the spherical prior needs --posterior vmf or power-spherical)',
      `got 'spherical'`,
      ctx,
    );
  }
  if (spherical && config.prior === 'flow') {
    throw new InvalidArgumentError(
      'prior',
      `'spherical' (or 'vamp') for a ${config.posterior} posterior: the flow prior lives in R^d`,
      "got 'flow'",
      ctx,
    );
  }
  if (!Number.isInteger(config.flowSteps) || config.flowSteps < 1) {
    throw new InvalidArgumentError('flowSteps', 'an integer >= 1', `got ${config.flowSteps}`, ctx);
  }
  if (!Number.isInteger(config.flowHiddenUnits) || config.flowHiddenUnits < 0) {
    throw new InvalidArgumentError('flowHiddenUnits', 'an integer >= 0 (0: the default width)', `got ${config.flowHiddenUnits}`, ctx);
  }
  if (config.posterior === 'householder' && config.latentDim < 2) {
    throw new InvalidArgumentError(
      'latentDim',
      'an integer >= 2 for a householder posterior (a reflection of R^1 is a sign flip)',
      `got ${config.latentDim}`,
      ctx,
    );
  }
  if (config.likelihood !== 'bernoulli' && config.likelihood !== 'continuous-bernoulli') {
    throw new InvalidArgumentError('likelihood', "'bernoulli' or 'continuous-bernoulli'", `got ${String(config.likelihood)}`, ctx);
  }
  if (config.decoderActivations.length !== config.decoderUnits.length) {
    throw new InvalidArgumentError(
      'decoderActivations',
      `one per decoder hidden layer (${config.decoderUnits.length})`,
      `got ${config.decoderActivations.length}`,
      ctx,
    );
  }
  for (const [name, v] of [
    ['inputDim', config.inputDim],
    ['priorComponents', config.priorComponents],
    ...config.encoderUnits.map((u) => ['encoderUnits', u]),
    ...config.decoderUnits.map((u) => ['decoderUnits', u]),
  ] as [string, number][]) {
    if (!Number.isInteger(v) || v < 1) throw new InvalidArgumentError(name, 'a positive integer', `got ${v}`, ctx);
  }
  return config;
}

let instances = 0;

/**
 * A flow posterior q(z|x): the encoder's diagonal Gaussian pushed through the flow steps. log q(z|x)
 * is the TransformedDistribution's log N(f^-1(z)) + log |det J_{f^-1}(z)|, so the ELBO takes the
 * Monte Carlo KL. mean() and stddev() serve the plots and summaries only: they report the code f(mu)
 * of the base mean and the base's spread, not the moments of q (which have no closed form).
 */
class FlowPosterior extends TransformedDistribution {
  static override readonly familyName: string = 'FlowPosterior';

  protected override _mean(): tf.Tensor {
    return this.bijector.forward(this.distribution.mean());
  }

  protected override _variance(): tf.Tensor {
    return this.distribution.variance();
  }
}

/** The per-example terms of the ELBO, each of shape `[batch]`. */
export type ElboTerms = {
  /** E_q[log p(x|z)] - KL(q(z|x) || p(z)). */
  elbo: tf.Tensor1D;
  /** E_q[log p(x|z)], estimated with the posterior samples. */
  reconstruction: tf.Tensor1D;
  /** KL(q(z|x) || p(z)), analytic or estimated. */
  kl: tf.Tensor1D;
};

/** Options of {@link MnistVae.elboTerms} and {@link MnistVae.loss}. */
export interface VaeLossOptions {
  /** `'analytic'` (the registered closed form, falling back to Monte Carlo where none is) or `'monteCarlo'`. */
  kl?: 'analytic' | 'monteCarlo';
  /** Posterior samples per example (default 1). */
  numSamples?: number;
  /** Weight of the KL term in the training loss (default 1; the reported ELBO is never weighted). */
  beta?: number;
  /** Free bits: the batch-mean KL below this many nats is not penalized (default 0). */
  freeBits?: number;
  /** Seed of the posterior samples. */
  seed?: number;
}

/**
 * The MNIST variational autoencoder: an MLP encoder giving q(z|x), a prior p(z) and an MLP decoder
 * giving Bernoulli logits p(x|z), built from `@vae/distributions`, `@vae/kl` and plain
 * `tf.variable` weights.
 *
 * @remarks
 * Encoder: 784-256-64-32 with ELU, then a linear head. For the normal posterior the head gives
 * (mu, log sigma^2) and q = N(mu, diag sigma^2) (as `Independent(Normal)`); for `vmf` and
 * `power-spherical` it gives a direction (normalized to a unit vector in R^d) and a concentration
 * softplus(.) + 1, so z lives on the sphere S^{d-1} in R^d (d = `latentDim`: a 2-d sphere means
 * `latentDim: 3`). Decoder: Linear(d, 32), Linear(32, 64), ELU, Linear(64, 256), ELU,
 * Linear(256, 784) giving logits, exactly the seed documents' network (no activation after its
 * first layer). The ELBO is E_q[log p(x|z)] - KL(q || p); the loss is
 * -mean(recon - beta * max(KL, freeBits)). Weights are Glorot-uniform from a seeded host
 * generator, so they are identical across backends. Every method is memory-neutral; `dispose()`
 * frees the weights.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { MnistVae } from '@vae/mnist-vae';
 *
 * tf.tidy(() => {
 *   const vae = new MnistVae({ latentDim: 2, seed: 1 });
 *   const x = tf.zeros([3, 784]);
 *   const terms = vae.elboTerms(x, { seed: 7 });
 *   console.log(terms.elbo.shape); // [3]
 *   console.log(vae.decodeLogits(tf.zeros([5, 2])).shape); // [5, 784]
 *   vae.dispose();
 * });
 * ```
 */
export class MnistVae {
  /** The resolved configuration. */
  readonly config: VaeConfig;
  /** Encoder layers, the last one being the posterior head. */
  readonly encoder: DenseLayer[];
  /** Decoder layers, the last one giving the logits. */
  readonly decoder: DenseLayer[];
  /** The prior p(z), from `@vae/priors`. */
  readonly prior: Prior;
  /** The flow steps of an `iaf`, `planar`, `radial` or `householder` posterior, in the order they apply (empty otherwise). */
  readonly flowSteps: Bijector[];
  private readonly prefix: string;
  private readonly named = new Map<string, tf.Variable>();

  /** @param config - architecture, posterior, prior and seed (defaults: {@link DEFAULT_VAE_CONFIG}) */
  constructor(config: Partial<VaeConfig> = {}) {
    this.config = resolveVaeConfig(config);
    this.prefix = `mnist-vae-${instances++}`;
    const c = this.config;
    const rng = new Rng(mixSeed(c.seed, 0x1417));
    // An iaf head adds a context vector h of latentDim units (Kingma et al. 2016) that conditions every IAF step.
    const headUnits = isSphericalPosterior(c.posterior) ? c.latentDim + 1 : c.posterior === 'iaf' ? 3 * c.latentDim : 2 * c.latentDim;
    const encSizes = [c.inputDim, ...c.encoderUnits, headUnits];
    this.encoder = encSizes
      .slice(1)
      .map((out, i) => this.dense(`encoder/${i}`, encSizes[i], out, i < c.encoderUnits.length ? 'elu' : 'linear', rng));
    const decSizes = [c.latentDim, ...c.decoderUnits, c.inputDim];
    this.decoder = decSizes
      .slice(1)
      .map((out, i) => this.dense(`decoder/${i}`, decSizes[i], out, i < c.decoderUnits.length ? c.decoderActivations[i] : 'linear', rng));
    const d = c.latentDim;
    const K = c.priorComponents;
    const flowSeed = (k: number) => mixSeed(c.seed, 0xf10 + k) % 2147483647;
    const steps = c.flowSteps;
    const flowHidden = c.flowHiddenUnits > 0 ? c.flowHiddenUnits : undefined;
    // planar, radial and householder parameters are global (shared by every image), iaf steps are amortized
    // through the encoder's context vector.
    this.flowSteps =
      c.posterior === 'iaf'
        ? Array.from(
            { length: steps },
            (_, k) =>
              new MaskedAutoregressive({
                dim: d,
                hiddenUnits: flowHidden,
                contextDim: d,
                direction: 'iaf',
                reverseOrder: k % 2 === 1,
                seed: flowSeed(k),
                validateArgs: false,
              }),
          )
        : c.posterior === 'planar'
          ? Array.from({ length: steps }, (_, k) => new Planar({ dim: d, seed: flowSeed(k), validateArgs: false }))
          : c.posterior === 'radial'
            ? Array.from({ length: steps }, (_, k) => new Radial({ dim: d, seed: flowSeed(k), validateArgs: false }))
            : c.posterior === 'householder'
              ? [new Householder({ dim: d, numReflections: steps, seed: flowSeed(0), validateArgs: false })]
              : [];
    this.flowSteps.forEach((step, k) => step.trainableVariables().forEach((v, i) => this.named.set(`posterior-flow/${k}/${i}`, v)));
    const priorSeed = mixSeed(c.seed, 0x9e10) % 2147483647;
    switch (c.prior) {
      case 'spherical':
        this.prior = new HypersphericalUniformPrior({ dim: d });
        break;
      case 'learned':
        this.prior = new LearnedNormalPrior({ latentDim: d });
        break;
      case 'mog':
        this.prior = new MixtureOfGaussiansPrior({ latentDim: d, numComponents: K, seed: priorSeed });
        break;
      case 'vamp': {
        // Pseudo-inputs are pixel logits (a sigmoid maps them into [0, 1], like the images), starting
        // near grey, as in Tomczak & Welling (2018).
        const u = new Float32Array(K * c.inputDim);
        for (let i = 0; i < u.length; i++) u[i] = 0.1 * rng.normal();
        const init = tf.tensor2d(u, [K, c.inputDim]);
        this.prior = new VampPrior({ encoder: (x) => this.encode(x), pseudoInputs: init, pseudoInputTransform: (t) => tf.sigmoid(t) });
        init.dispose();
        break;
      }
      case 'flow':
        this.prior = new FlowPrior({ latentDim: d, numLayers: steps, hiddenUnits: flowHidden, seed: priorSeed });
        break;
      case 'standard':
      default:
        this.prior = new StandardNormalPrior({ latentDim: d });
    }
    this.prior.trainableVariables.forEach((v, i) => this.named.set(`prior/${i}`, v));
  }

  private dense(name: string, fanIn: number, fanOut: number, activation: Activation, rng: Rng): DenseLayer {
    const kernel = this.variable(`${name}/kernel`, tf.tensor2d(glorotUniform(fanIn, fanOut, rng), [fanIn, fanOut]));
    const bias = this.variable(`${name}/bias`, tf.zeros([fanOut]));
    return { kernel, bias, activation };
  }

  private variable(name: string, initial: tf.Tensor): tf.Variable {
    const v = tf.variable(initial, true, `${this.prefix}/${name}`);
    initial.dispose();
    this.named.set(name, v);
    return v;
  }

  /** Every trainable weight (encoder, decoder, prior), in a fixed order. */
  get trainableVariables(): tf.Variable[] {
    return Array.from(this.named.values());
  }

  /** The weights by their logical names (`encoder/0/kernel`, ..., `prior/loc`), in a fixed order. */
  namedWeights(): { name: string; tensor: tf.Variable }[] {
    return Array.from(this.named, ([name, tensor]) => ({ name, tensor }));
  }

  /**
   * Overwrites every weight from a name-to-tensor map; throws (changing nothing) if a name is
   * missing or a shape differs.
   */
  assignWeights(weights: Record<string, tf.Tensor>): void {
    for (const [name, v] of this.named) {
      const t = weights[name];
      if (!t) throw new Error(`weights: '${name}' is missing (the checkpoint was written by a different model configuration?)`);
      if (t.shape.length !== v.shape.length || t.shape.some((s, i) => s !== v.shape[i])) {
        throw new Error(
          `weights: '${name}' has shape [${t.shape}], the model expects [${v.shape}] (different --latent-dim, --posterior or --prior?)`,
        );
      }
    }
    for (const [name, v] of this.named) v.assign(weights[name]);
  }

  /**
   * The posterior q(z|x).
   * @param x - images, `[batch, inputDim]`
   * @returns a distribution with batch shape `[batch]` and event shape `[latentDim]`
   */
  encode(x: tf.Tensor): Distribution {
    return this.posteriorFrom(applyStack(this.encoder, x));
  }

  private posteriorFrom(h: tf.Tensor): Distribution {
    const d = this.config.latentDim;
    if (!isSphericalPosterior(this.config.posterior)) {
      const [loc, logVar, context] = tf.split(h, this.config.posterior === 'iaf' ? [d, d, d] : [d, d], -1);
      const scale = tf.exp(tf.mul(logVar, 0.5));
      const base = new Independent({ distribution: new Normal({ loc, scale, validateArgs: false }), reinterpretedBatchNdims: 1 });
      if (this.flowSteps.length === 0) return base;
      const steps = this.flowSteps.map((step) => (step instanceof MaskedAutoregressive ? step.condition(context) : step));
      // Chain applies its last part first.
      return new FlowPosterior({ distribution: base, bijector: new Chain(steps.reverse(), { validateArgs: false }), validateArgs: false });
    }
    const [raw, rawKappa] = tf.split(h, [d, 1], -1);
    const meanDirection = tf.div(raw, tf.add(tf.norm(raw, 'euclidean', -1, true), 1e-12));
    const concentration = tf.add(tf.softplus(tf.squeeze(rawKappa, [-1])), 1);
    const Family = this.config.posterior === 'vmf' ? VonMisesFisher : PowerSpherical;
    return new Family({ meanDirection, concentration, validateArgs: false });
  }

  /**
   * The decoder's Bernoulli logits.
   * @param z - latent codes, `S + [latentDim]`
   * @returns logits, `S + [inputDim]`
   */
  decodeLogits(z: tf.Tensor): tf.Tensor {
    return applyStack(this.decoder, z);
  }

  /**
   * The prior p(z), with batch shape `[]` and event shape `[latentDim]`.
   * @returns the distribution (built from the current prior weights)
   */
  priorDistribution(): Distribution {
    return this.prior.distribution();
  }

  /**
   * The decoder's distribution p(x|z): independent Bernoulli pixels (binarized data) or
   * continuous Bernoulli pixels (grey levels, `likelihood: 'continuous-bernoulli'`), from
   * `@vae/elbo`.
   * @param z - latent codes, `S + [batch, latentDim]`
   * @returns a distribution with batch shape `S + [batch]` and event shape `[inputDim]`
   */
  likelihood(z: tf.Tensor): Distribution {
    const logits = this.decodeLogits(z);
    return this.config.likelihood === 'continuous-bernoulli'
      ? continuousBernoulliLikelihood(logits, { validateArgs: false })
      : bernoulliLikelihood(logits, { validateArgs: false });
  }

  /**
   * The per-example ELBO and its two parts, computed by `elbo` from `@vae/elbo`.
   * @param x - images, `[batch, inputDim]`
   * @param options - KL mode, sample count and seed (beta and free bits do not change the ELBO)
   * @returns `elbo`, `reconstruction` and `kl`, each `[batch]`
   */
  elboTerms(x: tf.Tensor, options: VaeLossOptions = {}): ElboTerms {
    return tf.tidy(() => {
      const r = this.objective(x, { ...options, beta: 1, freeBits: 0 });
      return { elbo: r.elbo as tf.Tensor1D, reconstruction: r.reconstruction as tf.Tensor1D, kl: r.kl as tf.Tensor1D };
    });
  }

  private objective(x: tf.Tensor, options: VaeLossOptions) {
    return elbo(
      { x, posterior: this.encode(x), prior: this.prior, likelihood: (z) => this.likelihood(z) },
      {
        kl: (options.kl ?? 'analytic') === 'analytic' ? 'auto' : 'monteCarlo',
        numSamples: options.numSamples ?? 1,
        beta: options.beta ?? 1,
        freeBits: options.freeBits ?? 0,
        seed: options.seed,
      },
    );
  }

  /**
   * The training loss: minus the batch mean of recon - beta * KL (with free bits per latent
   * dimension, as `@vae/elbo` defines them), and the true per-example ELBO terms.
   * @param x - images, `[batch, inputDim]`
   * @param options - KL mode, samples, beta, free bits and seed
   * @returns the scalar loss and the per-example terms (the ELBO unweighted)
   */
  loss(x: tf.Tensor, options: VaeLossOptions = {}): { loss: tf.Scalar; terms: ElboTerms } {
    const out = tf.tidy(() => {
      const r = this.objective(x, options);
      // Unweighted, the objective is the ELBO itself (recon - KL, the same subtraction): no second one.
      const unweighted = (options.beta ?? 1) === 1 && (options.freeBits ?? 0) === 0;
      const elboTerm = unweighted ? r.elbo : tf.sub(r.reconstruction, r.kl);
      return {
        loss: tf.neg(tf.mean(r.elbo)) as tf.Scalar,
        elbo: elboTerm as tf.Tensor1D,
        reconstruction: r.reconstruction as tf.Tensor1D,
        kl: r.kl as tf.Tensor1D,
      };
    });
    return { loss: out.loss, terms: { elbo: out.elbo, reconstruction: out.reconstruction, kl: out.kl } };
  }

  /**
   * The IWAE bound log (1/k) sum_i p(x, z_i) / q(z_i|x) per example (`iwaeBound` of `@vae/elbo`),
   * the training objective of `--iwae-k`.
   * @param x - images, `[batch, inputDim]`
   * @param k - importance samples per example
   * @param seed - seed of the samples
   * @returns `[batch]`
   */
  iwaeBound(x: tf.Tensor, k: number, seed?: number): tf.Tensor {
    return tf.tidy(() =>
      iwaeBound({ x, posterior: this.encode(x), prior: this.prior, likelihood: (z) => this.likelihood(z) }, { numSamples: k, seed }),
    );
  }

  /** Frees the weights (the model's and the prior's). */
  dispose(): void {
    for (const [name, v] of this.named) if (!name.startsWith('prior/') && !name.startsWith('posterior-flow/')) v.dispose();
    for (const step of this.flowSteps) step.dispose();
    this.prior.dispose();
    this.named.clear();
  }
}
