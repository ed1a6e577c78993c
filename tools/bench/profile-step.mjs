// Profiles training steps of the reference model and of the hand-written model: kernels per step,
// kernel time by kernel, and which kernels the reference runs that the hand-written model does not.
// Steps of the two models alternate, so load on the machine hits both alike.
//   node tools/bench/profile-step.mjs [batch=128] [steps=5] [backend=wasm]      (after a build)
//   TF_NUM_INTRAOP_THREADS=1 node tools/bench/profile-step.mjs 512 5 tensorflow  (after npm run setup:tfjs-node)
// tf.profile times each kernel by wall clock; "unnamed scope" rows are custom-gradient ops and
// include the kernels they run, which are also listed on their own. On tensorflow each kernel is a
// call through the native binding; the fixed cost of one such call is measured on a scalar add.
import * as tf from '@tensorflow/tfjs';
import { selectBackend, silenceNodeBackendAdvice } from '@vae/backends';
import { createPlainVae } from './plain-vae.mjs';
import { createReferenceTrainer } from './reference.mjs';
import { medianOfEach } from './median.mjs';

const batch = Number(process.argv[2] ?? 128);
const steps = Number(process.argv[3] ?? 5);
const backend = process.argv[4] ?? 'wasm';
const chosen = await selectBackend(backend);
silenceNodeBackendAdvice();
const x = tf.tidy(() => tf.cast(tf.less(tf.randomUniform([batch, 784], 0, 1, 'float32', 1), 0.13), 'float32'));
const trainers = { reference: await createReferenceTrainer(), 'hand-written': createPlainVae() };
const stats = Object.fromEntries(Object.keys(trainers).map((name) => [name, { kernels: 0, byKernel: {} }]));
for (const t of Object.values(trainers)) for (let i = 0; i < 3; i++) t.trainStep(x);
for (let s = 0; s < steps; s++) {
  for (const [name, t] of Object.entries(trainers)) {
    const info = await tf.profile(() => t.trainStep(x));
    const st = stats[name];
    st.kernels += info.kernels.length;
    for (const k of info.kernels) {
      const e = (st.byKernel[k.name] ??= { n: 0, ms: 0 });
      e.n++;
      e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    }
  }
}
// Wall time per step, steps alternating between the models; the median of 30 steps each.
const wallSteps = Object.fromEntries(Object.keys(trainers).map((name) => [name, []]));
for (let i = 0; i < 30; i++) {
  for (const [name, t] of Object.entries(trainers)) {
    const start = performance.now();
    t.trainStep(x);
    wallSteps[name].push(performance.now() - start);
  }
}
const wall = medianOfEach(wallSteps);
console.log(`${chosen.reason}; batch ${batch}, ${steps} profiled steps each (per-step figures)`);
{
  // The fixed cost of one kernel call: a scalar add, whose arithmetic is nothing.
  const a = tf.scalar(1);
  const b = tf.scalar(2);
  for (let i = 0; i < 200; i++) tf.add(a, b).dispose();
  const n = 5000;
  const start = performance.now();
  for (let i = 0; i < n; i++) tf.add(a, b).dispose();
  console.log(`one kernel call (scalar add, created and disposed): ${((1000 * (performance.now() - start)) / n).toFixed(1)} us`);
  tf.dispose([a, b]);
}
for (const [name, st] of Object.entries(stats)) {
  const rows = Object.entries(st.byKernel).sort((a, b) => b[1].ms - a[1].ms);
  const own = rows.filter(([k]) => k !== 'unnamed scope' && k !== 'fusedMatMul__op').reduce((a, [, v]) => a + v.ms, 0) / steps;
  console.log(
    `\n${name}: ${(st.kernels / steps).toFixed(0)} kernels, ${own.toFixed(1)} ms in kernels, ${wall[name].toFixed(
      1,
    )} ms wall per step (median)`,
  );
  for (const [k, v] of rows.slice(0, 40))
    console.log(`  ${k.padEnd(16)} x${(v.n / steps).toFixed(0).padStart(4)}  ${(v.ms / steps).toFixed(2).padStart(7)} ms`);
}
const ref = stats.reference.byKernel;
const plain = stats['hand-written'].byKernel;
const extra = Object.entries(ref)
  .map(([k, v]) => [k, (v.n - (plain[k]?.n ?? 0)) / steps, (v.ms - (plain[k]?.ms ?? 0)) / steps])
  .filter(([, n]) => n > 0)
  .sort((a, b) => b[1] - a[1]);
console.log('\nkernels the reference runs beyond the hand-written model (per step):');
console.log('  ' + extra.map(([k, n, ms]) => `${k} +${n.toFixed(0)} (${ms >= 0 ? '+' : ''}${ms.toFixed(2)} ms)`).join(', '));
Object.values(trainers).forEach((t) => t.dispose());
x.dispose();
