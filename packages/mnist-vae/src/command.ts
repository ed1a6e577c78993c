import { existsSync, mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CLI_BACKENDS, startCliBackend } from './backend.js';
import { InvalidArgumentError } from '@vae/math';
import { loadModel, readCheckpointHeader } from './checkpoint.js';
import { CLASS_NAMES, classNamesOf, loadEmbeddedMnist, readIdxDataset } from './data.js';
import type { BinarizeMode, DatasetSplit } from './data.js';
import { evaluateVae } from './evaluate.js';
import type { PosteriorSummary } from './evaluate.js';
import { latentCodes, manifoldPng, posteriorManifoldAxes, priorManifoldAxes, reconstructionsPng, samplesPng } from './images.js';
import type { ManifoldAxes } from './images.js';
import { isSphericalPosterior, resolveVaeConfig } from './model.js';
import type { MnistVae, VaeConfig } from './model.js';
import { ProgressBar } from './progress.js';
import { testInputs, trainVae } from './train.js';
import type { EpochMetrics } from './train.js';

/**
 * One option: its parser's type, default, help, and the constraint every value is checked
 * against before any work starts (`int`/`number` with bounds, or a list of choices).
 */
type Opt = {
  type: 'string' | 'boolean';
  default?: string | boolean;
  help: string;
  kind?: 'int' | 'number';
  min?: number;
  /** `min` is exclusive (the value must be above it). */
  above?: boolean;
  max?: number;
  choices?: readonly string[];
};

const COMMON: Record<string, Opt> = {
  out: { type: 'string', default: 'out', help: 'output directory (metrics, checkpoint, model/, pictures)' },
  'data-dir': {
    type: 'string',
    help: 'read MNIST/Fashion-MNIST IDX files (raw or .gz) from this directory instead of the embedded 10,000 digits',
  },
  backend: {
    type: 'string',
    default: 'auto',
    help: `${CLI_BACKENDS.join(' | ')} (auto: tfjs-node when installed, else wasm)`,
    choices: [...CLI_BACKENDS],
  },
  help: { type: 'boolean', default: false, help: 'show this help' },
};

const TRAIN: Record<string, Opt> = {
  'latent-dim': {
    type: 'string',
    default: '2',
    help: 'latent dimension d (normal: R^d; vmf/power-spherical: the sphere S^{d-1} in R^d, so 3 = the 2-sphere)',
    kind: 'int',
    min: 1,
  },
  posterior: {
    type: 'string',
    default: 'normal',
    help: 'normal | vmf | power-spherical | iaf | planar | radial | householder (the last four: a diagonal Gaussian through --flow-steps flow steps)',
    choices: ['normal', 'vmf', 'power-spherical', 'iaf', 'planar', 'radial', 'householder'],
  },
  'flow-steps': {
    type: 'string',
    default: '2',
    help: 'flow steps of an iaf/planar/radial posterior, reflections of a householder posterior, MAF layers of the flow prior',
    kind: 'int',
    min: 1,
  },
  'flow-hidden-units': {
    type: 'string',
    default: '0',
    help: "hidden units of each IAF step's MADE conditioner and of each MAF layer of the flow prior (0: max(4 d, 16))",
    kind: 'int',
    min: 0,
  },
  prior: {
    type: 'string',
    help: 'standard | learned | mog | vamp | spherical | flow (default: standard, or spherical for spherical posteriors)',
    choices: ['standard', 'learned', 'mog', 'vamp', 'spherical', 'flow'],
  },
  'prior-components': { type: 'string', default: '10', help: 'mixture components (mog) or pseudo-inputs (vamp)', kind: 'int', min: 1 },
  kl: {
    type: 'string',
    default: 'analytic',
    help: 'analytic (closed form where registered, else Monte Carlo) | monte-carlo',
    choices: ['analytic', 'monte-carlo'],
  },
  beta: { type: 'string', default: '1', help: 'KL weight (beta-VAE)', kind: 'number', min: 0 },
  anneal: { type: 'string', default: '0', help: 'epochs of linear KL warm-up from 0 to beta (0: none)', kind: 'number', min: 0 },
  'free-bits': {
    type: 'string',
    default: '0',
    help: 'free bits per latent dimension, nats (normal posterior with standard/learned prior)',
    kind: 'number',
    min: 0,
  },
  'iwae-k': { type: 'string', default: '1', help: 'train on the IWAE bound with k samples (1: the ELBO)', kind: 'int', min: 1 },
  epochs: { type: 'string', default: '10', help: 'epochs (in total, counting those before --resume)', kind: 'int', min: 1 },
  seed: { type: 'string', default: '0', help: 'seed of weights, shuffles, binarization and samples', kind: 'int', min: 0 },
  'batch-size': { type: 'string', default: '128', help: 'examples per step', kind: 'int', min: 1 },
  lr: { type: 'string', default: '3e-4', help: "Adam's learning rate", kind: 'number', min: 0, above: true },
  binarize: {
    type: 'string',
    default: 'dynamic',
    help: 'dynamic (redrawn each epoch) | static (drawn once) | none (grey levels, continuous Bernoulli decoder)',
    choices: ['dynamic', 'static', 'none'],
  },
  resume: { type: 'boolean', default: false, help: "continue from <out>/checkpoint.ckpt (options not given are the checkpoint's)" },
  limit: { type: 'string', help: 'use only the first N training images (quick runs)', kind: 'int', min: 1 },
};

