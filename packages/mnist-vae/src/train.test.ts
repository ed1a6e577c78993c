import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { expectMemoryNeutral } from '@vae/testing';
import { binarizeImages, loadEmbeddedMnist } from './data.js';
import type { DatasetSplit } from './data.js';
import { MnistVae } from './model.js';
import { TEST_BINARIZATION_SEED, meanElbo, testInputs, trainVae } from './train.js';

let data: DatasetSplit;
let previous: string;
beforeAll(async () => {
  data = await loadEmbeddedMnist();
  previous = tf.getBackend();
  await tf.setBackend('wasm');
});
afterAll(async () => {
  await tf.setBackend(previous);
});

const quick = { maxTrainExamples: 192, maxTestExamples: 50, batchSize: 64, progress: null } as const;

describe('trainVae', () => {
  it('lowers the loss and leaks no tensors from one epoch to the next', async () => {
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    const { model, metrics } = await trainVae(
      data,
      { seed: 3 },
      { ...quick, epochs: 3, learningRate: 1e-3, seed: 3, onEpochEnd: () => counts.push(tf.memory().numTensors) },
    );
    expect(metrics.map((m) => m.epoch)).toEqual([1, 2, 3]);
    expect(metrics[2].loss).toBeLessThan(metrics[0].loss - 20);
    expect(metrics[2].testElbo).toBeGreaterThan(metrics[0].testElbo);
    for (const m of metrics) expect(m.elbo).toBeCloseTo(m.reconstruction - m.kl, 3);
    expect(new Set(counts).size).toBe(1);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('resumed from a checkpoint, continues exactly as the uninterrupted run', async () => {
    const options = { ...quick, maxTrainExamples: 128, seed: 11, learningRate: 1e-3, annealEpochs: 1.5 };
    const whole = await trainVae(data, {}, { ...options, epochs: 2, outDir: mkdtempSync(join(tmpdir(), 'whole-')) });
    const dir = mkdtempSync(join(tmpdir(), 'part-'));
    const first = await trainVae(data, {}, { ...options, epochs: 1, outDir: dir });
    first.model.dispose();
    const resumed = await trainVae(data, {}, { ...options, epochs: 2, outDir: dir, resume: true });
    expect(resumed.metrics.map((m) => m.epoch)).toEqual([1, 2]);
    for (let e = 0; e < 2; e++) {
      for (const key of ['loss', 'reconstruction', 'kl', 'beta', 'testElbo'] as const) {
        expect(resumed.metrics[e][key]).toBeCloseTo(whole.metrics[e][key], 3);
      }
    }
    const a = whole.model.namedWeights();
    const b = resumed.model.namedWeights();
    for (let i = 0; i < a.length; i++) {
      const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(a[i].tensor, b[i].tensor))).dataSync()[0]);
      expect(diff).toBeLessThan(1e-5);
    }
    whole.model.dispose();
    resumed.model.dispose();
    // A different option is refused, naming it.
    await expect(trainVae(data, {}, { ...options, epochs: 4, beta: 2, outDir: dir, resume: true })).rejects.toThrow(
      /different options \(beta\)/,
    );
    // So is a model configuration that differs from the checkpoint's, naming the field and both values.
    await expect(trainVae(data, { latentDim: 4 }, { ...options, epochs: 4, outDir: dir, resume: true })).rejects.toThrow(
      /^trainVae: latentDim must be the checkpoint's 2 when resuming .*; got 4$/,
    );
    const before = tf.memory().numTensors;
    await expect(trainVae(data, { posterior: 'vmf' }, { ...options, epochs: 4, outDir: dir, resume: true })).rejects.toThrow(
      /posterior must be the checkpoint's "normal"/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('trains the spherical and IWAE variants', async () => {
    const vmf = await trainVae(data, { posterior: 'vmf', latentDim: 3 }, { ...quick, epochs: 1, maxTrainExamples: 64 });
    expect(Number.isFinite(vmf.metrics[0].loss)).toBe(true);
    expect(vmf.model.prior.distribution().name).toBe('HypersphericalUniform');
    vmf.model.dispose();
    const iwae = await trainVae(data, {}, { ...quick, epochs: 1, maxTrainExamples: 64, iwaeK: 4 });
    // The IWAE bound (minus the loss) is at least the ELBO in expectation; with one batch, loosely.
    expect(-iwae.metrics[0].loss).toBeGreaterThan(iwae.metrics[0].elbo - 5);
    expect(iwae.metrics[0].elbo).toBeCloseTo(iwae.metrics[0].reconstruction - iwae.metrics[0].kl, 3);
    iwae.model.dispose();
  });

  it('applies free bits: each latent dimension is charged at least the floor', async () => {
    // With a floor far above any dimension's KL, the objective is -(reconstruction - latentDim * floor).
    const floor = 10;
    const { model, metrics } = await trainVae(
      data,
      { latentDim: 2 },
      { ...quick, epochs: 1, maxTrainExamples: 128, freeBits: floor, seed: 5 },
    );
    const m = metrics[0];
    expect(m.kl).toBeLessThan(floor);
    expect(m.loss).toBeCloseTo(-m.reconstruction + 2 * floor, 2);
    model.dispose();
  });

  it('rejects bad options by name', async () => {
    await expect(trainVae(data, {}, { epochs: -1 })).rejects.toThrow(/epochs must be an integer >= 0/);
    await expect(trainVae(data, {}, { learningRate: 0 })).rejects.toThrow(/learningRate must be positive/);
    await expect(trainVae(data, {}, { binarize: 'grey' as never })).rejects.toThrow(/binarize must be/);
    await expect(trainVae(data, {}, { maxTrainExamples: 0 })).rejects.toThrow(/maxTrainExamples must be an integer >= 1; got 0/);
    await expect(trainVae(data, {}, { maxTestExamples: 2.5 })).rejects.toThrow(/maxTestExamples must be an integer >= 1; got 2.5/);
  });
});

