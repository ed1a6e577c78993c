import * as tf from '@tensorflow/tfjs-core';
import { Bernoulli } from '@vae/distributions';
import { expectFinite } from '@vae/testing';
import { describePair } from '../../test/pair-suite.js';
import { klDivergence } from '../index.js';

describePair('Bernoulli||Bernoulli', { rtol: 2e-6, nearRtol: 2e-5 });

describe('KL(Bernoulli || Bernoulli) edge cases', () => {
  it('is exact and finite for extreme logits, and handles probabilities 0 and 1', () => {
    const kl = klDivergence(new Bernoulli({ logits: [-80, 80, 1e4] }), new Bernoulli({ logits: [80, -80, -1e4] }));
    expectFinite(kl);
    expect(Array.from(kl.dataSync())).toEqual([80, 80, 1e4]);
    const fromProbs = klDivergence(new Bernoulli({ probs: [0, 1, 0, 0.5, 1] }), new Bernoulli({ probs: [0.5, 0.5, 0, 0, 1] }));
    expect(Array.from(fromProbs.dataSync()).map((v) => Math.fround(v))).toEqual(
      [Math.log(2), Math.log(2), 0, Infinity, 0].map(Math.fround),
    );
  });

  it('has finite gradients at extreme logits', () => {
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => klDivergence(new Bernoulli({ logits: a }), new Bernoulli({ logits: b })))([
      tf.tensor([-80, 80, 0.3]),
      tf.tensor([80, -80, 0.3]),
    ]);
    g.forEach((t) => expectFinite(t));
  });
});
