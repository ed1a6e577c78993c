// Host read-backs of one training step with a spherical posterior: the loss read that
// `trainingStep` needs and nothing else (on WebGL or WebGPU every read-back is a device stall).
// Counted at the engine, where every dataSync / data / arraySync / array of a tensor arrives; a
// kernel's own reads of its backend's memory (wasm's slice) are not read-backs.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { disableFastWasmKernels, enableFastWasmKernels, fusedAdam } from '@vae/backends';
import { MnistVae, trainingStep } from '@vae/mnist-vae';
import { countReadBacks } from '@vae/testing';

let previous: string;
beforeAll(async () => {
  previous = tf.getBackend();
  await tf.setBackend('wasm');
  enableFastWasmKernels();
});
afterAll(async () => {
  disableFastWasmKernels();
  await tf.setBackend(previous);
});

describe('a training step of a spherical VAE on wasm with the fast kernels', () => {
  it.each([
    ['vmf', 3],
    ['vmf', 11],
    ['power-spherical', 3],
    ['power-spherical', 11],
  ] as const)('%s: reads back from the device exactly once (the loss), at d = %i', (posterior, latentDim) => {
    const model = new MnistVae({ posterior, latentDim });
    const optimizer = fusedAdam(1e-3);
    const x = tf.tidy(() => tf.cast(tf.less(tf.randomUniform([32, 784], 0, 1, 'float32', 1), 0.2), 'float32'));
    trainingStep(model, optimizer, x, { seed: 1 });
    let result: ReturnType<typeof trainingStep> | undefined;
    expect(countReadBacks(() => (result = trainingStep(model, optimizer, x, { seed: 0 })))).toBe(1);
    // The step did its work: a finite loss whose KL is positive.
    expect(Number.isFinite(result!.loss)).toBe(true);
    expect(result!.kl).toBeGreaterThan(0);
    // The counter sees a read-back where there is one.
    expect(countReadBacks(() => x.dataSync())).toBe(1);
    tf.dispose(x);
    model.dispose();
    optimizer.dispose();
  });
});
