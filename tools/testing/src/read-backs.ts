import * as tf from '@tensorflow/tfjs-core';

/**
 * Counts the host read-backs `fn` makes: every `dataSync`, `data`, `arraySync` and `array` reaches
 * the engine's `readSync` or `read`, which on GPU backends is a device stall. The engine's methods
 * are restored afterwards, even when `fn` throws.
 */
export function countReadBacks(fn: () => void): number {
  const engine = tf.engine() as unknown as Record<'readSync' | 'read', (...args: unknown[]) => unknown>;
  const originals = { readSync: engine.readSync, read: engine.read };
  let count = 0;
  for (const name of ['readSync', 'read'] as const) {
    engine[name] = (...args: unknown[]) => {
      count++;
      return originals[name].apply(engine, args);
    };
  }
  try {
    fn();
  } finally {
    Object.assign(engine, originals);
  }
  return count;
}
