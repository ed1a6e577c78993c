import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { silenceNodeBackendAdvice } from './index.js';

describe('silenceNodeBackendAdvice', () => {
  const advice = (backend: tf.KernelBackend): boolean => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const id = backend.write(new Float32Array([1]), [1], 'float32');
      backend.disposeData(id);
      return warn.mock.calls.some((args) => String(args[0]).includes('install our node backend'));
    } finally {
      warn.mockRestore();
    }
  };

  it('keeps a fresh cpu backend from printing the tfjs-node advice (the control prints it)', () => {
    const loud = new MathBackendCPU();
    expect(advice(loud)).toBe(true);
    loud.dispose();
    const quiet = new MathBackendCPU();
    expect(silenceNodeBackendAdvice(quiet)).toBe(true);
    expect(advice(quiet)).toBe(false);
    quiet.dispose();
  });

  it('does nothing on a backend without the flag', async () => {
    const before = tf.getBackend();
    expect(await tf.setBackend('wasm')).toBe(true);
    const wasm = tf.findBackend('wasm')!;
    expect(silenceNodeBackendAdvice(wasm)).toBe(false);
    expect('firstUse' in wasm).toBe(false);
    await tf.setBackend(before);
  });
});
