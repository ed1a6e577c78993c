import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectMemoryNeutral } from '@vae/testing';
import { broadcastShapes, InvalidArgumentError, stopGradient, toFloat32 } from './index.js';

describe('broadcastShapes', () => {
  it.each([
    [[[2, 1], [3]], [2, 3]],
    [[[], [4]], [4]],
    [[[5, 1, 3], [4, 1]], [5, 4, 3]],
  ])('%j -> %j', (shapes, expected) => {
    expect(broadcastShapes(shapes as number[][])).toEqual(expected);
  });
  it('names both arguments when shapes do not broadcast', () => {
    expect(() => broadcastShapes([[2], [3]], ['loc', 'scale'], 'Normal')).toThrow(/Normal: loc and scale must be broadcast-compatible; shapes \[2\] and \[3\]/);
  });
});

describe('toFloat32', () => {
  it('casts int tensors and converts arrays', () => {
    const out = toFloat32(tf.tensor([1, 2], undefined, 'int32'), 'x');
    expect(out.dtype).toBe('float32');
    expectClose(out, [1, 2]);
    expect(() => toFloat32('a' as unknown as number, 'x', 'f')).toThrow(InvalidArgumentError);
  });
});

describe('stopGradient', () => {
  it('passes values and blocks gradients', async () => {
    const g = tf.grad((x: tf.Tensor) => tf.add(tf.square(x), stopGradient(tf.square(x))))(tf.scalar(3));
    expectClose(g, 6);
    const x = tf.scalar(1);
    await expectMemoryNeutral(() => tf.grad((v: tf.Tensor) => stopGradient(v))(x));
    x.dispose();
  });
});
