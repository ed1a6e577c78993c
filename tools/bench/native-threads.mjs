// Where a second intra-op thread goes on the native backend: the reference model's training step on
// tensorflow under several thread settings, each its own process (TensorFlow reads its settings once
// per process), taking turns in rounds so that a change in machine load hits all alike; each figure
// is the median round. Prints examples per second, wall and CPU milliseconds per step (CPU of all
// the process's threads: a second thread that spins or duplicates work shows up there).
//   node tools/bench/native-threads.mjs [batch=128] [rounds=9] [seconds=1.5]   (after a build)
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { median } from './median.mjs';

const batch = Number(process.argv[2] ?? 128);
const rounds = Number(process.argv[3] ?? 9);
const seconds = Number(process.argv[4] ?? 1.5);
const worker = join(import.meta.dirname, 'native-worker.mjs');

const settings = [
  ['intra 1, inter 1', { TF_NUM_INTRAOP_THREADS: '1', TF_NUM_INTEROP_THREADS: '1' }],
  ['intra 2, inter 1', { TF_NUM_INTRAOP_THREADS: '2', TF_NUM_INTEROP_THREADS: '1' }],
  ['intra 2, inter 2', { TF_NUM_INTRAOP_THREADS: '2', TF_NUM_INTEROP_THREADS: '2' }],
  ['intra 2, inter 1, oneDNN off', { TF_NUM_INTRAOP_THREADS: '2', TF_NUM_INTEROP_THREADS: '1', TF_ENABLE_ONEDNN_OPTS: '0' }],
  [
    'intra 2, inter 1, oneDNN caller thread',
    { TF_NUM_INTRAOP_THREADS: '2', TF_NUM_INTEROP_THREADS: '1', TF_ONEDNN_THREADPOOL_USE_CALLER_THREAD: '1' },
  ],
  ['intra 1, inter 1, oneDNN off', { TF_NUM_INTRAOP_THREADS: '1', TF_NUM_INTEROP_THREADS: '1', TF_ENABLE_ONEDNN_OPTS: '0' }],
];

function start(label, env) {
  const child = spawn(process.execPath, [worker, 'tensorflow', String(batch)], {
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const read = async () => {
    for (;;) {
      const { value, done } = await lines.next();
      if (done) throw new Error(`${label} exited`);
      if (value.startsWith('{')) return JSON.parse(value);
    }
  };
  return read().then(() => ({
    label,
    async round() {
      child.stdin.write(`round ${seconds}\n`);
      return read();
    },
    stop: () => child.stdin.end('quit\n'),
  }));
}

const before = loadavg()[0];
const workers = [];
for (const [label, env] of settings) workers.push(await start(label, env));
const results = Object.fromEntries(workers.map((w) => [w.label, []]));
for (let r = 0; r < rounds; r++) for (const w of workers) results[w.label].push(await w.round());
workers.forEach((w) => w.stop());
console.log(`batch ${batch}, ${rounds} rounds of ${seconds} s, load average ${before.toFixed(1)} -> ${loadavg()[0].toFixed(1)}`);
const base = median(results[settings[0][0]].map((x) => x.examplesPerSecond));
for (const [label, xs] of Object.entries(results)) {
  const eps = median(xs.map((x) => x.examplesPerSecond));
  console.log(
    `${label.padEnd(40)} ${Math.round(eps).toString().padStart(6)} ex/s (${(eps / base).toFixed(2)}x)  ` +
      `wall ${median(xs.map((x) => x.msPerStep)).toFixed(2)} ms/step  cpu ${median(xs.map((x) => x.cpuMsPerStep)).toFixed(2)} ms/step`,
  );
}
