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

/**
 * Runs the enclosing `describe` (or the whole file, at top level) on backend `name`: switches to it
 * before the first test, then calls `setUp` (e.g. to register a kernel); after the last test calls
 * `tearDown` and switches back to the backend that was active before.
 */
export function useBackend(name: string, hooks: { setUp?: () => void; tearDown?: () => void } = {}): void {
  let previous = '';
  beforeAll(async () => {
    previous = tf.getBackend();
    if (!(await tf.setBackend(name))) throw new Error(`backend ${name} failed to start`);
    hooks.setUp?.();
  });
  afterAll(async () => {
    hooks.tearDown?.();
    await tf.setBackend(previous);
  });
}

/**
 * Whether the active backend keeps subnormal float32 values (below 2^-126). cpu and wasm do;
 * TensorFlow (tfjs-node) flushes them to zero, in inputs and results. A test whose input or expected
 * value is subnormal runs only where this is true, and says so in its name.
 */
export function honoursSubnormals(): boolean {
  const product = tf.tidy(() => tf.mul(tf.scalar(1e-20), tf.scalar(1e-20)).dataSync()[0]);
  return product !== 0;
}

/** The backend the unit tests run on: `VAE_TEST_BACKEND` (cpu, wasm or tensorflow), cpu by default. */
export function testBackend(): string {
  return process.env.VAE_TEST_BACKEND ?? 'cpu';
}

/** Backends that keep subnormal float32 values; {@link honoursSubnormals} checks this list. */
export const BACKENDS_WITH_SUBNORMALS: readonly string[] = ['cpu', 'wasm'];

/**
 * `it` on the backends that keep subnormals, `it.skip` on the others (TensorFlow): for a test whose
 * input or expected value is subnormal. Decided when the test file is collected, from {@link testBackend}.
 */
export const itWithSubnormals: jest.It = BACKENDS_WITH_SUBNORMALS.includes(testBackend()) ? it : it.skip;
