import * as tf from '@tensorflow/tfjs-core';
import { BACKENDS_WITH_SUBNORMALS, honoursSubnormals, runOnBackends, useBackend } from './backends.js';
import { expectClose } from './close.js';

it('runs the same computation on cpu and wasm', async () => {
  const active = tf.getBackend();
  const r = await runOnBackends(() => tf.exp(tf.linspace(-3, 3, 7)));
  expect(tf.getBackend()).toBe(active);
  expectClose(r.wasm[0], r.cpu[0], { rtol: 1e-6 });
  expectClose(r.cpu[0], [-3, -2, -1, 0, 1, 2, 3].map(Math.exp), { rtol: 1e-6 });
});

it('knows which backends keep subnormal float32 values', async () => {
  const previous = tf.getBackend();
  const seen: Record<string, boolean> = {};
  try {
    for (const name of ['cpu', 'wasm', ...(previous === 'tensorflow' ? ['tensorflow'] : [])]) {
      await tf.setBackend(name);
      seen[name] = honoursSubnormals();
    }
  } finally {
    await tf.setBackend(previous);
  }
  for (const [name, honours] of Object.entries(seen)) expect([name, honours]).toEqual([name, BACKENDS_WITH_SUBNORMALS.includes(name)]);
  if (previous === 'tensorflow') expect(seen.tensorflow).toBe(false);
});

describe('useBackend', () => {
  const calls: string[] = [];
  let before = '';
  beforeAll(() => {
    before = tf.getBackend();
  });
  describe('inside', () => {
    useBackend('wasm', {
      setUp: () => calls.push(`setUp on ${tf.getBackend()}`),
      tearDown: () => calls.push(`tearDown on ${tf.getBackend()}`),
    });
    it('runs the tests on the backend, after setUp', () => {
      expect(tf.getBackend()).toBe('wasm');
      expect(calls).toEqual(['setUp on wasm']);
    });
  });
  it('calls tearDown on it and switches back afterwards', () => {
    expect(calls).toEqual(['setUp on wasm', 'tearDown on wasm']);
    expect(tf.getBackend()).toBe(before);
    expect(before).not.toBe('wasm');
  });
});
