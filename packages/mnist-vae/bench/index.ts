// Prints the reference model's training speed (examples per second: forward, backward and Adam
// at batch 128, 2-d Gaussian and von Mises-Fisher posteriors) on the wasm and cpu backends.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { silenceNodeBackendAdvice } from '@vae/math';
import { MnistVae } from '../src/index.js';
import type { PosteriorFamily } from '../src/index.js';

async function examplesPerSecond(backend: string, posterior: PosteriorFamily, latentDim: number, steps: number): Promise<number> {
  await tf.setBackend(backend);
  silenceNodeBackendAdvice();
  const vae = new MnistVae({ posterior, latentDim, seed: 1 });
  const optimizer = tf.train.adam(3e-4);
  const x = tf.tidy(() => tf.cast(tf.greater(tf.randomUniform([128, 784], 0, 1, 'float32', 1), 0.85), 'float32'));
  const vars = vae.trainableVariables;
  const step = (i: number) => {
    const { value, grads } = tf.variableGrads(() => vae.loss(x, { seed: i }).loss, vars);
    optimizer.applyGradients(vars.map((v) => ({ name: v.name, tensor: grads[v.name] })));
    value.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
  };
  step(0); // warm up
  const start = performance.now();
  for (let i = 1; i <= steps; i++) step(i);
  const seconds = (performance.now() - start) / 1000;
  tf.dispose(x);
  optimizer.dispose();
  vae.dispose();
  return (128 * steps) / seconds;
}

const rows: string[] = [];
for (const [backend, steps] of [
  ['wasm', 20],
  ['cpu', 3],
] as const) {
  for (const [posterior, d] of [
    ['normal', 2],
    ['vmf', 3],
  ] as const) {
    const eps = await examplesPerSecond(backend, posterior, d, steps);
    rows.push(`  ${backend.padEnd(5)} ${`${posterior}, latent ${d}`.padEnd(18)} ${eps.toFixed(0).padStart(6)} examples/s`);
  }
}
console.log('MNIST VAE training speed (batch 128, forward + backward + Adam):');
console.log(rows.join('\n'));
