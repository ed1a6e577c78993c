import { Categorical, OneHotCategorical } from '@vae/distributions';
import { describePair } from '../../test/pair-suite.js';
import { klDivergence } from '../index.js';

// Near p = q the normalized log probabilities the distributions store (rounded to float32) limit it.
describePair('Categorical||Categorical', { rtol: 1e-5, nearRtol: 5e-4 });
describePair('OneHotCategorical||OneHotCategorical', { rtol: 1e-5, nearRtol: 5e-4 });

describe('KL between categoricals: zeros and sizes', () => {
  it('uses 0 log 0 = 0 and gives +Infinity when q misses a category p has', () => {
    const p = new Categorical({
      probs: [
        [0.5, 0.5, 0],
        [0.5, 0.5, 0],
      ],
    });
    const q = new Categorical({
      probs: [
        [0.5, 0.25, 0.25],
        [0.5, 0, 0.5],
      ],
    });
    const kl = Array.from(klDivergence(p, q).dataSync());
    expect(kl[0]).toBeCloseTo(0.5 * Math.log(2), 6);
    expect(kl[1]).toBe(Infinity);
  });

  it('refuses tables of different sizes, naming both', () => {
    expect(() => klDivergence(new Categorical({ logits: [0, 0] }), new Categorical({ logits: [0, 0, 0] }))).toThrow(
      /same number of categories.*2.*3/,
    );
    expect(() => klDivergence(new OneHotCategorical({ logits: [0, 0] }), new OneHotCategorical({ logits: [0, 0, 0] }))).toThrow(
      /same event shape/,
    );
  });
});
