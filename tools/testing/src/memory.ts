import * as tf from '@tensorflow/tfjs-core';

function collectTensors(value: unknown, out: Set<tf.Tensor>, seen = new Set<unknown>()): void {
  if (value == null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (value instanceof tf.Tensor) {
    out.add(value);
    return;
  }
  const items = Array.isArray(value) ? value : Object.values(value as Record<string, unknown>);
  for (const item of items) collectTensors(item, out, seen);
}

/**
 * Runs `fn` and asserts it is memory-neutral: once the tensors it returned (anywhere inside its
 * result) are disposed, `tf.memory().numTensors` is back where it started. Returns the number of
 * tensors the call returned.
 */
export async function expectMemoryNeutral(fn: () => unknown, label = 'call'): Promise<number> {
  const before = tf.memory().numTensors;
  const result = await fn();
  const returned = new Set<tf.Tensor>();
  collectTensors(result, returned);
  tf.dispose(Array.from(returned));
  const after = tf.memory().numTensors;
  if (after !== before) {
    throw new Error(`${label} is not memory-neutral: ${after - before} tensor(s) left behind beyond its result`);
  }
  return returned.size;
}
