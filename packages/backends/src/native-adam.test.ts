import * as tf from '@tensorflow/tfjs-core';
import { expectClose, testBackend } from '@vae/testing';
import { NATIVE_ADAM_UPDATE, NativeAdamSlots, registerNativeAdamKernel, unregisterNativeAdamKernel } from './native-adam.js';

// tensorflow only when the suite runs there (VAE_TEST_BACKEND=tensorflow, tfjs-node loaded).
const onTensorflow = testBackend() === 'tensorflow' ? it : it.skip;

describe('native Adam (TensorFlow resource variables)', () => {
  afterEach(() => unregisterNativeAdamKernel());

  onTensorflow('holds what it was given and what it is given next', () => {
    const [w, m, v] = [
      tf.tensor2d([
        [1, -2],
        [3, 4],
      ]),
      tf.tensor2d([0.1, 0, 0, 0], [2, 2]),
      tf.fill([2, 2], 0.5),
    ];
    const before = tf.memory().numTensors;
    const slots = new NativeAdamSlots(w, m, v);
    for (const [which, want] of [
      ['value', [1, -2, 3, 4]],
      ['firstMoment', [0.1, 0, 0, 0]],
      ['secondMoment', [0.5, 0.5, 0.5, 0.5]],
    ] as const) {
      const got = slots.read(which);
      expect(got.shape).toEqual([2, 2]);
      expect(Array.from(got.dataSync())).toEqual(want.map(Math.fround));
      got.dispose();
    }
    const next = tf.tensor2d([
      [5, 6],
      [7, 8],
    ]);
    slots.write('value', next);
    const got = slots.read('value');
    expect(Array.from(got.dataSync())).toEqual([5, 6, 7, 8]);
    tf.dispose([got, next]);
    slots.dispose();
    // The three handles are gone (their storage is TensorFlow's).
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([w, m, v]);
  });

  onTensorflow("updates weights and moments as TensorFlow's ApplyAdam defines it (float64 closed form)", () => {
    registerNativeAdamKernel();
    const w0 = [0.5, -1, 2, 0].map(Math.fround);
    const m0 = [0.01, -0.02, 0, 0.3].map(Math.fround);
    const v0 = [1e-4, 4e-4, 0, 0.09].map(Math.fround);
    const g = [0.1, -3, 1e-6, 0].map(Math.fround);
    // The float32 values the kernel gets, so the float64 reference differs only by its rounding.
    const [lr, b1, b2, b1p, b2p, eps] = [0.01, 0.9, 0.999, 0.9 ** 3, 0.999 ** 3, 1e-7].map(Math.fround);
    const slots = new NativeAdamSlots(tf.tensor1d(w0), tf.tensor1d(m0), tf.tensor1d(v0));
    const s = (x: number) => tf.scalar(x);
    const inputs = {
      value: slots.value,
      firstMoment: slots.firstMoment,
      secondMoment: slots.secondMoment,
      beta1Power: s(b1p),
      beta2Power: s(b2p),
      learningRate: s(lr),
      beta1: s(b1),
      beta2: s(b2),
      epsilon: s(eps),
      gradient: tf.tensor1d(g),
    };
    const updated = tf.engine().runKernel(NATIVE_ADAM_UPDATE, inputs) as tf.Tensor;
    const m = m0.map((x, i) => x + (g[i] - x) * (1 - b1));
    const v = v0.map((x, i) => x + (g[i] * g[i] - x) * (1 - b2));
    const rate = (lr * Math.sqrt(1 - b2p)) / (1 - b1p);
    const w = w0.map((x, i) => x - (rate * m[i]) / (Math.sqrt(v[i]) + eps));
    expectClose(Array.from(updated.dataSync()), w, { rtol: 2e-6, atol: 1e-9 });
    const [mt, vt] = [slots.read('firstMoment'), slots.read('secondMoment')];
    expectClose(Array.from(mt.dataSync()), m, { rtol: 2e-6, atol: 1e-12 });
    expectClose(Array.from(vt.dataSync()), v, { rtol: 2e-6, atol: 1e-15 });
    // The kernel's result is the resource's value at that step, not an alias a later update changes.
    const again = tf.engine().runKernel(NATIVE_ADAM_UPDATE, inputs) as tf.Tensor;
    expect(Array.from(again.dataSync())).not.toEqual(Array.from(updated.dataSync()));
    expectClose(Array.from(updated.dataSync()), w, { rtol: 2e-6, atol: 1e-9 });
    tf.dispose([
      updated,
      again,
      mt,
      vt,
      ...Object.values(inputs).filter((t) => t !== slots.value && t !== slots.firstMoment && t !== slots.secondMoment),
    ]);
    slots.dispose();
  });

  it('says so when the backend is not tfjs-node', async () => {
    if (testBackend() === 'tensorflow') return;
    const w = tf.zeros([2]);
    expect(() => new NativeAdamSlots(w, w, w)).toThrow(/fusedAdam: the active backend is not tfjs-node's tensorflow backend/);
    w.dispose();
  });
});
