import * as tf from '@tensorflow/tfjs-core';
import { derivative64, expectClose } from '@vae/testing';
import { InvalidArgumentError, xlog1py, xlogy } from '@vae/math';
import { expectBinaryMemoryNeutral, expectBroadcastGradientShapes, take } from '../test/special-helpers.js';

describe('xlogy and xlog1py', () => {
  it('are 0 wherever x == 0, even at the log singularity', () => {
    expect(Array.from(take(xlogy([0, 0, 0, 0], [0, -1, 1, Infinity])))).toEqual([0, 0, 0, 0]);
    expect(Array.from(take(xlog1py([0, 0, 0], [-1, -2, 5])))).toEqual([0, 0, 0]);
  });
  it('are x log y and x log1p y elsewhere, with -Infinity and NaN where the log is', () => {
    const y = [1e-30, 0.5, 3, 1e30];
    expectClose(
      take(xlogy(2.5, y)),
      y.map((v) => 2.5 * Math.log(v)),
      { rtol: 1e-6 },
    );
    const yp = [1e-10, -0.5, 3, 1e30];
    expectClose(
      take(xlog1py(-1.5, yp)),
      yp.map((v) => -1.5 * Math.log1p(v)),
      { rtol: 1e-6, atol: 0 },
    );
    expect(Array.from(take(xlogy([1, 1], [0, -1])))).toEqual([-Infinity, NaN]);
    expect(take(xlog1py(2, -1))[0]).toBe(-Infinity);
  });
  it('gradients match finite differences and are 0 (not NaN) where x == 0', () => {
    const x = tf.tensor([0, 0, 2, -1.5]);
    const y = tf.tensor([0, 2, 0.7, 4]);
    const [gx, gy] = tf
      .grads((u: tf.Tensor, v: tf.Tensor) => xlogy(u, v))([x, y])
      .map(take);
    expect(Array.from(gx.slice(0, 2))).toEqual([0, 0]);
    expect(Array.from(gy.slice(0, 2))).toEqual([0, 0]);
    expectClose(gx.slice(2), [Math.log(0.7), Math.log(4)], { rtol: 1e-6 });
    expectClose(gy.slice(2), [derivative64((t) => 2 * Math.log(t), 0.7), derivative64((t) => -1.5 * Math.log(t), 4)], { rtol: 1e-6 });
    const y1 = tf.tensor([-1, 2, 1e-8, 4]);
    const [hx, hy] = tf
      .grads((u: tf.Tensor, v: tf.Tensor) => xlog1py(u, v))([x, y1])
      .map(take);
    expect(Array.from([hx[0], hy[0], hx[1], hy[1]])).toEqual([0, 0, 0, 0]);
    expectClose(hx.slice(2), [1e-8, Math.log(5)], { rtol: 1e-6 });
    expectClose(hy.slice(2), [derivative64((t) => 2 * Math.log1p(t), 1e-8, 1e-9), derivative64((t) => -1.5 * Math.log1p(t), 4)], {
      rtol: 1e-6,
    });
    tf.dispose([x, y, y1]);
  });
  it.each([
    [[2, 1], [3], [2, 3]],
    [[], [4], [4]],
    [[4], [], [4]],
    [
      [3, 1, 2],
      [1, 5, 1],
      [3, 5, 2],
    ],
  ])('broadcast shapes %j and %j to %j; gradients keep the input shapes', (sx, sy, out) => {
    for (const op of [xlogy, xlog1py]) expectBroadcastGradientShapes(op, sx, sy, out, { a: [0, 2, 6], b: [0.5, 2, 7] });
  });
  it('names x and y when shapes do not broadcast', () => {
    expect(() => xlogy([1, 2], [1, 2, 3])).toThrow(InvalidArgumentError);
    expect(() => xlog1py([[1, 2]], [1, 2, 3])).toThrow(/xlog1py: x and y must be broadcast-compatible/);
  });
  it('are memory-neutral, also under tf.grads', async () => {
    for (const op of [xlogy, xlog1py]) await expectBinaryMemoryNeutral(op, tf.tensor([[0], [2]]), tf.tensor([0, 1, 3]));
  });
});
