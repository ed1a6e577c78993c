import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { fusedAdam } from '@vae/backends';
import { linearWarmup } from '@vae/elbo';
import { InvalidArgumentError } from '@vae/math';
import { mixSeed } from '@vae/samplers';
import { loadCheckpoint, saveCheckpoint, saveModel } from './checkpoint.js';
import type { TrainingState } from './checkpoint.js';
import { batchTensor, binarizeImages } from './data.js';
import type { BinarizeMode, DatasetSplit, ImageDataset } from './data.js';
import { MnistVae } from './model.js';
import type { VaeLossOptions, VaeConfig } from './model.js';
import { ProgressBar } from './progress.js';
import { Rng } from './rng.js';

/**
 * The seed of the test set's one binarization: fixed, so every run is scored on the same bits.
 */
export const TEST_BINARIZATION_SEED = 20131220;

/** Options of {@link trainVae}. */
export interface TrainOptions {
  /** Epochs to train in total (a resumed run continues up to this many). Default 10. */
  epochs?: number;
  /** Examples per step (default 128). */
  batchSize?: number;
  /** Adam's learning rate (default 3e-4). */
  learningRate?: number;
  /** `'analytic'` KL where registered (default) or `'monteCarlo'`. */
  kl?: 'analytic' | 'monteCarlo';
  /** KL weight after warm-up (default 1). */
  beta?: number;
  /** Epochs of linear KL warm-up from 0 to `beta` (default 0: none). */
  annealEpochs?: number;
  /** Free bits, in nats of batch-mean KL (default 0). */
  freeBits?: number;
  /** Train on the IWAE bound with this many samples (default 1: the ELBO). */
  iwaeK?: number;
  /** Seed of everything random: initial weights, shuffles, binarization, posterior samples. Default 0. */
  seed?: number;
  /** `'dynamic'` (default: redrawn each epoch), `'static'` (drawn once) or `'none'` (grey levels). */
  binarize?: BinarizeMode;
  /** Directory for metrics.jsonl, checkpoint.ckpt and the final model (optional). */
  outDir?: string;
  /** Continue from `outDir/checkpoint.ckpt` if it exists. */
  resume?: boolean;
  /** Only this many training examples (the first ones; for quick runs and tests). */
  maxTrainExamples?: number;
  /** Only this many test examples are scored each epoch. */
  maxTestExamples?: number;
  /** Called after each epoch (after its checkpoint is written) with the epoch's metrics. */
  onEpochEnd?: (metrics: EpochMetrics) => void;
  /** Where the progress bar goes (default stderr; `null` for silence). */
  progress?: { write(s: string): boolean; isTTY?: boolean } | null;
}

/** One line of metrics.jsonl: the averages of one epoch. */
export interface EpochMetrics {
  /** The epoch (1-based). */
  epoch: number;
  /** Optimizer steps so far. */
  step: number;
  /** Mean training loss (the objective minimized: -ELBO with beta and free bits, or -IWAE). */
  loss: number;
  /** Mean training ELBO per example (nats). */
  elbo: number;
  /** Mean training reconstruction term E_q[log p(x|z)]. */
  reconstruction: number;
  /** Mean training KL(q(z|x) || p(z)). */
  kl: number;
  /** The KL weight at the end of the epoch. */
  beta: number;
  /** Test-set ELBO (one sample per example, fixed seed). */
  testElbo: number;
  /** Test-set reconstruction term. */
  testReconstruction: number;
  /** Test-set KL. */
  testKl: number;
  /** Training throughput. */
  examplesPerSecond: number;
  /** Wall time of the epoch's training steps. */
  seconds: number;
}

/** What {@link trainVae} returns. */
export interface TrainResult {
  /** The trained model (the caller disposes it). */
  model: MnistVae;
  /** Metrics of every epoch, including those before a resume. */
  metrics: EpochMetrics[];
}

interface ResolvedTrainOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  kl: 'analytic' | 'monteCarlo';
  beta: number;
  annealEpochs: number;
  freeBits: number;
  iwaeK: number;
  seed: number;
  binarize: BinarizeMode;
  maxTrainExamples: number;
  maxTestExamples: number;
}

