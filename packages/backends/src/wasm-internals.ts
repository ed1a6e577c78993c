// What our WebAssembly kernels need from tfjs-backend-wasm 4.x beyond its public API: the
// emscripten module's linear memory, each tensor's byte offset in it, and a way to allocate outputs.
// Every piece is checked at run time; when one is missing (another tfjs version, a threaded build)
// `wasmBackendInternals` returns undefined and callers keep the backend's own kernels.
import * as tf from '@tensorflow/tfjs-core';

/** A WebAssembly.Memory: the linear memory our kernels import. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

// The slice of the WebAssembly JS API we use. @types/node 20 does not declare the global, and
// pulling in the DOM library for it would let browser-only names type-check in Node code.
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/**
 * Instantiates a module that imports `env.memory`, or returns undefined when this engine cannot
 * compile it (no WebAssembly, or no SIMD).
 */
export function instantiateWithMemory<Exports>(bytes: Uint8Array, memory: WasmMemory): Exports | undefined {
  const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  if (!api?.validate(bytes)) return undefined;
  return new api.Instance(new api.Module(bytes), { env: { memory } }).exports as Exports;
}

type BackendFields = {
  makeOutput?: (shape: number[], dtype: 'float32') => tf.TensorInfo;
  dataIdMap?: { get(dataId: object): { memoryOffset: number } | undefined };
  wasm?: { asm?: { memory?: WasmMemory }; wasmMemory?: WasmMemory };
};

/** The tfjs wasm backend's memory, tensor addresses and output allocation. */
export interface WasmBackendInternals {
  memory: WasmMemory;
  /** Byte address of a tensor's data. */
  address(tensor: tf.TensorInfo): number;
  /** A new float32 tensor of this shape on the backend's heap (contents undefined). */
  makeOutput(shape: number[]): tf.TensorInfo;
}

const cache = new WeakMap<object, WasmBackendInternals | null>();

/** The internals of `backend`, or undefined when it is not a tfjs-backend-wasm 4.x backend. */
export function wasmBackendInternals(backend: object): WasmBackendInternals | undefined {
  let internals = cache.get(backend);
  if (internals === undefined) {
    const fields = backend as BackendFields;
    const memory = fields.wasm?.asm?.memory ?? fields.wasm?.wasmMemory;
    const { makeOutput, dataIdMap } = fields;
    internals =
      memory?.buffer && typeof makeOutput === 'function' && dataIdMap
        ? {
            memory,
            address: (tensor) => dataIdMap.get(tensor.dataId)!.memoryOffset,
            makeOutput: (shape) => makeOutput.call(backend, shape, 'float32'),
          }
        : null;
    cache.set(backend, internals);
  }
  return internals ?? undefined;
}

const compiled = new WeakMap<WasmMemory, Map<string, unknown>>();

/**
 * What `make` returns for `memory` (kernels instantiated against it), made once per memory and
 * `name` (a kernel family); null when `make` cannot compile them (no WebAssembly SIMD).
 */
export function compiledOnce<Kernels>(name: string, memory: WasmMemory, make: () => Kernels | null | undefined): Kernels | null {
  let byName = compiled.get(memory);
  if (!byName) {
    byName = new Map();
    compiled.set(memory, byName);
  }
  if (!byName.has(name)) byName.set(name, make() ?? null);
  return byName.get(name) as Kernels | null;
}

/**
 * Registers `kernelFunc` as the wasm kernel `kernelName` if `backend` is tfjs-backend-wasm 4.x and
 * `compiles` succeeds against its memory; returns whether the kernel is registered (it may already
 * have been).
 */
export function registerWasmKernel(kernelName: string, backend: object, compiles: (memory: WasmMemory) => boolean, kernelFunc: unknown): boolean {
  if (tf.getKernel(kernelName, 'wasm')) return true;
  const internals = wasmBackendInternals(backend);
  if (!internals || !compiles(internals.memory)) return false;
  tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: kernelFunc as tf.KernelFunc });
  return true;
}
