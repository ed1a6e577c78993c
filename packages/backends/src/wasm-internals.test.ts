import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { encodeModule, FunctionBuilder, ValueType } from './wasm-assembler.js';
import {
  compiledOnce,
  instantiateWithMemory,
  registerWasmKernel,
  TFJS_INTERNALS_VERSIONS,
  tfjsInternalsSupported,
  wasmBackendInternals,
  type WasmMemory,
} from './wasm-internals.js';
import { useBackend } from '@vae/testing';

describe('the tfjs version pin', () => {
  it('lists the installed tfjs-core minor version (the tests of this package ran against it)', () => {
    expect(TFJS_INTERNALS_VERSIONS).toContain(tf.version_core.split('.').slice(0, 2).join('.'));
    expect(tfjsInternalsSupported()).toBe(true);
  });

  it('accepts any patch of a listed minor version, silently', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(tfjsInternalsSupported(`${TFJS_INTERNALS_VERSIONS[0]}.99`)).toBe(true);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it('rejects another minor version loudly, naming it, once per version', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(tfjsInternalsSupported('4.23.0')).toBe(false);
    expect(tfjsInternalsSupported('4.23.0')).toBe(false);
    expect(tfjsInternalsSupported('5.0.1')).toBe(false);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[0][0]).toMatch(/tfjs 4\.23\.0 is not a version whose wasm backend internals .*4\.22\.x.*tfjs's own kernels run/);
    expect(warn.mock.calls[1][0]).toMatch(/tfjs 5\.0\.1/);
    warn.mockRestore();
  });
});

describe('wasmBackendInternals', () => {
  useBackend('wasm');

  it("reads a tensor's bytes at its address in the backend's memory, and allocates outputs there", () => {
    const internals = wasmBackendInternals(tf.backend())!;
    expect(internals).toBeDefined();
    expect(wasmBackendInternals(tf.backend())).toBe(internals); // cached per backend
    const x = tf.tensor1d([1.5, -2, 3.25]);
    expect(Array.from(new Float32Array(internals.memory.buffer, internals.address(x), 3))).toEqual([1.5, -2, 3.25]);
    const info = internals.makeOutput([2, 2]);
    new Float32Array(internals.memory.buffer, internals.address(info), 4).set([4, 3, 2, 1]);
    const out = tf.engine().makeTensorFromTensorInfo(info);
    expect(out.shape).toEqual([2, 2]);
    expect(Array.from(out.dataSync())).toEqual([4, 3, 2, 1]);
    tf.dispose([x, out]);
  });

  it('is undefined for a backend that is not tfjs-backend-wasm', () => {
    expect(wasmBackendInternals(tf.findBackend('cpu')!)).toBeUndefined();
    expect(wasmBackendInternals({})).toBeUndefined();
    expect(
      registerWasmKernel(
        'NeverRegistered',
        tf.findBackend('cpu')!,
        () => true,
        () => undefined,
      ),
    ).toBe(false);
    expect(tf.getKernel('NeverRegistered', 'wasm')).toBeUndefined();
  });

  it('under another tfjs version reads nothing and registers nothing, with a warning naming the version', () => {
    const wasmBackend = tf.backend();
    let isolated: typeof import('./wasm-internals.js') | undefined;
    jest.isolateModules(() => {
      jest.doMock('@tensorflow/tfjs-core', () => ({ ...jest.requireActual('@tensorflow/tfjs-core'), version_core: '4.23.0' }));
      // jest.isolateModules is synchronous: a fresh copy of the module graph needs require.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      isolated = require('./wasm-internals.js');
    });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(isolated!.wasmBackendInternals(wasmBackend)).toBeUndefined();
    expect(
      isolated!.registerWasmKernel(
        'NeverRegistered',
        wasmBackend,
        () => true,
        () => undefined,
      ),
    ).toBe(false);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatch(/tfjs 4\.23\.0/);
    warn.mockRestore();
    jest.dontMock('@tensorflow/tfjs-core');
  });
});

describe('instantiateWithMemory and compiledOnce', () => {
  const fill = () => {
    const f = new FunctionBuilder('fill', [ValueType.i32]);
    f.get(0).f32Const(7).f32x4('splat').v128Store();
    return encodeModule([f]);
  };
  const memory = () =>
    new (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number }) => WasmMemory } }).WebAssembly.Memory({
      initial: 1,
    });

  it('instantiates a module against the given memory, and refuses bytes that do not validate', () => {
    const mem = memory();
    const kernels = instantiateWithMemory<{ fill: (at: number) => void }>(fill(), mem)!;
    kernels.fill(32);
    expect(Array.from(new Float32Array(mem.buffer, 32, 4))).toEqual([7, 7, 7, 7]);
    const broken = fill().slice(0, -1);
    expect(instantiateWithMemory(broken, mem)).toBeUndefined();
  });

  it('makes kernels once per memory and name, and remembers a failure as null', () => {
    const [a, b] = [memory(), memory()];
    const make = jest.fn(() => ({ id: Math.random() }));
    const first = compiledOnce('k', a, make);
    expect(compiledOnce('k', a, make)).toBe(first);
    expect(compiledOnce('k', b, make)).not.toBe(first);
    expect(compiledOnce('other', a, make)).not.toBe(first);
    expect(make).toHaveBeenCalledTimes(3);
    const failing = jest.fn(() => undefined);
    expect(compiledOnce('failing', a, failing)).toBeNull();
    expect(compiledOnce('failing', a, failing)).toBeNull();
    expect(failing).toHaveBeenCalledTimes(1);
  });
});
