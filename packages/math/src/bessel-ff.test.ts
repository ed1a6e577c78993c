import * as tf from '@tensorflow/tfjs-core';
import { expectClose, itWithSubnormals } from '@vae/testing';
import { type FF, ffDiv, ffFromFloat, ffLog, ffMul, ffSqrt, twoProd, twoSum } from './bessel-ff.js';

// A float-float value read back as a float64 number (hi + lo is exact in float64 to ~2^-48).
const read = (a: FF): number[] => {
  const hi = a.hi.dataSync();
  const lo = a.lo.dataSync();
  return Array.from(hi, (h, i) => h + lo[i]);
};

// Deterministic float32 samples spread over many binades.
const samples = (count: number, lo: number, hi: number): number[] =>
  Array.from({ length: count }, (_, i) => Math.fround(lo * Math.pow(hi / lo, ((i * 0.6180339887) % 1) + 1e-9)));

describe('float-float arithmetic on float32 tensors', () => {
  it('twoSum and twoProd are error-free', () => {
    const a = samples(200, 1e-3, 1e5);
    const b = samples(200, 1e-4, 1e4).reverse();
    tf.tidy(() => {
      const ta = tf.tensor(a);
      const tb = tf.tensor(b);
      // Both sides are exact in float64: the sum of two float32 has at most ~50 significant bits.
      expect(read(twoSum(ta, tb))).toEqual(a.map((x, i) => x + b[i]));
      expect(read(twoProd(ta, tb))).toEqual(a.map((x, i) => x * b[i]));
    });
  });

  it('log carries ~44 bits over the normal float32 range', () => {
    const a = samples(300, 2 ** -126, 1e10);
    tf.tidy(() => {
      // Reference values in float64; the tolerance is ~1e5 times finer than float32's.
      expectClose(read(ffLog(ffFromFloat(tf.tensor(a)))), a.map(Math.log), { rtol: 0, atol: 2e-12, label: 'ffLog' });
    });
  });

  // TensorFlow flushes subnormal inputs to zero, so only backends that keep them see these arguments.
  itWithSubnormals('log carries ~44 bits down to subnormal arguments (backends that keep subnormals)', () => {
    const a = samples(300, 1e-45, 2 ** -126);
    tf.tidy(() => {
      expectClose(read(ffLog(ffFromFloat(tf.tensor(a)))), a.map(Math.log), { rtol: 0, atol: 2e-12, label: 'ffLog' });
    });
  });

  it('sqrt, product and quotient carry ~44 bits (where no error term underflows)', () => {
    const a = samples(300, 1e-15, 1e10);
    const b = samples(300, 0.5, 2e5);
    tf.tidy(() => {
      const ta = ffFromFloat(tf.tensor(a));
      const tb = ffFromFloat(tf.tensor(b));
      expectClose(read(ffSqrt(ta)), a.map(Math.sqrt), { rtol: 1e-12, atol: 0, label: 'ffSqrt' });
      const prod = ffMul(ta, tb);
      expectClose(
        read(prod),
        a.map((x, i) => x * b[i]),
        { rtol: 1e-13, atol: 0, label: 'ffMul' },
      );
      expectClose(read(ffDiv(prod, tb)), a, { rtol: 1e-12, atol: 0, label: 'ffDiv' });
      // Arguments that are not float32: the log of an exact product.
      expectClose(
        read(ffLog(prod)),
        a.map((x, i) => Math.log(x) + Math.log(b[i])),
        { rtol: 1e-13, atol: 2e-12, label: 'ffLog of a float-float' },
      );
    });
  });
});
