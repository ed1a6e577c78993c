// The argument checks and helpers every estimator in this package shares. (The file is named
// internal.ts; if it is renamed, this test moves with it.)
import * as tf from '@tensorflow/tfjs-core';
import { Bernoulli, Independent, Normal } from '@vae/distributions';
import { StandardNormalPrior } from '@vae/priors';
import { checkCount, checkEstimator, checkSeed, checkTerms, logProbPathOnly, priorDistribution, reconstructionLogProb, subSeed } from './internal.js';

const diag = (loc: number[][], scale = 1) => new Independent({ distribution: new Normal({ loc, scale }), reinterpretedBatchNdims: 1 });

describe('checkTerms', () => {
  it('returns x as float32 when the terms fit together', () => {
    const posterior = diag([[0, 0], [1, 1]]);
    const x = checkTerms({ x: [[1, 2, 3], [4, 5, 6]], posterior, prior: new StandardNormalPrior({ latentDim: 2 }), likelihood: () => posterior }, 'f');
    expect([x.dtype, x.shape]).toEqual(['float32', [2, 3]]);
  });

  it('names each bad term', () => {
    const posterior = diag([[0, 0]]);
    const prior = new Normal({ loc: 0, scale: 1 });
    const likelihood = () => posterior;
    expect(() => checkTerms(null as never, 'f')).toThrow('f: terms must be an object { x, posterior, prior, likelihood }; got null');
    expect(() => checkTerms({ x: [[1]], posterior: tf.zeros([1]) as never, prior, likelihood }, 'f')).toThrow('f: posterior must be a Distribution (q(z | x)); got a tensor of shape [1]');
    expect(() => checkTerms({ x: [[1]], posterior, prior: {} as never, likelihood }, 'f')).toThrow('f: prior must be a Prior (from @vae/priors) or a Distribution; got an object');
    expect(() => checkTerms({ x: [[1]], posterior, prior, likelihood: 3 as never }, 'f')).toThrow(/f: likelihood must be a function .*; got number/);
    expect(() => checkTerms({ x: [[1]], posterior: new Normal({ loc: 0, scale: 1 }), prior, likelihood }, 'f')).toThrow(/posterior must be batched over examples: batch shape \[B\].*got batch shape \[\]/);
    expect(() => checkTerms({ x: [[1], [2]], posterior, prior, likelihood }, 'f')).toThrow(/x must be batched like the posterior: shape \[B, \.\.\.\] with B = 1.*got shape \[2,1\]/);
  });
});

describe('checkCount, checkSeed, checkEstimator', () => {
  it('accept good values and name bad ones', () => {
    expect(() => checkCount(1, 'numSamples', 1, 'f')).not.toThrow();
    expect(() => checkCount(0, 'numSamples', 1, 'f')).toThrow('f: numSamples must be an integer >= 1; got 0');
    expect(() => checkCount(1.5, 'k', 1, 'f')).toThrow('f: k must be an integer >= 1; got 1.5');
    expect(() => checkSeed(undefined, 'f')).not.toThrow();
    expect(() => checkSeed(0, 'f')).not.toThrow();
    expect(() => checkSeed(0.5, 'f')).toThrow('f: seed must be an integer; got 0.5');
    const q = diag([[0, 0]]);
    expect(() => checkEstimator('stl', ['reparameterized', 'stl'], q, 'f')).not.toThrow();
    expect(() => checkEstimator('dreg', ['reparameterized', 'stl'], q, 'f')).toThrow("f: gradientEstimator must be one of 'reparameterized', 'stl'; got dreg");
    expect(() => checkEstimator('stl', ['stl'], new Bernoulli({ probs: [0.5] }), 'f')).toThrow("f: posterior must be reparameterized (with rsample) for the 'stl' gradient estimator; Bernoulli has no rsample()");
  });
});

describe('priorDistribution', () => {
  it("resolves a Prior to its distribution and checks it matches the posterior's event shape", () => {
    const q = diag([[0, 0]]);
    const prior = new StandardNormalPrior({ latentDim: 2 });
    expect(priorDistribution(prior, q, 'f').eventShape).toEqual([2]);
    expect(() => priorDistribution(new StandardNormalPrior({ latentDim: 3 }), q, 'f')).toThrow(/f: prior must be a distribution over the posterior's event shape \[2\]; .* has event shape \[3\]/);
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
    x = tf.tensor2d([[1, 0], [0, 1]]);
  });

  it('returns log p(x | z) shaped [S, B], broadcasting a likelihood without the sample axis', () => {
    const full = reconstructionLogProb(() => new Independent({ distribution: new Bernoulli({ logits: tf.zeros([4, 2, 2]) }), reinterpretedBatchNdims: 1 }), z, x, 'f');
    expect(full.shape).toEqual([4, 2]);
    expect(full.dataSync()[0]).toBeCloseTo(2 * Math.log(0.5), 6);
    const broadcast = reconstructionLogProb(() => new Independent({ distribution: new Bernoulli({ logits: tf.zeros([2, 2]) }), reinterpretedBatchNdims: 1 }), z, x, 'f');
    expect(broadcast.shape).toEqual([4, 2]);
  });

  it('names the likelihood when it returns something else or a distribution of the wrong shape', () => {
    expect(() => reconstructionLogProb(() => tf.zeros([1]) as never, z, x, 'f')).toThrow('f: likelihood must be a function returning a Distribution; it returned a tensor of shape [1]');
    expect(() => reconstructionLogProb(() => new Bernoulli({ logits: tf.zeros([4, 2, 2]) }), z, x, 'f')).toThrow(/f: likelihood must be a function returning p\(x \| z\) with batch shape \[S, B\] = \[4, 2\].*logProb\(x\) has shape \[4,2,2\]/);
  });
});

describe('subSeed', () => {
  it('derives distinct non-negative 31-bit seeds per index, deterministically, and keeps undefined', () => {
    expect(subSeed(undefined, 3)).toBeUndefined();
    const seeds = Array.from({ length: 100 }, (_, i) => subSeed(0, i)!);
    expect(new Set(seeds).size).toBe(100);
    seeds.forEach((s) => expect(Number.isInteger(s) && s >= 0 && s < 2 ** 31).toBe(true));
    expect(subSeed(0, 5)).toBe(seeds[5]);
    expect(subSeed(1, 5)).not.toBe(seeds[5]);
  });
});
