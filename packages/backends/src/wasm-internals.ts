// The one place in the repository that knows tfjs internals (docs/architecture.md): what our
// WebAssembly kernels need from tfjs-backend-wasm beyond its public API, namely the emscripten
// module's linear memory, each tensor's byte offset in it, and a way to allocate outputs. These are
// private fields, so they are read only under the tfjs versions listed in TFJS_INTERNALS_VERSIONS
// (another version gets a console warning naming it, and tfjs's own kernels); within those, every
// piece is still checked at run time, and when one is missing (a threaded build) callers keep the
// backend's own kernels too.
import * as tf from '@tensorflow/tfjs-core';

/**
 * The tfjs minor versions (`major.minor` of `@tensorflow/tfjs-core`) whose wasm backend internals
 * this package reads; `@tensorflow/tfjs-backend-wasm` requires the tfjs-core of its own version, so
 * the core's version pins the backend's too. Add a version here only after `npm test` and the
 * backend suites pass with it installed.
 */
export const TFJS_INTERNALS_VERSIONS: readonly string[] = ['4.22'];

const warnedVersions = new Set<string>();

// The library compiles without DOM or Node types, and both hosts have a console.
declare const console: { warn(message: string): void };

/**
 * Whether tfjs `version` (by default the running tfjs-core's) is one whose wasm internals this
 * package knows. An unknown version is said once, with a console warning that names it, so a tfjs
 * upgrade never silently changes which kernels run.
 */
export function tfjsInternalsSupported(version: string = tf.version_core): boolean {
  const minor = version.split('.').slice(0, 2).join('.');
  if (TFJS_INTERNALS_VERSIONS.includes(minor)) return true;
  if (!warnedVersions.has(version)) {
    warnedVersions.add(version);
    console.warn(
      `@vae/backends: tfjs ${version} is not a version whose wasm backend internals this package reads ` +
        `(${TFJS_INTERNALS_VERSIONS.map((v) => `${v}.x`).join(', ')}); its fast wasm kernels stay off and tfjs's own kernels run.`,
    );
  }
  return false;
}

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

/**
 * The internals of `backend`, or undefined when it is not a tfjs-backend-wasm backend of a version
 * in {@link TFJS_INTERNALS_VERSIONS} (see {@link tfjsInternalsSupported}).
 */
export function wasmBackendInternals(backend: object): WasmBackendInternals | undefined {
  if (!tfjsInternalsSupported()) return undefined;
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
export function registerWasmKernel(
  kernelName: string,
  backend: object,
  compiles: (memory: WasmMemory) => boolean,
  kernelFunc: unknown,
): boolean {
  if (tf.getKernel(kernelName, 'wasm')) return true;
  const internals = wasmBackendInternals(backend);
  if (!internals || !compiles(internals.memory)) return false;
  tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: kernelFunc as tf.KernelFunc });
  return true;
}