function resolveTrainOptions(o: TrainOptions): ResolvedTrainOptions {
  const r: ResolvedTrainOptions = {
    epochs: o.epochs ?? 10,
    batchSize: o.batchSize ?? 128,
    learningRate: o.learningRate ?? 3e-4,
    kl: o.kl ?? 'analytic',
    beta: o.beta ?? 1,
    annealEpochs: o.annealEpochs ?? 0,
    freeBits: o.freeBits ?? 0,
    iwaeK: o.iwaeK ?? 1,
    seed: o.seed ?? 0,
    binarize: o.binarize ?? 'dynamic',
    maxTrainExamples: o.maxTrainExamples ?? Infinity,
    maxTestExamples: o.maxTestExamples ?? Infinity,
  };
  const ctx = 'trainVae';
  const int = (name: string, v: number, min: number) => {
    if (!Number.isInteger(v) || v < min) throw new InvalidArgumentError(name, `an integer >= ${min}`, `got ${v}`, ctx);
  };
  int('epochs', r.epochs, 0);
  int('batchSize', r.batchSize, 1);
  int('iwaeK', r.iwaeK, 1);
  int('seed', r.seed, 0);
  if (r.maxTrainExamples !== Infinity) int('maxTrainExamples', r.maxTrainExamples, 1);
  if (r.maxTestExamples !== Infinity) int('maxTestExamples', r.maxTestExamples, 1);
  if (!(r.learningRate > 0)) throw new InvalidArgumentError('learningRate', 'positive (> 0)', `got ${r.learningRate}`, ctx);
  if (!(r.beta >= 0)) throw new InvalidArgumentError('beta', 'non-negative (>= 0)', `got ${r.beta}`, ctx);
  if (!(r.annealEpochs >= 0)) throw new InvalidArgumentError('annealEpochs', 'non-negative (>= 0)', `got ${r.annealEpochs}`, ctx);
  if (!(r.freeBits >= 0)) throw new InvalidArgumentError('freeBits', 'non-negative (>= 0)', `got ${r.freeBits}`, ctx);
  if (r.kl !== 'analytic' && r.kl !== 'monteCarlo')
    throw new InvalidArgumentError('kl', "'analytic' or 'monteCarlo'", `got ${String(r.kl)}`, ctx);
  if (!['dynamic', 'static', 'none'].includes(r.binarize))
    throw new InvalidArgumentError('binarize', "'dynamic', 'static' or 'none'", `got ${String(r.binarize)}`, ctx);
  return r;
}

/**
 * The test inputs every evaluation uses: binarized once with a fixed seed (so every run is scored
 * on the same bits), or grey levels for `binarize: 'none'`.
 *
 * @remarks
 * With `maxExamples` below the test set's size, evenly spaced images are taken (image
 * floor(i n / m) for i < m), so a subset of the embedded split, which is ordered by digit, still
 * holds every digit.
 *
 * @param test - the test set
 * @param binarize - the model's input mode
 * @param maxExamples - at most this many images (default all)
 * @returns the inputs (flat), their labels and their count
 */
export function testInputs(
  test: ImageDataset,
  binarize: BinarizeMode,
  maxExamples = Infinity,
): { images: Float32Array; labels: Uint8Array; count: number } {
  const pixels = test.rows * test.cols;
  const all = binarize === 'none' ? test.images.slice() : binarizeImages(test.images, 'static', TEST_BINARIZATION_SEED);
  if (!(maxExamples < test.count)) return { images: all, labels: test.labels.slice(), count: test.count };
  const count = Math.max(0, Math.floor(maxExamples));
  const images = new Float32Array(count * pixels);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const j = Math.floor((i * test.count) / count);
    images.set(all.subarray(j * pixels, (j + 1) * pixels), i * pixels);
    labels[i] = test.labels[j];
  }
  return { images, labels, count };
}

