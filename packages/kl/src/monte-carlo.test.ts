import * as tf from '@tensorflow/tfjs-core';
import { Bernoulli, Normal, Uniform } from '@vae/distributions';
import { expectMemoryNeutral, expectWithinStandardErrors, summarize } from '@vae/testing';
import { assertSameEvent, monteCarloKL } from './monte-carlo.js';

// KL(N(m1, s1) || N(m2, s2)) in closed form.
const klNormal = (m1: number, s1: number, m2: number, s2: number) => Math.log(s2 / s1) + (s1 ** 2 + (m1 - m2) ** 2) / (2 * s2 ** 2) - 0.5;

describe('monteCarloKL', () => {
  // Made in beforeAll: the backend is chosen in the global setup's beforeAll, after collection.
  let p: Normal;
  let q: Normal;
  beforeAll(() => {
    // q is not much narrower than p, so r = q / p has a finite variance under p and both estimators a standard error.
    p = new Normal({ loc: [0, 1], scale: [1, 0.8] });
    q = new Normal({ loc: 0.5, scale: 0.9 });
  });
  const truth = [klNormal(0, 1, 0.5, 0.9), klNormal(1, 0.8, 0.5, 0.9)];

  it.each(['plain', 'lowVariance'] as const)(
    '%s: agrees with the closed form within Monte Carlo error, with batch shape [2]',
    (estimator) => {
      const numSamples = 20000;
      const kl = monteCarloKL(p, q, { numSamples, seed: 3, estimator });
      expect(kl.shape).toEqual([2]);
      const values = kl.dataSync();
      // The standard error from independent per-sample terms, drawn with another seed.
      const z = p.sample([2000], 11);
      const logR = tf.sub(q.logProb(z), p.logProb(z));
      const terms = estimator === 'plain' ? tf.neg(logR) : tf.sub(tf.expm1(logR), logR);
      const termValues = terms.arraySync() as number[][];
      truth.forEach((t, j) => {
        const { standardError } = summarize(termValues.map((row) => row[j]));
        expectWithinStandardErrors(values[j], t, standardError * Math.sqrt(2000 / numSamples), { label: `${estimator} KL[${j}]` });
      });
      tf.dispose([kl, z, logR, terms]);
    },
  );

  it('lowVariance is never negative, even for p = q, where plain can be', () => {
    const same = new Normal({ loc: [0, 0, 0], scale: [1, 2, 3] });
    const low = monteCarloKL(same, same, { numSamples: 10, seed: 1, estimator: 'lowVariance' });
    expect(Array.from(low.dataSync())).toEqual([0, 0, 0]);
    const r = new Normal({ loc: [0.01, 0.01, 0.01], scale: 1 });
    const nonNegative = monteCarloKL(same, r, { numSamples: 5, seed: 2, estimator: 'lowVariance' });
    expect(Math.min(...nonNegative.dataSync())).toBeGreaterThanOrEqual(0);
    tf.dispose([low, nonNegative]);
  });

  it('gives the same numbers for the same seed', () => {
    const a = monteCarloKL(p, q, { numSamples: 50, seed: 0 });
    const b = monteCarloKL(p, q, { numSamples: 50, seed: 0 });
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    tf.dispose([a, b]);
  });

  it('differentiates through reparameterized samples: d/dm KL(N(m, 1) || N(0, 1)) = m', () => {
    const g = tf.grad((m: tf.Tensor) =>
      monteCarloKL(new Normal({ loc: m, scale: 1 }), new Normal({ loc: 0, scale: 1 }), { numSamples: 4000, seed: 5 }),
    )(tf.scalar(0.7));
    expect(g.dataSync()[0]).toBeCloseTo(0.7, 1);
    g.dispose();
  });

  it('uses the score function for samples that are not reparameterized (Bernoulli), matching the analytic gradient', () => {
    // KL(Bern(sigmoid(l)) || Bern(0.5)) = p log p + (1 - p) log(1 - p) + log 2, d/dl = p (1 - p) logit(p) = p (1 - p) l.
    const l = 0.8;
    const prob = 1 / (1 + Math.exp(-l));
    const g = tf.grad((logits: tf.Tensor) =>
      monteCarloKL(new Bernoulli({ logits }), new Bernoulli({ probs: 0.5 }), { numSamples: 40000, seed: 9 }),
    )(tf.scalar(l));
    expect(g.dataSync()[0]).toBeCloseTo(prob * (1 - prob) * l, 1);
    g.dispose();
  });

  it('is memory-neutral', async () => {
    await expectMemoryNeutral(() => monteCarloKL(p, q, { numSamples: 10, seed: 1 }));
  });

  it('rejects bad options and mismatched events, naming them', () => {
    expect(() => monteCarloKL(p, q, { numSamples: 0 })).toThrow('monteCarloKL: numSamples must be a positive integer; got 0');
    expect(() => monteCarloKL(p, q, { numSamples: 2.5 })).toThrow(/numSamples must be a positive integer; got 2.5/);
    expect(() => monteCarloKL(p, q, { estimator: 'fancy' as never })).toThrow(
      "monteCarloKL: estimator must be 'plain' or 'lowVariance'; got fancy",
    );
    const u = new Uniform({ low: [0, 0], high: [1, 1] });
    expect(() => monteCarloKL(p, new Normal({ loc: [0, 0, 0], scale: 1 }))).toThrow(/p.batchShape|q.batchShape/);
    expect(() => assertSameEvent(u, u, 'here')).not.toThrow();
  });
});
