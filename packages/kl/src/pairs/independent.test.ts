import * as tf from '@tensorflow/tfjs-core';
import { Bernoulli, Independent, MultivariateNormal, Normal } from '@vae/distributions';
import { expectClose } from '@vae/testing';
import { describePair } from '../../test/pair-suite.js';
import { klDivergence } from '../index.js';

describePair('Independent||Independent', { rtol: 1e-5 });

describe('KL(Independent || Independent)', () => {
  it('sums the base divergence over the reinterpreted dimensions, for any registered base pair', () => {
    const pb = new Bernoulli({
      logits: [
        [0.5, -1, 2],
        [0, 0, 0],
      ],
    });
    const qb = new Bernoulli({
      logits: [
        [1, 1, 1],
        [-2, 3, 0.5],
      ],
    });
    const kl = klDivergence(
      new Independent({ distribution: pb, reinterpretedBatchNdims: 1 }),
      new Independent({ distribution: qb, reinterpretedBatchNdims: 1 }),
    );
    expect(kl.shape).toEqual([2]);
    expectClose(kl, tf.sum(klDivergence(pb, qb), -1), { rtol: 1e-6 });
    const both = klDivergence(
      new Independent({ distribution: pb, reinterpretedBatchNdims: 2 }),
      new Independent({ distribution: qb, reinterpretedBatchNdims: 2 }),
    );
    expect(both.shape).toEqual([]);
    expectClose(both, tf.sum(klDivergence(pb, qb)), { rtol: 1e-6 });
  });

  it('refuses reinterpreted dimensions that do not line up', () => {
    const p = new Independent({ distribution: new Normal({ loc: [[0, 0]], scale: 1 }), reinterpretedBatchNdims: 2 });
    const q = new Independent({ distribution: new Normal({ loc: [[0, 0]], scale: 1 }), reinterpretedBatchNdims: 1 });
    expect(() => klDivergence(p, q)).toThrow(/same event shape/);
    const r = new Independent({ distribution: new Normal({ loc: [0, 0], scale: 1 }), reinterpretedBatchNdims: 0 });
    const s = new Independent({ distribution: new Normal({ loc: [0, 0], scale: 1 }), reinterpretedBatchNdims: 1 });
    expect(() => klDivergence(r, s)).toThrow(/same event shape/);
    // Same event shape [3], but one reinterprets a batch axis of scalars and the other wraps vectors.
    const scalars = new Independent({ distribution: new Normal({ loc: [[0, 0, 0]], scale: 1 }), reinterpretedBatchNdims: 1 });
    const vectors = new Independent({
      distribution: new MultivariateNormal({
        loc: [[0, 0, 0]],
        scaleTril: [
          [1, 0, 0],
          [0, 1, 0],
          [0, 0, 1],
        ],
      }),
      reinterpretedBatchNdims: 0,
    });
    expect(() => klDivergence(scalars, vectors)).toThrow(
      /same reinterpretedBatchNdims.*p reinterprets 1 dims of a Normal with eventShape \[\], q reinterprets 0 of a MultivariateNormal with eventShape \[3\]/,
    );
  });
});
