import * as tf from '@tensorflow/tfjs-core';
import { ACCURATE_SOFTPLUS_KERNEL } from '@vae/math';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { disableFastWasmKernels, isFastWasmMatMulEnabled, nativeIntraOpThreads, selectBackend } from './index.js';

// A stand-in backend: the cpu backend's kernels under another name (tfjs looks kernels up by
// backend name).
function registerStandIn(name: string, overrides: Record<string, tf.KernelFunc> = {}) {
  tf.registerBackend(name, () => new MathBackendCPU());
  // Any kernels already registered under that name (tfjs-backend-webgl's, when @tensorflow/tfjs was
  // imported) expect the real backend.
  for (const k of tf.getKernelsForBackend(name)) tf.unregisterKernel(k.kernelName, name);
  for (const k of tf.getKernelsForBackend('cpu'))
    tf.registerKernel({ ...k, backendName: name, kernelFunc: overrides[k.kernelName] ?? k.kernelFunc });
}

// Simulates which optional packages are installed: the "native" one registers a stand-in backend
// named tensorflow, as @tensorflow/tfjs-node does on import.
function loader(installed: string[]) {
  return async (name: string) => {
    if (name === 'node:os') return { availableParallelism: () => 6 };
    if (!installed.includes(name)) throw new Error(`Cannot find module '${name}'`);
    if (name.startsWith('@tensorflow/tfjs-node') && !tf.findBackendFactory('tensorflow')) {
      registerStandIn('tensorflow');
    }
    return {};
  };
}

afterEach(async () => {
  disableFastWasmKernels();
  await tf.setBackend('cpu');
});
afterAll(() => {
  for (const name of ['tensorflow', 'webgpu', 'webgl']) if (tf.findBackendFactory(name)) tf.removeBackend(name);
});

it('auto falls back to wasm with the fast kernels when no native binding is installed', async () => {
  const chosen = await selectBackend('auto', { loadModule: loader(['@tensorflow/tfjs-backend-wasm']) });
  expect(chosen).toMatchObject({ name: 'wasm', fastWasmKernels: true });
  expect(chosen.reason).toMatch(/no native TensorFlow binding/);
  expect(tf.getBackend()).toBe('wasm');
  expect(isFastWasmMatMulEnabled()).toBe(true);
  expect(tf.getKernel(ACCURATE_SOFTPLUS_KERNEL, 'wasm')).toBeDefined();
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
  expect(
    (await selectBackend('wasm', { fastWasmKernels: false, loadModule: loader(['@tensorflow/tfjs-backend-wasm']) })).fastWasmKernels,
  ).toBe(false);
  await expect(selectBackend('tensorflow', { loadModule: loader([]) })).rejects.toThrow(
    /install one \(npm install @tensorflow\/tfjs-node\)/,
  );
  await expect(selectBackend('gpu' as never)).rejects.toThrow(
    /preference must be one of auto, tensorflow, webgpu, webgl, wasm, cpu; got gpu/,
  );
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

describe('in a browser', () => {
  const never = async () => {
    throw new Error('a browser never loads a package by name');
  };
  afterEach(() => {
    for (const name of ['webgpu', 'webgl']) {
      if (tf.findBackendFactory(name)) tf.removeBackend(name);
      for (const k of tf.getKernelsForBackend(name)) tf.unregisterKernel(k.kernelName, name);
    }
  });

  it('a backend that starts but computes wrong numbers is passed over, with what it computed', async () => {
    registerStandIn('webgpu', {
      Log1p: ({ inputs, backend }) => (backend as MathBackendCPU).makeTensorInfo(inputs.x!.shape, 'float32', new Float32Array(3)),
    });
    registerStandIn('webgl');
    const chosen = await selectBackend('auto', { environment: 'browser' });
    expect(chosen.reason).toMatch(/^webgl backend/);
    expect(chosen.reason).toMatch(/webgpu could not start: it computed log1p\(\[0\.5,3,7\]\) as \[0\.0000,0\.0000,0\.0000\]/);
    await expect(selectBackend('webgpu', { environment: 'browser' })).rejects.toThrow(
      /the webgpu backend could not start: it computed log1p\(\[0\.5,3,7\]\) as \[0\.0000,0\.0000,0\.0000\]; choose another backend$/,
    );
  });

  it('auto takes the first of webgpu, webgl, wasm, cpu that starts, and quotes why the others did not', async () => {
    // tfjs logs the failed initialization itself; the reason asserted below is the same message.
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    tf.registerBackend('webgpu', async () => {
      throw new Error('WebGPU is not supported on this device');
    });
    registerStandIn('webgl');
    const chosen = await selectBackend('auto', { environment: 'browser', loadModule: never });
    expect(chosen.name).toBe('webgl');
    expect(chosen.reason).toBe(
      'webgl backend (the fastest of webgpu, webgl, wasm, cpu that starts here); webgpu could not start: WebGPU is not supported on this device',
    );
    expect(tf.getBackend()).toBe('webgl');
    warn.mockRestore();
  });

  it('auto takes wasm (with the fast kernels) when neither GPU backend is registered', async () => {
    const chosen = await selectBackend('auto', { environment: 'browser', loadModule: never });
    expect(chosen).toMatchObject({ name: 'wasm', fastWasmKernels: true });
    expect(chosen.reason).toMatch(
      /^wasm backend .*webgpu could not start: no backend named webgpu is registered \(import @tensorflow\/tfjs-backend-webgpu\)/,
    );
  });

  it('auto without a loader never imports by name, and an unregistered choice says which package to import', async () => {
    registerStandIn('webgpu');
    expect((await selectBackend('webgpu', { environment: 'browser' })).name).toBe('webgpu');
    await expect(selectBackend('webgl', { environment: 'browser' })).rejects.toThrow(
      'selectBackend: the webgl backend could not start: no backend named webgl is registered (import @tensorflow/tfjs-backend-webgl); import @tensorflow/tfjs-backend-webgl before calling selectBackend, or choose another backend',
    );
    await expect(selectBackend('tensorflow', { environment: 'browser' })).rejects.toThrow(
      /needs @tensorflow\/tfjs-node-gpu or @tensorflow\/tfjs-node/,
    );
  });
});
