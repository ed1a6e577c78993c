import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadEmbeddedMnist } from './data.js';
import type { DatasetSplit } from './data.js';
import { trainVae } from './train.js';

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
    const { model, metrics } = await trainVae(data, { seed: 3 }, { ...quick, epochs: 3, learningRate: 1e-3, seed: 3, onEpochEnd: () => counts.push(tf.memory().numTensors) });
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
    await expect(trainVae(data, {}, { ...options, epochs: 4, beta: 2, outDir: dir, resume: true })).rejects.toThrow(/different options \(beta\)/);
    // So is a model configuration that differs from the checkpoint's, naming the field and both values.
    await expect(trainVae(data, { latentDim: 4 }, { ...options, epochs: 4, outDir: dir, resume: true })).rejects.toThrow(/^trainVae: latentDim must be the checkpoint's 2 when resuming .*; got 4$/);
    const before = tf.memory().numTensors;
    await expect(trainVae(data, { posterior: 'vmf' }, { ...options, epochs: 4, outDir: dir, resume: true })).rejects.toThrow(/posterior must be the checkpoint's "normal"/);
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
    const { model, metrics } = await trainVae(data, { latentDim: 2 }, { ...quick, epochs: 1, maxTrainExamples: 128, freeBits: floor, seed: 5 });
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
