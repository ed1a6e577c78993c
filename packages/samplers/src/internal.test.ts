import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectMemoryNeutral } from '@vae/testing';
import { withoutGradient } from '@vae/math';
import { checkBroadcastsTo, checkShape, firstAccepted, householderToMean, straightThrough } from './internal.js';

describe('householderToMean', () => {
  const d = 5;
  const e1 = [1, 0, 0, 0, 0];
  const unit = (v: number[]) => {
    const n = Math.hypot(...v);
    return v.map((x) => x / n);
  };
  const cases: [string, number[]][] = [
    ['e1 itself', e1],
    ['-e1', [-1, 0, 0, 0, 0]],
    ['a generic direction', unit([0.3, -1, 2, 0.5, -0.2])],
    ['a direction 1e-4 away from e1', unit([1, 1e-4, 0, 0, 0])],
    ['a direction with mu_1 = 0', [0, 0, 1, 0, 0]],
    ['a direction near -e1', unit([-1, 0, 0, 1e-5, 0])],
  ];
  it.each(cases)('maps e1 to mu and preserves norms and inner products for %s', (_name, mu) => {
    const m = tf.tensor(mu);
    expectClose(householderToMean(tf.tensor(e1), m), mu, { atol: 1e-6, rtol: 1e-6 });
    const y = tf.tensor([
      [0.2, 0.4, -0.1, 0.7, 0.5],
      [-1, 2, 0.5, 0, 0.3],
    ]);
    const z = householderToMean(y, m);
    expectClose(tf.sum(tf.square(z), -1), tf.sum(tf.square(y), -1), { rtol: 1e-5 });
    expectClose(
      tf.sum(tf.mul(tf.slice(z, [0, 0], [1, d]), tf.slice(z, [1, 0], [1, d]))),
      tf.sum(tf.mul(tf.slice(y, [0, 0], [1, d]), tf.slice(y, [1, 0], [1, d]))),
      { rtol: 1e-5, atol: 1e-6 },
    );
    tf.dispose([m, y, z]);
  });
  it('is memory-neutral', async () => {
    const mu = tf.tensor([0.6, 0.8]);
    const y = tf.tensor([[1, 0]]);
    await expectMemoryNeutral(() => householderToMean(y, mu));
    tf.dispose([mu, y]);
  });
});

describe('argument helpers', () => {
  it('checkShape and checkBroadcastsTo name the argument and the constraint', () => {
    expect(checkShape([2, 0, 3], 'f')).toEqual([2, 0, 3]);
    expect(() => checkShape([2, -1], 'f')).toThrow(/f: shape must be an array of non-negative integers; got -1 at position 1/);
    expect(() => checkBroadcastsTo([3, 2], [2], 'loc', 'f')).toThrow(
      /f: loc must be broadcastable to the requested shape \[2\]; got shape \[3,2\]/,
    );
    expect(() => checkBroadcastsTo([1, 2], [4, 2], 'loc', 'f')).not.toThrow();
  });
  it('straightThrough returns the hard value exactly and the identity gradient; withoutGradient gives zeros', () => {
    const soft = tf.tensor([0.3, 0.7]);
    const hard = tf.tensor([0, 1]);
    expect(Array.from(straightThrough(hard, soft).dataSync())).toEqual([0, 1]);
    const g = tf.grad((s: tf.Tensor) => tf.sum(tf.mul(straightThrough(hard, s), tf.tensor([2, 3]))))(soft);
    expect(Array.from(g.dataSync())).toEqual([2, 3]);
    const z = tf.grad((s: tf.Tensor) => tf.sum(withoutGradient((x) => tf.cast(tf.greater(x, 0.5), 'float32'), s)))(soft);
    expect(Array.from(z.dataSync())).toEqual([0, 0]);
    tf.dispose([soft, hard, g, z]);
  });
});

describe('firstAccepted', () => {
  it('keeps the first accepted proposal per element, else the last one or the fallback', () => {
    tf.tidy(() => {
      // Proposals along axis 0; element 0 accepts proposals 1 and 2, element 1 none, element 2 the first.
      const accept = tf.tensor2d(
        [
          [0, 0, 1],
          [1, 0, 0],
          [1, 0, 0],
        ],
        [3, 3],
        'bool',
      );
      const value = tf.tensor2d([
        [10, 20, 30],
        [11, 21, 31],
        [12, 22, 32],
      ]);
      expect(Array.from(firstAccepted(accept, value).dataSync())).toEqual([11, 22, 30]);
      expect(Array.from(firstAccepted(accept, value, tf.tensor([-1, -2, -3])).dataSync())).toEqual([11, -2, 30]);
    });
  });
});
