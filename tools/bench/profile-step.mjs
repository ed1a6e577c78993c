// Profiles one training step of the reference model and of the hand-written model on wasm (batch
// 128): kernel counts, kernel time by kernel, wall time. Run after a build: node tools/bench/profile-step.mjs
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '@vae/backends';
import { createReferenceTrainer } from './reference.mjs';
import { createPlainVae } from './plain-vae.mjs';
await selectBackend('wasm');
tf.backend().firstUse = false;
const x = tf.tidy(() => tf.cast(tf.less(tf.randomUniform([128, 784], 0, 1, 'float32', 1), 0.13), 'float32'));
for (const [name, make] of [['reference', createReferenceTrainer], ['plain', async () => createPlainVae()]]) {
  const t = await make();
  for (let i = 0; i < 5; i++) t.trainStep(x);
  const info = await tf.profile(() => t.trainStep(x));
  const byKernel = {};
  for (const k of info.kernels) { const e = byKernel[k.name] ?? (byKernel[k.name] = { n: 0, ms: 0 }); e.n++; e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0; }
  const total = Object.values(byKernel).reduce((a, b) => a + b.ms, 0);
  const t0 = performance.now(); for (let i = 0; i < 10; i++) t.trainStep(x); const ms = (performance.now() - t0) / 10;
  console.log(`${name}: ${info.kernels.length} kernels, kernel time ${total.toFixed(1)} ms, wall ${ms.toFixed(1)} ms/step`);
  console.log(Object.entries(byKernel).sort((a, b) => b[1].ms - a[1].ms).slice(0, 8).map(([k, v]) => `${k} x${v.n} ${v.ms.toFixed(1)}ms`).join('; '));
  t.dispose();
}
