// The command line's --backend flag: the Node backends of @vae/backends' selectBackend (the one
// owner of backend selection and its BackendPreference type), with the flag's own error messages.
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { selectBackend } from '@vae/backends';
import type { BackendPreference } from '@vae/backends';
import { silenceNodeBackendAdvice } from '@vae/math';

/** The values of `--backend`: the preferences that can start in Node. */
export const CLI_BACKENDS = ['auto', 'wasm', 'cpu', 'tensorflow'] as const satisfies readonly BackendPreference[];

/**
 * Starts the backend `--backend` names and returns its name. `auto` loads tfjs-node when it is
 * installed and otherwise uses wasm with the fast kernels (see `selectBackend` of @vae/backends).
 */
export async function startCliBackend(choice: string): Promise<string> {
  if (!(CLI_BACKENDS as readonly string[]).includes(choice)) {
    throw new Error(`--backend must be ${CLI_BACKENDS.slice(0, -1).join(', ')} or ${CLI_BACKENDS.at(-1)}; got ${String(choice)}`);
  }
  let chosen;
  try {
    chosen = await selectBackend(choice as BackendPreference);
  } catch (e) {
    if (choice === 'tensorflow') {
      throw new Error(
        '--backend tensorflow needs @tensorflow/tfjs-node or @tensorflow/tfjs-node-gpu installed (npm install @tensorflow/tfjs-node); use --backend wasm or cpu',
      );
    }
    throw e;
  }
  silenceNodeBackendAdvice();
  return chosen.name;
}
