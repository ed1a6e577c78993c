// The argument checks and helpers every estimator in this package shares (seeds are checked by
// @vae/samplers' checkSeed, the terms by model-terms.ts).
import * as tf from '@tensorflow/tfjs-core';
import { Bernoulli, Independent, Normal } from '@vae/distributions';
import { StandardNormalPrior } from '@vae/priors';
import { checkCount, checkEstimator, logProbPathOnly, priorDistribution, reconstructionLogProb } from './internal.js';

const diag = (loc: number[][], scale = 1) => new Independent({ distribution: new Normal({ loc, scale }), reinterpretedBatchNdims: 1 });

describe('checkCount, checkEstimator', () => {
  it('accept good values and name bad ones', () => {
    expect(() => checkCount(1, 'numSamples', 1, 'f')).not.toThrow();
    expect(() => checkCount(0, 'numSamples', 1, 'f')).toThrow('f: numSamples must be an integer >= 1; got 0');
    expect(() => checkCount(1.5, 'k', 1, 'f')).toThrow('f: k must be an integer >= 1; got 1.5');
    const q = diag([[0, 0]]);
    expect(() => checkEstimator('stl', ['reparameterized', 'stl'], q, 'f')).not.toThrow();
    expect(() => checkEstimator('dreg', ['reparameterized', 'stl'], q, 'f')).toThrow(
      "f: gradientEstimator must be one of 'reparameterized', 'stl'; got dreg",
    );
    expect(() => checkEstimator('stl', ['stl'], new Bernoulli({ probs: [0.5] }), 'f')).toThrow(
      "f: posterior must be reparameterized (with rsample) for the 'stl' gradient estimator; Bernoulli has no rsample()",
    );
  });
});

describe('priorDistribution', () => {
  it("resolves a Prior to its distribution and checks it matches the posterior's event shape", () => {
    const q = diag([[0, 0]]);
    const prior = new StandardNormalPrior({ latentDim: 2 });
    expect(priorDistribution(prior, q, 'f').eventShape).toEqual([2]);
    expect(() => priorDistribution(new StandardNormalPrior({ latentDim: 3 }), q, 'f')).toThrow(
      /f: prior must be a distribution over the posterior's event shape \[2\]; .* has event shape \[3\]/,
    );
  });
});

describe('logProbPathOnly', () => {
  it("has log q(z)'s value and only its path gradient (the score term removed)", () => {
    // q = N(m, 1), z = m + eps: log q(z) = -eps^2 / 2 - log(2 pi) / 2 has total derivative 0 in m,
    // the sum of the path term d log q / dz * dz/dm = -(z - m) = -eps and the score term +eps.
    const eps = tf.tensor1d([0.3, -1.2]);
    const m = tf.tensor1d([0.5, 2]);
    const pathOnly = (loc: tf.Tensor) => tf.sum(logProbPathOnly(new Normal({ loc, scale: 1 }), tf.add(loc, eps)));
    const plain = (loc: tf.Tensor) => tf.sum(new Normal({ loc, scale: 1 }).logProb(tf.add(loc, eps)));
    const expected = [0.3, -1.2].reduce((s, e) => s - (e * e) / 2 - 0.5 * Math.log(2 * Math.PI), 0);
    expect(pathOnly(m).dataSync()[0]).toBeCloseTo(expected, 5);
    const dPath = Array.from(tf.grad(pathOnly)(m).dataSync());
    expect(dPath[0]).toBeCloseTo(-0.3, 6);
    expect(dPath[1]).toBeCloseTo(1.2, 6);
    Array.from(tf.grad(plain)(m).dataSync()).forEach((g) => expect(Math.abs(g)).toBeLessThan(1e-6));
  });
});

describe('reconstructionLogProb', () => {
  let z: tf.Tensor;
  let x: tf.Tensor;
  beforeAll(() => {
    z = tf.zeros([4, 2, 3]); // S = 4, B = 2
    x = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
  });

  it('returns log p(x | z) shaped [S, B], broadcasting a likelihood without the sample axis', () => {
    const full = reconstructionLogProb(
      () => new Independent({ distribution: new Bernoulli({ logits: tf.zeros([4, 2, 2]) }), reinterpretedBatchNdims: 1 }),
      z,
      x,
      'f',
    );
    expect(full.shape).toEqual([4, 2]);
    expect(full.dataSync()[0]).toBeCloseTo(2 * Math.log(0.5), 6);
    const broadcast = reconstructionLogProb(
      () => new Independent({ distribution: new Bernoulli({ logits: tf.zeros([2, 2]) }), reinterpretedBatchNdims: 1 }),
      z,
      x,
      'f',
    );
    expect(broadcast.shape).toEqual([4, 2]);
  });

  it('names the likelihood when it returns something else or a distribution of the wrong shape', () => {
    expect(() => reconstructionLogProb(() => tf.zeros([1]) as never, z, x, 'f')).toThrow(
      'f: likelihood must be a function returning a Distribution; it returned a tensor of shape [1]',
    );
    expect(() => reconstructionLogProb(() => new Bernoulli({ logits: tf.zeros([4, 2, 2]) }), z, x, 'f')).toThrow(
      /f: likelihood must be a function returning p\(x \| z\) with batch shape \[S, B\] = \[4, 2\].*logProb\(x\) has shape \[4,2,2\]/,
    );
  });
});
