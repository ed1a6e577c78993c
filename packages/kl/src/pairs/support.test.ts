import * as tf from '@tensorflow/tfjs-core';
import {
  Bernoulli,
  Beta,
  Binomial,
  Cauchy,
  Chi2,
  ContinuousBernoulli,
  Exponential,
  Gamma,
  Geometric,
  Gumbel,
  HalfCauchy,
  HalfNormal,
  InverseGamma,
  Kumaraswamy,
  Laplace,
  Logistic,
  LogNormal,
  NegativeBinomial,
  Normal,
  Pareto,
  Poisson,
  StudentT,
  Uniform,
  Weibull,
  ZeroInflatedNegativeBinomial,
} from '@vae/distributions';
import type { Distribution } from '@vae/distributions';
import { klDivergence } from '../index.js';
import { NEVER_NESTING_PAIRS } from './support.js';
import { describePair } from '../../test/pair-suite.js';

for (const p of ['Normal', 'Laplace']) {
  for (const q of ['Exponential', 'Gamma', 'Beta', 'Uniform', 'ContinuousBernoulli']) describePair(`${p}||${q}`);
}
for (const p of ['Exponential', 'Gamma']) {
  for (const q of ['Beta', 'Uniform', 'ContinuousBernoulli']) describePair(`${p}||${q}`);
}

describe('the support rule (NEVER_NESTING_PAIRS): +Infinity, and draws of p where q has no density', () => {
  // One member of each family, with q's validation off so its log density outside the support is -Infinity.
  const make: Record<string, (validateArgs: boolean) => Distribution> = {
    Normal: (v) => new Normal({ loc: 0, scale: 1, validateArgs: v }),
    Laplace: (v) => new Laplace({ loc: 0, scale: 1, validateArgs: v }),
    Logistic: (v) => new Logistic({ loc: 0, scale: 1, validateArgs: v }),
    Cauchy: (v) => new Cauchy({ loc: 0, scale: 1, validateArgs: v }),
    StudentT: (v) => new StudentT({ df: 3, validateArgs: v }),
    Gumbel: (v) => new Gumbel({ loc: 0, scale: 1, validateArgs: v }),
    Exponential: (v) => new Exponential({ rate: 1, validateArgs: v }),
    Gamma: (v) => new Gamma({ concentration: 2, rate: 1, validateArgs: v }),
    Chi2: (v) => new Chi2({ df: 3, validateArgs: v }),
    HalfNormal: (v) => new HalfNormal({ scale: 1, validateArgs: v }),
    HalfCauchy: (v) => new HalfCauchy({ scale: 1, validateArgs: v }),
    Weibull: (v) => new Weibull({ scale: 1, concentration: 1.5, validateArgs: v }),
    InverseGamma: (v) => new InverseGamma({ concentration: 2, scale: 1, validateArgs: v }),
    LogNormal: (v) => new LogNormal({ loc: 0, scale: 1, validateArgs: v }),
    Pareto: (v) => new Pareto({ scale: 1, alpha: 3, validateArgs: v }),
    Beta: (v) => new Beta({ concentration1: 2, concentration0: 2, validateArgs: v }),
    Uniform: (v) => new Uniform({ low: 0, high: 1, validateArgs: v }),
    ContinuousBernoulli: (v) => new ContinuousBernoulli({ probs: 0.3, validateArgs: v }),
    Kumaraswamy: (v) => new Kumaraswamy({ concentration1: 2, concentration0: 3, validateArgs: v }),
    Poisson: (v) => new Poisson({ rate: 3, validateArgs: v }),
    Geometric: (v) => new Geometric({ probs: 0.3, validateArgs: v }),
    NegativeBinomial: (v) => new NegativeBinomial({ totalCount: 5, probs: 0.5, validateArgs: v }),
    ZeroInflatedNegativeBinomial: (v) => new ZeroInflatedNegativeBinomial({ totalCount: 5, probs: 0.5, gateLogits: -1, validateArgs: v }),
    Bernoulli: (v) => new Bernoulli({ probs: 0.5, validateArgs: v }),
    Binomial: (v) => new Binomial({ totalCount: 2, probs: 0.5, validateArgs: v }),
  };
  // The rule's classes, plus the subclasses it reaches through the registry's class hierarchy.
  const rows = NEVER_NESTING_PAIRS.map(([P, Q]) => [P.name, Q.name]);
  rows.push(['Chi2', 'Beta'], ['Chi2', 'Pareto'], ['Normal', 'Chi2'], ['ZeroInflatedNegativeBinomial', 'Binomial']);

  it(`gives +Infinity for all ${rows.length} pairs, and 64 draws of p include points outside q's support`, () => {
    const missed: string[] = [];
    for (const [pName, qName] of rows) {
      tf.tidy(() => {
        const p = make[pName](true);
        const q = make[qName](false);
        const kl = klDivergence(p, q).dataSync()[0];
        const outside = tf.equal(q.logProb(p.sample([64], 3)), -Infinity).dataSync();
        if (kl !== Infinity || !outside.some((v) => v === 1)) missed.push(`${pName}||${qName}: kl ${kl}`);
      });
    }
    expect(missed).toEqual([]);
  });

  it('broadcasts batch shapes, includes the pairs torch registers, and leaves nesting pairs to their own formulas', () => {
    const kl = klDivergence(new Normal({ loc: [0, 1, 2], scale: 1 }), new Pareto({ scale: [[1], [2]], alpha: 3 }));
    expect(kl.shape).toEqual([2, 3]);
    expect(Array.from(kl.dataSync()).every((v) => v === Infinity)).toBe(true);
    const has = (p: string, q: string) => rows.some(([a, b]) => a === p && b === q);
    for (const [p, q] of [
      ['Poisson', 'Bernoulli'],
      ['Poisson', 'Binomial'],
      ['Pareto', 'Beta'],
      ['Pareto', 'ContinuousBernoulli'],
      ['Pareto', 'Uniform'],
      ['Beta', 'Pareto'],
      ['Exponential', 'Pareto'],
      ['Gamma', 'Pareto'],
      ['Gumbel', 'Pareto'],
      ['Laplace', 'Pareto'],
      ['Normal', 'Pareto'],
    ])
      expect(has(p, q)).toBe(true);
    expect(has('Uniform', 'Pareto') || has('Binomial', 'Bernoulli') || has('Pareto', 'Exponential')).toBe(false);
    const finite = klDivergence(new Uniform({ low: 1, high: 2 }), new Pareto({ scale: 1, alpha: 2 })).dataSync()[0];
    expect(Number.isFinite(finite)).toBe(true);
  });
});
