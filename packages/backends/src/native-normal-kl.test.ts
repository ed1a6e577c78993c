import * as tf from '@tensorflow/tfjs-core';
import { NORMAL_KL_KERNEL, normalKL } from '@vae/math';
import { expectMemoryNeutral, testBackend } from '@vae/testing';
import { disableNativeKernels, enableNativeKernels } from './index.js';

// Both branches of the scale term, a prior shared over the batch, nearly equal and extreme scales.
const params = () => ({
  locP: tf.tensor2d([0.1, -2, 1e-4, 3, 0, 7], [3, 2]),
  scaleP: tf.tensor2d([0.9, 1.0000001, 0.2, 5, 1e-30, 1.3], [3, 2]),
  locQ: tf.tensor1d([0, 0.5]),
  scaleQ: tf.tensor1d([1, 1.7]),
});

function valueAndGradients(): number[][] {
  const p = params();
  const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => tf.sum(tf.mul(normalKL(a, b, c, d), tf.tensor1d([1, -3])));
  const out = [normalKL(p.locP, p.scaleP, p.locQ, p.scaleQ), ...tf.grads(f)([p.locP, p.scaleP, p.locQ, p.scaleQ])];
  const values = out.map((t) => Array.from(t.dataSync()));
  tf.dispose([...out, ...Object.values(p)]);
  return values;
}

describe('the native Normal KL kernels (tensorflow)', () => {
  afterEach(() => disableNativeKernels());

  it('give the numbers of @vae/math tfjs-op kernels on the same backend, value and all four gradients', () => {
    const generic = valueAndGradients();
    enableNativeKernels();
    const native = valueAndGradients();
    // The same TensorFlow ops in the same order: the same bits.
    expect(native).toEqual(generic);
    expect(generic[0].every(Number.isFinite)).toBe(true);
  });

  it('are registered on tensorflow only, and disableNativeKernels hands the name back to @vae/math', () => {
    enableNativeKernels();
    const native = tf.getKernel(NORMAL_KL_KERNEL, 'tensorflow');
    expect(native).toBeDefined();
    disableNativeKernels();
    expect(tf.getKernel(NORMAL_KL_KERNEL, 'tensorflow')?.kernelFunc).not.toBe(native?.kernelFunc);
    tf.tidy(() => normalKL(0, 1, 0, 2));
    expect(tf.getKernel(NORMAL_KL_KERNEL, testBackend())).toBeDefined();
  });

  it('are memory-neutral from the first call (their constants are not engine tensors)', async () => {
    disableNativeKernels();
    enableNativeKernels();
    const p = params();
    await expectMemoryNeutral(() => normalKL(p.locP, p.scaleP, p.locQ, p.scaleQ), 'normalKL');
    await expectMemoryNeutral(
      () => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(normalKL(a, b, p.locQ, p.scaleQ)))([p.locP, p.scaleP]),
      'grads of normalKL',
    );
    tf.dispose(Object.values(p));
  });
});
