import * as tf from '@tensorflow/tfjs-core';
import { enableFastWasmKernels } from './fast-wasm.js';
import { enableNativeKernels } from './native-dense.js';

/**
 * Which backend to run on: `auto` picks the fastest one that can start here (in a browser:
 * webgpu, webgl, wasm, cpu; in Node: tensorflow, wasm, cpu).
 */
export type BackendPreference = 'auto' | 'tensorflow' | 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** Where {@link selectBackend} runs, which decides the order `auto` tries and whether it may load packages. */
export type BackendEnvironment = 'browser' | 'node';

/** Options of {@link selectBackend}. */
export interface SelectBackendOptions {
  /** Turn on {@link enableFastWasmKernels} when the result is wasm (default true). */
  fastWasmKernels?: boolean;
  /**
   * Loads an optional backend package by name: `@tensorflow/tfjs-node(-gpu)` for `tensorflow`,
   * `@tensorflow/tfjs-backend-wasm` for `wasm` when it is not registered yet. The default in Node
   * is a dynamic `import` of a computed name (bundlers neither follow nor warn about it); in a
   * browser there is none, so nothing is ever loaded by package name there: import the backends
   * the app wants before calling. Tests pass their own to simulate which packages are installed.
   */
  loadModule?: (name: string) => Promise<unknown>;
  /** Overrides the detection of a browser (a `document` or a worker scope) versus Node. */
  environment?: BackendEnvironment;
}

/** What {@link selectBackend} chose, and why. */
export interface SelectedBackend {
  /** The active tfjs backend's name (`tensorflow`, `webgpu`, `webgl`, `wasm` or `cpu`). */
  name: string;
  /** The package that provided it, when one was loaded. */
  package?: string;
  /** One sentence a command-line tool or a page can print. */
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

const PREFERENCES: readonly BackendPreference[] = ['auto', 'tensorflow', 'webgpu', 'webgl', 'wasm', 'cpu'];

/** The package that registers each tfjs backend, for messages and for loading in Node. */
const BACKEND_PACKAGES: Record<string, string> = {
  webgpu: '@tensorflow/tfjs-backend-webgpu',
  webgl: '@tensorflow/tfjs-backend-webgl',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};

function detectEnvironment(): BackendEnvironment {
  const g = globalThis as { document?: unknown; importScripts?: unknown };
  return typeof g.document !== 'undefined' || typeof g.importScripts === 'function' ? 'browser' : 'node';
}

// The name is a parameter, not a literal, so bundlers leave this import alone; it only runs in Node.
const nodeImport = (name: string): Promise<unknown> => import(/* @vite-ignore */ /* webpackIgnore: true */ name);

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Why a registered backend did not start: tfjs swallows the factory's error (and only logs it
 * outside production), so the factory is called once more to read it.
 */
async function whyNotStarted(name: string): Promise<string> {
  const factory = tf.findBackendFactory(name);
  if (!factory) return `no backend named ${name} is registered (import ${BACKEND_PACKAGES[name] ?? 'its package'})`;
  try {
    const backend = await factory();
    backend?.dispose?.();
    return 'its factory succeeded on a second try, but tfjs could not make it active';
  } catch (e) {
    return message(e);
  }
}

/**
 * Whether the active backend computes and reads back synchronously, as the packages' argument
 * checks and training steps do: a GPU backend can start and still fail there (on SwiftShader's
 * WebGPU, reading tfjs's log1p result with dataSync gives zeros and loses the device).
 */
function computes(): string | undefined {
  const x = [0.5, 3, 7];
  const t = tf.tidy(() => tf.log1p(tf.tensor1d(x)));
  try {
    const got = Array.from(t.dataSync());
    const wrong = got.some((v, i) => !(Math.abs(v - Math.log1p(x[i]!)) <= 1e-3 * Math.log1p(x[i]!)));
    return wrong ? `it computed log1p([${x}]) as [${got.map((v) => v.toPrecision(5))}]` : undefined;
  } catch (e) {
    return `it failed computing log1p([${x}]): ${message(e)}`;
  } finally {
    t.dispose();
  }
}

async function activate(name: string): Promise<{ ok: true } | { ok: false; why: string }> {
  if (!tf.findBackendFactory(name))
    return { ok: false, why: `no backend named ${name} is registered (import ${BACKEND_PACKAGES[name] ?? 'its package'})` };
  try {
    if ((await tf.setBackend(name)) && (await tf.ready(), tf.getBackend() === name)) {
      const broken = name === 'cpu' ? undefined : computes();
      return broken ? { ok: false, why: broken } : { ok: true };
    }
  } catch (e) {
    return { ok: false, why: message(e) };
  }
  return { ok: false, why: await whyNotStarted(name) };
}

