import * as tf from '@tensorflow/tfjs-core';
import { expectMemoryNeutral, expectWithinStandardErrors } from '@vae/testing';
import { bernoulliSample, categoricalSample } from './index.js';
import { take } from '../test/oracles.js';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

describe('bernoulliSample', () => {
  it('has frequency sigmoid(logits), exactly 0/1 at logits -+80', () => {
    const logits = [-80, -3, -0.5, 0, 1.2, 4, 80];
    const n = 20000;
    const x = take(bernoulliSample(tf.tensor(logits), [n, logits.length], 1));
    logits.forEach((l, j) => {
      let ones = 0;
      for (let i = 0; i < n; i++) ones += x[i * logits.length + j];
      const p = sigmoid(l);
      if (Math.abs(l) === 80) expect(ones).toBe(l > 0 ? n : 0);
      else expectWithinStandardErrors(ones / n, p, Math.sqrt((p * (1 - p)) / n), { z: 4.5, label: `frequency at logit ${l}` });
    });
    expect(new Set(x).size).toBe(2);
  });
  it('has a zero gradient under tf.grad, is deterministic and memory-neutral', async () => {
    const logits = tf.tensor([0.3, -1]);
    const g = take(tf.grad((l: tf.Tensor) => tf.sum(bernoulliSample(l, [5, 2], 1)))(logits));
    expect(Array.from(g)).toEqual([0, 0]);
    expect(Array.from(take(bernoulliSample(logits, [50, 2], 3)))).toEqual(Array.from(take(bernoulliSample(logits, [50, 2], 3))));
    await expectMemoryNeutral(() => bernoulliSample(logits, [5, 2], 1));
    await expectMemoryNeutral(() => tf.grad((l: tf.Tensor) => tf.sum(bernoulliSample(l, [5, 2], 1)))(logits));
    logits.dispose();
    expect(() => bernoulliSample(NaN, [2])).toThrow(/bernoulliSample: logits must be a number/);
  });
});

describe('categoricalSample', () => {
  it('has frequencies softmax(logits) (int32), including -Infinity (masked) classes', () => {
    const logits = [1, -2, 0.5, -Infinity, 3];
    const z = Math.log(logits.reduce((s, l) => s + Math.exp(l), 0));
    const n = 20000;
    const k = categoricalSample(tf.tensor(logits), [n], 2);
    expect(k.dtype).toBe('int32');
    expect(k.shape).toEqual([n]);
    const counts = new Array(logits.length).fill(0);
    for (const v of take(k)) counts[v]++;
    logits.forEach((l, j) => {
      const p = Math.exp(l - z);
      if (p === 0) expect(counts[j]).toBe(0);
      else expectWithinStandardErrors(counts[j] / n, p, Math.sqrt((p * (1 - p)) / n), { z: 4.5, label: `class ${j}` });
    });
  });
  it('handles logits of +-80 and batch broadcasting', () => {
    const k = take(
      categoricalSample(
        tf.tensor([
          [80, -80, 0],
          [-80, -80, 80],
        ]),
        [100, 2],
        3,
      ),
    );
    for (let i = 0; i < 100; i++) {
      expect(k[2 * i]).toBe(0);
      expect(k[2 * i + 1]).toBe(2);
    }
  });
  it('has a zero gradient, is deterministic, memory-neutral and validates', async () => {
    const logits = tf.tensor([0.1, 0.2, 0.3]);
    const g = take(tf.grad((l: tf.Tensor) => tf.sum(tf.mul(l, tf.sum(tf.cast(categoricalSample(l, [4], 1), 'float32')))))(logits));
    expect(g.every(Number.isFinite)).toBe(true);
    expect(Array.from(take(categoricalSample(logits, [50], 4)))).toEqual(Array.from(take(categoricalSample(logits, [50], 4))));
    await expectMemoryNeutral(() => categoricalSample(logits, [5], 1));
    logits.dispose();
    expect(() => categoricalSample(1, [2])).toThrow(/logits must be at least one-dimensional/);
    expect(() =>
      categoricalSample(
        [
          [1, 2],
          [3, 4],
        ],
        [3],
      ),
    ).toThrow(/broadcastable/);
  });
});
