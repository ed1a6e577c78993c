import * as tf from '@tensorflow/tfjs-core';

/**
 * Runs `fn` on each backend in turn and returns its results read back as plain arrays, so a test
 * can compare backends. The backend that was active before is restored afterwards.
 */
export async function runOnBackends(
  fn: () => tf.Tensor | tf.Tensor[],
  backends: readonly string[] = ['cpu', 'wasm'],
): Promise<Record<string, number[][]>> {
  const previous = tf.getBackend();
  const out: Record<string, number[][]> = {};
  try {
    for (const name of backends) {
      if (!(await tf.setBackend(name))) throw new Error(`backend ${name} failed to start`);
      await tf.ready();
      const result = tf.tidy(fn);
      const list = Array.isArray(result) ? result : [result];
      out[name] = list.map((t) => Array.from(t.dataSync() as ArrayLike<number>));
      tf.dispose(list);
    }
  } finally {
    await tf.setBackend(previous);
  }
  return out;
}
