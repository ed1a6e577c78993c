import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { expectMemoryNeutral, useBackend } from '@vae/testing';
import { ACCURATE_SOFTPLUS, registerAccurateSoftplusKernel, unregisterAccurateSoftplusKernel } from './wasm-softplus.js';

// float64 softplus, never overflowing: max(x, 0) + log1p(exp(-|x|)).
const softplus64 = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));

const SPECIAL = [
  0,
  -0,
  1e-30,
  -1e-30,
  1e-8,
  -1e-8,
  0.5,
  -0.5,
  Math.LN2,
  -Math.LN2,
  1,
  -1,
  15,
  -15,
  16.7,
  -16.7,
  17,
  -17,
  30,
  -30,
  80,
  -80,
  87.3,
  -87.3,
  88,
  -88,
  100,
  -100,
  103.2,
  -103.2,
  103.9,
  -103.9,
  104,
  -104,
  110,
  -110,
  1e30,
  -1e30,
  3e38,
  -3e38,
];

function grid(): number[] {
  const xs = [...SPECIAL];
  // Dense in the middle, where every branch of the float64 reference is exercised, and across the
  // exponent range of exp(-|x|) down to the subnormals.
  for (let x = -110; x <= 110; x += 0.0137) xs.push(x);
  return Array.from(new Float32Array(xs));
}

function runKernel(x: tf.Tensor): tf.Tensor {
  return tf.engine().runKernel(ACCURATE_SOFTPLUS, { x }) as tf.Tensor;
}

describe('AccurateSoftplus (wasm)', () => {
  useBackend('wasm', {
    setUp: () => expect(registerAccurateSoftplusKernel(tf.backend())).toBe(true),
    tearDown: unregisterAccurateSoftplusKernel,
  });

  it('is within 3 float32 ulps of float64 softplus (or 3 subnormal steps below 2^-126)', () => {
    const xs = grid();
    const values = runKernel(tf.tensor1d(xs)).dataSync();
    let worstUlps = 0;
    xs.forEach((x, i) => {
      const expected = softplus64(x);
      const ulp = Math.max(2 ** (Math.floor(Math.log2(expected)) - 23), 2 ** -149);
      const ulps = Math.abs(values[i] - expected) / ulp;
      worstUlps = Math.max(worstUlps, ulps);
      if (!(ulps <= 3)) throw new Error(`softplus(${x}) = ${values[i]}, expected ${expected} (${ulps.toFixed(1)} ulps)`);
    });
    // Not vacuous: the grid reaches results of order 1e-45 and the error is not identically zero.
    expect(Math.min(...Array.from(values).filter((v) => v > 0))).toBeLessThan(1e-44);
    expect(worstUlps).toBeGreaterThan(0);
  });

  it('gives max(x, 0) and NaN at the ends: softplus(+-Infinity) and softplus(NaN)', () => {
    expect(Array.from(runKernel(tf.tensor1d([Infinity, -Infinity, NaN, -200])).dataSync())).toEqual([Infinity, 0, NaN, 0]);
  });

  it('covers every element of any shape, the 4-wide loop and its single-lane tail', () => {
    for (const shape of [[], [1], [3], [4], [5], [2, 3, 7]]) {
      const x = tf.randomNormal(shape, 0, 20, 'float32', shape.length + 1);
      const values = runKernel(x).dataSync();
      const xs = x.dataSync();
      expect(values.length).toBe(xs.length);
      xs.forEach((v, i) => expect(Math.abs(values[i] - softplus64(v))).toBeLessThanOrEqual(4e-7 * Math.max(1, softplus64(v))));
      x.dispose();
    }
  });

  it('leaks nothing', async () => {
    const x = tf.randomNormal([9, 13]);
    await expectMemoryNeutral(() => runKernel(x), 'AccurateSoftplus');
    const dataIds = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
    tf.dispose(runKernel(x));
    expect((tf.backend() as unknown as { numDataIds(): number }).numDataIds()).toBe(dataIds);
    x.dispose();
  });

  it('is registered only against a wasm backend and can be removed', () => {
    unregisterAccurateSoftplusKernel();
    expect(tf.getKernel(ACCURATE_SOFTPLUS, 'wasm')).toBeUndefined();
    expect(registerAccurateSoftplusKernel(tf.findBackend('cpu')!)).toBe(false);
    expect(tf.getKernel(ACCURATE_SOFTPLUS, 'wasm')).toBeUndefined();
    expect(registerAccurateSoftplusKernel(tf.findBackend('wasm')!)).toBe(true);
  });
});
