import * as tf from '@tensorflow/tfjs-core';
import { detached, untaped } from './tape.js';

describe('untaped', () => {
  it('computes fn(x) with a zero gradient, even where fn has no gradient (comparisons)', () => {
    const x = tf.tensor([-1, 2]);
    expect(Array.from(untaped((t) => tf.greater(t, 0), x).dataSync())).toEqual([0, 1]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.cast(untaped((u) => tf.greater(u, 0), t), 'float32'), t)))(x);
    // Only the explicit factor t contributes: d/dt (mask * t) = mask.
    expect(Array.from(g.dataSync())).toEqual([0, 1]);
  });
});

describe('detached', () => {
  it('copies values, shape and dtype into a tensor with no link to the tape', () => {
    const x = tf.tensor2d([[1, 2], [3, 4]], undefined, 'int32');
    const copy = detached(x);
    expect(copy).not.toBe(x);
    expect([copy.shape, copy.dtype, copy.arraySync()]).toEqual([[2, 2], 'int32', [[1, 2], [3, 4]]]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(detached(t), t)))(tf.tensor([3, 5]));
    // d/dt (c * t) with c held constant is c, not 2t.
    expect(Array.from(g.dataSync())).toEqual([3, 5]);
  });
});
