// Samples per second of every sampler at batch sizes 1e2 .. 1e5 on the cpu and wasm backends.
// Run from packages/samplers: `npx tsx bench/index.ts` (the package's `bench` script).
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { silenceNodeBackendAdvice } from '@vae/math';
import {
  betaSample,
  bernoulliSample,
  categoricalSample,
  dirichletSample,
  gammaSample,
  gumbel,
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
} from '../src/index.js';

interface Case {
  name: string;
  /** Floats drawn per sample (event size), to skip sizes whose tensors would not fit the time budget. */
  width: number;
  run: (n: number, seed: number) => tf.Tensor;
}

const K = 10;
// Parameter tensors are made per backend, once the backend is running.
let logitsK: tf.Tensor;
let concentrationK: tf.Tensor;
const directions = new Map<number, tf.Tensor>();
function direction(d: number): tf.Tensor {
  if (!directions.has(d)) directions.set(d, tf.keep(tf.div(tf.ones([d]), Math.sqrt(d))));
  return directions.get(d) as tf.Tensor;
}

const cases: Case[] = [
  { name: 'standardNormal', width: 1, run: (n, s) => standardNormal([n], s) },
  { name: 'uniform', width: 1, run: (n, s) => uniform([n], s) },
  { name: 'gumbel', width: 1, run: (n, s) => gumbel([n], s) },
  { name: 'normalSample', width: 1, run: (n, s) => normalSample(0.5, 2, [n], s) },
  { name: 'laplaceSample', width: 1, run: (n, s) => laplaceSample(0.5, 2, [n], s) },
  { name: 'logisticSample', width: 1, run: (n, s) => logisticSample(0.5, 2, [n], s) },
  { name: 'bernoulliSample', width: 1, run: (n, s) => bernoulliSample(0.3, [n], s) },
  { name: `categoricalSample K=${K}`, width: K, run: (n, s) => categoricalSample(logitsK, [n], s) },
  { name: `relaxedOneHotSample K=${K}`, width: K, run: (n, s) => relaxedOneHotSample(logitsK, 0.5, [n], s) },
  { name: 'relaxedBernoulliSample', width: 1, run: (n, s) => relaxedBernoulliSample(0.3, 0.5, [n], s) },
  { name: 'kumaraswamySample', width: 1, run: (n, s) => kumaraswamySample(2, 3, [n], s) },
  { name: 'gammaSample a=0.5', width: 1, run: (n, s) => gammaSample(0.5, 1, [n], s) },
  { name: 'gammaSample a=5', width: 1, run: (n, s) => gammaSample(5, 1, [n], s) },
  { name: 'betaSample', width: 2, run: (n, s) => betaSample(2, 3, [n], s) },
  { name: `dirichletSample K=${K}`, width: K, run: (n, s) => dirichletSample(concentrationK, [n], s) },
  ...[3, 64, 512].flatMap((d) => [
    { name: `uniformSphereSample d=${d}`, width: d, run: (n: number, s: number) => uniformSphereSample(d, [n], s) },
    { name: `vonMisesFisherSample d=${d}`, width: d, run: (n: number, s: number) => vonMisesFisherSample(direction(d), 20, [n], s) },
    { name: `powerSphericalSample d=${d}`, width: d, run: (n: number, s: number) => powerSphericalSample(direction(d), 20, [n], s) },
  ]),
];

const sizes = [1e2, 1e3, 1e4, 1e5];
/** Larger draws (n times width floats) are skipped to keep the run within a few minutes. */
const MAX_FLOATS = 1e6;

function timeCase(c: Case, n: number): number {
  const reps = n <= 1e3 ? 10 : n <= 1e4 ? 3 : 1;
  // Warm-up: the first call compiles kernels and grows pools.
  tf.tidy(() => c.run(n, 1).dataSync());
  const start = performance.now();
  for (let r = 0; r < reps; r++) tf.tidy(() => c.run(n, 2 + r).dataSync());
  return (n * reps) / ((performance.now() - start) / 1000);
}

function format(rate: number): string {
  return rate >= 1e6 ? `${(rate / 1e6).toFixed(2)}M` : rate >= 1e3 ? `${(rate / 1e3).toFixed(1)}k` : rate.toFixed(0);
}

async function main(): Promise<void> {
  for (const backend of ['cpu', 'wasm']) {
    if (!(await tf.setBackend(backend))) {
      console.log(`backend ${backend} unavailable`);
      continue;
    }
    await tf.ready();
    silenceNodeBackendAdvice();
    tf.dispose([...directions.values()]);
    directions.clear();
    logitsK = tf.keep(tf.linspace(-2, 2, K));
    concentrationK = tf.keep(tf.fill([K], 1.5));
    console.log(`\n## ${backend} backend: samples per second\n`);
    console.log(`| sampler | ${sizes.map((s) => `n=1e${Math.log10(s)}`).join(' | ')} |`);
    console.log(`|---|${sizes.map(() => '---:').join('|')}|`);
    for (const c of cases) {
      const cells = sizes.map((n) => (n * c.width > MAX_FLOATS ? 'skipped' : format(timeCase(c, n))));
      console.log(`| ${c.name} | ${cells.join(' | ')} |`);
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