/**
 * Mean ELBO, reconstruction and KL over a set of inputs, in batches.
 * @param model - the model
 * @param images - flat inputs, `count * inputDim`
 * @param count - number of inputs
 * @param options - KL mode, samples and seed
 * @returns the means
 */
export function meanElbo(
  model: MnistVae,
  images: Float32Array,
  count: number,
  options: VaeLossOptions = {},
): { elbo: number; reconstruction: number; kl: number } {
  const pixels = model.config.inputDim;
  const order = Uint32Array.from({ length: count }, (_, i) => i);
  const sums = [0, 0, 0];
  const batch = 500;
  for (let start = 0; start < count; start += batch) {
    const size = Math.min(batch, count - start);
    const values = tf.tidy(() => {
      const x = batchTensor(images, pixels, order, start, size);
      const t = model.elboTerms(x, { ...options, seed: mixSeed(options.seed ?? 0, start) & 0x7fffffff });
      return tf.stack([tf.sum(t.elbo), tf.sum(t.reconstruction), tf.sum(t.kl)]);
    });
    const v = values.dataSync();
    values.dispose();
    for (let i = 0; i < 3; i++) sums[i] += v[i];
  }
  return { elbo: sums[0] / count, reconstruction: sums[1] / count, kl: sums[2] / count };
}

