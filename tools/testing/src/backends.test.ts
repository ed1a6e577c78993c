import * as tf from '@tensorflow/tfjs-core';
import { runOnBackends } from './backends.js';
import { expectClose } from './close.js';

it('runs the same computation on cpu and wasm', async () => {
  const r = await runOnBackends(() => tf.exp(tf.linspace(-3, 3, 7)));
  expect(tf.getBackend()).toBe('cpu');
  expectClose(r.wasm[0], r.cpu[0], { rtol: 1e-6 });
  expectClose(r.cpu[0], [-3, -2, -1, 0, 1, 2, 3].map(Math.exp), { rtol: 1e-6 });
});
