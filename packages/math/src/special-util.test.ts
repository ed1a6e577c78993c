import * as tf from '@tensorflow/tfjs-core';
import { derivative64, expectClose, expectMemoryNeutral } from '@vae/testing';
import {
  binaryOp,
  cosPiReduced,
  HALF_LOG_TWO_PI,
  LOG_PI,
  polyval,
  reducedHalfTurn,
  sinPiReduced,
  sumToShape,
  toFloat32Pair,
  unaryOp,
} from './special-util.js';

describe('constants', () => {
  it('are log(2 pi) / 2 and log(pi) to double precision', () => {
    expect(HALF_LOG_TWO_PI).toBeCloseTo(0.5 * Math.log(2 * Math.PI), 15);
    expect(LOG_PI).toBeCloseTo(Math.log(Math.PI), 15);
  });
});

describe('sumToShape', () => {
  it('sums away leading axes and broadcast axes of size 1', () => {
    const g = tf.tensor3d(
      Array.from({ length: 24 }, (_, i) => i),
      [2, 3, 4],
    );
    // Reference by brute force: out[0][k] = sum over i, j of g[i][j][k].
    const values = g.arraySync() as number[][][];
    const expected = [0, 1, 2, 3].map((k) => values.flat().reduce((s, row) => s + row[k], 0));
    expect(sumToShape(g, [1, 4]).arraySync()).toEqual([expected]);
    expect(sumToShape(g, [4]).arraySync()).toEqual(expected);
    expect(sumToShape(g, [3, 1]).arraySync()).toEqual(
      [0, 1, 2].map((j) => [values[0][j], values[1][j]].flat().reduce((a, b) => a + b, 0)).map((s) => [s]),
    );
    expect(sumToShape(g, []).arraySync()).toBe((23 * 24) / 2);
  });

  it('returns a gradient of the right shape as it is', () => {
    const g = tf.ones([2, 3]);
    expect(sumToShape(g, [2, 3])).toBe(g);
  });
});

describe('polyval', () => {
  it('evaluates c0 + c1 t + c2 t^2 + ... by Horner, against direct evaluation', () => {
    const c = [0.5, -1.25, 2, 0.125];
    const t = [-2, -0.5, 0, 0.3, 1, 3];
    const got = polyval(c, tf.tensor(t)).dataSync();
    t.forEach((x, i) =>
      expect(got[i]).toBeCloseTo(
        c.reduce((s, ck, k) => s + ck * x ** k, 0),
        5,
      ),
    );
    expect(polyval([7], tf.tensor([1, 2])).dataSync()[0]).toBe(7);
  });

  it('is differentiable: d/dt (1 - 3t + 2t^2) = -3 + 4t', () => {
    const g = tf.grad((t: tf.Tensor) => tf.sum(polyval([1, -3, 2], t)))(tf.tensor([0, 1, 2.5]));
    expect(Array.from(g.dataSync())).toEqual([-3, 1, 7]);
  });

  it('frees its partial sums', async () => {
    const t = tf.tensor([1, 2, 3]);
    await expectMemoryNeutral(() => polyval([1, 2, 3, 4, 5, 6], t));
    t.dispose();
  });
});

describe('reducedHalfTurn, sinPiReduced, cosPiReduced', () => {
  it('reduce x to r = x - round(x) in [-1/2, 1/2] exactly', () => {
    const x = [-2.75, -0.25, 0, 0.4, 3.5, 1e6 + 0.25];
    const r = reducedHalfTurn(tf.tensor(x)).dataSync();
    x.forEach((xi, i) => {
      expect(Math.abs(r[i])).toBeLessThanOrEqual(0.5);
      expect(Number.isInteger(Math.fround(xi) - r[i])).toBe(true);
    });
  });

  it('give sin(pi r) and cos(pi r) with full relative accuracy near 0 (unlike sin on wasm)', () => {
    const r = [1e-7, -3e-4, 0.007, 0.1, -0.25, 0.4999, 0.5, -0.5];
    const s = sinPiReduced(tf.tensor(r)).dataSync();
    const c = cosPiReduced(tf.tensor(r)).dataSync();
    r.forEach((ri, i) => {
      const rf = Math.fround(ri);
      expect(Math.abs(s[i] - Math.sin(Math.PI * rf))).toBeLessThanOrEqual(3e-7 * Math.max(Math.abs(Math.sin(Math.PI * rf)), 1e-30) + 1e-38);
      expect(Math.abs(c[i] - Math.cos(Math.PI * rf))).toBeLessThanOrEqual(3e-7);
    });
  });
});

describe('unaryOp and binaryOp', () => {
  // f(x) = x^3 with derivative 3x^2, through the custom-gradient wrapper.
  const cube = unaryOp(
    (x) => tf.pow(x, 3),
    (x) => tf.mul(3, tf.square(x)),
  );
  // g(a, b) = a b^2 with partials (b^2, 2ab).
  const ab2 = binaryOp(
    (a, b) => tf.mul(a, tf.square(b)),
    (a, b) => [tf.square(b), tf.mul(2, tf.mul(a, b))],
  );

  it('unaryOp computes the forward value and the given derivative, matching a finite difference', () => {
    expect(cube(tf.tensor([2])).dataSync()[0]).toBe(8);
    const g = tf
      .grad((x: tf.Tensor) => tf.sum(cube(x)))(tf.tensor([1.5]))
      .dataSync()[0];
    expect(g).toBeCloseTo(
      derivative64((x) => x ** 3, 1.5),
      4,
    );
    // Second derivative through the derivative's own ops: 6x.
    const gg = tf
      .grad((x: tf.Tensor) => tf.grad((y: tf.Tensor) => tf.sum(cube(y)))(x))(tf.tensor([1.5]))
      .dataSync()[0];
    expect(gg).toBeCloseTo(9, 4);
  });

  it('binaryOp sums each partial back to its input shape under broadcasting', () => {
    const a = tf.tensor2d([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const b = tf.tensor1d([0.5, -1, 2]);
    const [da, db] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(ab2(x, y)))([a, b]);
    expect(da.shape).toEqual([2, 3]);
    expect(db.shape).toEqual([3]);
    expectClose(da, [
      [0.25, 1, 4],
      [0.25, 1, 4],
    ]);
    // d/db sum_i a_ij b_j^2 = 2 b_j sum_i a_ij
    expectClose(db, [2 * 0.5 * 5, 2 * -1 * 7, 2 * 2 * 9]);
  });
});

describe('toFloat32Pair', () => {
  it('converts both inputs to float32 and names both when their shapes do not broadcast', () => {
    const [a, b] = toFloat32Pair([1, 2], 3, ['x', 'y'], 'f');
    expect([a.dtype, b.dtype, a.shape, b.shape]).toEqual(['float32', 'float32', [2], []]);
    expect(() => toFloat32Pair([1, 2], [1, 2, 3], ['x', 'y'], 'f')).toThrow(/f: .*x.*y|f: .*y.*x/);
  });
});
