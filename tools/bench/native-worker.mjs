// One trainer of the native-backend comparison (native.mjs), in its own process: TensorFlow reads
// TF_NUM_INTRAOP_THREADS once per process, so each thread count needs one. It builds the reference
// model on the backend named by argv, warms up, then answers lines on stdin:
//   "round <seconds>" -> one JSON line {"examplesPerSecond", "msPerStep", "cpuMsPerStep"};  "quit" -> exits.
//   node tools/bench/native-worker.mjs <tensorflow|wasm> <batch>
import { createInterface } from 'node:readline';
import * as tf from '@tensorflow/tfjs';
import { selectBackend, silenceNodeBackendAdvice } from '@vae/backends';
import { createReferenceTrainer } from './reference.mjs';

const [backend, batchArg] = process.argv.slice(2);
const batch = Number(batchArg);
const chosen = await selectBackend(backend);
silenceNodeBackendAdvice();

// Random binary batches from Float32Arrays, as run.mjs builds them.
let s = 3;
const next = () => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32;
const data = Array.from({ length: 4 }, () => Float32Array.from({ length: batch * 784 }, () => (next() < 0.13 ? 1 : 0)));
const trainer = await createReferenceTrainer();
let i = 0;
const step = () => {
  const x = tf.tensor2d(data[i++ % data.length], [batch, 784]);
  trainer.trainStep(x);
  x.dispose();
};
for (let k = 0; k < 3; k++) step();
console.log(JSON.stringify({ ready: chosen.reason }));

for await (const line of createInterface({ input: process.stdin })) {
  const [command, arg] = line.trim().split(/\s+/);
  if (command === 'quit') break;
  if (command !== 'round') throw new Error(`native-worker: unknown command '${line}'`);
  let n = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  while (performance.now() - start < Number(arg) * 1000) {
    step();
    n++;
  }
  const elapsed = performance.now() - start;
  const used = process.cpuUsage(cpu);
  // CPU time of all the process's threads per step (the JS thread and TensorFlow's pools), beside the wall time.
  const cpuMsPerStep = (used.user + used.system) / 1000 / n;
  console.log(JSON.stringify({ examplesPerSecond: (batch * n * 1000) / elapsed, msPerStep: elapsed / n, cpuMsPerStep }));
}
trainer.dispose();
process.exit(0);
