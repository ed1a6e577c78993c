import * as tf from '@tensorflow/tfjs-core';
import { detached } from './tape.js';

describe('detached', () => {
  it('copies values, shape and dtype into a tensor with no link to the tape', () => {
    const values = [
      [1, 2],
      [3, 4],
    ];
    const x = tf.tensor2d(values, undefined, 'int32');
    const copy = detached(x);
    expect(copy).not.toBe(x);
    expect([copy.shape, copy.dtype, copy.arraySync()]).toEqual([[2, 2], 'int32', values]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(detached(t), t)))(tf.tensor([3, 5]));
    // d/dt (c * t) with c held constant is c, not 2t.
    expect(Array.from(g.dataSync())).toEqual([3, 5]);
  });
});
