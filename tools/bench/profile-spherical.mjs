// Profiles one training step of the reference model with a Gaussian, a von Mises-Fisher and a
// Power Spherical posterior (the spherical ones with the uniform prior) on wasm with the fast
// kernels: kernels per step, the slowest kernels, host read-backs per step and median wall time
// (steps of the models alternate, so machine load hits all alike).
//   node tools/bench/profile-spherical.mjs [d=3] [batch=128] [steps=3]      (after a build)
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { enableFastWasmKernels, fusedAdam, silenceNodeBackendAdvice } from '@vae/backends';
import { MnistVae, trainingStep } from '@vae/mnist-vae';

const d = Number(process.argv[2] ?? 3);
const batch = Number(process.argv[3] ?? 128);
const steps = Number(process.argv[4] ?? 3);
const backendName = process.argv[5] ?? 'wasm';
await tf.setBackend(backendName);
await tf.ready();
if (backendName === 'wasm') enableFastWasmKernels();
silenceNodeBackendAdvice();

const x = tf.tidy(() => tf.cast(tf.less(tf.randomUniform([batch, 784], 0, 1, 'float32', 1), 0.13), 'float32'));
function trainer(posterior) {
  const model = new MnistVae({ posterior, latentDim: posterior === 'normal' ? 2 : d });
  const optimizer = fusedAdam(3e-4);
  let seed = 0;
  return { step: () => trainingStep(model, optimizer, x, { seed: seed++ }), dispose: () => (model.dispose(), optimizer.dispose()) };
}
const trainers = { gaussian: trainer('normal'), vmf: trainer('vmf'), 'power-spherical': trainer('power-spherical') };
for (const t of Object.values(trainers)) for (let i = 0; i < 3; i++) t.step();

// Read-backs: every dataSync/data/arraySync/array of a tensor goes through the engine's readSync or
// read (a kernel's own reads of the backend's memory, as wasm's slice does, are not read-backs).
let readBacks = 0;
const engine = tf.engine();
for (const name of ['readSync', 'read']) {
  const original = engine[name].bind(engine);
  engine[name] = (...args) => {
    readBacks++;
    if (process.env.TRACE_READBACKS) console.log(name, new Error().stack.split('\n').slice(2, 6).join(' | '));
    return original(...args);
  };
}
const report = {};
for (const [name, t] of Object.entries(trainers)) {
  readBacks = 0;
  t.step();
  const perStep = readBacks;
  const byKernel = {};
  let kernels = 0;
  for (let s = 0; s < steps; s++) {
    const info = await tf.profile(() => t.step());
    kernels += info.kernels.length;
    for (const k of info.kernels) {
      const e = (byKernel[k.name] ??= { n: 0, ms: 0 });
      e.n++;
      e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    }
  }
  report[name] = { readBacks: perStep, kernels: kernels / steps, byKernel };
}
const wall = Object.fromEntries(Object.keys(trainers).map((n) => [n, []]));
for (let i = 0; i < 15; i++) {
  for (const [name, t] of Object.entries(trainers)) {
    const start = performance.now();
    t.step();
    wall[name].push(performance.now() - start);
  }
}
console.log(`${backendName}, d = ${d} (Gaussian: 2), batch ${batch}`);
for (const [name, r] of Object.entries(report)) {
  const ms = wall[name].sort((a, b) => a - b)[wall[name].length >> 1];
  console.log(`\n${name}: ${r.kernels.toFixed(0)} kernels, ${r.readBacks} read-backs, ${ms.toFixed(1)} ms wall per step (median)`);
  const rows = Object.entries(r.byKernel)
    .filter(([k]) => k !== 'unnamed scope')
    .sort((a, b) => b[1].ms - a[1].ms);
  for (const [k, v] of rows.slice(0, 8))
    console.log(`  ${k.padEnd(18)} x${(v.n / steps).toFixed(0).padStart(5)}  ${(v.ms / steps).toFixed(2).padStart(7)} ms`);
}
Object.values(trainers).forEach((t) => t.dispose());
