import * as tf from '@tensorflow/tfjs-core';
import { derivative64, expectClose, expectFinite, expectKSPass, expectMemoryNeutral, expectWithinStandardErrors } from '@vae/testing';
import { bernoulliSample, categoricalSample, relaxedBernoulliSample, relaxedOneHotSample } from './index.js';
import { printGradientReport, recordGradientError, take } from '../test/oracles.js';

afterAll(printGradientReport);

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Mean of f over one seeded batch, as a float64 function of a scalar parameter (same noise each call). */
function seededEstimator(f: (theta: tf.Tensor) => tf.Tensor): (theta: number) => number {
  return (theta) => tf.tidy(() => tf.mean(f(tf.scalar(theta))).dataSync()[0]);
}

/** tf.grad of the seeded estimator against its own central difference (same noise). */
function checkAgainstFiniteDifference(sampler: string, f: (theta: tf.Tensor) => tf.Tensor, theta: number, h: number, rtol: number): void {
  const g = tf.tidy(
    () =>
      tf
        .grad((t: tf.Tensor) => tf.mean(f(t)))(tf.scalar(theta))
        .dataSync()[0],
  );
  const fd = derivative64(seededEstimator(f), theta, h);
  const rel = Math.abs(g - fd) / Math.abs(fd);
  recordGradientError(sampler, rel);
  expectClose(g, fd, { rtol, atol: 1e-6, label: `${sampler} gradient at ${theta}` });
}

describe('relaxedOneHotSample', () => {
  const logits = [0.5, -1, 2, 0];
  it('lies on the simplex; its argmax is the Gumbel-max categorical sample of the same seed', () => {
    const y = relaxedOneHotSample(tf.tensor(logits), 0.7, [2000], 5);
    expect(y.shape).toEqual([2000, 4]);
    const sums = take(tf.sum(y, -1));
    sums.forEach((s) => expect(Math.abs(s - 1)).toBeLessThan(1e-5));
    const argmax = take(tf.argMax(y, -1));
    const categorical = take(categoricalSample(tf.tensor(logits), [2000], 5));
    expect(Array.from(argmax)).toEqual(Array.from(categorical));
    y.dispose();
  });
  it('is finite with logits of +-80 and tiny or large temperatures', () => {
    const l = tf.tensor([
      [80, -80, 0],
      [-80, -80, -80],
      [80, 80, -80],
    ]);
    for (const t of [1e-3, 0.1, 1, 100]) {
      const y = take(relaxedOneHotSample(l, t, [50, 3], 6));
      expectFinite(y, `sample at temperature ${t}`);
      const g = take(tf.grad((x: tf.Tensor) => tf.sum(tf.mul(relaxedOneHotSample(x, t, [50, 3], 6), tf.tensor([1, 2, 3]))))(l));
      expectFinite(g, `gradient at temperature ${t}`);
    }
    l.dispose();
  });
  it('hard: forward one-hot (exactly), equal to the categorical sample; gradient equals the soft one', () => {
    const l = tf.tensor(logits);
    const hard = relaxedOneHotSample(l, 0.5, [300], 7, { hard: true });
    const cat = categoricalSample(l, [300], 7);
    expect(Array.from(take(hard.clone()))).toEqual(Array.from(take(tf.cast(tf.oneHot(cat, 4), 'float32'))));
    const w = tf.tensor([1, -2, 3, 0.5]);
    const gHard = take(tf.grad((x: tf.Tensor) => tf.sum(tf.mul(relaxedOneHotSample(x, 0.5, [300], 7, { hard: true }), w)))(l));
    const gSoft = take(tf.grad((x: tf.Tensor) => tf.sum(tf.mul(relaxedOneHotSample(x, 0.5, [300], 7), w)))(l));
    expect(Array.from(gHard)).toEqual(Array.from(gSoft));
    tf.dispose([l, hard, cat, w]);
  });
  it('gradients in a logit and in the temperature match a finite difference of the same seeded estimator', () => {
    const n = 4000;
    const w = tf.tensor([1, -2, 3, 0.5]);
    const others = tf.tensor([-1, 2, 0]);
    checkAgainstFiniteDifference(
      'relaxedOneHotSample (logits)',
      (t) => tf.sum(tf.mul(relaxedOneHotSample(tf.concat([tf.reshape(t, [1]), others]), 0.8, [n], 8), w), -1),
      0.5,
      1e-2,
      2e-3,
    );
    checkAgainstFiniteDifference(
      'relaxedOneHotSample (temperature)',
      (t) => tf.sum(tf.mul(relaxedOneHotSample(tf.tensor(logits), t, [n], 9), w), -1),
      0.8,
      1e-2,
      2e-3,
    );
    tf.dispose([w, others]);
  });
  it('is deterministic, memory-neutral (with gradients) and validates', async () => {
    const l = tf.tensor(logits);
    expect(Array.from(take(relaxedOneHotSample(l, 1, [10], 1)))).toEqual(Array.from(take(relaxedOneHotSample(l, 1, [10], 1))));
    await expectMemoryNeutral(() => relaxedOneHotSample(l, 1, [10], 1));
    await expectMemoryNeutral(() => relaxedOneHotSample(l, 1, [10], 1, { hard: true }));
    await expectMemoryNeutral(() => tf.grad((x: tf.Tensor) => tf.sum(tf.square(relaxedOneHotSample(x, 1, [10], 1, { hard: true }))))(l));
    l.dispose();
    expect(() => relaxedOneHotSample([1, 2], 0, [2])).toThrow(/relaxedOneHotSample: temperature must be positive/);
    expect(() => relaxedOneHotSample([1, 2], [1, 1, 1], [2])).toThrow(/temperature must be broadcastable/);
  });
});