/**
 * Activates a tfjs backend and says which and why. `auto` in a browser takes the first of
 * webgpu, webgl, wasm and cpu that is registered and starts; in Node, the native TensorFlow
 * binding when `@tensorflow/tfjs-node-gpu` or `@tensorflow/tfjs-node` is installed, otherwise
 * wasm (with {@link enableFastWasmKernels}), otherwise cpu.
 *
 * @remarks
 * Backends are found by their tfjs registration: importing `@tensorflow/tfjs` registers cpu and
 * webgl, `@tensorflow/tfjs-backend-wasm` registers wasm, `@tensorflow/tfjs-backend-webgpu`
 * registers webgpu. So in a browser bundle the app imports the backends it wants and this function
 * never loads a package by name. In Node, where the native binding is optional (it downloads
 * libtensorflow at install time, which fails without that network access), `options.loadModule`
 * (by default a dynamic import of a computed name that bundlers ignore) tries the native packages
 * and, if wasm is not registered yet, `@tensorflow/tfjs-backend-wasm`. Asking for a backend that
 * cannot start is an error that quotes the backend's own reason and says how to fix it. A backend
 * counts as started once it has computed a small `log1p` and read it back synchronously (a
 * software WebGPU can start and then lose its device there).
 *
 * @param preference - `auto` (default), `tensorflow`, `webgpu`, `webgl`, `wasm` or `cpu`
 * @param options - fast wasm kernels, a module loader (Node) and the environment override
 * @returns the backend that is now active, and why
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs';
 * import { selectBackend } from '@vae/backends';
 * const chosen = await selectBackend('cpu');
 * console.log(chosen.name, chosen.reason); // cpu, "cpu backend (as asked)"
 * ```
 */
export async function selectBackend(preference: BackendPreference = 'auto', options: SelectBackendOptions = {}): Promise<SelectedBackend> {
  if (!PREFERENCES.includes(preference)) {
    throw new Error(`selectBackend: preference must be one of ${PREFERENCES.join(', ')}; got ${String(preference)}`);
  }
  const environment = options.environment ?? detectEnvironment();
  const load = options.loadModule ?? (environment === 'node' ? nodeImport : undefined);
  const failures: string[] = [];

  if (preference === 'tensorflow' || (preference === 'auto' && environment === 'node')) {
    for (const pkg of load ? NATIVE_BACKEND_PACKAGES : []) {
      try {
        await load!(pkg);
      } catch {
        continue;
      }
      if ((await activate('tensorflow')).ok) {
        enableNativeKernels();
        const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
        const threads = nativeIntraOpThreads(env, load === undefined ? undefined : await schedulableCores(load));
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

  const order = preference === 'auto' ? (environment === 'browser' ? ['webgpu', 'webgl', 'wasm', 'cpu'] : ['wasm', 'cpu']) : [preference];
  for (const name of order) {
    if (name === 'wasm' && !tf.findBackendFactory('wasm') && load) {
      try {
        await load(BACKEND_PACKAGES.wasm);
      } catch {
        // Not installed: activate() below reports it as not registered.
      }
    }
    const started = await activate(name);
    if (started.ok) {
      const fast = name === 'wasm' && (options.fastWasmKernels ?? true);
      if (fast) enableFastWasmKernels();
      let why: string;
      if (preference !== 'auto') why = 'as asked';
      else if (environment === 'node') why = name === 'wasm' ? 'no native TensorFlow binding is installed' : 'nothing faster could start';
      else why = `the fastest of webgpu, webgl, wasm, cpu that starts here`;
      const skipped = failures.length > 0 ? `; ${failures.join('; ')}` : '';
      return { name, package: BACKEND_PACKAGES[name], reason: `${name} backend (${why})${skipped}`, fastWasmKernels: fast };
    }
    failures.push(`${name} could not start: ${started.why}`);
  }
  throw new Error(
    preference === 'auto'
      ? `selectBackend: no backend could start (${failures.join('; ')}); import @tensorflow/tfjs first`
      : `selectBackend: the ${preference} backend could not start: ${failures[0]!.replace(/^\w+ could not start: /, '')}; ` +
          (tf.findBackendFactory(preference)
            ? 'choose another backend'
            : `import ${BACKEND_PACKAGES[preference]} before calling selectBackend, or choose another backend`),
  );
}
