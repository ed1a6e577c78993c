import * as tf from '@tensorflow/tfjs-core';
import { Bernoulli, Independent, Normal } from '@vae/distributions';
import { StandardNormalPrior } from '@vae/priors';
import { expectClose, itSlow } from '@vae/testing';
import { gaussianLikelihood, iwaeBound, logMarginalLikelihood, renyiBound } from './index.js';

// Model: z ~ N(0, I_2), x | z ~ N(z, I_2), so p(x) = N(0, 2 I) and q*(z | x) = N(x / 2, I / 2).
const likelihood = (z: tf.Tensor) => gaussianLikelihood(z, { scale: 1 });
const logP = (x: number[]) => x.reduce((a, v) => a - (v * v) / 4 - 0.5 * Math.log(4 * Math.PI), 0);

describe('iwaeBound / renyiBound / logMarginalLikelihood basics', () => {
  it('at the exact posterior every bound is log p(x) for every k and alpha', async () => {
    const xs = [
      [1, -1],
      [0, 3],
    ];
    const x = tf.tensor(xs);
    const posterior = new Independent({
      distribution: new Normal({ loc: tf.div(x, 2), scale: Math.SQRT1_2, validateArgs: false }),
      reinterpretedBatchNdims: 1,
    });
    const prior = new StandardNormalPrior({ latentDim: 2 });
    const terms = { x, posterior, prior, likelihood };
    const truth = xs.map(logP);
    for (const k of [1, 7]) {
      expectClose(iwaeBound(terms, { numSamples: k, seed: k }), truth, { rtol: 1e-5 });
      expectClose(iwaeBound(terms, { numSamples: k, seed: k, gradientEstimator: 'dreg' }), truth, { rtol: 1e-5 });
      for (const alpha of [-2, 0.5, 3]) expectClose(renyiBound(terms, alpha, { numSamples: k, seed: k }), truth, { rtol: 1e-5 });
    }
    const ml = await logMarginalLikelihood(x, { posterior, prior, likelihood, numSamples: 100, chunkSize: 33, seed: 1 });
    expectClose(ml.logLikelihood, truth, { rtol: 1e-5 });
    expectClose(ml.effectiveSampleSize, [100, 100], { rtol: 1e-3 });
    expectClose(ml.meanLogLikelihood, (truth[0] + truth[1]) / 2, { rtol: 1e-5 });
    expect(ml.unreliable).toEqual([false, false]);
    prior.dispose();
  });

  itSlow('draws fewer samples per chunk by default when x is large (memory near 2^23 floats per chunk)', async () => {
    // x of 2^20 elements (2,048 images of 512 pixels): the default chunk is 2^23 / 2^20 = 8
    // samples, not 250.
    const [images, pixels] = [2048, 512];
    const x = tf.zeros([images, pixels]);
    const posterior = new Independent({ distribution: new Normal({ loc: tf.zeros([images, 1]), scale: 1 }), reinterpretedBatchNdims: 1 });
    const prior = new StandardNormalPrior({ latentDim: 1 });
    const sampleCounts: number[] = [];
    const pixelLikelihood = (z: tf.Tensor) => {
      sampleCounts.push(z.shape[0]);
      return new Independent({
        distribution: new Bernoulli({ logits: tf.zeros([1, 1, pixels]), validateArgs: false }),
        reinterpretedBatchNdims: 1,
      });
    };
    const ml = await logMarginalLikelihood(x, { posterior, prior, likelihood: pixelLikelihood, numSamples: 12, seed: 1 });
    expect(sampleCounts).toEqual([8, 4]);
    // Every pixel has probability 1/2 whatever z is, so log p(x) = pixels log(1/2) exactly.
    expectClose(ml.logLikelihood, new Array(images).fill(pixels * Math.log(0.5)), { rtol: 1e-5 });
    tf.dispose(x);
    prior.dispose();
  });

  it('rejects bad input with messages that say what is wrong', async () => {
    const x = tf.zeros([2, 2]);
    const posterior = new Independent({ distribution: new Normal({ loc: tf.zeros([2, 2]), scale: 1 }), reinterpretedBatchNdims: 1 });
    const prior = new StandardNormalPrior({ latentDim: 2 });
    const terms = { x, posterior, prior, likelihood };
    expect(() => iwaeBound(terms, { numSamples: 0 })).toThrow(/iwaeBound: numSamples must be an integer >= 1; got 0/);
    expect(() => iwaeBound({ ...terms, x: tf.zeros([5, 2]) })).toThrow(/x must be batched like the posterior/);
    expect(() => renyiBound(terms, 1)).toThrow(/alpha must be different from 1 \(alpha = 1 is the ELBO: use elbo\)/);
    expect(() => renyiBound(terms, NaN)).toThrow(/alpha must be a finite number/);
    expect(() => renyiBound(terms, 0.5, { gradientEstimator: 'dreg' as never })).toThrow(/gradientEstimator/);
    await expect(logMarginalLikelihood(x, { posterior, prior, likelihood, numSamples: 0 })).rejects.toThrow(
      /numSamples must be an integer >= 1/,
    );
    await expect(logMarginalLikelihood(x, { prior, likelihood })).rejects.toThrow(
      /posterior or encoder must be given \(exactly one of them\)/,
    );
    await expect(logMarginalLikelihood(tf.zeros([3, 2]), { posterior, prior, likelihood })).rejects.toThrow(
      /x must be batched like the posterior/,
    );
    prior.dispose();
  });
});
