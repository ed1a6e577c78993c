// Seed 0 is a seed like any other: tfjs-core reads a seed of 0 as "no seed", so without care every
// sampler would give new numbers on each call with seed 0. Checked on both test backends.
import * as tf from '@tensorflow/tfjs-core';
import * as samplers from '@vae/samplers';
import { tfjsSeed } from '../src/seed.js';

// Every sampler the package exports, keyed by its export name (the last test checks none is missing).
const draws: [keyof typeof samplers, (seed: number) => tf.Tensor][] = [
  ['standardNormal', (seed) => samplers.standardNormal([20], seed)],
  ['uniform', (seed) => samplers.uniform([20], seed)],
  ['gumbel', (seed) => samplers.gumbel([20], seed)],
  ['normalSample', (seed) => samplers.normalSample(1, 2, [20], seed)],
  ['laplaceSample', (seed) => samplers.laplaceSample(1, 2, [20], seed)],
  ['logisticSample', (seed) => samplers.logisticSample(1, 2, [20], seed)],
  ['bernoulliSample', (seed) => samplers.bernoulliSample(0.2, [64], seed)],
  ['categoricalSample', (seed) => samplers.categoricalSample([0.1, 2, -1], [64], seed)],
  ['relaxedBernoulliSample', (seed) => samplers.relaxedBernoulliSample(0.3, 0.5, [20], seed)],
  ['relaxedOneHotSample', (seed) => samplers.relaxedOneHotSample([0.1, 2, -1], 0.5, [20], seed)],
  ['kumaraswamySample', (seed) => samplers.kumaraswamySample(2, 3, [20], seed)],
  ['kumaraswamyLogSample', (seed) => samplers.kumaraswamyLogSample(2, 3, [20], seed)],
  ['gammaSample', (seed) => samplers.gammaSample([0.3, 4], 1, [10, 2], seed)],
  ['gammaLogSample', (seed) => samplers.gammaLogSample([0.3, 4], 1, [10, 2], seed)],
  ['betaSample', (seed) => samplers.betaSample(2, 0.5, [20], seed)],
  ['dirichletSample', (seed) => samplers.dirichletSample([0.5, 1, 2], [10], seed)],
  ['uniformSphereSample', (seed) => samplers.uniformSphereSample(4, [10], seed)],
  ['vonMisesFisherSample', (seed) => samplers.vonMisesFisherSample([0, 0.6, 0.8], 10, [10], seed)],
  ['vonMisesFisherSampleWithCorrection', (seed) => samplers.vonMisesFisherSampleWithCorrection([0, 0.6, 0.8], 10, [10], seed).sample],
  ['vonMisesSample', (seed) => samplers.vonMisesSample(0.5, 4, [20], seed)],
  ['poissonSample', (seed) => samplers.poissonSample(3, [64], seed)],
  ['powerSphericalSample', (seed) => samplers.powerSphericalSample([0.6, 0.8, 0, 0], 10, [10], seed)],
];

function values(draw: () => tf.Tensor): number[] {
  const t = tf.tidy(draw);
  const out = Array.from(t.dataSync());
  t.dispose();
  return out;
}

describe.each(['cpu', 'wasm'])('seed 0 on the %s backend', (backend) => {
  let previous: string;
  beforeAll(async () => {
    previous = tf.getBackend();
    await tf.setBackend(backend);
  });
  afterAll(async () => {
    await tf.setBackend(previous);
  });
  it.each(draws)('%s repeats exactly with seed 0, and seed 0 differs from seed 1', (_name, draw) => {
    const first = values(() => draw(0));
    expect(values(() => draw(0))).toEqual(first);
    expect(values(() => draw(1))).not.toEqual(first);
  });
});

// Exported functions that take a seed but draw nothing.
const NOT_SAMPLERS = ['checkSeed', 'mixSeed', 'resolveSeed', 'splitSeed', 'gammaLogSampleDerivative'];

it('covers every sampler the package exports', () => {
  const exported = Object.entries(samplers)
    .filter(([name, value]) => typeof value === 'function' && !NOT_SAMPLERS.includes(name))
    .map(([name]) => name);
  expect(draws.map(([name]) => name).sort()).toEqual(exported.sort());
});

describe('tfjsSeed', () => {
  it('keeps every non-zero seed and maps 0 to a number no safe-integer seed equals', () => {
    expect(tfjsSeed(5)).toBe(5);
    expect(tfjsSeed(-3)).toBe(-3);
    const zero = tfjsSeed(0);
    expect(zero).not.toBe(0);
    expect(Number.isSafeInteger(zero)).toBe(false);
    expect(() => tfjsSeed(0.5)).toThrow(/tfjsSeed: seed must be a safe integer/);
  });
});
