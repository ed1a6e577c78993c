// The benchmark harness: one command, one table of this machine's figures.
//   npm run bench            (builds the packages first)
//   node tools/bench/run.mjs --quick     (shorter timings, for a smoke run)
//   node tools/bench/run.mjs --only=Spherical   (only the sections whose title contains the text)
// Prints a table per section and writes everything as JSON to out/bench.json.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { disableFastWasmKernels, enableFastWasmKernels, silenceNodeBackendAdvice } from '@vae/backends';
import { createPlainVae } from './plain-vae.mjs';
import { medianOfEach } from './median.mjs';

const root = resolve(import.meta.dirname, '../..');
const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const wanted = (title) => only === undefined || title.includes(only);
const seconds = quick ? 0.5 : 3;
const results = { machine: { cores: (await import('node:os')).cpus().length, node: process.version, tfjs: tf.version.tfjs }, sections: {} };

/** Runs `fn` repeatedly for about `budget` seconds after a warm-up; returns calls per second. */
function rate(fn, budget = seconds, warmup = 3) {
  for (let i = 0; i < warmup; i++) fn();
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < budget * 1000) {
    fn();
    n++;
  }
  return (n * 1000) / (performance.now() - start);
}

function randomBinaryBatches(batch, count, seed = 3) {
  // Batches are built from Float32Arrays: no tf.slice or tf.gather on the hot path.
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32;
  return Array.from({ length: count }, () => Float32Array.from({ length: batch * 784 }, () => (next() < 0.13 ? 1 : 0)));
}

async function onBackend(name, fast) {
  await tf.setBackend(name);
  await tf.ready();
  if (name === 'wasm' && fast) enableFastWasmKernels();
  else disableFastWasmKernels();
  silenceNodeBackendAdvice();
}

/**
 * Examples per second of several trainers on the same batches, measured in alternating rounds so
 * that a change in machine load during the run hits every trainer alike; returns the median round.
 */
function interleavedRates(trainers, batch, data, rounds = quick ? 3 : 7) {
  const perRound = Object.fromEntries(Object.keys(trainers).map((name) => [name, []]));
  let i = 0;
  const step = (trainer) => {
    const x = tf.tensor2d(data[i++ % data.length], [batch, 784]);
    trainer.trainStep(x);
    x.dispose();
  };
  for (const trainer of Object.values(trainers)) for (let k = 0; k < 3; k++) step(trainer);
  for (let r = 0; r < rounds; r++) {
    for (const [name, trainer] of Object.entries(trainers)) perRound[name].push(batch * rate(() => step(trainer), seconds / 2, 0));
  }
  return medianOfEach(perRound);
}

async function trainingSection(createReference) {
  const rows = [];
  for (const backend of ['wasm', 'cpu']) {
    for (const batch of [128, 512]) {
      await onBackend(backend, true);
      const data = randomBinaryBatches(batch, 4);
      const trainers = { plain: createPlainVae(), reference: await createReference() };
      const r = interleavedRates(trainers, batch, data, backend === 'cpu' ? 3 : undefined);
      Object.values(trainers).forEach((t) => t.dispose());
      rows.push({
        backend,
        batch,
        'hand-written tfjs ex/s': Math.round(r.plain),
        'reference model ex/s': Math.round(r.reference),
        'reference / hand-written': +(r.reference / r.plain).toFixed(3),
      });
    }
  }
  return rows;
}

function torchSection() {
  try {
    const out = execFileSync(
      process.env.VAE_BENCH_PYTHON ?? '/usr/bin/python3',
      [join(import.meta.dirname, 'torch_vae.py'), '128', '512'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    return JSON.parse(out.trim().split('\n').pop());
  } catch {
    return null;
  }
}

function print(title, rows) {
  console.log(`\n${title}`);
  console.table(rows);
}

const { createReferenceTrainer } = await import('./reference.mjs');
const trainingTitle = "Training the seeds' MNIST VAE (2-d latent), examples per second";
const training = wanted(trainingTitle) ? await trainingSection(createReferenceTrainer) : [];
const torch = training.length > 0 ? torchSection() : null;
if (torch) {
  for (const row of training) {
    const t = torch.examplesPerSecond[String(row.batch)];
    row['pytorch 1 thread ex/s'] = t;
    row['reference / pytorch'] = +(row['reference model ex/s'] / t).toFixed(3);
    row['hand-written / pytorch'] = +(row['hand-written tfjs ex/s'] / t).toFixed(3);
  }
}
if (training.length > 0) {
  results.sections.training = training;
  print(trainingTitle, training);
  if (!torch) console.log('(PyTorch comparison skipped: /usr/bin/python3 cannot import torch)');
}

// The native backend (needs npm run setup:tfjs-node) beside wasm and PyTorch, in processes of their own.
const { nativeTrainingSection, NATIVE_SECTION_TITLE } = await import('./native.mjs');
if (wanted(NATIVE_SECTION_TITLE)) {
  results.sections.native = await nativeTrainingSection({ quick });
  print(NATIVE_SECTION_TITLE, results.sections.native);
}

const sectionFiles = [import('./sections.mjs').then((m) => m.sections), import('./spherical.mjs').then((m) => m.sphericalSections)];
const allSections = Object.assign({}, ...(await Promise.all(sectionFiles.map((p) => p.catch(() => ({}))))));
for (const [name, section] of Object.entries(allSections).filter(([title]) => wanted(title))) {
  const rows = await section({ tf, rate, onBackend, quick, interleavedRates, randomBinaryBatches });
  results.sections[name] = rows;
  print(name, rows);
}

const outFile = join(root, 'out/bench.json');
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, JSON.stringify(results, null, 2));
console.log(`\nJSON: ${outFile}`);
