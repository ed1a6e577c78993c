// The demo page: trains @vae/mnist-vae's reference model on the digits shipped with the page (the
// same train/test split, binarization, seeds and step as `vae train`), drawing the curves, the
// latent manifold and the latent scatter as it learns; saves and loads the `model/` directory
// format of `vae train` (model.json + weights.bin).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { fusedAdam, selectBackend } from '@vae/backends';
import type { BackendPreference } from '@vae/backends';
// Deep imports of the browser-safe modules (the package's entry point also holds the CLI).
import { batchTensor, binarizeImages } from '../../packages/mnist-vae/src/data.js';
import { MnistVae, resolveVaeConfig } from '../../packages/mnist-vae/src/model.js';
import type { PosteriorFamily, PriorKind, VaeConfig } from '../../packages/mnist-vae/src/model.js';
import { mixSeed } from '@vae/samplers';
import { Rng } from '../../packages/mnist-vae/src/rng.js';
import { TEST_BINARIZATION_SEED, trainingStep } from '../../packages/mnist-vae/src/train.js';

setWasmPaths(new URL('./', location.href).href);

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const PIXELS = 784;
const SEED = 0;
const LEARNING_RATE = 3e-4;
const TEST_EXAMPLES = 1000;

interface Split {
  images: Float32Array;
  labels: Uint8Array;
  count: number;
}
let train: Split;
let test: Split;
let model: MnistVae | undefined;
let stopRequested = false;
let backendName = '';
const stepElbo: number[] = [];
const epochTestElbo: { step: number; elbo: number }[] = [];
let step = 0;

/** What the page exposes for its Chromium test. */
const state = {
  ready: false,
  training: false,
  epochsDone: 0,
  backend: '',
  manifoldDraws: 0,
  lastTestElbo: NaN,
  errors: [] as string[],
  firstPictures: undefined as { step: number; manifold: number[]; scatter: number[] } | undefined,
  latestPictures: undefined as { step: number; manifold: number[]; scatter: number[] } | undefined,
};
(globalThis as Record<string, unknown>).vaeDemo = state;

function status(text: string): void {
  $('status').textContent = text;
}

async function loadDigits(): Promise<void> {
  const meta = (await (await fetch('mnist.json')).json()) as { train: number; test: number; scale: number };
  const raw = new Uint16Array(await (await fetch('mnist.bin')).arrayBuffer());
  const labels = new Uint8Array(await (await fetch('mnist-labels.bin')).arrayBuffer());
  const decode = (from: number, count: number): Split => {
    const images = new Float32Array(count * PIXELS);
    for (let i = 0; i < images.length; i++) images[i] = raw[from * PIXELS + i]! / meta.scale;
    return { images, labels: labels.slice(from, from + count), count };
  };
  train = decode(0, meta.train);
  const fullTest = decode(meta.train, meta.test);
  // As `vae train --max-test-examples`: an evenly spaced subset, binarized once with the fixed seed.
  const bits = binarizeImages(fullTest.images, 'static', TEST_BINARIZATION_SEED);
  const n = Math.min(TEST_EXAMPLES, fullTest.count);
  test = { images: new Float32Array(n * PIXELS), labels: new Uint8Array(n), count: n };
  for (let i = 0; i < n; i++) {
    const j = Math.floor((i * fullTest.count) / n);
    test.images.set(bits.subarray(j * PIXELS, (j + 1) * PIXELS), i * PIXELS);
    test.labels[i] = fullTest.labels[j]!;
  }
}

function readConfig(): Partial<VaeConfig> {
  return {
    posterior: $<HTMLSelectElement>('posterior').value as PosteriorFamily,
    prior: $<HTMLSelectElement>('prior').value as PriorKind,
    latentDim: Number($<HTMLInputElement>('latent').value),
    seed: SEED,
  };
}

// ---- drawing ----

