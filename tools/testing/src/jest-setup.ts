// Loaded by every package's jest run. Tests run on the backend named by VAE_TEST_BACKEND
// (cpu by default); backend-parity tests switch to wasm explicitly.
import * as tf from '@tensorflow/tfjs-core';
// The union package registers every op's gradient (tfjs-core alone registers none), as a user's app would.
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { silenceNodeBackendAdvice } from '@vae/math';
import { testBackend } from './backends.js';

// The native backend is optional (npm run setup:tfjs-node), so it is loaded only when asked for; the
// name sits in a variable so typecheck does not need the package installed.
const NATIVE_PACKAGES: Record<string, string> = { tensorflow: '@tensorflow/tfjs-node' };

// The cpu backend's one-time advice to install tfjs-node ("Hi, looks like you are running
// TensorFlow.js in Node.js...") is noise in test logs. findBackend creates the cpu backend now
// (synchronously), before a test file's top-level code or a switch from wasm can first use it.
const cpu = tf.findBackend('cpu');
if (cpu) silenceNodeBackendAdvice(cpu);

beforeAll(async () => {
  const wanted = testBackend();
  const native = NATIVE_PACKAGES[wanted];
  if (native !== undefined) {
    try {
      await import(native);
    } catch (error) {
      throw new Error(`VAE_TEST_BACKEND=${wanted} needs ${native} (npm run setup:tfjs-node): ${String(error)}`);
    }
  }
  if (tf.getBackend() !== wanted) {
    const ok = await tf.setBackend(wanted);
    if (!ok) throw new Error(`could not start the ${wanted} backend`);
  }
  await tf.ready();
});
