import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { selectBackend } from './backend.js';
import type { BackendChoice } from './backend.js';
import { loadModel } from './checkpoint.js';
import { loadEmbeddedMnist, readIdxDataset } from './data.js';
import type { BinarizeMode, DatasetSplit } from './data.js';
import { evaluateVae } from './evaluate.js';
import { latentCodes, manifoldPng, reconstructionsPng, samplesPng } from './images.js';
import type { MnistVae, PosteriorFamily, PriorKind } from './model.js';
import { testInputs, trainVae } from './train.js';
import type { EpochMetrics } from './train.js';

type Opt = { type: 'string' | 'boolean'; default?: string | boolean; help: string };

const COMMON: Record<string, Opt> = {
  out: { type: 'string', default: 'out', help: 'output directory (metrics, checkpoint, model/, pictures)' },
  'data-dir': { type: 'string', help: 'read MNIST/Fashion-MNIST IDX files (raw or .gz) from this directory instead of the embedded 10,000 digits' },
  backend: { type: 'string', default: 'auto', help: 'auto | wasm | cpu | tensorflow (auto: tfjs-node when installed, else wasm)' },
  help: { type: 'boolean', default: false, help: 'show this help' },
};

const TRAIN: Record<string, Opt> = {
  'latent-dim': { type: 'string', default: '2', help: 'latent dimension d (normal: R^d; vmf/power-spherical: the sphere S^{d-1} in R^d, so 3 = the 2-sphere)' },
  posterior: { type: 'string', default: 'normal', help: 'normal | vmf | power-spherical' },
  prior: { type: 'string', help: 'standard | learned | mog | vamp | spherical (default: standard, or spherical for spherical posteriors)' },
  'prior-components': { type: 'string', default: '10', help: 'mixture components (mog) or pseudo-inputs (vamp)' },
  kl: { type: 'string', default: 'analytic', help: 'analytic (closed form where registered, else Monte Carlo) | monte-carlo' },
  beta: { type: 'string', default: '1', help: 'KL weight (beta-VAE)' },
  anneal: { type: 'string', default: '0', help: 'epochs of linear KL warm-up from 0 to beta (0: none)' },
  'free-bits': { type: 'string', default: '0', help: 'free bits per latent dimension, nats (normal posterior with standard/learned prior)' },
  'iwae-k': { type: 'string', default: '1', help: 'train on the IWAE bound with k samples (1: the ELBO)' },
  epochs: { type: 'string', default: '10', help: 'epochs (in total, counting those before --resume)' },
  seed: { type: 'string', default: '0', help: 'seed of weights, shuffles, binarization and samples' },
  'batch-size': { type: 'string', default: '128', help: 'examples per step' },
  lr: { type: 'string', default: '3e-4', help: "Adam's learning rate" },
  binarize: { type: 'string', default: 'dynamic', help: 'dynamic (redrawn each epoch) | static (drawn once) | none (grey levels, continuous Bernoulli decoder)' },
  resume: { type: 'boolean', default: false, help: 'continue from <out>/checkpoint.ckpt' },
  limit: { type: 'string', help: 'use only the first N training images (quick runs)' },
};

const EVAL: Record<string, Opt> = {
  model: { type: 'string', help: 'model directory (default <out>/model)' },
  k: { type: 'string', default: '5000', help: 'importance samples per test image for log p(x)' },
  'chunk-size': { type: 'string', default: '250', help: 'importance samples per chunk' },
  grid: { type: 'string', default: '200', help: 'cells per axis of the exact integral (2-d latents)' },
  'no-exact': { type: 'boolean', default: false, help: 'skip the exact integral' },
  limit: { type: 'string', help: 'evaluate only N evenly spaced test images (every digit is represented)' },
  seed: { type: 'string', default: '1', help: 'seed of the importance samples' },
};

const SAMPLE: Record<string, Opt> = {
  model: { type: 'string', help: 'model directory (default <out>/model)' },
  rows: { type: 'string', default: '10', help: 'grid rows' },
  cols: { type: 'string', default: '10', help: 'grid columns' },
  seed: { type: 'string', default: '0', help: 'seed of the prior draws' },
  file: { type: 'string', help: 'PNG path (default <out>/samples.png)' },
};

const PLOT: Record<string, Opt> = {
  model: { type: 'string', help: 'model directory (default <out>/model)' },
  grid: { type: 'string', default: '20', help: 'manifold grid size' },
};

