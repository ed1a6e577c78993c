// The native-backend comparison: the reference model training on TensorFlow (tfjs-node) with 1 and
// 2 intra-op threads, on wasm, and the same model in PyTorch with 1 and 2 threads. Each trainer is
// its own process (TensorFlow fixes its thread count per process); they take turns in rounds, so a
// change in machine load hits all alike, and each figure is the median round.
//   node tools/bench/native.mjs [--quick]        (after a build and npm run setup:tfjs-node)
// run.mjs runs it as one of its sections. VAE_BENCH_PYTHON names the python with torch (default
// /usr/bin/python3, Debian's torch 1.13; a venv with a newer torch may be faster).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { medianOfEach } from './median.mjs';

const python = process.env.VAE_BENCH_PYTHON ?? '/usr/bin/python3';
const here = import.meta.dirname;

/** Starts one trainer process; resolves once it has warmed up. */
function startTrainer(label, command, args, env) {
  const child = spawn(command, args, { env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-2000)));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const read = async () => {
    for (;;) {
      const { value, done } = await lines.next();
      if (done) throw new Error(`${label} exited: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
      if (value.startsWith('{')) return JSON.parse(value);
    }
  };
  return read().then((ready) => ({
    label,
    ready: ready.ready,
    async round(seconds) {
      child.stdin.write(`round ${seconds}\n`);
      return (await read()).examplesPerSecond;
    },
    stop() {
      child.stdin.end('quit\n');
    },
  }));
}

function trainerSpecs(batch) {
  const worker = join(here, 'native-worker.mjs');
  const torch = join(here, 'torch_vae.py');
  const one = { TF_NUM_INTRAOP_THREADS: '1', TF_NUM_INTEROP_THREADS: '1' };
  const two = { TF_NUM_INTRAOP_THREADS: '2', TF_NUM_INTEROP_THREADS: '1' };
  return [
    ['wasm', process.execPath, [worker, 'wasm', String(batch)], {}],
    ['tensorflow 1 thread', process.execPath, [worker, 'tensorflow', String(batch)], one],
    ['tensorflow 2 threads', process.execPath, [worker, 'tensorflow', String(batch)], two],
    ['pytorch 1 thread', python, [torch, '--serve', '1', String(batch)], {}],
    ['pytorch 2 threads', python, [torch, '--serve', '2', String(batch)], {}],
  ];
}

/** Rows of examples per second and ratios, one per batch size; trainers that cannot start are reported and left out. */
export async function nativeTrainingSection({ quick = false, batches = [128, 512] } = {}) {
  const rows = [];
  const rounds = quick ? 3 : 7;
  const seconds = quick ? 0.5 : 2;
  for (const batch of batches) {
    const trainers = [];
    for (const [label, command, args, env] of trainerSpecs(batch)) {
      // One at a time, so a starting trainer's warm-up does not slow another's.
      try {
        trainers.push(await startTrainer(label, command, args, env));
      } catch (error) {
        console.log(`(${label} left out: ${error.message})`);
      }
    }
    const perRound = Object.fromEntries(trainers.map((t) => [t.label, []]));
    for (let r = 0; r < rounds; r++) for (const t of trainers) perRound[t.label].push(await t.round(seconds));
    trainers.forEach((t) => t.stop());
    const rate = medianOfEach(perRound);
    const row = { batch };
    for (const [label, r] of Object.entries(rate)) row[`${label} ex/s`] = Math.round(r);
    for (const n of ['1 thread', '2 threads']) {
      const tfRate = rate[`tensorflow ${n}`];
      const torchRate = rate[`pytorch ${n}`];
      if (tfRate && torchRate) row[`tensorflow / pytorch, ${n}`] = +(tfRate / torchRate).toFixed(3);
    }
    if (rate.wasm && rate['tensorflow 1 thread']) row['tensorflow 1 thread / wasm'] = +(rate['tensorflow 1 thread'] / rate.wasm).toFixed(3);
    row.versions = trainers
      .map((t) => t.ready)
      .filter((v) => !v.startsWith('wasm'))
      .join('; ');
    rows.push(row);
  }
  return rows;
}

export const NATIVE_SECTION_TITLE =
  'Reference model on the native TensorFlow backend beside wasm and PyTorch, examples per second (interleaved)';

if (process.argv[1] === import.meta.filename) {
  const rows = await nativeTrainingSection({ quick: process.argv.includes('--quick') });
  console.log(`\n${NATIVE_SECTION_TITLE}`);
  console.table(rows.map(({ versions: _versions, ...r }) => r));
  console.log(rows.map((r) => `batch ${r.batch}: ${r.versions}`).join('\n'));
}