function drawCurves(): void {
  const canvas = $<HTMLCanvasElement>('curves');
  const g = canvas.getContext('2d')!;
  const { width: w, height: h } = canvas;
  g.clearRect(0, 0, w, h);
  const values = [...stepElbo, ...epochTestElbo.map((e) => e.elbo)].filter(Number.isFinite);
  if (values.length < 2) return;
  const sorted = [...values].sort((a, b) => a - b);
  const lo = sorted[Math.floor(0.02 * (sorted.length - 1))]!;
  const hi = sorted[sorted.length - 1]!;
  const pad = 36;
  const x = (s: number) => pad + ((w - pad - 8) * s) / Math.max(1, step);
  const y = (v: number) => h - 20 - ((h - 30) * (Math.max(v, lo) - lo)) / Math.max(1e-9, hi - lo);
  g.fillStyle = '#555';
  g.font = '11px sans-serif';
  g.fillText(hi.toFixed(0), 2, y(hi) + 4);
  g.fillText(lo.toFixed(0), 2, y(lo));
  g.fillText(`step ${step}`, w - 60, h - 4);
  g.strokeStyle = '#4a90d9';
  g.beginPath();
  stepElbo.forEach((v, i) => (i ? g.lineTo(x(i + 1), y(v)) : g.moveTo(x(i + 1), y(v))));
  g.stroke();
  g.fillStyle = '#e8702a';
  for (const e of epochTestElbo) g.fillRect(x(e.step) - 3, y(e.elbo) - 3, 6, 6);
}

/** Latent points to decode: a grid of the plane (first two coordinates) or of the sphere. */
function manifoldPoints(d: number, spherical: boolean, size: number): Float32Array {
  const z = new Float32Array(size * size * d);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const k = (i * size + j) * d;
      if (spherical) {
        const theta = ((i + 0.5) * Math.PI) / size;
        const phi = ((j + 0.5) * 2 * Math.PI) / size;
        const v = [Math.sin(theta) * Math.cos(phi), Math.sin(theta) * Math.sin(phi), Math.cos(theta)];
        if (d === 2) z.set([Math.cos(phi), Math.sin(phi)], k);
        else z.set(v, k);
      } else {
        z[k] = -2 + (4 * j) / (size - 1);
        if (d > 1) z[k + 1] = 2 - (4 * i) / (size - 1);
      }
    }
  }
  return z;
}

async function drawManifold(m: MnistVae): Promise<void> {
  const size = 14;
  const d = m.config.latentDim;
  const z = manifoldPoints(d, m.config.posterior !== 'normal', size);
  const probs = tf.tidy(() => tf.sigmoid(m.decodeLogits(tf.tensor2d(z, [size * size, d]))));
  const values = (await probs.data()) as Float32Array;
  probs.dispose();
  const canvas = $<HTMLCanvasElement>('manifold');
  const g = canvas.getContext('2d')!;
  const image = g.createImageData(size * 28, size * 28);
  for (let t = 0; t < size * size; t++) {
    const r0 = Math.floor(t / size) * 28;
    const c0 = (t % size) * 28;
    for (let p = 0; p < PIXELS; p++) {
      const o = ((r0 + Math.floor(p / 28)) * size * 28 + c0 + (p % 28)) * 4;
      const v = 255 - Math.round(255 * values[t * PIXELS + p]!);
      image.data[o] = image.data[o + 1] = image.data[o + 2] = v;
      image.data[o + 3] = 255;
    }
  }
  const bitmap = await createImageBitmap(image);
  g.imageSmoothingEnabled = true;
  g.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  state.manifoldDraws++;
}

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

async function drawScatter(m: MnistVae): Promise<void> {
  const n = test.count;
  const d = m.config.latentDim;
  const codes = tf.tidy(() => {
    const q = m.encode(tf.tensor2d(test.images, [n, PIXELS]));
    const mean = q.mean();
    return m.config.posterior === 'normal' ? mean : tf.div(mean, tf.norm(mean, 'euclidean', -1, true));
  });
  const c = (await codes.data()) as Float32Array;
  codes.dispose();
  const canvas = $<HTMLCanvasElement>('scatter');
  const g = canvas.getContext('2d')!;
  g.clearRect(0, 0, canvas.width, canvas.height);
  let range = m.config.posterior === 'normal' ? 0 : 1.05;
  if (!range) for (let i = 0; i < n; i++) range = Math.max(range, Math.abs(c[i * d]!), d > 1 ? Math.abs(c[i * d + 1]!) : 0);
  range = Math.min(Math.max(range, 1e-3), 6);
  const half = canvas.width / 2;
  for (let i = 0; i < n; i++) {
    g.fillStyle = COLORS[test.labels[i]!]!;
    const px = half + (half - 4) * (c[i * d]! / range);
    const py = half - (half - 4) * (d > 1 ? c[i * d + 1]! / range : (test.labels[i]! - 4.5) / 5);
    g.fillRect(px - 1.5, py - 1.5, 3, 3);
  }
}

function canvasPixels(id: string): number[] {
  const c = $<HTMLCanvasElement>(id);
  return Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data);
}

