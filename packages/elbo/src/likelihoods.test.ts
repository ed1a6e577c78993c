import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectMemoryNeutral, gradient64 } from '@vae/testing';
import { bernoulliLikelihood, continuousBernoulliLikelihood, gaussianLikelihood, laplaceLikelihood } from './index.js';

const softplus64 = (v: number) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));

describe('likelihoods', () => {
  it('bernoulliLikelihood is the binary cross-entropy from logits, exact at logits +-80 and beyond', () => {
    const logits = [
      [80, -80, 0, 3.5],
      [-120, 120, 1e-3, -17],
    ];
    const x = [
      [1, 1, 0, 1],
      [1, 0, 1, 0],
    ];
    // float64: sum_i [x log sigmoid(l) + (1 - x) log sigmoid(-l)] = -sum_i [x softplus(-l) + (1 - x) softplus(l)]
    const truth = logits.map((row, b) => -row.reduce((a, l, i) => a + x[b][i] * softplus64(-l) + (1 - x[b][i]) * softplus64(l), 0));
    const p = bernoulliLikelihood(tf.tensor(logits));
    expect(p.batchShape).toEqual([2]);
    expect(p.eventShape).toEqual([4]);
    expectClose(p.logProb(tf.tensor(x)), truth, { rtol: 1e-6 });
    // The gradient in the logits is x - sigmoid(l): finite, exact far out.
    const g = tf.grad((l: tf.Tensor) => bernoulliLikelihood(l).logProb(tf.tensor(x)))(tf.tensor(logits));
    const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
    expectClose(
      g,
      logits.map((row, b) => row.map((l, i) => x[b][i] - sigmoid(l))),
      { rtol: 1e-5, atol: 1e-7 },
    );
  });

  it('eventNdims sums over image axes', () => {
    const p = bernoulliLikelihood(tf.zeros([3, 2, 4, 4]), { eventNdims: 2 });
    expect(p.batchShape).toEqual([3, 2]);
    expect(p.eventShape).toEqual([4, 4]);
    expectClose(p.logProb(tf.ones([2, 4, 4])), -16 * Math.log(2), { rtol: 1e-6 });
    expect(() => bernoulliLikelihood(tf.zeros([2, 3]), { eventNdims: 3 })).toThrow(/eventNdims must be an integer in \[0, 2\]/);
  });

  it('continuousBernoulliLikelihood adds the log normalizer log(eta / tanh(eta / 2)) to the cross-entropy', () => {
    const logits = [[-3, -0.2, 0, 0.7, 5]];
    const x = [[0.1, 0.9, 0.4, 0.5, 0.99]];
    const truth = logits[0].reduce((a, eta, i) => {
      const logC = eta === 0 ? Math.log(2) : Math.log(eta / Math.tanh(eta / 2));
      return a + x[0][i] * eta - softplus64(eta) + logC;
    }, 0);
    expectClose(continuousBernoulliLikelihood(tf.tensor(logits)).logProb(tf.tensor(x)), [truth], { rtol: 1e-5 });
  });

  it('gaussianLikelihood: -log p = sum log sigma + (x - mu)^2 / (2 sigma^2) + log(2 pi) / 2, fixed or learned scale', () => {
    const mean = [[0.5, -1, 2]];
    const x = [[0.3, 0, 2.5]];
    const logScale = [-1, 0, 0.7];
    const nll64 = (ls: number[]) =>
      x[0].reduce((a, xi, i) => a + ls[i] + (xi - mean[0][i]) ** 2 / (2 * Math.exp(2 * ls[i])) + 0.5 * Math.log(2 * Math.PI), 0);
    const learned = gaussianLikelihood(tf.tensor(mean), { logScale: tf.tensor(logScale) });
    expectClose(learned.logProb(tf.tensor(x)), [-nll64(logScale)], { rtol: 1e-6 });
    const fixed = gaussianLikelihood(tf.tensor(mean), { scale: 0.5 });
    expectClose(fixed.logProb(tf.tensor(x)), [-nll64([Math.log(0.5), Math.log(0.5), Math.log(0.5)])], { rtol: 1e-6 });
    // Gradient in the log-scale vs float64 finite differences.
    const g = tf.grad((ls: tf.Tensor) => gaussianLikelihood(tf.tensor(mean), { logScale: ls }).logProb(tf.tensor(x)))(tf.tensor(logScale));
    expectClose(
      g,
      gradient64((ls) => -nll64(ls), logScale),
      { rtol: 1e-4, atol: 1e-6 },
    );
  });

  it('laplaceLikelihood: -log p = sum |x - mu| / b + log(2 b)', () => {
    const loc = [[0, 1, -2]];
    const x = [[0.5, 1, 0]];
    const b = 0.8;
    const truth = -x[0].reduce((a, xi, i) => a + Math.abs(xi - loc[0][i]) / b + Math.log(2 * b), 0);
    expectClose(laplaceLikelihood(tf.tensor(loc), { scale: b }).logProb(tf.tensor(x)), [truth], { rtol: 1e-6 });
    expectClose(laplaceLikelihood(tf.tensor(loc), { logScale: Math.log(b) }).logProb(tf.tensor(x)), [truth], { rtol: 1e-6 });
  });

  it('rejects a missing or doubled scale, and bad data when validating', () => {
    expect(() => gaussianLikelihood([0], {})).toThrow(/scale or logScale must be given \(exactly one of them\)/);
    expect(() => gaussianLikelihood([0], { scale: 1, logScale: 0 })).toThrow(/exactly one/);
    expect(() => bernoulliLikelihood(tf.zeros([1, 2])).logProb(tf.tensor([[0.5, 1]]))).toThrow(/value must be in the support/);
  });

  it('is memory-neutral', async () => {
    const x = tf.ones([2, 3]);
    await expectMemoryNeutral(() => tf.tidy(() => bernoulliLikelihood(tf.zeros([2, 3])).logProb(x)), 'bernoulliLikelihood');
    await expectMemoryNeutral(() => tf.tidy(() => gaussianLikelihood(tf.zeros([2, 3]), { logScale: 0 }).logProb(x)), 'gaussianLikelihood');
    await expectMemoryNeutral(() => tf.tidy(() => laplaceLikelihood(tf.zeros([2, 3]), { scale: 1 }).logProb(x)), 'laplaceLikelihood');
    await expectMemoryNeutral(
      () => tf.tidy(() => continuousBernoulliLikelihood(tf.zeros([2, 3])).logProb(x)),
      'continuousBernoulliLikelihood',
    );
    x.dispose();
  });
});