const EVAL: Record<string, Opt> = {
  model: { type: 'string', help: 'model directory (default <out>/model)' },
  k: { type: 'string', default: '5000', help: 'importance samples per test image for log p(x)', kind: 'int', min: 1 },
  'chunk-size': { type: 'string', default: '250', help: 'importance samples per chunk', kind: 'int', min: 1 },
  grid: {
    type: 'string',
    default: '200',
    help: 'cells per axis of the exact integral (2-d latents; the plane box widens to cover the test codes, the cell count stays)',
    kind: 'int',
    min: 2,
    max: 2000,
  },
  'no-exact': { type: 'boolean', default: false, help: 'skip the exact integral' },
  limit: { type: 'string', help: 'evaluate only N evenly spaced test images (every digit is represented)', kind: 'int', min: 1 },
  seed: { type: 'string', default: '1', help: 'seed of the importance samples', kind: 'int', min: 0 },
};

const SAMPLE: Record<string, Opt> = {
  model: { type: 'string', help: 'model directory (default <out>/model)' },
  rows: { type: 'string', default: '10', help: 'grid rows', kind: 'int', min: 1, max: 1000 },
  cols: { type: 'string', default: '10', help: 'grid columns', kind: 'int', min: 1, max: 1000 },
  seed: { type: 'string', default: '0', help: 'seed of the prior draws', kind: 'int', min: 0 },
  file: { type: 'string', help: 'PNG path (default <out>/samples.png)' },
};

const PLOT: Record<string, Opt> = {
  model: { type: 'string', help: 'model directory (default <out>/model)' },
  grid: { type: 'string', default: '20', help: 'manifold grid size', kind: 'int', min: 2, max: 200 },
  manifold: {
    type: 'string',
    default: 'both',
    help: "manifold grids: posterior (manifold.png, over the test codes' range) | prior (manifold-prior.png, through the prior's quantiles, Kingma & Welling's figure) | both",
    choices: ['posterior', 'prior', 'both'],
  },
  classes: {
    type: 'string',
    default: 'auto',
    help: 'class names in the legend: auto (from the data) | digits | fashion',
    choices: ['auto', 'digits', 'fashion'],
  },
};

