import { ContinuousBernoulli, Uniform } from '@vae/distributions';
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
