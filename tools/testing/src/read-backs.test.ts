import * as tf from '@tensorflow/tfjs-core';
import { countReadBacks } from './read-backs.js';

describe('countReadBacks', () => {
  it('counts synchronous and asynchronous reads, and none for kernels alone', () => {
    const x = tf.tensor([1, 2, 3]);
    expect(countReadBacks(() => tf.dispose(tf.mul(x, 2)))).toBe(0);
    expect(
      countReadBacks(() => {
        x.dataSync();
        x.arraySync();
        void x.data();
      }),
    ).toBe(3);
    x.dispose();
  });

  it('restores the engine when the function throws', () => {
    const before = (tf.engine() as unknown as { readSync: unknown }).readSync;
    expect(() =>
      countReadBacks(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect((tf.engine() as unknown as { readSync: unknown }).readSync).toBe(before);
  });
});
