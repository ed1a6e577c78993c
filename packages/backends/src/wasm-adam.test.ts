import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { expectMemoryNeutral, useBackend } from '@vae/testing';
import { FUSED_ADAM_UPDATE, registerFusedAdamKernel, type FusedAdamAttrs } from './wasm-adam.js';

const f = Math.fround;

/** tfjs's AdamOptimizer step for one element, in float32 with its order of operations. */
function adamReference(g: number, w: number, m: number, v: number, accBeta1: number, accBeta2: number, a: FusedAdamAttrs) {
  const newM = f(f(m * f(a.beta1)) + f(g * f(1 - a.beta1)));
  const newV = f(f(v * f(a.beta2)) + f(f(g * g) * f(1 - a.beta2)));
  const biasM = f(newM / f(1 - accBeta1));
  const denominator = f(f(Math.sqrt(f(newV / f(1 - accBeta2)))) + f(a.epsilon));
  const newW = f(f(f(biasM / denominator) * f(-a.learningRate)) + w);
  return [newW, newM, newV];
}

function runUpdate(inputs: Record<string, tf.Tensor>, attrs: FusedAdamAttrs): tf.Tensor[] {
  return tf.engine().runKernel(FUSED_ADAM_UPDATE, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
}

describe('FusedAdamUpdate (wasm)', () => {
  useBackend('wasm');

  it('registers on wasm, and is the same to the bit as tfjs Adam in float32, across the vector body and the tail', () => {
    expect(registerFusedAdamKernel()).toBe(true);
    expect(tf.getKernel(FUSED_ADAM_UPDATE, 'wasm')).toBeDefined();
    const attrs: FusedAdamAttrs = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7, learningRate: 3e-4 };
    // 11 elements: two vectors of four and a tail of three; extremes of g, m and v included.
    const g = [0.1, -2, 0, 1e-20, -1e20, 3.5, 7e-3, -0.25, 1, 1e-30, -5];
    const w = g.map((_, i) => (i - 5) / 3);
    const m = g.map((_, i) => (i % 3) * 0.01 - 0.01);
    const v = g.map((_, i) => i * 1e-4);
    const [accBeta1, accBeta2] = [f(0.9 ** 3), f(0.999 ** 3)];
    const inputs = {
      gradient: tf.tensor1d(g),
      value: tf.tensor1d(w),
      firstMoment: tf.tensor1d(m),
      secondMoment: tf.tensor1d(v),
      accBeta1: tf.scalar(accBeta1),
      accBeta2: tf.scalar(accBeta2),
    };
    const [newW, newM, newV] = runUpdate(inputs, attrs).map((t) => Array.from(t.dataSync()));
    g.forEach((gi, i) => {
      const [rw, rm, rv] = adamReference(f(gi), f(w[i]), f(m[i]), f(v[i]), accBeta1, accBeta2, attrs);
      expect([newW[i], newM[i], newV[i]]).toEqual([rw, rm, rv]);
    });
    // The update moves w against the gradient; at g = -1e20, g^2 overflows float32 (as in tfjs), so
    // v' is Infinity and w stays.
    expect(newW[1]).toBeGreaterThan(f(w[1]));
    expect(newW[4]).toBe(f(w[4]));
    expect(newV[4]).toBe(Infinity);
    tf.dispose(Object.values(inputs));
  });

  it('keeps the input shapes and leaves nothing behind once its outputs are freed', async () => {
    registerFusedAdamKernel();
    const shape = [3, 5];
    const inputs = {
      gradient: tf.ones(shape),
      value: tf.zeros(shape),
      firstMoment: tf.zeros(shape),
      secondMoment: tf.zeros(shape),
      accBeta1: tf.scalar(0.9),
      accBeta2: tf.scalar(0.999),
    };
    const attrs: FusedAdamAttrs = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7, learningRate: 0.1 };
    await expectMemoryNeutral(() => {
      const outputs = runUpdate(inputs, attrs);
      expect(outputs.map((t) => t.shape)).toEqual([shape, shape, shape]);
      // First step from zero moments: m' / (1 - b1) = g and v' / (1 - b2) = g^2, so w' = -lr g / (|g| + eps) = -0.1.
      expect(Array.from(outputs[0].dataSync()).every((x) => Math.abs(x + 0.1) < 1e-6)).toBe(true);
      return outputs;
    });
    tf.dispose(Object.values(inputs));
  });

  it('is not registered for other backends', async () => {
    await tf.setBackend('cpu');
    expect(registerFusedAdamKernel()).toBe(false);
    await tf.setBackend('wasm');
  });
});
