import * as tf from '@tensorflow/tfjs-core';
import { Bernoulli, Binomial, Geometric, Poisson } from '@vae/distributions';
import { expectFinite, expectMemoryNeutral } from '@vae/testing';
import { describePair } from '../../test/pair-suite.js';
import { klDivergence } from '../index.js';

const fixture = 'kl_counts.json';
describePair('Poisson||Poisson', { fixture, rtol: 2e-6, nearRtol: 2e-4 });
describePair('Bernoulli->Poisson', { fixture, rtol: 2e-6 });
describePair('Geometric||Geometric', { fixture, rtol: 2e-6, nearRtol: 5e-5 });
describePair('Binomial||Binomial', { fixture, rtol: 2e-6, nearRtol: 2e-4 });

describe('count pairs: boundaries and errors', () => {
  it('Binomial with fewer trials in p throws (as torch); without validation those elements are NaN', () => {
    const p = new Binomial({ totalCount: [5, 10], logits: 0 });
    const q = new Binomial({ totalCount: 10, logits: 0 });
    expect(() => klDivergence(p, q)).toThrow('KL(Binomial || Binomial): p.totalCount must be >= q.totalCount');
    const pu = new Binomial({ totalCount: [5, 10], logits: 0, validateArgs: false });
    const qu = new Binomial({ totalCount: 10, logits: 0, validateArgs: false });
    const kl = klDivergence(pu, qu);
    expect(Number.isNaN(kl.dataSync()[0])).toBe(true);
    expect(kl.dataSync()[1]).toBe(0);
    tf.dispose([p, q, pu, qu].map(() => kl));
  });

  it('gradients stay finite at logits +-80 and rates 1e-6..1e6', () => {
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(klDivergence(new Geometric({ logits: a }), new Geometric({ logits: b }))))([
      tf.tensor([-80, 80, 0.3]),
      tf.tensor([80, -80, 0.3001]),
    ]);
    g.forEach((t) => expectFinite(t));
    const h = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(klDivergence(new Bernoulli({ logits: a }), new Poisson({ rate: b }))))([
      tf.tensor([-80, 80, 0.3]),
      tf.tensor([1e-6, 1e6, 1]),
    ]);
    h.forEach((t) => expectFinite(t));
  });

  it('is memory-neutral', async () => {
    const [p, q] = [new Poisson({ rate: [1, 2] }), new Poisson({ rate: 3 })];
    await expectMemoryNeutral(() => klDivergence(p, q));
    p.dispose();
    q.dispose();
  });
});
