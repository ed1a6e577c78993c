import * as tf from '@tensorflow/tfjs-core';
import { softplus } from '@vae/math';
import { expectClose, expectMemoryNeutral, testBackend } from '@vae/testing';
import { disableNativeKernels, enableNativeKernels, isNativeDenseActive, nativeDense } from './index.js';

function layer(seed: number, inDim: number, outDim: number) {
  return {
    x: tf.randomNormal([5, inDim], 0, 1, 'float32', seed),
    kernel: tf.randomNormal([inDim, outDim], 0, 0.5, 'float32', seed + 1),
    bias: tf.randomNormal([outDim], 0, 0.5, 'float32', seed + 2),
  };
}

// A loss that weighs each output differently, so every gradient entry matters.
function loss(f: typeof nativeDense, activation: 'elu' | 'linear') {
  return (x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor) => {
    const y = f(x, kernel, bias, activation);
    return tf.sum(tf.mul(y, tf.sin(tf.range(0, y.size).reshape(y.shape))));
  };
}

const composite = (x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor, activation: 'elu' | 'linear') => {
  const affine = tf.add(tf.matMul(x, kernel), bias);
  return activation === 'elu' ? tf.elu(affine) : affine;
};

describe('nativeDense', () => {
  afterEach(() => disableNativeKernels());

  it.each(['elu', 'linear'] as const)('equals elu(x W + b) / x W + b, values and gradients (%s)', (activation) => {
    enableNativeKernels();
    expect(isNativeDenseActive()).toBe(testBackend() === 'tensorflow');
    const { x, kernel, bias } = layer(1, 7, 3);
    // Closed form on the host, float64.
    const [xs, ks, bs] = [x.arraySync() as number[][], kernel.arraySync() as number[][], bias.arraySync() as number[]];
    const expected = xs.map((row) =>
      bs.map((b, j) => {
        const a = row.reduce((s, v, k) => s + v * ks[k][j], b);
        return activation === 'elu' && a < 0 ? Math.expm1(a) : a;
      }),
    );
    expectClose(nativeDense(x, kernel, bias, activation), expected, { rtol: 1e-5, atol: 1e-6 });
    const got = tf.grads(loss(nativeDense, activation))([x, kernel, bias]);
    const want = tf.grads(loss(composite, activation))([x, kernel, bias]);
    got.forEach((g, i) => expectClose(g, want[i], { rtol: 1e-5, atol: 1e-6 }));
    tf.dispose([x, kernel, bias, ...got, ...want]);
  });

  it('gradient matches a finite difference of the loss (elu, through a negative and a positive pre-activation)', () => {
    enableNativeKernels();
    const { x, kernel, bias } = layer(4, 3, 2);
    const f = loss(nativeDense, 'elu');
    const [gb] = tf.grads((b: tf.Tensor) => f(x, kernel, b))([bias]);
    const h = 1e-2;
    const b0 = bias.arraySync() as number[];
    const fd = b0.map((_, j) => {
      const at = (d: number) => f(x, kernel, tf.tensor1d(b0.map((v, i) => (i === j ? v + d : v)))).arraySync() as number;
      return (at(h) - at(-h)) / (2 * h);
    });
    expectClose(gb, fd, { rtol: 2e-3, atol: 2e-3 });
    tf.dispose([x, kernel, bias, gb]);
  });

  it('is memory-neutral, gradients included, and validates shapes and activation', async () => {
    enableNativeKernels();
    const { x, kernel, bias } = layer(7, 4, 3);
    await expectMemoryNeutral(() => nativeDense(x, kernel, bias, 'elu'));
    await expectMemoryNeutral(() => tf.grads(loss(nativeDense, 'elu'))([x, kernel, bias]));
    expect(() => nativeDense(x, bias, bias, 'elu')).toThrow(/nativeDense: x \[batch, in\], kernel \[in, out\] and bias \[out\] must agree/);
    expect(() => nativeDense(x, kernel, bias, 'relu' as never)).toThrow(/activation must be elu or linear; got relu/);
    tf.dispose([x, kernel, bias]);
  });

  it('runs tfjs ops once disabled', () => {
    enableNativeKernels();
    disableNativeKernels();
    expect(isNativeDenseActive()).toBe(false);
  });

  (testBackend() === 'tensorflow' ? it : it.skip)(
    "gives @vae/math's softplus as one native kernel on tensorflow, the tfjs formula's values, within 1e-6 of float64, sigmoid its gradient",
    async () => {
      enableNativeKernels();
      const xs = [...Array.from({ length: 2001 }, (_, i) => -100 + i / 10), -1e4, -88, -14.1132, -13.9, 13.9, 88, 1e4].map(Math.fround);
      const exact = (x: number) => (x > 30 ? x + Math.exp(-x) : Math.log1p(Math.exp(x)));
      const x = tf.tensor1d(xs);
      const profile = await tf.profile(() => softplus(x));
      // Besides tape copies (Identity) and the custom-gradient scope around it ('unnamed scope').
      expect(profile.kernels.filter((k) => k.name !== 'Identity' && k.name !== 'unnamed scope').map((k) => k.name)).toEqual([
        'AccurateSoftplus',
      ]);
      const got = softplus(x);
      // Below ~1e-38 TensorFlow flushes to zero (as exp does there); elsewhere relative.
      expectClose(Array.from(got.dataSync()), xs.map(exact), { rtol: 1e-6, atol: 1.2e-38 });
      // The same TensorFlow ops as the six-kernel formula, so the same float32 values.
      const formula = tf.tidy(() => tf.add(tf.relu(x), tf.log1p(tf.exp(tf.neg(tf.abs(x))))));
      expect(Array.from(got.dataSync())).toEqual(Array.from(formula.dataSync()));
      formula.dispose();
      const g = tf.grad((t: tf.Tensor) => softplus(t))(x);
      expectClose(
        Array.from(g.dataSync()),
        xs.map((v) => 1 / (1 + Math.exp(-v))),
        { rtol: 1e-6, atol: 1.2e-38 },
      );
      await expectMemoryNeutral(() => softplus(x));
      tf.dispose([x, got, g]);
      disableNativeKernels();
      expect(tf.getKernel('AccurateSoftplus', 'tensorflow')).toBeUndefined();
    },
  );

  (testBackend() === 'tensorflow' ? it : it.skip)(
    'answers a cast to the same dtype and a reshape to the same shape without calling TensorFlow, runs the others as before, and restores both kernels when disabled',
    async () => {
      const original = tf.getKernel('Cast', 'tensorflow');
      const originalReshape = tf.getKernel('Reshape', 'tensorflow');
      enableNativeKernels();
      enableNativeKernels();
      expect(tf.getKernel('Cast', 'tensorflow')).not.toBe(original);
      const x = tf.tensor1d([1.5, -2, 0]);
      const same = tf.cast(x, 'float32');
      expect(Array.from(same.dataSync())).toEqual([1.5, -2, 0]);
      // The cast shares x's data (no TensorFlow op made a copy); freeing one leaves the other readable.
      expect(same.dataId).toBe(x.dataId);
      x.dispose();
      expect(Array.from(same.dataSync())).toEqual([1.5, -2, 0]);
      expect(Array.from(tf.cast(same, 'int32').dataSync())).toEqual([1, -2, 0]);
      expect(Array.from(tf.cast(tf.tensor1d([0, 3], 'int32'), 'bool').dataSync())).toEqual([0, 1]);
      await expectMemoryNeutral(() => tf.cast(same, 'float32'));
      // tfjs's gradient of a product casts; the values are unchanged.
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(t, same)))(tf.ones([3]));
      expect(Array.from(g.dataSync())).toEqual([1.5, -2, 0]);
      // A reshape to the same shape shares the data too; any other reshape is TensorFlow's.
      const m = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
      const unchanged = tf.reshape(m, [2, 3]);
      expect(unchanged.dataId).toBe(m.dataId);
      const moved = tf.reshape(m, [3, 2]);
      expect(moved.dataId).not.toBe(m.dataId);
      expect(moved.arraySync()).toEqual([
        [1, 2],
        [3, 4],
        [5, 6],
      ]);
      expect(tf.reshape(m, [-1]).arraySync()).toEqual([1, 2, 3, 4, 5, 6]);
      expect(tf.sum(tf.matMul(unchanged, moved)).dataSync()[0]).toBe(22 + 28 + 49 + 64);
      await expectMemoryNeutral(() => tf.reshape(m, [2, 3]));
      tf.dispose([same, g, m, unchanged, moved]);
      disableNativeKernels();
      expect(tf.getKernel('Cast', 'tensorflow')).toBe(original);
      expect(tf.getKernel('Reshape', 'tensorflow')).toBe(originalReshape);
    },
  );
});
