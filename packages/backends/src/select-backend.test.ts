import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { disableFastWasmKernels, isFastWasmMatMulEnabled, nativeIntraOpThreads, selectBackend } from './index.js';

// Simulates which optional packages are installed: the "native" one registers a stand-in backend
// named tensorflow, as @tensorflow/tfjs-node does on import.
function loader(installed: string[]) {
  return async (name: string) => {
    if (name === 'node:os') return { availableParallelism: () => 6 };
    if (!installed.includes(name)) throw new Error(`Cannot find module '${name}'`);
    if (name.startsWith('@tensorflow/tfjs-node') && !tf.findBackendFactory('tensorflow')) {
      tf.registerBackend('tensorflow', () => new MathBackendCPU(), 0);
    }
    return {};
  };
}

afterEach(async () => {
  disableFastWasmKernels();
  await tf.setBackend('cpu');
});
afterAll(() => {
  if (tf.findBackendFactory('tensorflow')) tf.removeBackend('tensorflow');
});

it('auto falls back to wasm with the fast kernels when no native binding is installed', async () => {
  const chosen = await selectBackend('auto', { loadModule: loader(['@tensorflow/tfjs-backend-wasm']) });
  expect(chosen).toMatchObject({ name: 'wasm', fastWasmKernels: true });
  expect(chosen.reason).toMatch(/no native TensorFlow binding/);
  expect(tf.getBackend()).toBe('wasm');
  expect(isFastWasmMatMulEnabled()).toBe(true);
  expect(tf.getKernel('AccurateSoftplus', 'wasm')).toBeDefined();
});

it('auto prefers tfjs-node-gpu, then tfjs-node, when present', async () => {
  let chosen = await selectBackend('auto', { loadModule: loader(['@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-wasm']) });
  expect(chosen).toMatchObject({ name: 'tensorflow', package: '@tensorflow/tfjs-node' });
  expect(chosen.intraOpThreads).toEqual(nativeIntraOpThreads(process.env, 6));
  expect(chosen.reason).toMatch(/from @tensorflow\/tfjs-node, intra-op threads: \d+ \((TF_NUM_INTRAOP_THREADS|one per core)\)/);
  expect(tf.getBackend()).toBe('tensorflow');
  chosen = await selectBackend('auto', { loadModule: loader(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) });
  expect(chosen.package).toBe('@tensorflow/tfjs-node-gpu');
});

it('explicit choices are honoured, and an impossible one says how to fix it', async () => {
  tf.removeBackend('tensorflow');
  expect((await selectBackend('cpu')).name).toBe('cpu');
  expect((await selectBackend('wasm', { fastWasmKernels: false, loadModule: loader(['@tensorflow/tfjs-backend-wasm']) })).fastWasmKernels).toBe(false);
  await expect(selectBackend('tensorflow', { loadModule: loader([]) })).rejects.toThrow(/install one \(npm install @tensorflow\/tfjs-node\)/);
  await expect(selectBackend('gpu' as never)).rejects.toThrow(/preference must be one of auto, tensorflow, wasm, cpu; got gpu/);
});

it('with the real module loader on this machine, auto finds no native binding and picks wasm', async () => {
  // @tensorflow/tfjs-node cannot be installed here (its install step downloads libtensorflow).
  const chosen = await selectBackend('auto');
  expect(['wasm', 'tensorflow']).toContain(chosen.name);
  expect(chosen.intraOpThreads === undefined).toBe(chosen.name !== 'tensorflow');
});

it('reads the native thread count from TF_NUM_INTRAOP_THREADS, else one per core', () => {
  expect(nativeIntraOpThreads({ TF_NUM_INTRAOP_THREADS: '2' }, 8)).toEqual({ count: 2, source: 'TF_NUM_INTRAOP_THREADS' });
  expect(nativeIntraOpThreads({ TF_NUM_INTRAOP_THREADS: '16' })).toEqual({ count: 16, source: 'TF_NUM_INTRAOP_THREADS' });
  // 0 means TensorFlow's default; other values that are not a positive integer are not a thread count.
  for (const bad of ['0', '-1', '1.5', 'two', '']) {
    expect(nativeIntraOpThreads({ TF_NUM_INTRAOP_THREADS: bad }, 4)).toEqual({ count: 4, source: 'one per core' });
  }
  expect(nativeIntraOpThreads({}, undefined)).toEqual({ count: undefined, source: 'one per core' });
});
