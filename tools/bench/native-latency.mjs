// Latency of single TensorFlow calls through tfjs-node's binding, back to back and with JavaScript
// work between them (as in a training step, where tfjs's bookkeeping runs between calls and
// TensorFlow's pool threads may fall asleep), for a small op, elementwise passes and the dense
// layers' products. Reports the 20th percentile of single-call times (microseconds), which a loaded
// machine disturbs less than a median, and the wall and CPU time per call of a loop of calls (CPU of
// all threads: spinning or duplicated work shows there). Run with each thread setting and compare:
//   TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1 node tools/bench/native-latency.mjs [batch=128] [gapMicroseconds=50]
import * as tf from '@tensorflow/tfjs';
import { selectBackend, silenceNodeBackendAdvice } from '@vae/backends';

const batch = Number(process.argv[2] ?? 128);
const gap = Number(process.argv[3] ?? 50);
await selectBackend('tensorflow');
silenceNodeBackendAdvice();
const b = tf.backend();
const T = { name: 'T', type: b.binding.TF_ATTR_TYPE, value: b.binding.TF_FLOAT };
const bool = (name, value) => ({ name, type: b.binding.TF_ATTR_BOOL, value });
const matMul = (x, w) => b.executeSingleOutput('MatMul', [bool('transpose_a', false), bool('transpose_b', false), T], [x, w]);
const op = (name, inputs) => b.executeSingleOutput(name, [T], inputs);

const small = tf.randomNormal([batch, 2]);
const wide = tf.randomNormal([batch, 784]);
const hidden = tf.randomNormal([batch, 256]);
const w1 = tf.randomNormal([784, 256]);
const w4 = tf.randomNormal([256, 784]);
const cases = [
  [`AddV2 [${batch}, 2]`, () => op('AddV2', [small, small])],
  [`Mul [${batch}, 784]`, () => op('Mul', [wide, wide])],
  [`Sigmoid [${batch}, 784]`, () => op('Sigmoid', [wide])],
  [`Exp [${batch}, 784]`, () => op('Exp', [wide])],
  [`MatMul [${batch}, 784] x [784, 256]`, () => matMul(wide, w1)],
  [`MatMul [${batch}, 256] x [256, 784]`, () => matMul(hidden, w4)],
];
const busy = (us) => {
  const end = performance.now() + us / 1000;
  while (performance.now() < end);
};
const quantile = (xs, q) => xs.slice().sort((p, r) => p - r)[Math.floor(q * (xs.length - 1))];
const rows = [];
for (const [name, f] of cases) {
  for (let i = 0; i < 20; i++) f().dispose();
  const backToBack = [];
  const withGap = [];
  for (let i = 0; i < 300; i++) {
    let s = performance.now();
    f().dispose();
    backToBack.push((performance.now() - s) * 1000);
    busy(gap);
    s = performance.now();
    f().dispose();
    withGap.push((performance.now() - s) * 1000);
    busy(gap);
  }
  // CPU time of the whole process per call, back to back: above the wall time when pool threads
  // work in parallel; far above the single-thread figure when they spin or duplicate work.
  const cpu = process.cpuUsage();
  const wall = performance.now();
  for (let i = 0; i < 300; i++) f().dispose();
  const used = process.cpuUsage(cpu);
  rows.push([
    name,
    quantile(backToBack, 0.2),
    quantile(withGap, 0.2),
    (used.user + used.system) / 300,
    ((performance.now() - wall) * 1000) / 300,
  ]);
}
console.log(
  `intra ${process.env.TF_NUM_INTRAOP_THREADS ?? '(default)'}, inter ${process.env.TF_NUM_INTEROP_THREADS ?? '(default)'}, gap ${gap} us`,
);
for (const [name, a, g, c, w] of rows)
  console.log(
    `${name.padEnd(34)} ${a.toFixed(1).padStart(8)} us   after ${gap} us of JS: ${g.toFixed(1).padStart(8)} us   ` +
      `loop: wall ${w.toFixed(1).padStart(7)} us, cpu ${c.toFixed(1).padStart(7)} us per call`,
  );
