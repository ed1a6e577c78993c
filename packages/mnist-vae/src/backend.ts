import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { selectBackend as activateBackend } from '@vae/backends';

/** A backend request: `auto` prefers tfjs-node (GPU, then CPU) when installed, else wasm. */
export type BackendChoice = 'auto' | 'wasm' | 'cpu' | 'tensorflow';

/**
 * Starts a tfjs backend and returns its name.
 *
 * @remarks
 * `auto` loads `@tensorflow/tfjs-node-gpu` or `@tensorflow/tfjs-node` when one is installed
 * (detected with a dynamic import in try/catch; both register the `tensorflow` backend) and
 * otherwise uses `wasm`, with `@vae/backends`' `enableFastWasmKernels` turned on (SIMD matrix
 * products, bias-gradient sums and softplus: several times faster dense layers). `tensorflow` without tfjs-node installed is an error that says so.
 *
 * @param choice - `auto`, `wasm`, `cpu` or `tensorflow`
 * @returns the active backend's name
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { selectBackend } from '@vae/mnist-vae';
 * const before = tf.getBackend();
 * console.log(await selectBackend('cpu')); // cpu
 * await tf.setBackend(before);
 * ```
 */
export async function selectBackend(choice: BackendChoice = 'auto'): Promise<string> {
  if (!['auto', 'wasm', 'cpu', 'tensorflow'].includes(choice)) {
    throw new Error(`--backend must be auto, wasm, cpu or tensorflow; got ${String(choice)}`);
  }
  let chosen;
  try {
    chosen = await activateBackend(choice);
  } catch (e) {
    if (choice === 'tensorflow') {
      throw new Error('--backend tensorflow needs @tensorflow/tfjs-node or @tensorflow/tfjs-node-gpu installed (npm install @tensorflow/tfjs-node); use --backend wasm or cpu');
    }
    throw e;
  }
  // The cpu backend's advice to install tfjs-node is noise for a command-line tool.
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  return chosen.name;
}
