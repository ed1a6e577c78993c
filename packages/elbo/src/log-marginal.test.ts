import * as tf from '@tensorflow/tfjs-core';
import { Independent, Normal } from '@vae/distributions';
import { StandardNormalPrior } from '@vae/priors';
import { expectMemoryNeutral } from '@vae/testing';
import { gaussianLikelihood } from './likelihoods.js';
import { logMarginalLikelihood } from './log-marginal.js';

// The linear-Gaussian model z ~ N(0, I_2), x | z ~ N(z, I_2): p(x) = N(x; 0, 2 I) and
// p(z | x) = N(x / 2, I / 2), so log p(x) is known exactly.
const X = [
  [1, -1],
  [0, 0],
  [2.5, 0.5],
];
const logEvidence = (x: number[]) => x.reduce((s, xi) => s - 0.5 * Math.log(2 * Math.PI * 2) - (xi * xi) / 4, 0);
const likelihood = (z: tf.Tensor) => gaussianLikelihood(z, { scale: 1 });
const diagonal = (loc: tf.Tensor, scale: tf.Tensor) =>
  new Independent({ distribution: new Normal({ loc, scale }), reinterpretedBatchNdims: 1 });

describe('logMarginalLikelihood', () => {
  let prior: StandardNormalPrior;
  let x: tf.Tensor;
  beforeAll(() => {
    prior = new StandardNormalPrior({ latentDim: 2 });
    x = tf.tensor2d(X);
  });
  afterAll(() => {
    prior.dispose();
    x.dispose();
  });

  it('is exact, with every weight equal up to float32 rounding (ESS = k), when the proposal is the true posterior', async () => {
    const encoder = (data: tf.Tensor) => diagonal(tf.div(data, 2), tf.fill(data.shape, Math.SQRT1_2));
    const result = await logMarginalLikelihood(x, { encoder, prior, likelihood, numSamples: 300, chunkSize: 64, seed: 1 });
    expect(result.numSamples).toBe(300);
    result.logLikelihood.forEach((v, b) => expect(v).toBeCloseTo(logEvidence(X[b]), 4));
    expect(result.meanLogLikelihood).toBeCloseTo(X.map(logEvidence).reduce((a, b) => a + b) / 3, 4);
    result.effectiveSampleSize.forEach((ess) => expect(ess).toBeCloseTo(300, 2));
    // The weights differ only by float32 rounding, so k-hat is fitted to noise: small, and trusted.
    result.paretoK.forEach((k) => expect(k).toBeLessThanOrEqual(0.7));
    expect(result.unreliable).toEqual([false, false, false]);
  });

  it('converges to log p(x) from a poorer proposal (the prior), with ESS below k', async () => {
    const loc = tf.zeros([3, 2]);
    const scale = tf.ones([3, 2]);
    const posterior = diagonal(loc, scale);
    const result = await logMarginalLikelihood(x, { posterior, prior, likelihood, numSamples: 20000, seed: 2 });
    // Importance sampling from the prior: Var(w) / E[w]^2 = ESS-related; 20000 samples put the
    // estimate within a few hundredths here (k-hat is well below 0.5 for these x).
    result.logLikelihood.forEach((v, b) => expect(Math.abs(v - logEvidence(X[b]))).toBeLessThan(0.05));
    result.effectiveSampleSize.forEach((ess) => {
      expect(ess).toBeGreaterThan(1);
      expect(ess).toBeLessThan(20000);
    });
    // The far example (x = [2.5, 0.5]) is the hardest for the prior as a proposal.
    expect(result.effectiveSampleSize[2]).toBeLessThan(result.effectiveSampleSize[1]);
    tf.dispose([loc, scale]);
  });

  it('gives the same numbers for the same seed, whether given a posterior or an encoder returning it', async () => {
    const loc = tf.tensor2d([
      [0.4, -0.4],
      [0, 0],
      [1, 0.2],
    ]);
    const scale = tf.fill([3, 2], 0.8);
    const posterior = diagonal(loc, scale);
    const a = await logMarginalLikelihood(x, { posterior, prior, likelihood, numSamples: 50, seed: 7 });
    const b = await logMarginalLikelihood(x, { encoder: () => diagonal(loc, scale), prior, likelihood, numSamples: 50, seed: 7 });
    expect(b.logLikelihood).toEqual(a.logLikelihood);
    tf.dispose([loc, scale]);
  });

  it('is memory-neutral', async () => {
    const encoder = (data: tf.Tensor) => diagonal(tf.div(data, 2), tf.fill(data.shape, Math.SQRT1_2));
    await expectMemoryNeutral(() => logMarginalLikelihood(x, { encoder, prior, likelihood, numSamples: 40, chunkSize: 16, seed: 3 }));
  });

  it('rejects bad options before sampling, naming them', async () => {
    const encoder = (data: tf.Tensor) => diagonal(tf.div(data, 2), tf.fill(data.shape, 1));
    await expect(logMarginalLikelihood(x, { encoder, prior, likelihood, numSamples: 0 })).rejects.toThrow(
      /logMarginalLikelihood: numSamples must be/,
    );
    await expect(logMarginalLikelihood(x, { encoder, prior, likelihood, chunkSize: 1.5 })).rejects.toThrow(
      /logMarginalLikelihood: chunkSize must be/,
    );
    await expect(logMarginalLikelihood(x, { encoder, prior, likelihood, seed: 0.5 })).rejects.toThrow(
      /logMarginalLikelihood: seed must be a safe integer/,
    );
    await expect(logMarginalLikelihood(x, { prior, likelihood })).rejects.toThrow(
      /posterior or encoder must be given \(exactly one of them\)/,
    );
    const posterior = encoder(x);
    await expect(logMarginalLikelihood(x, { posterior, encoder, prior, likelihood })).rejects.toThrow(/exactly one of them/);
    await expect(logMarginalLikelihood(x, null as never)).rejects.toThrow(/options must be an object/);
  });
});
