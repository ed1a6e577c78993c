// The one tfjs field below @vae/backends that the packages write although it is not public API:
// the cpu backend's firstUse flag. It lives in the bottom package so that every layer (the
// benchmarks of math and samplers, @vae/testing's jest set-up, the `vae` command) calls this one
// function. Each access is guarded, so another tfjs version keeps tfjs's default behaviour.
import * as tf from '@tensorflow/tfjs-core';

/**
 * Turns off the cpu backend's one-time advice to install tfjs-node ("Hi, looks like you are
 * running TensorFlow.js in Node.js..."), which is noise in a command-line tool, a benchmark or a
 * test log.
 *
 * @remarks
 * tfjs-backend-cpu 4.x prints the advice on its first tensor write when a `firstUse` flag of the
 * backend instance is set, and has no public switch for it (`tf.enableProdMode()` would silence
 * it, but also other checks). This clears that flag when the backend has it; on any other backend,
 * or a tfjs that lacks the field, it does nothing. It changes a log line, never a result.
 *
 * @param backend - the backend to quiet (default: the active one)
 * @returns whether the flag was found and cleared
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { silenceNodeBackendAdvice } from '@vae/math';
 * console.log(silenceNodeBackendAdvice(tf.findBackend('cpu')!)); // true (false on other backends)
 * ```
 */
export function silenceNodeBackendAdvice(backend: tf.KernelBackend = tf.backend()): boolean {
  const fields = backend as unknown as { firstUse?: unknown };
  if (typeof fields.firstUse !== 'boolean') return false;
  fields.firstUse = false;
  return true;
}
