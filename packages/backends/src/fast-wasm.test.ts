import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { ACCURATE_SOFTPLUS_KERNEL, softplus } from '@vae/math';
import { expectClose, expectMemoryNeutral, runOnBackends } from '@vae/testing';
import { disableFastWasmKernels, enableFastWasmKernels, isFastWasmMatMulEnabled } from './index.js';

describe('enableFastWasmKernels', () => {
  beforeAll(() => tf.setBackend('wasm'));
  afterAll(async () => {
    disableFastWasmKernels();
    await tf.setBackend('cpu');
  });

  it("makes @vae/math's softplus one kernel on wasm, with the same values and gradient as its own series", async () => {
    const x = tf.tensor1d([-100, -80, -20, -1, -1e-6, 0, 1e-6, 1, 20, 80, 1e4]);
    disableFastWasmKernels();
    const series = softplus(x);
    const seriesGradient = tf.grad((t: tf.Tensor) => tf.sum(softplus(t)))(x);
    enableFastWasmKernels();
    expect(isFastWasmMatMulEnabled()).toBe(true);
    const profile = await tf.profile(() => softplus(x));
    expect(profile.kernels.map((k) => k.name)).toContain(ACCURATE_SOFTPLUS_KERNEL);
    expect(profile.kernels.filter((k) => k.name !== 'unnamed scope' && k.name !== 'Cast').length).toBeLessThanOrEqual(2);
    const fused = softplus(x);
    // Below x = -87 the series underflows to 0 while the kernel keeps the subnormal exp(x).
    expectClose(fused, series, { rtol: 5e-7, atol: 1e-43, label: 'softplus' });
    expect(Math.abs(fused.dataSync()[0] - Math.exp(-100))).toBeLessThan(3 * 2 ** -149);
    expectClose(tf.grad((t: tf.Tensor) => tf.sum(softplus(t)))(x), seriesGradient, { rtol: 0, atol: 0, label: 'gradient' });
    tf.dispose([x, series, seriesGradient, fused, profile.result as tf.Tensor]);
  });

  it('sums over leading axes like the cpu backend, for every column tail, and passes other sums on', async () => {
    enableFastWasmKernels();
    const sums = () => {
      const out: tf.Tensor[] = [];
      let seed = 1;
      for (const cols of [1, 3, 4, 5, 16, 17, 35]) {
        for (const rows of [1, 7, 128]) {
          const x = tf.randomNormal([rows, cols], 0, 1, 'float32', seed++);
          out.push(tf.sum(x, 0), tf.sum(x, 0, true), tf.sum(x, 1), tf.sum(x));
        }
      }
      const x3 = tf.randomNormal([3, 5, 6], 0, 1, 'float32', seed++);
      out.push(tf.sum(x3, [0, 1]), tf.sum(x3, [1, 0], true), tf.sum(x3, 0), tf.sum(x3, [0, 2]), tf.sum(tf.zeros([0, 4]), 0));
      // The bias gradient of a dense layer.
      const [a, w, b] = [
        tf.randomNormal([9, 5], 0, 1, 'float32', 90),
        tf.randomNormal([5, 12], 0, 1, 'float32', 91),
        tf.randomNormal([12], 0, 1, 'float32', 92),
      ];
      out.push(tf.grad((bias: tf.Tensor) => tf.sum(tf.sin(tf.add(tf.matMul(a, w), bias))))(b));
      return out;
    };
    const r = await runOnBackends(sums, ['cpu', 'wasm']);
    r.cpu.forEach((expected, i) => expectClose(r.wasm[i], expected, { rtol: 1e-5, atol: 1e-5, label: `sum ${i}` }));
    const x3 = tf.ones([3, 5, 6]);
    tf.tidy(() => {
      expect(tf.sum(x3, [0, 1]).shape).toEqual([6]);
      expect(tf.sum(x3, [1, 0], true).shape).toEqual([1, 1, 6]);
      expect(tf.sum(x3, 0).shape).toEqual([5, 6]);
    });
    const x = tf.randomNormal([128, 784]);
    await expectMemoryNeutral(() => tf.sum(x, 0), 'sum over the batch');
    const dataIds = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
    tf.dispose(tf.sum(x, 0));
    expect((tf.backend() as unknown as { numDataIds(): number }).numDataIds()).toBe(dataIds);
    tf.dispose([x, x3]);
  });

  it('undoes both with disableFastWasmKernels', () => {
    enableFastWasmKernels();
    const wrappedSum = tf.getKernel('Sum', 'wasm');
    disableFastWasmKernels();
    expect(tf.getKernel('Sum', 'wasm')).not.toBe(wrappedSum);
    expect(isFastWasmMatMulEnabled()).toBe(false);
    expect(tf.getKernel(ACCURATE_SOFTPLUS_KERNEL, 'wasm')).toBeUndefined();
  });
});

describe('enableFastWasmKernels under a tfjs version whose internals it does not know', () => {
  it('warns, naming the version, and keeps every tfjs kernel', async () => {
    await tf.setBackend('wasm');
    const before = ['Sum', 'BatchMatMul', '_FusedMatMul'].map((name) => tf.getKernel(name, 'wasm')?.kernelFunc);
    let isolated: typeof import('./fast-wasm.js') | undefined;
    jest.isolateModules(() => {
      jest.doMock('@tensorflow/tfjs-core', () => ({ ...jest.requireActual('@tensorflow/tfjs-core'), version_core: '4.99.0' }));
      // jest.isolateModules is synchronous: a fresh copy of the module graph needs require.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      isolated = require('./fast-wasm.js');
    });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      isolated!.enableFastWasmKernels();
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/tfjs 4\.99\.0 is not a version whose wasm backend internals/));
      // The kernel registry is global to tfjs, so the isolated copy would have changed these.
      expect(['Sum', 'BatchMatMul', '_FusedMatMul'].map((name) => tf.getKernel(name, 'wasm')?.kernelFunc)).toEqual(before);
      expect(tf.getKernel('AccurateSoftplus', 'wasm')).toBeUndefined();
    } finally {
      warn.mockRestore();
      isolated?.disableFastWasmKernels();
      jest.dontMock('@tensorflow/tfjs-core');
      await tf.setBackend('cpu');
    }
  });
});
