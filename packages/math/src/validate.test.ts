import * as tf from '@tensorflow/tfjs-core';
import { expectMemoryNeutral } from '@vae/testing';
import { InvalidArgumentError } from './errors.js';
import { assertElementwise, assertFinite, assertNotNaN } from './validate.js';

const positive = (x: number) => x > 0;

describe('assertElementwise', () => {
  it('passes when every element satisfies the predicate', () => {
    expect(() => assertElementwise(tf.tensor([1, 2, 3]), 'scale', 'positive (> 0)', positive)).not.toThrow();
  });

  it('names the first failing element by its multi-index (row-major), the argument and the context', () => {
    const t = tf.tensor2d([
      [1, 2, 3],
      [4, -5, -6],
    ]);
    expect(() => assertElementwise(t, 'scale', 'positive (> 0)', positive, 'Normal')).toThrow(
      new InvalidArgumentError('scale', 'positive (> 0)', 'got -5 at index [1,1]', 'Normal'),
    );
    const cube = tf.zeros([2, 3, 4]).add(tf.oneHot([23], 24).reshape([2, 3, 4]).mul(-1));
    expect(() => assertElementwise(cube, 'x', 'non-negative', (x) => x >= 0)).toThrow('x must be non-negative; got -1 at index [1,2,3]');
  });

  it('gives no index for a scalar', () => {
    expect(() => assertElementwise(tf.scalar(-2), 'rate', 'positive (> 0)', positive, 'Exponential')).toThrow(
      /^Exponential: rate must be positive \(> 0\); got -2$/,
    );
  });

  it('rejects NaN even when the predicate would accept it', () => {
    expect(() => assertElementwise(tf.tensor([0, NaN]), 'x', 'anything', () => true)).toThrow('x must be anything; got NaN at index [1]');
  });

  it('allocates nothing', async () => {
    const t = tf.tensor([1, 2]);
    await expectMemoryNeutral(() => assertElementwise(t, 'x', 'positive', positive));
    t.dispose();
  });
});

describe('assertFinite and assertNotNaN', () => {
  it('assertFinite rejects infinities and NaN, and accepts extremes that are finite', () => {
    expect(() => assertFinite(tf.tensor([3.4e38, -3.4e38, 1e-45]), 'x')).not.toThrow();
    expect(() => assertFinite(tf.tensor([0, -Infinity]), 'loc', 'Normal')).toThrow(
      'Normal: loc must be finite; got -Infinity at index [1]',
    );
    expect(() => assertFinite(tf.tensor([NaN]), 'loc')).toThrow('loc must be finite; got NaN at index [0]');
  });

  it('assertNotNaN accepts infinities and rejects NaN', () => {
    expect(() => assertNotNaN(tf.tensor([Infinity, -Infinity]), 'x')).not.toThrow();
    expect(() => assertNotNaN(tf.tensor([1, NaN]), 'logits', 'Categorical')).toThrow(
      'Categorical: logits must be a number (not NaN); got NaN at index [1]',
    );
  });
});
