import * as tf from '@tensorflow/tfjs-core';
import { withoutGradient } from '@vae/math';
import { onPositive } from './on-positive.js';

describe('onPositive', () => {
  it('is f where x > 0 and the fixed value elsewhere (NaN included), in the broadcast shape', () => {
    tf.tidy(() => {
      const x = tf.tensor1d([-1, 0, NaN, 2, 4]);
      expect(onPositive(x, tf.log, -Infinity).arraySync()).toEqual(
        [-Infinity, -Infinity, -Infinity, Math.log(2), Math.log(4)].map(Math.fround),
      );
      const scaled = onPositive(x, (v) => tf.div(tf.tensor2d([[1], [2]]), v), Infinity);
      expect(scaled.shape).toEqual([2, 5]);
      expect((scaled.arraySync() as number[][])[1]).toEqual([Infinity, Infinity, Infinity, 1, 0.5]);
    });
  });

  it('keeps the gradient finite where x <= 0, where the plain mask gives NaN (0 times the infinite 1/x)', () => {
    tf.tidy(() => {
      const x = tf.tensor1d([0, 2]);
      const safe = tf.grad((v: tf.Tensor) => tf.sum(onPositive(v, tf.log, 0)))(x);
      expect(safe.arraySync()).toEqual([0, 0.5]);
      const plain = tf.grad((v: tf.Tensor) =>
        tf.sum(
          tf.where(
            withoutGradient((u) => tf.greater(u, 0), v),
            tf.log(v),
            tf.zerosLike(v),
          ),
        ),
      )(x);
      expect(Number.isNaN((plain.arraySync() as number[])[0])).toBe(true);
    });
  });
});
