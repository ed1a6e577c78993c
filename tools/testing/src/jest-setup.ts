// Loaded by every package's jest run. Tests run on the backend named by VAE_TEST_BACKEND
// (cpu by default); backend-parity tests switch to wasm explicitly.
import * as tf from '@tensorflow/tfjs-core';
// The union package registers every op's gradient (tfjs-core alone registers none), as a user's app would.
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

beforeAll(async () => {
  const wanted = process.env.VAE_TEST_BACKEND ?? 'cpu';
  if (tf.getBackend() !== wanted) {
    const ok = await tf.setBackend(wanted);
    if (!ok) throw new Error(`could not start the ${wanted} backend`);
  }
  await tf.ready();
  // The cpu backend's one-time advice to install tfjs-node is noise in test logs.
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
});