const DEMO: Record<string, Opt> = {
  epochs: { type: 'string', default: '20', help: 'training epochs', kind: 'int', min: 1 },
  lr: {
    type: 'string',
    default: '1e-3',
    help: "Adam's learning rate (higher than train's 3e-4 default, so a few epochs suffice)",
    kind: 'number',
    min: 0,
    above: true,
  },
  k: { type: 'string', default: '500', help: 'importance samples per image for the evaluation', kind: 'int', min: 1 },
  limit: { type: 'string', default: '200', help: 'test images the evaluation scores (evenly spaced; 1005 for all)', kind: 'int', min: 1 },
  seed: { type: 'string', default: '0', help: 'seed', kind: 'int', min: 0 },
};

const COMMANDS: Record<string, { summary: string; options: Record<string, Opt> }> = {
  train: { summary: 'train a VAE; writes metrics.jsonl, checkpoint.ckpt (each epoch) and model/ to --out', options: TRAIN },
  eval: {
    summary: 'test ELBO, importance-sampled log p(x) with ESS/k-hat, exact log p(x) for 2-d latents; writes eval.json',
    options: EVAL,
  },
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
    ...Object.entries(all).map(
      ([name, o]) =>
        `  --${name}${o.type === 'string' ? ' <value>' : ''}`.padEnd(28) +
        ` ${o.help}${o.default !== undefined && o.type === 'string' ? ` (default ${o.default})` : ''}`,
    ),
  ].join('\n');
}

function constraint(o: Opt): string {
  const what = o.kind === 'int' ? 'an integer' : 'a number';
  const bounds = [o.min !== undefined ? `${o.above ? '>' : '>='} ${o.min}` : '', o.max !== undefined ? `<= ${o.max}` : '']
    .filter(Boolean)
    .join(' and ');
  return bounds ? `${what} ${bounds}` : what;
}

/** Checks every given or default value against its option's constraint; the first failure is an error naming the flag. */
function validate(values: Record<string, unknown>, spec: Record<string, Opt>): void {
  for (const [name, o] of Object.entries(spec)) {
    const raw = values[name];
    if (raw === undefined || o.type === 'boolean') continue;
    if (o.choices && !o.choices.includes(raw as string)) throw new Error(`--${name} must be one of ${o.choices.join(', ')}; got '${raw}'`);
    if (!o.kind) continue;
    const v = Number(raw);
    const ok =
      (raw as string).trim() !== '' &&
      Number.isFinite(v) &&
      (o.kind !== 'int' || Number.isInteger(v)) &&
      (o.min === undefined || (o.above ? v > o.min : v >= o.min)) &&
      (o.max === undefined || v <= o.max);
    if (!ok) throw new Error(`--${name} must be ${constraint(o)}; got '${raw}'`);
  }
}

function num(values: Record<string, unknown>, name: string): number {
  return Number(values[name]);
}

/**
 * parseArgs reads `--lr -1` as two options; a string option followed by a negative number takes
 * it as its value, as a user means it.
 */
function joinNegativeValues(args: string[], spec: Record<string, Opt>): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i].startsWith('--') ? args[i].slice(2) : undefined;
    if (name && spec[name]?.type === 'string' && i + 1 < args.length && /^-(\d|\.\d|Infinity)/.test(args[i + 1])) {
      out.push(`${args[i]}=${args[i + 1]}`);
      i++;
    } else {
      out.push(args[i]);
    }
  }
  return out;
}