describe('testInputs (what every evaluation scores)', () => {
  it('binarizes the test set once with the fixed seed and takes evenly spaced images, so a subset holds every digit', () => {
    const { test } = data;
    const subset = testInputs(test, 'dynamic', 10);
    expect(subset.count).toBe(10);
    const pixels = test.rows * test.cols;
    const all = binarizeImages(test.images, 'static', TEST_BINARIZATION_SEED);
    for (let i = 0; i < 10; i++) {
      const j = Math.floor((i * test.count) / 10);
      expect(subset.labels[i]).toBe(test.labels[j]);
      expect(Array.from(subset.images.subarray(i * pixels, (i + 1) * pixels))).toEqual(
        Array.from(all.subarray(j * pixels, (j + 1) * pixels)),
      );
    }
    // The embedded split is ordered by digit, so evenly spaced images cover the classes.
    expect(new Set(testInputs(test, 'dynamic', 50).labels).size).toBe(10);
    expect(Array.from(testInputs(test, 'dynamic', 10).images)).toEqual(Array.from(subset.images));
    expect(testInputs(test, 'none').images).toEqual(test.images);
  });
});

describe('meanElbo', () => {
  it('averages ELBO = reconstruction - KL over batches, the same for the same seed, without leaking', async () => {
    const vae = new MnistVae({ seed: 1 });
    const { images, count } = testInputs(data.test, 'dynamic', 6);
    const a = meanElbo(vae, images, count, { seed: 3 });
    expect(a.elbo).toBeCloseTo(a.reconstruction - a.kl, 3);
    expect(a.kl).toBeGreaterThanOrEqual(0);
    expect(meanElbo(vae, images, count, { seed: 3 })).toEqual(a);
    await expectMemoryNeutral(() => meanElbo(vae, images, count, { seed: 3 }), 'meanElbo');
    vae.dispose();
  });
});
