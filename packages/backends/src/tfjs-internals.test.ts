import * as tf from '@tensorflow/tfjs-core';
import { nativeBackend } from './tfjs-internals.js';

describe('nativeBackend', () => {
  it("names the caller when the backend is not tfjs-node's (cpu, or one without executeMultipleOutputs)", () => {
    // The cpu backend by name: under VAE_TEST_BACKEND=tensorflow the active one is tfjs-node's.
    const cpu = tf.findBackend('cpu');
    expect(cpu).toBeTruthy();
    expect(() => nativeBackend(cpu, 'nativeDense')).toThrow("nativeDense: the active backend is not tfjs-node's tensorflow backend");
    const partial = { binding: {}, executeSingleOutput: () => undefined };
    expect(() => nativeBackend(partial, 'fusedAdam')).toThrow(/^fusedAdam: /);
  });

  it('passes a backend with the binding and both execute methods through unchanged', () => {
    const fake = { binding: { TF_FLOAT: 1 }, executeSingleOutput: () => undefined, executeMultipleOutputs: () => [] };
    expect(nativeBackend(fake, 'nativeDense')).toBe(fake);
  });
});
