import * as tf from '@tensorflow/tfjs-core';
import { enableFastWasmKernels } from './fast-wasm.js';

/** Which backend to run on: `auto` picks the fastest one installed. */
export type BackendPreference = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

/** Options of {@link selectBackend}. */
export interface SelectBackendOptions {
  /** Turn on {@link enableFastWasmKernels} when the result is wasm (default true). */
  fastWasmKernels?: boolean;
  /**
   * Loads a module by name (default: dynamic `import`). Tests pass their own to simulate which
   * optional backends are installed.
   */
  loadModule?: (name: string) => Promise<unknown>;
}

/** What {@link selectBackend} chose, and why. */
export interface SelectedBackend {
  /** The active tfjs backend's name (`tensorflow`, `wasm` or `cpu`). */
  name: string;
  /** The package that provided it, when one was loaded. */
  package?: string;
  /** One sentence a command-line tool can print. */
  reason: string;
  /** Whether {@link enableFastWasmKernels} is on. */
  fastWasmKernels: boolean;
}

/** The native TensorFlow bindings, most capable first; neither is required. */
export const NATIVE_BACKEND_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

const defaultLoad = (name: string): Promise<unknown> => import(name);

async function activate(name: string): Promise<boolean> {
  try {
    return (await tf.setBackend(name)) && (await tf.ready(), tf.getBackend() === name);
  } catch {
    return false;
  }
}

/**
 * Activates a tfjs backend: with `auto`, the native TensorFlow binding when
 * `@tensorflow/tfjs-node-gpu` or `@tensorflow/tfjs-node` is installed, otherwise wasm (with
 * {@link enableFastWasmKernels}), otherwise cpu.
 *
 * @remarks
 * The native packages are optional: they download libtensorflow at install time, which fails on
 * machines without that network access, so nothing here requires them. Asking for `tensorflow`
 * when neither loads is an error that says how to install one.
 *
 * @param preference - `auto` (default), `tensorflow`, `wasm` or `cpu`
 * @param options - whether to enable the fast wasm kernels, and a module loader for tests
 * @returns the backend that is now active, and why
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs';
 * import { selectBackend } from '@vae/backends';
 * const chosen = await selectBackend('cpu');
 * console.log(chosen.name, chosen.reason); // cpu, "cpu backend, as asked"
 * ```
 */
export async function selectBackend(preference: BackendPreference = 'auto', options: SelectBackendOptions = {}): Promise<SelectedBackend> {
  const load = options.loadModule ?? defaultLoad;
  const valid: BackendPreference[] = ['auto', 'tensorflow', 'wasm', 'cpu'];
  if (!valid.includes(preference)) {
    throw new Error(`selectBackend: preference must be one of ${valid.join(', ')}; got ${String(preference)}`);
  }
  if (preference === 'auto' || preference === 'tensorflow') {
    for (const pkg of NATIVE_BACKEND_PACKAGES) {
      try {
        await load(pkg);
      } catch {
        continue;
      }
      if (await activate('tensorflow')) {
        return { name: 'tensorflow', package: pkg, reason: `native TensorFlow backend from ${pkg}`, fastWasmKernels: false };
      }
    }
    if (preference === 'tensorflow') {
      throw new Error(
        `selectBackend: the tensorflow backend needs ${NATIVE_BACKEND_PACKAGES.join(' or ')}, and neither could be loaded; ` +
          `install one (npm install @tensorflow/tfjs-node) or choose wasm or cpu`,
      );
    }
  }
  if (preference === 'auto' || preference === 'wasm') {
    let loaded = true;
    try {
      await load('@tensorflow/tfjs-backend-wasm');
    } catch {
      loaded = false;
    }
    if (loaded && (await activate('wasm'))) {
      const fast = options.fastWasmKernels ?? true;
      if (fast) enableFastWasmKernels();
      const why = preference === 'auto' ? 'no native TensorFlow binding is installed' : 'as asked';
      return { name: 'wasm', package: '@tensorflow/tfjs-backend-wasm', reason: `wasm backend (${why})`, fastWasmKernels: fast };
    }
    if (preference === 'wasm') throw new Error('selectBackend: the wasm backend could not start; is @tensorflow/tfjs-backend-wasm installed?');
  }
  if (!(await activate('cpu'))) throw new Error('selectBackend: the cpu backend could not start; import @tensorflow/tfjs first');
  return { name: 'cpu', reason: preference === 'cpu' ? 'cpu backend, as asked' : 'cpu backend (nothing faster could start)', fastWasmKernels: false };
}