function sameOptions(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const ignore = new Set(['epochs']);
  return Object.keys({ ...a, ...b }).filter((k) => !ignore.has(k) && JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

/** Options of {@link trainingStep}. */
export interface TrainingStepOptions {
  /** `'analytic'` KL where registered (default) or `'monteCarlo'`. */
  kl?: 'analytic' | 'monteCarlo';
  /** KL weight of this step (default 1). */
  beta?: number;
  /** Free bits, in nats of batch-mean KL per latent dimension (default 0). */
  freeBits?: number;
  /** Minimize the IWAE bound with this many samples instead of the ELBO (default 1: the ELBO). */
  iwaeK?: number;
  /** Seed of the posterior samples. */
  seed?: number;
  /** The variables to update, in the optimizer's order (default `model.trainableVariables`). */
  variables?: tf.Variable[];
}

/** What one {@link trainingStep} measured, as numbers (batch means). */
export interface TrainingStepResult {
  /** The objective minimized: -ELBO with beta and free bits, or -IWAE. */
  loss: number;
  /** Mean ELBO of the batch (unweighted). */
  elbo: number;
  /** Mean reconstruction term E_q[log p(x|z)]. */
  reconstruction: number;
  /** Mean KL(q(z|x) || p(z)). */
  kl: number;
}

/**
 * One optimizer step on one batch: the loss and its gradients with respect to every weight, the
 * update, and one read-back of the batch's loss and ELBO terms.
 *
 * @remarks
 * Minimizes -mean(recon - beta * max(KL, freeBits)) (see {@link MnistVae.loss}), or
 * -mean(IWAE_k) when `iwaeK > 1`. This is the step {@link trainVae} runs and the benchmark harness
 * times; it is memory-neutral (the caller keeps and disposes `x`).
 *
 * @param model - the model to train
 * @param optimizer - any tfjs optimizer ({@link trainVae} uses `fusedAdam` from `@vae/backends`, which
 * is `tf.train.adam` with a one-kernel update per variable on wasm)
 * @param x - a batch of images, `[batch, inputDim]`
 * @param options - KL mode, beta, free bits, IWAE samples, seed and variables
 * @returns the batch's loss, ELBO, reconstruction and KL (scalars read back from the device)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { MnistVae, trainingStep } from '@vae/mnist-vae';
 * const vae = new MnistVae({ seed: 1 });
 * const optimizer = tf.train.adam(1e-3);
 * const x = tf.zeros([4, 784]);
 * const first = trainingStep(vae, optimizer, x, { seed: 1 });
 * const second = trainingStep(vae, optimizer, x, { seed: 1 });
 * console.log(second.loss < first.loss); // true
 * tf.dispose([x, optimizer]);
 * vae.dispose();
 * ```
 */
export function trainingStep(
  model: MnistVae,
  optimizer: tf.Optimizer,
  x: tf.Tensor,
  options: TrainingStepOptions = {},
): TrainingStepResult {
  const variables = options.variables ?? model.trainableVariables;
  const iwaeK = options.iwaeK ?? 1;
  const summary = tf.tidy(() => {
    // Kept: variableGrads disposes everything its function made except the loss.
    let parts: tf.Tensor | undefined;
    const { value, grads } = tf.variableGrads(() => {
      if (iwaeK > 1) {
        const bound = model.iwaeBound(x, iwaeK, options.seed);
        const terms = model.elboTerms(x, { kl: options.kl, seed: options.seed });
        parts = tf.keep(tf.stack([tf.mean(terms.elbo), tf.mean(terms.reconstruction), tf.mean(terms.kl)]));
        return tf.neg(tf.mean(bound)) as tf.Scalar;
      }
      const r = model.loss(x, { kl: options.kl, beta: options.beta, freeBits: options.freeBits, seed: options.seed });
      // One reduction over the three stacked terms, not three.
      parts = tf.keep(tf.mean(tf.stack([r.terms.elbo, r.terms.reconstruction, r.terms.kl]), 1));
      return r.loss;
    }, variables);
    // In the variables' own order (an object's integer-like keys would come first), so the Adam
    // moments line up with `model.trainableVariables` in checkpoints.
    optimizer.applyGradients(variables.map((v) => ({ name: v.name, tensor: grads[v.name] })));
    const all = tf.concat([tf.reshape(value, [1]), parts!]);
    parts!.dispose();
    return all;
  });
  // One read-back per step: each one waits for the device.
  const [loss, elbo, reconstruction, kl] = summary.dataSync();
  summary.dispose();
  return { loss, elbo, reconstruction, kl };
}

/**
 * Trains the MNIST VAE with Adam (`fusedAdam` from `@vae/backends`), writing metrics and a
 * checkpoint each epoch when `outDir` is given, and the final model (`model/model.json` +
 * `weights.bin`) at the end.
 *
 * @remarks
 * Each epoch: the training images are (re)binarized (dynamic: x ~ Bernoulli(pixel) with seed
 * mix(seed, epoch)), shuffled with a seeded permutation and fed in batches built from a
 * Float32Array; each step minimizes -(recon - beta_t * max(KL, freeBits)) (or the negative IWAE
 * bound when `iwaeK > 1`) where beta_t rises linearly over `annealEpochs`. Every random draw is a
 * pure function of (seed, epoch, step), so `resume` reproduces the uninterrupted run's losses (to
 * float rounding: Adam's bias corrections are recomputed from the step count). Checkpoints are
 * written atomically after each epoch; then a metrics line is appended.
 *
 * @param data - training and test sets
 * @param modelConfig - the model's configuration (when resuming, the checkpoint's is used, and a
 * field given here that differs from it is an error)
 * @param options - training options
 * @returns the model and the per-epoch metrics
 *
 * @example
 * ```ts
 * import { loadEmbeddedMnist, trainVae } from '@vae/mnist-vae';
 * const data = await loadEmbeddedMnist();
 * const { model, metrics } = await trainVae(data, { latentDim: 2 }, { epochs: 1, maxTrainExamples: 256, maxTestExamples: 100, progress: null });
 * console.log(metrics[0].elbo < 0); // true
 * model.dispose();
 * ```
 */
export async function trainVae(data: DatasetSplit, modelConfig: Partial<VaeConfig>, options: TrainOptions = {}): Promise<TrainResult> {
  const o = resolveTrainOptions(options);
  const out = options.outDir;
  const ckptFile = out ? join(out, 'checkpoint.ckpt') : undefined;
  const metricsFile = out ? join(out, 'metrics.jsonl') : undefined;
  if (out) mkdirSync(out, { recursive: true });
  const storedOptions: Record<string, unknown> = JSON.parse(JSON.stringify(o, (_k, v) => (v === Infinity ? null : v)));

  let model: MnistVae;
  let state: TrainingState;
  // tf.train.adam's update, as one fused kernel per variable on wasm (@vae/backends).
  const optimizer = fusedAdam(o.learningRate);
  let metrics: EpochMetrics[] = [];
  if (options.resume && ckptFile && existsSync(ckptFile)) {
    const loaded = await loadCheckpoint(ckptFile);
    const differs = sameOptions(loaded.state.options, storedOptions);
    if (differs.length || loaded.state.dataSource !== data.source) {
      loaded.model.dispose();
      tf.dispose(loaded.optimizerWeights.map((w) => w.tensor));
      optimizer.dispose();
      throw new Error(
        `--resume: ${ckptFile} was written with different ${
          differs.length ? `options (${differs.join(', ')})` : `data (${loaded.state.dataSource})`
        }; use the same options or another --out`,
      );
    }
    const stored = loaded.model.config as unknown as Record<string, unknown>;
    const clash = Object.entries(modelConfig).find(
      ([k, v]) => v !== undefined && k !== 'seed' && JSON.stringify(v) !== JSON.stringify(stored[k]),
    );
    if (clash) {
      loaded.model.dispose();
      tf.dispose(loaded.optimizerWeights.map((w) => w.tensor));
      optimizer.dispose();
      throw new InvalidArgumentError(
        clash[0],
        `the checkpoint's ${JSON.stringify(stored[clash[0]])} when resuming (${ckptFile})`,
        `got ${JSON.stringify(clash[1])}`,
        'trainVae',
      );
    }
    model = loaded.model;
    state = loaded.state;
    if (loaded.optimizerWeights.length) await optimizer.setWeights(loaded.optimizerWeights);
    if (metricsFile && existsSync(metricsFile)) {
      metrics = readFileSync(metricsFile, 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as EpochMetrics)
        .filter((m) => m.epoch <= state.epoch);
      writeFileSync(metricsFile, metrics.map((m) => JSON.stringify(m) + '\n').join(''));
    }
  } else {
    model = new MnistVae({
      likelihood: o.binarize === 'none' ? 'continuous-bernoulli' : 'bernoulli',
      ...modelConfig,
      seed: modelConfig.seed ?? o.seed,
    });
    state = { epoch: 0, step: 0, seed: o.seed, options: storedOptions, dataSource: data.source };
    if (metricsFile) writeFileSync(metricsFile, '');
  }

  const train = data.train;
  const pixels = train.rows * train.cols;
  if (pixels !== model.config.inputDim)
    throw new Error(`the data's images have ${pixels} pixels, the model expects ${model.config.inputDim}`);
  const count = Math.min(train.count, o.maxTrainExamples);
  const grey = train.images.subarray(0, count * pixels);
  const staticBits = o.binarize === 'static' ? binarizeImages(grey, 'static', mixSeed(o.seed, 0x57a7)) : undefined;
  const test = testInputs(data.test, o.binarize, o.maxTestExamples);
  const stepsPerEpoch = Math.ceil(count / o.batchSize);
  const vars = model.trainableVariables;
  const schedule =
    o.annealEpochs > 0
      ? linearWarmup({ warmupSteps: Math.max(1, Math.round(o.annealEpochs * stepsPerEpoch)), start: 0, end: o.beta })
      : () => o.beta;
  const progress = options.progress === undefined ? process.stderr : options.progress;
  // The bar names the objective: -elbo, -iwae<k>, or the weighted loss, with -elbo beside the others.
  const objective = o.iwaeK > 1 ? `-iwae${o.iwaeK}` : o.beta !== 1 || o.freeBits > 0 || o.annealEpochs > 0 ? 'loss' : '-elbo';
  const fields = (loss: number, elbo: number, rec: number, kl: number): Record<string, string> => ({
    [objective]: loss.toFixed(2),
    ...(objective === '-elbo' ? {} : { '-elbo': (-elbo).toFixed(2) }),
    rec: rec.toFixed(2),
    kl: kl.toFixed(2),
  });
  const diverged = (epoch: number, step: number, what: string) =>
    new Error(
      `training diverged at epoch ${epoch}, step ${step} (${what}) with learning rate ${o.learningRate}: ` +
        `try a smaller --lr (e.g. ${(o.learningRate / 10).toPrecision(2)})${
          o.iwaeK > 1 || o.beta !== 1 ? '' : ' or a larger --batch-size'
        }, and start again without --resume`,
    );

  try {
    for (let epoch = state.epoch + 1; epoch <= o.epochs; epoch++) {
      const inputs = o.binarize === 'dynamic' ? binarizeImages(grey, 'dynamic', mixSeed(o.seed, epoch, 2)) : (staticBits ?? grey);
      const order = new Rng(mixSeed(o.seed, epoch, 1)).permutation(count);
      const bar = progress ? new ProgressBar(`epoch ${epoch}/${o.epochs}`, stepsPerEpoch, progress) : undefined;
      const sums = { loss: 0, elbo: 0, reconstruction: 0, kl: 0, n: 0 };
      let beta = o.beta;
      const started = performance.now();
      for (let b = 0; b < stepsPerEpoch; b++) {
        const size = Math.min(o.batchSize, count - b * o.batchSize);
        const step = state.step;
        beta = schedule(step);
        const seed = mixSeed(o.seed, step, 3) & 0x7fffffff;
        const x = batchTensor(inputs, pixels, order, b * o.batchSize, size);
        let result: TrainingStepResult;
        try {
          result = trainingStep(model, optimizer, x, { kl: o.kl, beta, freeBits: o.freeBits, iwaeK: o.iwaeK, seed, variables: vars });
        } catch (e) {
          // Weights blown up by a too-large step reach a sampler as NaN or infinite parameters.
          if (/NaN|Infinity|finite/.test((e as Error).message))
            throw diverged(epoch, step + 1, `the model's outputs are no longer finite: ${(e as Error).message}`);
          throw e;
        } finally {
          x.dispose();
        }
        const lossValue = result.loss;
        const p = [result.elbo, result.reconstruction, result.kl];
        if (!Number.isFinite(lossValue)) throw diverged(epoch, step + 1, `the loss is ${lossValue}`);
        state.step++;
        sums.loss += lossValue * size;
        sums.elbo += p[0] * size;
        sums.reconstruction += p[1] * size;
        sums.kl += p[2] * size;
        sums.n += size;
        const seconds = (performance.now() - started) / 1000;
        if (bar)
          bar.update(b + 1, {
            ...fields(sums.loss / sums.n, sums.elbo / sums.n, sums.reconstruction / sums.n, sums.kl / sums.n),
            'ex/s': (sums.n / seconds).toFixed(0),
          });
      }
      const seconds = (performance.now() - started) / 1000;
      const t = meanElbo(model, test.images, test.count, { kl: o.kl, seed: 1 });
      const m: EpochMetrics = {
        epoch,
        step: state.step,
        loss: sums.loss / sums.n,
        elbo: sums.elbo / sums.n,
        reconstruction: sums.reconstruction / sums.n,
        kl: sums.kl / sums.n,
        beta,
        testElbo: t.elbo,
        testReconstruction: t.reconstruction,
        testKl: t.kl,
        examplesPerSecond: sums.n / seconds,
        seconds,
      };
      bar?.done({
        ...fields(m.loss, m.elbo, m.reconstruction, m.kl),
        'ex/s': m.examplesPerSecond.toFixed(0),
        'test elbo': m.testElbo.toFixed(2),
      });
      metrics.push(m);
      state.epoch = epoch;
      if (ckptFile) await saveCheckpoint(ckptFile, model, optimizer, state);
      if (metricsFile) appendFileSync(metricsFile, JSON.stringify(m) + '\n');
      options.onEpochEnd?.(m);
    }
    if (out)
      await saveModel(model, join(out, 'model'), {
        epochs: state.epoch,
        steps: state.step,
        dataSource: data.source,
        trainOptions: storedOptions,
      });
  } catch (e) {
    model.dispose();
    throw e;
  } finally {
    optimizer.dispose();
  }
  return { model, metrics };
}
