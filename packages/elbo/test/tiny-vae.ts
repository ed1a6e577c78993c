// A tiny VAE on 20-d binary toy data, built from tf.variable + tf.matMul, used by the end-to-end
// tests and the "Swapping the prior" guide. Only the prior (and, for a spherical prior, the
// posterior family) changes between runs.
import * as tf from '@tensorflow/tfjs-core';
import { Independent, Normal, PowerSpherical, VonMisesFisher } from '@vae/distributions';
import type { Distribution } from '@vae/distributions';
import type { Prior } from '@vae/priors';
import { bernoulliLikelihood, elbo } from '../src/index.js';
import type { ElboOptions } from '../src/index.js';

export const DATA_DIM = 20;
const HIDDEN = 32;

/** 64 examples: 4 seeded binary prototypes, each bit flipped with probability 0.1. */
export function toyData(seed = 1): tf.Tensor2D {
  let state = seed;
  const u = () => (state = (state * 16807) % 2147483647) / 2147483647;
  const prototypes = Array.from({ length: 4 }, () => Array.from({ length: DATA_DIM }, () => (u() < 0.5 ? 1 : 0)));
  const rows = Array.from({ length: 64 }, (_, n) => prototypes[n % 4].map((bit) => (u() < 0.1 ? 1 - bit : bit)));
  return tf.tensor2d(rows);
}

function dense(inputs: number, outputs: number, seed: number): [tf.Variable, tf.Variable] {
  const scale = Math.sqrt(2 / (inputs + outputs)); // Glorot
  return [tf.variable(tf.randomNormal([inputs, outputs], 0, scale, 'float32', seed)), tf.variable(tf.zeros([outputs]))];
}

/** Applies a dense layer to a tensor of any rank (the last axis is the feature axis). */
function apply(x: tf.Tensor, [w, b]: [tf.Variable, tf.Variable]): tf.Tensor {
  const flat = tf.reshape(x, [-1, x.shape[x.rank - 1] as number]);
  return tf.reshape(tf.add(tf.matMul(flat, w), b), [...x.shape.slice(0, -1), w.shape[1] as number]);
}

/**
 * The posterior family: a diagonal normal on R^d, or a von Mises-Fisher or Power Spherical
 * distribution on the sphere S^{d-1} (d = latentDim, the ambient dimension).
 */
export type Geometry = 'gaussian' | 'vonMisesFisher' | 'powerSpherical';

/** A tiny VAE: encoder 20 -> 32 -> posterior, decoder latent -> 32 -> 20 Bernoulli logits. */
export class TinyVae {
  readonly encoderVariables: tf.Variable[];
  readonly decoderVariables: tf.Variable[];
  private readonly hidden: [tf.Variable, tf.Variable];
  private readonly head: [tf.Variable, tf.Variable];
  private readonly decoderHidden: [tf.Variable, tf.Variable];
  private readonly decoderOut: [tf.Variable, tf.Variable];

  constructor(
    readonly latentDim: number,
    readonly geometry: Geometry = 'gaussian',
    seed = 0,
  ) {
    this.hidden = dense(DATA_DIM, HIDDEN, seed + 1);
    // Gaussian: loc and raw scale per dimension; spherical: a direction and one concentration.
    this.head = dense(HIDDEN, geometry === 'gaussian' ? 2 * latentDim : latentDim + 1, seed + 2);
    this.decoderHidden = dense(latentDim, HIDDEN, seed + 3);
    this.decoderOut = dense(HIDDEN, DATA_DIM, seed + 4);
    this.encoderVariables = [...this.hidden, ...this.head];
    this.decoderVariables = [...this.decoderHidden, ...this.decoderOut];
  }

  /** q(z | x): batch [B], event [latentDim]. */
  readonly encode = (x: tf.Tensor): Distribution => {
    const out = apply(tf.tanh(apply(x, this.hidden)), this.head);
    const d = this.latentDim;
    if (this.geometry === 'gaussian') {
      const [loc, raw] = tf.split(out, [d, d], -1);
      const scale = tf.add(tf.softplus(raw), 1e-3);
      return new Independent({ distribution: new Normal({ loc, scale, validateArgs: false }), reinterpretedBatchNdims: 1 });
    }
    const [direction, raw] = tf.split(out, [d, 1], -1);
    const meanDirection = tf.div(direction, tf.norm(direction, 'euclidean', -1, true));
    const concentration = tf.add(tf.softplus(tf.squeeze(raw, [-1])), 1);
    return this.geometry === 'vonMisesFisher'
      ? new VonMisesFisher({ meanDirection, concentration, validateArgs: false })
      : new PowerSpherical({ meanDirection, concentration, validateArgs: false });
  };

  /** p(x | z) for latents [S, B, latentDim]: independent Bernoulli pixels. */
  readonly decode = (z: tf.Tensor): Distribution =>
    bernoulliLikelihood(apply(tf.tanh(apply(z, this.decoderHidden)), this.decoderOut), { validateArgs: false });

  /** The training loss: minus the batch-mean ELBO. */
  loss(x: tf.Tensor, prior: Prior, options: ElboOptions = {}): tf.Scalar {
    return tf.tidy(
      () => tf.neg(tf.mean(elbo({ x, posterior: this.encode(x), prior, likelihood: this.decode }, options).elbo)) as tf.Scalar,
    );
  }

  dispose(): void {
    tf.dispose([...this.encoderVariables, ...this.decoderVariables]);
  }
}

/** Trains for `steps` Adam steps; returns the evaluation loss (8 samples, fixed seed) before and after. */
export function train(
  vae: TinyVae,
  prior: Prior,
  x: tf.Tensor,
  steps: number,
  options: ElboOptions = {},
  learningRate = 0.03,
): { before: number; after: number } {
  const evaluate = () => tf.tidy(() => vae.loss(x, prior, { ...options, numSamples: 8, seed: 12345 }).dataSync()[0]);
  const before = evaluate();
  const optimizer = tf.train.adam(learningRate);
  // The model's variables are the encoder's, the decoder's and the prior's (empty when it is fixed).
  const variables = [...vae.encoderVariables, ...vae.decoderVariables, ...prior.trainableVariables];
  for (let step = 0; step < steps; step++) {
    optimizer.minimize(() => vae.loss(x, prior, { ...options, seed: step }), false, variables);
  }
  optimizer.dispose();
  return { before, after: evaluate() };
}