function checkDirectory(path: string, flag: string, mustExist: boolean): void {
  if (!existsSync(path)) {
    if (mustExist) throw new Error(`--${flag} ${path}: no such directory`);
    return;
  }
  if (!statSync(path).isDirectory()) throw new Error(`--${flag} ${path}: is a file, not a directory`);
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

function describePosterior(p: PosteriorSummary): string {
  const f = (v: number) => v.toFixed(2);
  if (p.concentration) {
    return `posterior: concentration mean ${f(p.concentration.mean)} (min ${f(p.concentration.min)}, max ${f(
      p.concentration.max,
    )}); mean directions' resultant length ${f(p.meanResultantLength!)} (near 1: every image at one spot, a collapse)`;
  }
  return `posterior: ${p.activeUnits} of ${p.meanStd!.length} latent dimensions active; spread of the means per dimension [${p
    .spreadOfMeans!.map(f)
    .join(', ')}], mean posterior std [${p.meanStd!.map(f).join(', ')}] (a dimension whose means do not spread is unused)`;
}

function packageVersion(): string {
  // The package's own package.json, found by name from the running script or the working directory
  // (the exports map opens ./package.json), so the version has one owner.
  for (const base of [process.argv[1], join(process.cwd(), 'index.js')]) {
    try {
      if (base) return (createRequire(realpathSync(base))('@vae/mnist-vae/package.json') as { version: string }).version;
    } catch {
      // try the next base
    }
  }
  return 'unknown';
}

/** Where {@link runCli} writes: messages, and the progress bar's stream (`null`: no bar). */
export interface CliIo {
  /** Prints one message (a line or several). */
  log: (s: string) => void;
  /** The progress bar's stream, usually `process.stderr` (lines every 10 s when it is not a terminal). */
  progress: { write(s: string): boolean; isTTY?: boolean } | null;
}

/** The flags of the model configuration, by the configuration key each sets (the argument its errors name). */
const CONFIG_FLAGS = {
  latentDim: 'latent-dim',
  posterior: 'posterior',
  prior: 'prior',
  priorComponents: 'prior-components',
  flowSteps: 'flow-steps',
  flowHiddenUnits: 'flow-hidden-units',
} satisfies Partial<Record<keyof VaeConfig, string>>;

/**
 * The model configuration that `train`'s flags give (keys not set are resolved by the model): a flag
 * of a numeric kind is read as a number, the others as typed, so CONFIG_FLAGS stays the one list.
 */
function configFromFlags(values: Record<string, unknown>): Partial<VaeConfig> {
  const entries = Object.entries(CONFIG_FLAGS).map(([key, flag]) => [key, TRAIN[flag].kind ? num(values, flag) : values[flag]]);
  return Object.fromEntries(entries) as Partial<VaeConfig>;
}

/** The model and training options that a resumed run takes from its checkpoint unless given: flag, config or option key. */
const RESUMABLE: { flag: string; config?: keyof VaeConfig; option?: string; toFlag?: (v: unknown) => string }[] = [
  ...Object.entries(CONFIG_FLAGS).map(([config, flag]) => ({ flag, config: config as keyof VaeConfig })),
  { flag: 'kl', option: 'kl', toFlag: (v) => (v === 'monteCarlo' ? 'monte-carlo' : String(v)) },
  { flag: 'beta', option: 'beta' },
  { flag: 'anneal', option: 'annealEpochs' },
  { flag: 'free-bits', option: 'freeBits' },
  { flag: 'iwae-k', option: 'iwaeK' },
  { flag: 'seed', option: 'seed' },
  { flag: 'batch-size', option: 'batchSize' },
  { flag: 'lr', option: 'learningRate' },
  { flag: 'binarize', option: 'binarize' },
  { flag: 'limit', option: 'maxTrainExamples', toFlag: (v) => (v === null ? '' : String(v)) },
];

/**
 * For `train --resume`: the checkpoint must exist, options given must agree with it (an error
 * names the flag and both values), and options not given are taken from it.
 */
function resumeFrom(values: Record<string, unknown>, given: Set<string>, out: string): { epoch: number; file: string } {
  const file = join(out, 'checkpoint.ckpt');
  if (!existsSync(file))
    throw new Error(`--resume: there is no checkpoint at ${file}; leave out --resume to start a new run, or give the run's --out`);
  const { config, state } = readCheckpointHeader(file);
  for (const r of RESUMABLE) {
    const stored = r.config ? config[r.config] : state.options[r.option!];
    if (stored === undefined) continue;
    const asFlag = r.toFlag ? r.toFlag(stored) : String(stored);
    if (!given.has(r.flag)) {
      if (asFlag === '') delete values[r.flag];
      else values[r.flag] = asFlag;
      continue;
    }
    const mine = values[r.flag] as string;
    const same = TRAIN[r.flag].kind ? Number(mine) === Number(asFlag) : mine === asFlag;
    if (!same)
      throw new Error(
        `--resume: --${r.flag} ${mine} differs from the checkpoint's ${asFlag === '' ? '(none)' : asFlag} (${file}); leave out --${
          r.flag
        } to continue that run, or give another --out for a new one`,
      );
  }
  const epochs = num(values, 'epochs');
  if (state.epoch >= epochs)
    throw new Error(
      `--epochs ${epochs}: the checkpoint ${file} has already trained ${state.epoch} epochs; give --epochs above ${state.epoch} to continue`,
    );
  return { epoch: state.epoch, file };
}

/** Maps a model-configuration error (argument names of MnistVae) to the flag a user typed. */
function asFlagError(e: unknown): unknown {
  if (!(e instanceof InvalidArgumentError)) return e;
  const flag = (CONFIG_FLAGS as Record<string, string>)[e.argument];
  return flag ? new Error(`--${flag} must be ${e.constraint}`) : e;
}

/** Loads the model in `dir`, hands it to `use` and frees it whatever `use` does; the command's exit code 0. */
async function withModel(dir: string, use: (model: MnistVae) => Promise<void> | void): Promise<number> {
  const model = await loadModel(dir);
  try {
    await use(model);
  } finally {
    model.dispose();
  }
  return 0;
}

/**
 * Runs the `vae` command line: `train`, `eval`, `sample`, `plot` and `demo`, each with `--help`,
 * and `--version`.
 *
 * @remarks
 * Arguments are parsed with node:util `parseArgs` (a negative number after an option is its
 * value) and every value is checked before any work starts: a bad one is an error that names the
 * flag and the constraint. The return value is the process exit code (errors are thrown, for the
 * caller to print).
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
 * console.log(lines[0].split('\n')[0]); // 'Usage: vae train [options]'
 * ```
 */
export async function runCli(argv: string[], io: CliIo = { log: (s) => console.log(s), progress: process.stderr }): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    io.log(usage());
    return 0;
  }
  if (command === '--version' || command === '-v' || command === 'version') {
    io.log(packageVersion());
    return 0;
  }
  if (!COMMANDS[command]) throw new Error(`unknown command '${command}'\n${usage()}`);
  const spec = { ...COMMANDS[command].options, ...COMMON };
  const { values } = parseArgs({
    args: joinNegativeValues(rest, spec),
    options: Object.fromEntries(Object.entries(spec).map(([k, o]) => [k, { type: o.type }])) as never,
    strict: true,
    allowPositionals: false,
  }) as { values: Record<string, unknown> };
  if (values.help) {
    io.log(usage(command));
    return 0;
  }
  const given = new Set(Object.keys(values));
  for (const [k, o] of Object.entries(spec)) if (values[k] === undefined && o.default !== undefined) values[k] = o.default;

  // Everything is checked before the backend starts or data loads.
  const out = resolve(values.out as string);
  const modelDir = values.model ? resolve(values.model as string) : join(out, 'model');
  validate(values, spec);
  let resuming: { epoch: number; file: string } | undefined;
  if (command === 'train' && values.resume) {
    checkDirectory(out, 'out', false);
    resuming = resumeFrom(values, given, out);
  }
  if (command !== 'sample' || !values.file) checkDirectory(out, 'out', false);
  if (command === 'train') {
    try {
      resolveVaeConfig(configFromFlags(values));
    } catch (e) {
      throw asFlagError(e);
    }
  } else if (command !== 'demo' && !existsSync(join(modelDir, 'model.json'))) {
    throw new Error(
      `${values.model ? '--model' : '--out'}: no model at ${modelDir} (train one with 'vae train --out ${
        values.model ? join(modelDir, '..') : out
      }')`,
    );
  }

  if (values['data-dir'] !== undefined) checkDirectory(resolve(values['data-dir'] as string), 'data-dir', true);
  const backend = await startCliBackend(values.backend as string);

  if (command === 'train') {
    const data = await loadData(values['data-dir'] as string | undefined);
    const limit = values.limit === undefined ? undefined : num(values, 'limit');
    const used = Math.min(data.train.count, limit ?? Infinity);
    const iwaeK = num(values, 'iwae-k');
    const beta = num(values, 'beta');
    io.log(
      `Training on ${data.source === 'embedded' ? 'the embedded MNIST digits' : data.source} (${
        used < data.train.count ? `${used} of ${data.train.count}` : used
      } train / ${data.test.count} test images), backend ${backend}`,
    );
    if (resuming) io.log(`Resuming from epoch ${resuming.epoch} (${resuming.file})`);
    io.log(
      iwaeK > 1
        ? `Each step minimizes -iwae${iwaeK}, the negative importance-weighted bound with k = ${iwaeK}; -elbo = kl - rec is shown beside it.`
        : beta !== 1 || num(values, 'free-bits') > 0 || num(values, 'anneal') > 0
          ? 'Each step minimizes loss = -(rec - beta * max(kl, free bits)); -elbo = kl - rec is shown beside it.'
          : 'Each step minimizes -elbo = kl - rec.',
    );
    const { model, metrics } = await trainVae(data, configFromFlags(values), {
      epochs: num(values, 'epochs'),
      batchSize: num(values, 'batch-size'),
      learningRate: num(values, 'lr'),
      kl: values.kl === 'analytic' ? 'analytic' : 'monteCarlo',
      beta,
      annealEpochs: num(values, 'anneal'),
      freeBits: num(values, 'free-bits'),
      iwaeK,
      seed: num(values, 'seed'),
      binarize: values.binarize as BinarizeMode,
      resume: resuming !== undefined,
      maxTrainExamples: limit,
      outDir: out,
      progress: io.progress,
    });
    model.dispose();
    const last = metrics[metrics.length - 1];
    if (last)
      io.log(
        `Epoch ${last.epoch}: test ELBO ${last.testElbo.toFixed(2)} nats (reconstruction ${last.testReconstruction.toFixed(
          2,
        )}, KL ${last.testKl.toFixed(2)}), ${last.examplesPerSecond.toFixed(0)} examples/s`,
      );
    io.log(
      `Model: ${join(out, 'model')}/model.json + weights.bin\nCheckpoint: ${join(out, 'checkpoint.ckpt')}\nMetrics: ${join(
        out,
        'metrics.jsonl',
      )}`,
    );
    return 0;
  }

  if (command === 'eval') {
    return withModel(modelDir, async (model) => {
      const data = await loadData(values['data-dir'] as string | undefined);
      const test = testInputs(data.test, modelBinarize(modelDir), values.limit === undefined ? Infinity : num(values, 'limit'));
      const bars: Record<string, ProgressBar> = {};
      const report = await evaluateVae(model, test.images, test.count, {
        k: num(values, 'k'),
        chunkSize: num(values, 'chunk-size'),
        grid: num(values, 'grid'),
        exact: !values['no-exact'],
        seed: num(values, 'seed'),
        onProgress: (done, total, phase = 'log-likelihood') => {
          if (!io.progress) return;
          const label = phase === 'exact' ? 'eval: exact log p(x), grid points' : 'eval: log p(x), images';
          const bar = (bars[phase] ??= new ProgressBar(label, total, io.progress));
          if (done >= total) bar.done();
          else bar.update(done);
        },
      });
      mkdirSync(out, { recursive: true });
      const file = join(out, 'eval.json');
      writeFileSync(file, JSON.stringify({ model: modelDir, backend, ...report }, null, 2) + '\n');
      const l = report.logLikelihood;
      io.log(
        `Test ELBO ${report.elbo.elbo.toFixed(2)} (reconstruction ${report.elbo.reconstruction.toFixed(2)}, KL ${report.elbo.kl.toFixed(
          2,
        )}) over ${report.examples} images`,
      );
      io.log(
        `log p(x) ~ ${l.mean.toFixed(2)} (k = ${l.k}; ESS mean ${l.essMean.toFixed(1)}, min ${l.essMin.toFixed(
          1,
        )}; k-hat mean ${l.kHatMean.toFixed(2)}, max ${l.kHatMax.toFixed(2)}; ${l.flagged} flagged k-hat > 0.7)`,
      );
      if (report.exact)
        io.log(
          `exact log p(x) = ${report.exact.mean.toFixed(2)} by integration on a ${report.exact.grid.join('x')} ${
            report.exact.geometry
          } grid${
            report.exact.box ? ` over [-${report.exact.box}, ${report.exact.box}]^2` : ''
          }; estimate - exact: mean ${report.exact.meanDifference.toFixed(3)}, max |.| ${report.exact.maxAbsDifference.toFixed(3)}`,
        );
      if (report.exact?.warning) io.log(`warning: ${report.exact.warning}`);
      io.log(describePosterior(report.posterior));
      io.log(`Report: ${file}`);
    });
  }

  if (command === 'sample') {
    return withModel(modelDir, (model) => {
      const file = values.file ? resolve(values.file as string) : join(out, 'samples.png');
      mkdirSync(resolve(file, '..'), { recursive: true });
      writeFileSync(file, samplesPng(model, num(values, 'rows'), num(values, 'cols'), num(values, 'seed')));
      io.log(`Samples: ${file}`);
    });
  }

  if (command === 'plot') {
    return withModel(modelDir, async (model) => {
      const data = await loadData(values['data-dir'] as string | undefined);
      const files = await drawPictures(model, data, modelBinarize(modelDir), out, num(values, 'grid'), {
        manifold: values.manifold as 'posterior' | 'prior' | 'both',
        classes: values.classes === 'auto' ? classNamesOf(data) : CLASS_NAMES[values.classes as 'digits' | 'fashion'],
      });
      io.log(`Pictures:\n${files.map((f) => `  ${f}`).join('\n')}`);
    });
  }

  // demo
  const started = Date.now();
  const seed = String(num(values, 'seed'));
  const common = ['--out', out, '--backend', backend];
  await runCli(['train', '--epochs', String(num(values, 'epochs')), '--lr', String(num(values, 'lr')), '--seed', seed, ...common], io);
  await runCli(['eval', '--k', String(num(values, 'k')), '--limit', String(num(values, 'limit')), ...common], io);
  await runCli(['plot', ...common], io);
  io.log(`Demo finished in ${((Date.now() - started) / 1000).toFixed(0)} s. Everything is in ${out}`);
  return 0;
}

