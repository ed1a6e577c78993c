// Loaded by every package's jest run. Tests run on the backend named by VAE_TEST_BACKEND
// (cpu by default); backend-parity tests switch to wasm explicitly.
import * as tf from '@tensorflow/tfjs-core';
// The union package registers every op's gradient (tfjs-core alone registers none), as a user's app would.
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

// The cpu backend's one-time advice to install tfjs-node ("Hi, looks like you are running
// TensorFlow.js in Node.js...") is noise in test logs. findBackend creates the cpu backend now
// (synchronously), before a test file's top-level code or a switch from wasm can first use it.
const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
if (cpu) cpu.firstUse = false;

beforeAll(async () => {
  const wanted = process.env.VAE_TEST_BACKEND ?? 'cpu';
  if (tf.getBackend() !== wanted) {
    const ok = await tf.setBackend(wanted);
    if (!ok) throw new Error(`could not start the ${wanted} backend`);
  }
  await tf.ready();
});