describe('relaxedBernoulliSample', () => {
  // Parameters where float32 seldom rounds the sample to exactly 0 or 1 (such atoms would break KS).
  it('passes KS against its CDF P(Y <= y) = sigmoid(temperature logit(y) - logits)', () => {
    for (const [l, t] of [
      [0.3, 0.5],
      [-2, 2],
      [1.5, 1],
    ]) {
      const y = take(relaxedBernoulliSample(l, t, [10000], 10));
      expectKSPass(y, (v) => (v <= 0 ? 0 : v >= 1 ? 1 : sigmoid(t * Math.log(v / (1 - v)) - l)), 1e-4, `RelaxedBernoulli(${l}, ${t})`);
    }
  });
  it('hard: equals the Bernoulli sample of the same seed; low temperature approaches it', () => {
    const hard = take(relaxedBernoulliSample(0.4, 0.5, [1000], 11, { hard: true }));
    expect(Array.from(hard)).toEqual(Array.from(take(bernoulliSample(0.4, [1000], 11))));
    const cold = take(relaxedBernoulliSample(0.4, 1e-3, [1000], 11));
    let agree = 0;
    cold.forEach((v, i) => (agree += Math.round(v) === hard[i] ? 1 : 0));
    expect(agree).toBe(1000);
    const mean = hard.reduce((a, b) => a + b) / 1000;
    expectWithinStandardErrors(mean, sigmoid(0.4), Math.sqrt(0.25 / 1000), { z: 4.5 });
  });
  it('is finite at logits +-80 and gradients match a finite difference of the same seeded estimator', () => {
    const l = tf.tensor([-80, 80, 0]);
    expectFinite(take(tf.grad((x: tf.Tensor) => tf.sum(relaxedBernoulliSample(x, 0.1, [20, 3], 12)))(l)), 'gradient');
    l.dispose();
    checkAgainstFiniteDifference(
      'relaxedBernoulliSample (logits)',
      (t) => tf.square(relaxedBernoulliSample(t, 0.7, [4000], 13)),
      0.3,
      1e-2,
      2e-3,
    );
    checkAgainstFiniteDifference(
      'relaxedBernoulliSample (temperature)',
      (t) => tf.square(relaxedBernoulliSample(0.3, t, [4000], 14)),
      0.7,
      1e-2,
      2e-3,
    );
  });
  it('is memory-neutral and validates', async () => {
    await expectMemoryNeutral(() => relaxedBernoulliSample(0, 1, [10], 1, { hard: true }));
    expect(() => relaxedBernoulliSample(0, -1, [2])).toThrow(/temperature must be positive/);
  });
});