/** Options of {@link drawPictures}. */
export interface PictureOptions {
  /** Manifold grid: over the test codes' range (`posterior`, default in `both`), through the prior's quantiles (`prior`), or `both`. */
  manifold?: 'posterior' | 'prior' | 'both';
  /** The name of each class label, for the scatter's legend (default the digits). */
  classes?: readonly string[];
}

const f2 = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2));

/**
 * Writes every picture of a model to a directory: manifold.png (the decoded grid over the test
 * codes' range) and manifold-prior.png (through the prior's quantiles), reconstructions.png,
 * samples.png, latent.png (Vega-Lite scatter of the test set's codes) and, when
 * `<dir>/metrics.jsonl` exists, curves.png. Text is drawn in the shipped font.
 *
 * @param model - the model
 * @param data - the data (the test set is drawn from)
 * @param binarize - how the model's inputs were made
 * @param dir - the output directory
 * @param grid - manifold grid size (default 20)
 * @param options - which manifold grids, class names
 * @returns the files written
 */
export async function drawPictures(
  model: MnistVae,
  data: DatasetSplit,
  binarize: BinarizeMode,
  dir: string,
  grid = 20,
  options: PictureOptions = {},
): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const write = (name: string, png: Buffer) => {
    const f = join(dir, name);
    writeFileSync(f, png);
    files.push(f);
  };
  const { latentScatterSpec, pictureSpec, trainingCurvesSpec, vegaLiteToPng } = await import('./plots.js');
  const test = testInputs(data.test, binarize);
  const codes = latentCodes(model, test.images, test.count);
  const c = model.config;
  const which = options.manifold ?? 'both';
  if (isSphericalPosterior(c.posterior) && c.latentDim === 3) {
    const m = manifoldPng(model, grid);
    const spec = pictureSpec(
      m.png,
      m.rows,
      m.cols,
      { x: m.x.map((v) => v.toFixed(0)), y: m.y.map((v) => v.toFixed(0)), xTitle: 'longitude (degrees)', yTitle: 'latitude (degrees)' },
      ['Decoded means over the sphere S^2', 'longitude across, latitude up'],
      0.5,
    );
    write('manifold.png', await vegaLiteToPng(spec));
  } else {
    const names = c.latentDim > 2 ? ` (other coordinates at their median)` : '';
    const draw = async (file: string, axes: ManifoldAxes, title: string[]) => {
      const m = manifoldPng(model, grid, axes);
      write(
        file,
        await vegaLiteToPng(
          pictureSpec(m.png, m.rows, m.cols, { x: m.x.map(f2), y: m.y.map(f2), xTitle: 'z1', yTitle: 'z2' }, title, 0.75),
        ),
      );
    };
    if (which !== 'prior')
      await draw('manifold.png', posteriorManifoldAxes(codes, c.latentDim, grid), [
        "Decoded means over the test codes' range",
        `z1, z2 from the 0.5% to the 99.5% quantile${names}`,
      ]);
    if (which !== 'posterior')
      await draw('manifold-prior.png', priorManifoldAxes(model, grid), [
        "Decoded means through the prior's quantiles",
        `z = F^-1(u), u evenly spaced in (0, 1) (Kingma & Welling)${names}`,
      ]);
  }
  // Every 100th test image: the embedded split is ordered by digit, so this shows all ten.
  const pixels = c.inputDim;
  const shown = 20;
  const cols = 10;
  const pick = new Float32Array(shown * pixels);
  for (let i = 0; i < shown; i++) {
    const j = Math.floor((i * test.count) / shown);
    pick.set(test.images.subarray(j * pixels, (j + 1) * pixels), i * pixels);
  }
  const r = reconstructionsPng(model, pick, shown, cols);
  const rowNames = Array.from({ length: r.rows }, (_, i) => (i % 2 === 0 ? 'input' : 'reconstruction'));
  write(
    'reconstructions.png',
    await vegaLiteToPng(
      pictureSpec(
        r.png,
        r.rows,
        r.cols,
        { x: null, y: rowNames },
        ['Test images and their reconstructions', 'rows: an input, then its reconstruction (decoded at the posterior mean)'],
        0.5,
      ),
    ),
  );
  write('samples.png', samplesPng(model, 10, 10, 0));
  write(
    'latent.png',
    await vegaLiteToPng(latentScatterSpec(codes, test.labels, c.latentDim, isSphericalPosterior(c.posterior), options.classes)),
  );
  const metricsFile = join(dir, 'metrics.jsonl');
  if (existsSync(metricsFile)) {
    const metrics = readFileSync(metricsFile, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as EpochMetrics);
    if (metrics.length) write('curves.png', await vegaLiteToPng(trainingCurvesSpec(metrics)));
  }
  return files;
}