async function redraw(m: MnistVae): Promise<void> {
  drawCurves();
  await drawManifold(m);
  await drawScatter(m);
  // The pictures of the first and of the latest drawing since Train, for the page's test.
  const pictures = { step, manifold: canvasPixels('manifold'), scatter: canvasPixels('scatter') };
  if (step === 0) state.firstPictures = pictures;
  state.latestPictures = pictures;
}

function testElbo(m: MnistVae): number {
  const order = Uint32Array.from({ length: test.count }, (_, i) => i);
  const total = tf.tidy(() => tf.sum(m.elboTerms(batchTensor(test.images, PIXELS, order, 0, test.count), { seed: 1 }).elbo));
  const v = total.dataSync()[0]!;
  total.dispose();
  return v / test.count;
}

// ---- training: the epoch of `vae train` (dynamic binarization, seeded shuffles, fused Adam) ----

async function startBackend(): Promise<void> {
  const chosen = await selectBackend($<HTMLSelectElement>('backend').value as BackendPreference);
  backendName = chosen.name;
  state.backend = chosen.name;
  status(`backend: ${chosen.reason}`);
}

async function trainEpochs(): Promise<void> {
  state.training = true;
  stopRequested = false;
  $<HTMLButtonElement>('train').disabled = true;
  $<HTMLButtonElement>('stop').disabled = false;
  try {
    await startBackend();
    model?.dispose();
    model = new MnistVae({ ...readConfig() });
    stepElbo.length = 0;
    epochTestElbo.length = 0;
    step = 0;
    const epochs = Number($<HTMLInputElement>('epochs').value);
    const batchSize = Number($<HTMLInputElement>('batch').value);
    const limit = Number($<HTMLInputElement>('limit').value) || Infinity;
    const count = Math.min(train.count, limit);
    const grey = train.images.subarray(0, count * PIXELS);
    const stepsPerEpoch = Math.ceil(count / batchSize);
    const optimizer = fusedAdam(LEARNING_RATE);
    const started = performance.now();
    await redraw(model);
    let seen = 0;
    try {
      for (let epoch = 1; epoch <= epochs && !stopRequested; epoch++) {
        const inputs = binarizeImages(grey, 'dynamic', mixSeed(SEED, epoch, 2));
        const order = new Rng(mixSeed(SEED, epoch, 1)).permutation(count);
        for (let b = 0; b < stepsPerEpoch && !stopRequested; b++) {
          const size = Math.min(batchSize, count - b * batchSize);
          const x = batchTensor(inputs, PIXELS, order, b * batchSize, size);
          const r = trainingStep(model, optimizer, x, { seed: mixSeed(SEED, step, 3) & 0x7fffffff });
          x.dispose();
          if (!Number.isFinite(r.loss)) throw new Error(`training diverged at step ${step + 1}: the loss is ${r.loss}`);
          step++;
          seen += size;
          stepElbo.push(r.elbo);
          const seconds = (performance.now() - started) / 1000;
          const done = (epoch - 1) * stepsPerEpoch + b + 1;
          const total = epochs * stepsPerEpoch;
          const rate = seen / seconds;
          $('bar').style.width = `${(100 * done) / total}%`;
          $('progress-text').textContent =
            `epoch ${epoch}/${epochs}, step ${b + 1}/${stepsPerEpoch} on ${backendName}: ELBO ${r.elbo.toFixed(1)}, ` +
            `${rate.toFixed(0)} examples/s, ${(((total - done) * batchSize) / rate).toFixed(0)} s left`;
          if (b % 10 === 9) await redraw(model);
          else await new Promise((r) => setTimeout(r, 0));
        }
        if (stopRequested) break;
        const elbo = testElbo(model);
        epochTestElbo.push({ step, elbo });
        state.lastTestElbo = elbo;
        state.epochsDone = epoch;
        await redraw(model);
      }
    } finally {
      optimizer.dispose();
    }
    status(`backend: ${backendName}; ${state.epochsDone} epoch(s), test ELBO ${state.lastTestElbo.toFixed(2)} nats`);
  } catch (e) {
    report(e);
  } finally {
    state.training = false;
    $<HTMLButtonElement>('train').disabled = false;
    $<HTMLButtonElement>('stop').disabled = true;
    $<HTMLButtonElement>('save').disabled = !model;
  }
}

// ---- the `model/` directory format of `vae train` (FileIOHandler in @vae/mnist-vae) ----

