import * as tf from '@tensorflow/tfjs-core';
import { ContinuousBernoulli, Exponential, Uniform } from '@vae/distributions';
import { describePair } from '../../test/pair-suite.js';
import { klDivergence } from '../index.js';

describePair('ContinuousBernoulli||ContinuousBernoulli', { rtol: 2e-5, nearRtol: 2e-5 });
describePair('ContinuousBernoulli||Normal', { rtol: 1e-5 });
describePair('ContinuousBernoulli||Exponential', { rtol: 1e-5 });
describePair('ContinuousBernoulli||Uniform', { rtol: 1e-5 });

describe('KL(ContinuousBernoulli || Uniform) support rule', () => {
  it('is finite for q = Uniform(0, 1) (torch 1.13 says Infinity) and infinite when q misses part of [0, 1]', () => {
    const p = new ContinuousBernoulli({ probs: 0.3 });
    const kl = Array.from(klDivergence(p, new Uniform({ low: [0, 0.01, -1], high: [1, 1, 0.99] })).dataSync());
    expect(Number.isFinite(kl[0])).toBe(true);
    expect(kl.slice(1)).toEqual([Infinity, Infinity]);
  });
});

describe('KL(ContinuousBernoulli || Exponential) for very negative logits', () => {
  const kl = (eta: tf.Tensor, rate: tf.Tensor) => klDivergence(new ContinuousBernoulli({ logits: eta }), new Exponential({ rate }));

  it('keeps its digits when the rate is close to -logits (case 142 of the numerics fixture, mpmath; was 5e-4 off)', () => {
    const eta = tf.tensor([-94.14633]);
    const rate = tf.tensor([91.886154]);
    const got = tf.tidy(() => kl(eta, rate).dataSync()[0]);
    expect(Math.abs(got - 2.928664568452209e-4) / 2.928664568452209e-4).toBeLessThan(1e-5);
    const grads = tf.grads((e: tf.Tensor, r: tf.Tensor) => kl(e, r))([eta, rate]);
    for (const g of grads) expect(Number.isFinite(g.dataSync()[0])).toBe(true);
    tf.dispose([eta, rate, ...grads]);
  });

  it('agrees with the closed form on both sides of the switch at logits = -1', () => {
    const values = tf.tidy(() => Array.from(kl(tf.tensor([-1 - 1e-3, -1 + 1e-3]), tf.tensor([0.7, 0.7])).dataSync()));
    expect(Math.abs(values[0] - values[1])).toBeLessThan(1e-3);
  });
});
