// Cost of klDivergence per pair (forward, and forward + gradient in both arguments' parameters) for
// a batch of 256 x 16 independent divergences on the cpu backend, plus the Monte Carlo estimator
// and the mixture approximation. Run with `npm run bench` (tsx). Each figure is the median of
// several timed runs.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs';
import {
  Bernoulli,
  Beta,
  Categorical,
  ContinuousBernoulli,
  Dirichlet,
  Gamma,
  HypersphericalUniform,
  Independent,
  Kumaraswamy,
  MixtureSameFamily,
  MultivariateNormal,
  Normal,
  PowerSpherical,
  VonMisesFisher,
} from '@vae/distributions';
import type { Distribution } from '@vae/distributions';
import { LowRankMultivariateNormal, cholesky } from '@vae/distributions';
import { klDivergence, klVariationalApproximation, monteCarloKL } from '../src/index.js';
import { multivariateNormalKL } from '../src/pairs/multivariate-normal.js';
import { medianMs } from '../../../tools/bench/timing.js';

const BATCH = 256;
const LATENT = 16;
const REPEATS = 9;

const time = (fn: () => tf.Tensor | tf.Tensor[]): number => medianMs(REPEATS, fn);

const positive = (shape: number[], seed: number) => tf.exp(tf.randomNormal(shape, 0, 0.5, 'float32', seed));
const unit = (shape: number[], seed: number) =>
  tf.tidy(() => {
    const g = tf.randomNormal(shape, 0, 1, 'float32', seed);
    return tf.div(g, tf.norm(g, 'euclidean', -1, true));
  });

