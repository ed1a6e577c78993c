import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectMemoryNeutral } from '@vae/testing';
import { mulLog, normalizeLogits, polynomial, probsToLogits, safeWhere, whichParameterization } from './parameterization.js';

describe('whichParameterization', () => {
  it('picks the one given and names both when there are two or none', () => {
    expect(whichParameterization({ logits: [0] }, 'Bernoulli')).toBe('logits');
    expect(whichParameterization({ probs: 0.5, logits: undefined }, 'Bernoulli')).toBe('probs');
    expect(() => whichParameterization({ logits: 0, probs: 0.5 }, 'Bernoulli')).toThrow(
      'Bernoulli: logits or probs must be given (exactly one of them); got both',
    );
    expect(() => whichParameterization({}, 'Categorical')).toThrow(
      'Categorical: logits or probs must be given (exactly one of them); got neither',
    );
  });
});

describe('probsToLogits', () => {
  it('is log p - log(1 - p) to float32 accuracy across (0, 1), the middle included, against float64', () => {
    const ps = [1e-30, 1e-7, 0.01, 0.25, 0.2501, 0.4, 0.5, 0.5000001, 0.6, 0.7499, 0.75, 0.99, 1 - 2 ** -20];
    const got = probsToLogits(tf.tensor(ps)).dataSync();
    ps.forEach((p, i) => {
      const pf = Math.fround(p);
      const exact = Math.log(pf) - Math.log1p(-pf);
      expect(Math.abs(got[i] - exact)).toBeLessThanOrEqual(4e-7 * Math.max(1, Math.abs(exact)));
    });
    expect(Array.from(probsToLogits(tf.tensor([0, 1])).dataSync())).toEqual([-Infinity, Infinity]);
  });

  it('has derivative 1 / (p (1 - p)), in both branches', () => {
    for (const p of [0.1, 0.5, 0.9]) {
      const g = tf
        .grad((t: tf.Tensor) => probsToLogits(t))(tf.scalar(p))
        .dataSync()[0];
      expect(g).toBeCloseTo(1 / (p * (1 - p)), 3);
    }
  });
});

describe('mulLog', () => {
  it('is c log v, with 0 log 0 = 0 and a finite zero gradient there', () => {
    const c = tf.tensor([0, 2, 0.5]);
    const logV = tf.tensor([-Infinity, Math.log(3), -Infinity]);
    const out = Array.from(mulLog(c, logV).dataSync());
    expect(out[0]).toBe(0);
    expect(out[1]).toBeCloseTo(2 * Math.log(3), 6);
    expect(out[2]).toBe(-Infinity);
    const g = tf
      .grad((t: tf.Tensor) => tf.sum(mulLog(c, t)))(tf.tensor([-Infinity, 1, 0]))
      .dataSync();
    expect(Array.from(g)).toEqual([0, 2, 0.5]);
  });
});

describe('normalizeLogits, safeWhere, polynomial', () => {
  it('normalizeLogits subtracts the log-sum-exp over the last axis: exp sums to 1, differences kept', () => {
    const out = normalizeLogits(
      tf.tensor2d([
        [1, 2, 3],
        [1000, 1000, -Infinity],
      ]),
    );
    const rows = out.arraySync() as number[][];
    expect(rows[0].reduce((s, v) => s + Math.exp(v), 0)).toBeCloseTo(1, 6);
    expect(rows[0][2] - rows[0][0]).toBeCloseTo(2, 5);
    // 1000 - 1000.6931: the float32 spacing at 1000 is 6e-5, so the difference carries that error.
    expectClose(rows[1], [-Math.LN2, -Math.LN2, -Infinity], { atol: 1e-4 });
  });

  it('safeWhere evaluates each branch only at safe points, so the other branch cannot poison values or gradients', () => {
    // log(x) where x > 0, else 0: the naive where has a NaN gradient at x = 0 (0 * Infinity).
    const f = (x: tf.Tensor) => safeWhere((t) => tf.greater(t, 0), x, tf.log, 1, tf.zerosLike, 0);
    const x = tf.tensor([0, 2, -1]);
    expectClose(f(x), [0, Math.log(2), 0]);
    const g = tf
      .grad((t: tf.Tensor) => tf.sum(f(t)))(x)
      .dataSync();
    expect(Array.from(g)).toEqual([0, 0.5, 0]);
  });

  it('polynomial is Horner evaluation with coefficients from the constant term up', () => {
    expectClose(polynomial([1, -3, 2], tf.tensor([0, 1, 2, 0.5])), [1, 0, 3, 0]);
  });

  it('are memory-neutral', async () => {
    const p = tf.tensor([0.1, 0.5, 0.9]);
    await expectMemoryNeutral(() => probsToLogits(p));
    await expectMemoryNeutral(() => mulLog(p, p));
    await expectMemoryNeutral(() => normalizeLogits(p));
    p.dispose();
  });
});
