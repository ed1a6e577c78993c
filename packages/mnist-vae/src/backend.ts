import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

/** A backend request: `auto` prefers tfjs-node (GPU, then CPU) when installed, else wasm. */
export type BackendChoice = 'auto' | 'wasm' | 'cpu' | 'tensorflow';

async function tryImport(name: string): Promise<boolean> {
  try {
    // A variable specifier: these optional packages are not dependencies and may be absent.
    const specifier = name;
    await import(specifier);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts a tfjs backend and returns its name.
 *
 * @remarks
 * `auto` loads `@tensorflow/tfjs-node-gpu` or `@tensorflow/tfjs-node` when one is installed
 * (detected with a dynamic import in try/catch; both register the `tensorflow` backend) and
 * otherwise uses `wasm`. `tensorflow` without tfjs-node installed is an error that says so.
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
  let name: string = choice;
  if (choice === 'auto' || choice === 'tensorflow') {
    const found = (await tryImport('@tensorflow/tfjs-node-gpu')) || (await tryImport('@tensorflow/tfjs-node'));
    if (found) name = 'tensorflow';
    else if (choice === 'tensorflow') throw new Error("--backend tensorflow needs @tensorflow/tfjs-node or @tensorflow/tfjs-node-gpu installed (npm install @tensorflow/tfjs-node); use --backend wasm or cpu");
    else name = 'wasm';
  } else if (choice !== 'wasm' && choice !== 'cpu') {
    throw new Error(`--backend must be auto, wasm, cpu or tensorflow; got ${String(choice)}`);
  }
  if (!(await tf.setBackend(name))) throw new Error(`the ${name} backend failed to start`);
  await tf.ready();
  // The cpu backend's advice to install tfjs-node is noise for a command-line tool.
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  return name;
}