async function modelFiles(m: MnistVae): Promise<{ json: string; weights: Uint8Array<ArrayBuffer> }> {
  const map: tf.NamedTensorMap = {};
  for (const w of m.namedWeights()) map[w.name] = w.tensor;
  const { data, specs } = await tf.io.encodeWeights(map);
  const manifest = {
    modelTopology: { mnistVae: m.config },
    format: 'mnist-vae',
    generatedBy: '@vae/mnist-vae',
    convertedBy: null,
    userDefinedMetadata: { epochs: state.epochsDone, steps: step, dataSource: 'embedded', trainedIn: 'browser' },
    weightsManifest: [{ paths: ['weights.bin'], weights: specs }],
  };
  return { json: JSON.stringify(manifest, null, 1), weights: new Uint8Array(data as ArrayBuffer) };
}

function download(name: string, blob: Blob): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

async function loadFiles(files: File[]): Promise<MnistVae> {
  const json = files.find((f) => f.name.endsWith('.json'));
  const bin = files.find((f) => f.name.endsWith('.bin'));
  if (!json || !bin) throw new Error('choose both files of a model directory: model.json and weights.bin');
  const manifest = JSON.parse(await json.text()) as {
    format?: string;
    modelTopology?: { mnistVae?: Partial<VaeConfig> };
    weightsManifest?: { weights: tf.io.WeightsManifestEntry[] }[];
  };
  if (manifest.format !== 'mnist-vae' || !manifest.modelTopology?.mnistVae)
    throw new Error(`${json.name}: not a mnist-vae model (format ${manifest.format})`);
  const specs = manifest.weightsManifest?.[0]?.weights;
  if (!specs || manifest.weightsManifest!.length !== 1)
    throw new Error(`${json.name}: weightsManifest must hold exactly one group of weights`);
  const weights = tf.io.decodeWeights(await bin.arrayBuffer(), specs);
  const loaded = new MnistVae(resolveVaeConfig(manifest.modelTopology.mnistVae));
  try {
    loaded.assignWeights(weights);
  } catch (e) {
    loaded.dispose();
    throw e;
  } finally {
    tf.dispose(Object.values(weights));
  }
  return loaded;
}

function report(e: unknown): void {
  const text = e instanceof Error ? e.message : String(e);
  state.errors.push(text);
  status(`error: ${text}`);
}

// The test drives these without file dialogs.
Object.assign(state, {
  modelFiles: async () => {
    const f = await modelFiles(model!);
    return { json: f.json, weights: Array.from(f.weights) };
  },
  loadModelFiles: async (json: string, weights: number[]) => {
    const m = await loadFiles([new File([json], 'model.json'), new File([new Uint8Array(weights)], 'weights.bin')]);
    model?.dispose();
    model = m;
    await redraw(m);
    return { config: m.config, testElbo: testElbo(m) };
  },
  testElbo: () => testElbo(model!),
});

$('train').addEventListener('click', () => void trainEpochs());
$('stop').addEventListener('click', () => (stopRequested = true));
$('save').addEventListener('click', async () => {
  const f = await modelFiles(model!);
  download('model.json', new Blob([f.json], { type: 'application/json' }));
  download('weights.bin', new Blob([f.weights]));
});
$<HTMLInputElement>('load').addEventListener('change', async (ev) => {
  try {
    if (!backendName) await startBackend();
    const m = await loadFiles(Array.from((ev.target as HTMLInputElement).files ?? []));
    model?.dispose();
    model = m;
    $<HTMLSelectElement>('posterior').value = m.config.posterior;
    $<HTMLSelectElement>('prior').value = m.config.prior;
    $<HTMLInputElement>('latent').value = String(m.config.latentDim);
    await redraw(m);
    status(
      `loaded a ${m.config.posterior}/${m.config.prior} model (latent dim ${m.config.latentDim}): test ELBO ${testElbo(m).toFixed(2)} nats`,
    );
    $<HTMLButtonElement>('save').disabled = false;
  } catch (e) {
    report(e);
  }
});
// The spherical posteriors need the spherical prior (or VampPrior), the normal one any other.
$('posterior').addEventListener('change', () => {
  const spherical = $<HTMLSelectElement>('posterior').value !== 'normal';
  $<HTMLSelectElement>('prior').value = spherical ? 'spherical' : 'standard';
  $<HTMLInputElement>('latent').value = spherical ? '3' : '2';
});
const params = new URLSearchParams(location.search);
for (const key of ['posterior', 'prior', 'latent', 'backend', 'epochs', 'batch', 'limit']) {
  const v = params.get(key);
  if (v !== null) ($(key) as HTMLInputElement).value = v;
}

loadDigits()
  .then(() => {
    $('progress-text').textContent = `${train.count} training and ${test.count} test digits loaded; press Train`;
    state.ready = true;
  })
  .catch(report);
