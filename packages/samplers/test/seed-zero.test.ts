// Seed 0 is a seed like any other: tfjs-core reads a seed of 0 as "no seed", so without care every
// sampler would give new numbers on each call with seed 0. Checked on both test backends.
import * as tf from '@tensorflow/tfjs-core';
import {
  bernoulliSample,
  betaSample,
  categoricalSample,
  dirichletSample,
  gammaLogSample,
  gammaSample,
  gumbel,
  kumaraswamyLogSample,
  kumaraswamySample,
  laplaceSample,
  logisticSample,
  normalSample,
  powerSphericalSample,
  relaxedBernoulliSample,
  relaxedOneHotSample,
  standardNormal,
  uniform,
  uniformSphereSample,
  vonMisesFisherSample,
  vonMisesFisherSampleWithCorrection,
} from '@vae/samplers';
import { tfjsSeed } from '../src/seed.js';

const samplers: [string, (seed: number) => tf.Tensor][] = [
  ['standardNormal', (seed) => standardNormal([20], seed)],
  ['uniform', (seed) => uniform([20], seed)],
  ['gumbel', (seed) => gumbel([20], seed)],
  ['normalSample', (seed) => normalSample(1, 2, [20], seed)],
  ['laplaceSample', (seed) => laplaceSample(1, 2, [20], seed)],
  ['logisticSample', (seed) => logisticSample(1, 2, [20], seed)],
  ['bernoulliSample', (seed) => bernoulliSample(0.2, [64], seed)],
  ['categoricalSample', (seed) => categoricalSample([0.1, 2, -1], [64], seed)],
  ['relaxedBernoulliSample', (seed) => relaxedBernoulliSample(0.3, 0.5, [20], seed)],
  ['relaxedOneHotSample', (seed) => relaxedOneHotSample([0.1, 2, -1], 0.5, [20], seed)],
  ['kumaraswamySample', (seed) => kumaraswamySample(2, 3, [20], seed)],
  ['kumaraswamyLogSample', (seed) => kumaraswamyLogSample(2, 3, [20], seed)],
  ['gammaSample', (seed) => gammaSample([0.3, 4], 1, [10, 2], seed)],
  ['gammaLogSample', (seed) => gammaLogSample([0.3, 4], 1, [10, 2], seed)],
  ['betaSample', (seed) => betaSample(2, 0.5, [20], seed)],
  ['dirichletSample', (seed) => dirichletSample([0.5, 1, 2], [10], seed)],
  ['uniformSphereSample', (seed) => uniformSphereSample(4, [10], seed)],
  ['vonMisesFisherSample', (seed) => vonMisesFisherSample([0, 0.6, 0.8], 10, [10], seed)],
  ['vonMisesFisherSampleWithCorrection', (seed) => vonMisesFisherSampleWithCorrection([0, 0.6, 0.8], 10, [10], seed).sample],
  ['powerSphericalSample', (seed) => powerSphericalSample([0.6, 0.8, 0, 0], 10, [10], seed)],
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
  it.each(samplers)('%s repeats exactly with seed 0, and seed 0 differs from seed 1', (_name, draw) => {
    const first = values(() => draw(0));
    expect(values(() => draw(0))).toEqual(first);
    expect(values(() => draw(1))).not.toEqual(first);
  });
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
