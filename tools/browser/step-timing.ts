// Times training steps of the reference model in the page (for `npm run bench:browser`): the
// same step `vae train` runs (fused Adam, one read-back per step), on seeded binary images.
import * as tf from '@tensorflow/tfjs-core';
import { fusedAdam } from '@vae/backends';
import { MnistVae } from '../../packages/mnist-vae/src/model.js';
import { trainingStep } from '../../packages/mnist-vae/src/train.js';
import { Rng } from '../../packages/mnist-vae/src/rng.js';

/** Milliseconds of each of `steps` timed steps, after `warmup` untimed ones (shader compiles, caches). */
export function timeTrainingSteps(posterior: 'normal' | 'vmf', batch: number, steps: number, warmup = 3): number[] {
  const rng = new Rng(11);
  const pixels = new Float32Array(batch * 784);
  for (let i = 0; i < pixels.length; i++) pixels[i] = rng.next() < 0.13 ? 1 : 0;
  const model = new MnistVae({ posterior, latentDim: posterior === 'vmf' ? 3 : 2, seed: 0 });
  const optimizer = fusedAdam(3e-4);
  const x = tf.tensor2d(pixels, [batch, 784]);
  const times: number[] = [];
  try {
    for (let s = 0; s < warmup + steps; s++) {
      const t0 = performance.now();
      trainingStep(model, optimizer, x, { seed: s });
      if (s >= warmup) times.push(performance.now() - t0);
    }
  } finally {
    x.dispose();
    optimizer.dispose();
    model.dispose();
  }
  return times;
}