type Case = [string, tf.Tensor[], (...params: tf.Tensor[]) => [Distribution, Distribution]];

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  const shape = [BATCH, LATENT];
  const off = { validateArgs: false };
  const tril = tf.tidy(() =>
    tf.add(tf.mul(tf.linalg.bandPart(tf.randomNormal([LATENT, LATENT], 0, 0.1, 'float32', 9), -1, 0), 1), tf.eye(LATENT)),
  );
  const direction = unit(shape, 11);
  const cases: Case[] = [
    [
      'Normal || Normal',
      [tf.randomNormal(shape, 0, 1, 'float32', 1), positive(shape, 2)],
      (m, s) => [new Normal({ loc: m, scale: s, ...off }), new Normal({ loc: 0, scale: 1, ...off })],
    ],
    [
      'Bernoulli || Bernoulli',
      [tf.randomNormal(shape, 0, 3, 'float32', 3)],
      (l) => [new Bernoulli({ logits: l, ...off }), new Bernoulli({ logits: 0, ...off })],
    ],
    [
      'ContinuousBernoulli || ContinuousBernoulli',
      [tf.randomNormal(shape, 0, 3, 'float32', 3)],
      (l) => [new ContinuousBernoulli({ logits: l, ...off }), new ContinuousBernoulli({ logits: 0.5, ...off })],
    ],
    [
      'Categorical (K=16) || Categorical',
      [tf.randomNormal([BATCH, LATENT], 0, 1, 'float32', 4)],
      (l) => [new Categorical({ logits: l, ...off }), new Categorical({ logits: tf.zeros([LATENT]), ...off })],
    ],
    [
      'Gamma || Gamma',
      [positive(shape, 5), positive(shape, 6)],
      (a, b) => [new Gamma({ concentration: a, rate: b, ...off }), new Gamma({ concentration: 1, rate: 1, ...off })],
    ],
    [
      'Beta || Beta',
      [positive(shape, 7), positive(shape, 8)],
      (a, b) => [new Beta({ concentration1: a, concentration0: b, ...off }), new Beta({ concentration1: 1, concentration0: 1, ...off })],
    ],
    [
      'Kumaraswamy || Beta',
      [positive(shape, 7), positive(shape, 8)],
      (a, b) => [
        new Kumaraswamy({ concentration1: a, concentration0: b, ...off }),
        new Beta({ concentration1: 1, concentration0: 5, ...off }),
      ],
    ],
    [
      'Dirichlet (K=16) || Dirichlet',
      [positive([BATCH, LATENT], 10)],
      (a) => [new Dirichlet({ concentration: a, ...off }), new Dirichlet({ concentration: tf.ones([LATENT]), ...off })],
    ],
    [
      'Independent(Normal) || Independent(Normal)',
      [tf.randomNormal(shape, 0, 1, 'float32', 1), positive(shape, 2)],
      (m, s) => [
        new Independent({ distribution: new Normal({ loc: m, scale: s, ...off }), reinterpretedBatchNdims: 1 }),
        new Independent({ distribution: new Normal({ loc: tf.zeros([LATENT]), scale: 1, ...off }), reinterpretedBatchNdims: 1 }),
      ],
    ],
    [
      'Independent(Normal) || MultivariateNormal (d=16)',
      [tf.randomNormal(shape, 0, 1, 'float32', 1), positive(shape, 2)],
      (m, s) => [
        new Independent({ distribution: new Normal({ loc: m, scale: s, ...off }), reinterpretedBatchNdims: 1 }),
        new MultivariateNormal({ loc: tf.zeros([LATENT]), scaleTril: tril, ...off }),
      ],
    ],
    [
      'VonMisesFisher (d=16) || HypersphericalUniform',
      [positive([BATCH], 12)],
      (k) => [
        new VonMisesFisher({ meanDirection: direction, concentration: tf.mul(k, 20), ...off }),
        new HypersphericalUniform({ dim: LATENT }),
      ],
    ],
    [
      'PowerSpherical (d=16) || VonMisesFisher',
      [unit(shape, 11), positive([BATCH], 12)],
      (mu, k) => [
        new PowerSpherical({ meanDirection: mu, concentration: tf.mul(k, 20), ...off }),
        new VonMisesFisher({ meanDirection: unit([LATENT], 13), concentration: 10, ...off }),
      ],
    ],
  ];
  console.log(
    `klDivergence over a batch of ${BATCH} x ${LATENT} (or ${BATCH} vectors of ${LATENT}), cpu backend, median of ${REPEATS} runs`,
  );
  for (const [name, params, make] of cases) {
    const forward = time(() => tf.tidy(() => klDivergence(...make(...params))));
    const backward = time(() => tf.tidy(() => tf.grads((...xs: tf.Tensor[]) => tf.sum(klDivergence(...make(...xs))))(params)));
    console.log(
      `${name.padEnd(48)} forward ${forward.toFixed(2).padStart(8)} ms   forward + gradient ${backward.toFixed(2).padStart(8)} ms`,
    );
  }
  const loc = tf.randomNormal(shape, 0, 1, 'float32', 1);
  const scale = positive(shape, 2);
  const mc = time(() =>
    tf.tidy(() => monteCarloKL(new Normal({ loc, scale, ...off }), new Normal({ loc: 0, scale: 1, ...off }), { numSamples: 64, seed: 1 })),
  );
  console.log(`${'monteCarloKL Normal || Normal, 64 samples'.padEnd(48)} forward ${mc.toFixed(2).padStart(8)} ms`);
  const components = new Independent({
    distribution: new Normal({ loc: tf.randomNormal([BATCH, 10, LATENT], 0, 1, 'float32', 3), scale: 0.5, ...off }),
    reinterpretedBatchNdims: 1,
  });
  const mixture = new MixtureSameFamily({ mixtureLogits: tf.zeros([BATCH, 10]), components, ...off });
  const prior = new Independent({ distribution: new Normal({ loc: tf.zeros([LATENT]), scale: 1, ...off }), reinterpretedBatchNdims: 1 });
  const variational = time(() => tf.tidy(() => klVariationalApproximation(mixture, prior)));
  console.log(`${'klVariationalApproximation (K=10, d=16)'.padEnd(48)} forward ${variational.toFixed(2).padStart(8)} ms`);
  // LowRank || LowRank: the capacitance (Woodbury) route against the full-Cholesky one it replaced
  // from dimension 32 on, for 16 pairs of rank 4.
  // (The full-Cholesky route takes seconds per run at D = 64 already; larger D only in a dedicated run.)
  for (const dim of [64]) {
    const lowRank = (seed: number) =>
      new LowRankMultivariateNormal({
        loc: tf.randomNormal([16, dim], 0, 1, 'float32', seed),
        covFactor: tf.randomNormal([16, dim, 4], 0, 0.5, 'float32', seed + 1),
        covDiag: positive([16, dim], seed + 2),
        ...off,
      });
    const [p, q] = [lowRank(20), lowRank(30)];
    const fullTril = (d: LowRankMultivariateNormal) =>
      cholesky(tf.add(tf.matMul(d.covFactor, d.covFactor, false, true), tf.mul(tf.expandDims(d.covDiag, -1), tf.eye(dim))));
    const woodbury = time(() => tf.tidy(() => klDivergence(p, q)));
    const dense = time(() => tf.tidy(() => multivariateNormalKL(p.loc, fullTril(p), q.loc, fullTril(q))));
    console.log(
      `${`LowRank || LowRank, D=${dim}, R=4, 16 pairs`.padEnd(48)} Woodbury ${woodbury.toFixed(2).padStart(8)} ms   full Cholesky ${dense
        .toFixed(2)
        .padStart(8)} ms   ratio ${(dense / woodbury).toFixed(1)}`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
