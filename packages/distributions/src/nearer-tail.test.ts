import * as tf from '@tensorflow/tfjs-core';
import { fromNearerTail } from './nearer-tail.js';

describe('fromNearerTail', () => {
  // The logistic quantile log(p / (1 - p)): log(p) - log1p(-p) in the lower half, and in q = 1 - p,
  // log1p(-q) - log(q), which keeps its digits where 1 - p rounds to a few bits.
  const lower = (a: tf.Tensor) => tf.sub(tf.log(a), tf.log1p(tf.neg(a)));
  const upper = (q: tf.Tensor) => tf.sub(tf.log1p(tf.neg(q)), tf.log(q));

  it('takes the lower branch at p <= 1/2 and the upper one, in q = 1 - p, above', () => {
    tf.tidy(() => {
      const p = tf.tensor1d([0.1, 0.5, 0.5000001, 0.9]);
      const seen = { lower: [] as number[], upper: [] as number[] };
      fromNearerTail(
        p,
        (a) => (seen.lower.push(...a.dataSync()), a),
        (q) => (seen.upper.push(...q.dataSync()), q),
      );
      // Each branch sees every entry, clamped to its own half: never the other tail's pole.
      expect(seen.lower).toEqual([0.1, 0.5, 0.5, 0.5].map(Math.fround));
      expect(seen.upper).toEqual([0.5, 0.5, 1 - Math.fround(0.5000001), 1 - Math.fround(0.9)].map(Math.fround));
      const value = fromNearerTail(p, lower, upper).arraySync() as number[];
      const exact = [0.1, 0.5, 0.5000001, 0.9].map((v) => Math.log(Math.fround(v) / (1 - Math.fround(v))));
      value.forEach((v, i) => expect(v).toBeCloseTo(exact[i], 5));
    });
  });

  it('is the same function on both sides of 1/2, and finite in value and gradient at both ends', () => {
    tf.tidy(() => {
      const p = tf.tensor1d([1e-30, 0.3, 0.7, 1 - 2 ** -24]);
      const v = fromNearerTail(p, lower, upper).arraySync() as number[];
      // Odd about 1/2: the quantile at 0.7 is minus that at 0.3.
      expect(v[2]).toBeCloseTo(-v[1], 6);
      // Near p = 1 the upper branch gives log((1 - q) / q) with q = 2^-24 exactly, not log(1 / 0).
      expect(v[3]).toBeCloseTo(Math.log((1 - 2 ** -24) / 2 ** -24), 4);
      expect(v[0]).toBeCloseTo(Math.log(1e-30), 3);
      const g = tf
        .grad((x: tf.Tensor) => tf.sum(fromNearerTail(x, lower, upper)))(p)
        .arraySync() as number[];
      // d/dp log(p / (1 - p)) = 1 / (p (1 - p)); the masked branch adds 0, not NaN.
      [0.3, 0.7].forEach((x, i) => expect(g[i + 1]).toBeCloseTo(1 / (x * (1 - x)), 3));
      g.forEach((x) => expect(Number.isFinite(x)).toBe(true));
    });
  });
});