const DEMO: Record<string, Opt> = {
  epochs: { type: 'string', default: '20', help: 'training epochs' },
  lr: { type: 'string', default: '1e-3', help: "Adam's learning rate (higher than train's 3e-4 default, so a few epochs suffice)" },
  k: { type: 'string', default: '500', help: 'importance samples per image for the evaluation' },
  limit: { type: 'string', default: '200', help: 'test images the evaluation scores (evenly spaced; 1005 for all)' },
  seed: { type: 'string', default: '0', help: 'seed' },
};

const COMMANDS: Record<string, { summary: string; options: Record<string, Opt> }> = {
  train: { summary: 'train a VAE; writes metrics.jsonl, checkpoint.ckpt (each epoch) and model/ to --out', options: TRAIN },
  eval: { summary: 'test ELBO, importance-sampled log p(x) with ESS/k-hat, exact log p(x) for 2-d latents; writes eval.json', options: EVAL },
  sample: { summary: 'decode samples from the prior into a PNG grid', options: SAMPLE },
  plot: { summary: 'manifold, reconstructions, samples, latent scatter and training curves as PNGs', options: PLOT },
  demo: { summary: 'train a 2-d Gaussian VAE on the embedded digits, evaluate it and draw every picture', options: DEMO },
};

function usage(command?: string): string {
  if (!command || !COMMANDS[command]) {
    return [
      'Usage: vae <command> [options]',
      '',
      'Commands:',
      ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`),
      '',
      "Run 'vae <command> --help' for a command's options.",
    ].join('\n');
  }
  const all = { ...COMMANDS[command].options, ...COMMON };
  return [
    `Usage: vae ${command} [options]`,
    '',
    COMMANDS[command].summary,
    '',
    'Options:',
    ...Object.entries(all).map(([name, o]) => `  --${name}${o.type === 'string' ? ' <value>' : ''}`.padEnd(28) + ` ${o.help}${o.default !== undefined && o.type === 'string' ? ` (default ${o.default})` : ''}`),
  ].join('\n');
}

function num(values: Record<string, unknown>, name: string, integer = false): number {
  const raw = values[name] as string;
  const v = Number(raw);
  if (raw === undefined || raw === '' || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
    throw new Error(`--${name} must be ${integer ? 'an integer' : 'a number'}; got '${raw}'`);
  }
  return v;
}

function oneOf<T extends string>(values: Record<string, unknown>, name: string, allowed: readonly T[]): T {
  const v = values[name] as T;
  if (!allowed.includes(v)) throw new Error(`--${name} must be one of ${allowed.join(', ')}; got '${v}'`);
  return v;
}

async function loadData(dataDir: string | undefined): Promise<DatasetSplit> {
  return dataDir ? readIdxDataset(resolve(dataDir)) : loadEmbeddedMnist();
}

function modelBinarize(modelDir: string): BinarizeMode {
  try {
    const meta = JSON.parse(readFileSync(join(modelDir, 'model.json'), 'utf8')).userDefinedMetadata;
    return (meta?.trainOptions?.binarize as BinarizeMode) ?? 'dynamic';
  } catch {
    return 'dynamic';
  }
}

/** Where {@link runCli} writes: messages, and the progress bar's stream (`null`: no bar). */
export interface CliIo {
  /** Prints one message (a line or several). */
  log: (s: string) => void;
  /** The progress bar's stream, usually `process.stderr`. */
  progress: { write(s: string): boolean; isTTY?: boolean } | null;
}

/**
 * Runs the `vae` command line: `train`, `eval`, `sample`, `plot` and `demo`, each with `--help`.
 *
 * @remarks
 * Arguments are parsed with node:util `parseArgs`; a bad value is an error that names the option.
 * The return value is the process exit code (errors are thrown, for the caller to print).
 *
 * @param argv - the arguments after the program name, e.g. `['train', '--epochs', '3']`
 * @param io - where messages and the progress bar go (default: stdout and stderr)
 * @returns the exit code
 *
 * @example
 * ```ts
 * import { runCli } from '@vae/mnist-vae';
 * const lines: string[] = [];
 * await runCli(['train', '--help'], { log: (s) => lines.push(s), progress: null });
 * console.log(lines[0].split('\n')[0]); // Usage: vae train [options]
 * ```
 */
export async function runCli(argv: string[], io: CliIo = { log: (s) => console.log(s), progress: process.stderr }): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    io.log(usage());
    return 0;
  }
  if (!COMMANDS[command]) throw new Error(`unknown command '${command}'\n${usage()}`);
  const spec = { ...COMMANDS[command].options, ...COMMON };
  const { values } = parseArgs({
    args: rest,
    options: Object.fromEntries(Object.entries(spec).map(([k, o]) => [k, { type: o.type, ...(o.default !== undefined ? { default: o.default } : {}) }])) as never,
    strict: true,
    allowPositionals: false,
  }) as { values: Record<string, unknown> };
  if (values.help) {
    io.log(usage(command));
    return 0;
  }
  const out = resolve(values.out as string);
  const backend = await selectBackend(oneOf(values, 'backend', ['auto', 'wasm', 'cpu', 'tensorflow'] as BackendChoice[]));
  const modelDir = values.model ? resolve(values.model as string) : join(out, 'model');

  if (command === 'train') {
    const data = await loadData(values['data-dir'] as string | undefined);
    const posterior = oneOf(values, 'posterior', ['normal', 'vmf', 'power-spherical'] as PosteriorFamily[]);
    const prior = values.prior === undefined ? undefined : oneOf(values, 'prior', ['standard', 'learned', 'mog', 'vamp', 'spherical'] as PriorKind[]);
    io.log(`Training on ${data.source === 'embedded' ? 'the embedded MNIST digits' : data.source} (${data.train.count} train / ${data.test.count} test), backend ${backend}`);
    const { model, metrics } = await trainVae(
      data,
      { latentDim: num(values, 'latent-dim', true), posterior, prior, priorComponents: num(values, 'prior-components', true) },
      {
        epochs: num(values, 'epochs', true),
        batchSize: num(values, 'batch-size', true),
        learningRate: num(values, 'lr'),
        kl: oneOf(values, 'kl', ['analytic', 'monte-carlo']) === 'analytic' ? 'analytic' : 'monteCarlo',
        beta: num(values, 'beta'),
        annealEpochs: num(values, 'anneal'),
        freeBits: num(values, 'free-bits'),
        iwaeK: num(values, 'iwae-k', true),
        seed: num(values, 'seed', true),
        binarize: oneOf(values, 'binarize', ['dynamic', 'static', 'none'] as BinarizeMode[]),
        resume: values.resume as boolean,
        maxTrainExamples: values.limit === undefined ? undefined : num(values, 'limit', true),
        outDir: out,
        progress: io.progress,
      },
    );
    model.dispose();
    const last = metrics[metrics.length - 1];
    if (last) io.log(`Epoch ${last.epoch}: test ELBO ${last.testElbo.toFixed(2)} nats (reconstruction ${last.testReconstruction.toFixed(2)}, KL ${last.testKl.toFixed(2)}), ${last.examplesPerSecond.toFixed(0)} examples/s`);
    io.log(`Model: ${join(out, 'model')}/model.json + weights.bin\nCheckpoint: ${join(out, 'checkpoint.ckpt')}\nMetrics: ${join(out, 'metrics.jsonl')}`);
    return 0;
  }

  if (command === 'eval') {
    const model = await loadModel(modelDir);
    try {
      const data = await loadData(values['data-dir'] as string | undefined);
      const test = testInputs(data.test, modelBinarize(modelDir), values.limit === undefined ? Infinity : num(values, 'limit', true));
      const report = await evaluateVae(model, test.images, test.count, {
        k: num(values, 'k', true),
        chunkSize: num(values, 'chunk-size', true),
        grid: num(values, 'grid', true),
        exact: !values['no-exact'],
        seed: num(values, 'seed', true),
        onProgress: (done, total) => io.progress?.isTTY && io.progress.write(`\reval: ${done}/${total} images\x1b[K`),
      });
      if (io.progress?.isTTY) io.progress.write('\r\x1b[K');
      mkdirSync(out, { recursive: true });
      const file = join(out, 'eval.json');
      writeFileSync(file, JSON.stringify({ model: modelDir, backend, ...report }, null, 2) + '\n');
      const l = report.logLikelihood;
      io.log(`Test ELBO ${report.elbo.elbo.toFixed(2)} (reconstruction ${report.elbo.reconstruction.toFixed(2)}, KL ${report.elbo.kl.toFixed(2)}) over ${report.examples} images`);
      io.log(`log p(x) ~ ${l.mean.toFixed(2)} (k = ${l.k}; ESS mean ${l.essMean.toFixed(1)}, min ${l.essMin.toFixed(1)}; k-hat mean ${l.kHatMean.toFixed(2)}, max ${l.kHatMax.toFixed(2)}; ${l.flagged} flagged k-hat > 0.7)`);
      if (report.exact) io.log(`exact log p(x) = ${report.exact.mean.toFixed(2)} by integration on a ${report.exact.grid.join('x')} ${report.exact.geometry} grid${report.exact.box ? ` over [-${report.exact.box}, ${report.exact.box}]^2` : ''}; estimate - exact: mean ${report.exact.meanDifference.toFixed(3)}, max |.| ${report.exact.maxAbsDifference.toFixed(3)}`);
      io.log(`Report: ${file}`);
    } finally {
      model.dispose();
    }
    return 0;
  }

  if (command === 'sample') {
    const model = await loadModel(modelDir);
    try {
      const file = values.file ? resolve(values.file as string) : join(out, 'samples.png');
      mkdirSync(resolve(file, '..'), { recursive: true });
      writeFileSync(file, samplesPng(model, num(values, 'rows', true), num(values, 'cols', true), num(values, 'seed', true)));
      io.log(`Samples: ${file}`);
    } finally {
      model.dispose();
    }
    return 0;
  }

  if (command === 'plot') {
    const model = await loadModel(modelDir);
    try {
      const data = await loadData(values['data-dir'] as string | undefined);
      const files = await drawPictures(model, data, modelBinarize(modelDir), out, num(values, 'grid', true));
      io.log(`Pictures:\n${files.map((f) => `  ${f}`).join('\n')}`);
    } finally {
      model.dispose();
    }
    return 0;
  }

  // demo
  const started = Date.now();
  const seed = String(num(values, 'seed', true));
  const common = ['--out', out, '--backend', backend];
  await runCli(['train', '--epochs', String(num(values, 'epochs', true)), '--lr', String(num(values, 'lr')), '--seed', seed, ...common], io);
  await runCli(['eval', '--k', String(num(values, 'k', true)), '--limit', String(num(values, 'limit', true)), ...common], io);
  await runCli(['plot', ...common], io);
  io.log(`Demo finished in ${((Date.now() - started) / 1000).toFixed(0)} s. Everything is in ${out}`);
  return 0;
}

/**
 * Writes every picture of a model to a directory: manifold.png, reconstructions.png,
 * samples.png, latent.png (Vega-Lite scatter of the test set's codes) and, when
 * `<dir>/metrics.jsonl` exists, curves.png.
 *
 * @param model - the model
 * @param data - the data (the test set is drawn from)
 * @param binarize - how the model's inputs were made
 * @param dir - the output directory
 * @param grid - manifold grid size (default 20)
 * @returns the files written

 */
export async function drawPictures(model: MnistVae, data: DatasetSplit, binarize: BinarizeMode, dir: string, grid = 20): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const write = (name: string, png: Buffer) => {
    const f = join(dir, name);
    writeFileSync(f, png);
    files.push(f);
  };
  const test = testInputs(data.test, binarize);
  write('manifold.png', manifoldPng(model, grid).png);
  // Every 100th test image: the embedded split is ordered by digit, so this shows all ten.
  const pixels = model.config.inputDim;
  const pick = new Float32Array(20 * pixels);
  for (let i = 0; i < 20; i++) {
    const j = Math.floor((i * test.count) / 20);
    pick.set(test.images.subarray(j * pixels, (j + 1) * pixels), i * pixels);
  }
  write('reconstructions.png', reconstructionsPng(model, pick, 20, 10).png);
  write('samples.png', samplesPng(model, 10, 10, 0));
  const { latentScatterSpec, trainingCurvesSpec, vegaLiteToPng } = await import('./plots.js');
  const codes = latentCodes(model, test.images, test.count);
  write('latent.png', await vegaLiteToPng(latentScatterSpec(codes, test.labels, model.config.latentDim, model.config.posterior !== 'normal')));
  const metricsFile = join(dir, 'metrics.jsonl');
  if (existsSync(metricsFile)) {
    const metrics = readFileSync(metricsFile, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as EpochMetrics);
    if (metrics.length) write('curves.png', await vegaLiteToPng(trainingCurvesSpec(metrics)));
  }
  return files;
}
