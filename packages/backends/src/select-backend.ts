import * as tf from '@tensorflow/tfjs-core';
import { enableFastWasmKernels } from './fast-wasm.js';
import { enableNativeKernels } from './native-dense.js';

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
  /**
   * On the native backend, the threads TensorFlow runs one kernel on, and where that number comes
   * from (see {@link nativeIntraOpThreads}); absent on other backends.
   */
  intraOpThreads?: NativeThreads;
}

/** The intra-op thread count of the native backend, and its source. */
export interface NativeThreads {
  /** Threads per kernel; undefined when the core count is unknown. */
  count: number | undefined;
  /** `TF_NUM_INTRAOP_THREADS` when that variable set it, else TensorFlow's default of one per schedulable core. */
  source: 'TF_NUM_INTRAOP_THREADS' | 'one per core';
}

/**
 * The number of threads TensorFlow's native backend runs each kernel on.
 *
 * @remarks
 * libtensorflow reads `TF_NUM_INTRAOP_THREADS` once, when its first session starts (set it before
 * `@tensorflow/tfjs-node` is loaded); a positive integer there wins (0 means the default). Otherwise TensorFlow uses one
 * thread per schedulable core. tfjs-node itself reports neither, so this mirrors TensorFlow's rule.
 *
 * @param env - the environment variables (in Node, `process.env`)
 * @param cores - the schedulable core count (`os.availableParallelism()`), if known
 * @returns the thread count and where it comes from
 *
 * @example
 * ```ts
 * import { nativeIntraOpThreads } from '@vae/backends';
 * console.log(nativeIntraOpThreads({ TF_NUM_INTRAOP_THREADS: '2' }, 8)); // { count: 2, source: 'TF_NUM_INTRAOP_THREADS' }
 * console.log(nativeIntraOpThreads({}, 8)); // { count: 8, source: 'one per core' }
 * ```
 */
export function nativeIntraOpThreads(env: Readonly<Record<string, string | undefined>>, cores?: number): NativeThreads {
  const raw = env.TF_NUM_INTRAOP_THREADS;
  if (raw !== undefined && /^[1-9][0-9]*$/.test(raw)) return { count: Number(raw), source: 'TF_NUM_INTRAOP_THREADS' };
  return { count: cores !== undefined && cores > 0 ? cores : undefined, source: 'one per core' };
}

async function schedulableCores(load: (name: string) => Promise<unknown>): Promise<number | undefined> {
  try {
    const os = (await load('node:os')) as { availableParallelism?: () => number; cpus?: () => unknown[] };
    return os.availableParallelism?.() ?? os.cpus?.().length;
  } catch {
    return undefined;
  }
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
 * `@tensorflow/tfjs-node-gpu` or `@tensorflow/tfjs-node` is installed (with
 * {@link enableNativeKernels}), otherwise wasm (with
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
        enableNativeKernels();
        const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
        const threads = nativeIntraOpThreads(env, await schedulableCores(load));
        const count = threads.count === undefined ? 'one per core' : `${threads.count} (${threads.source})`;
        const reason = `native TensorFlow backend from ${pkg}, intra-op threads: ${count}`;
        return { name: 'tensorflow', package: pkg, reason, fastWasmKernels: false, intraOpThreads: threads };
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
