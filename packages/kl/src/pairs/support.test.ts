import * as tf from '@tensorflow/tfjs-core';
import { Normal, Pareto, Uniform } from '@vae/distributions';
import { klDivergence } from '../index.js';
import { NEVER_NESTING_PAIRS } from './support.js';
import { build, describePair } from '../../test/pair-suite.js';

for (const p of ['Normal', 'Laplace']) {
  for (const q of ['Exponential', 'Gamma', 'Beta', 'Uniform', 'ContinuousBernoulli']) describePair(`${p}||${q}`);
}
for (const p of ['Exponential', 'Gamma']) {
  for (const q of ['Beta', 'Uniform', 'ContinuousBernoulli']) describePair(`${p}||${q}`);
}

describe('the support rule (NEVER_NESTING_PAIRS): +Infinity, and draws of p where q has no density', () => {
  // One member of each family, by name: p is built with validation on, q with it off so that its log
  // density outside the support is -Infinity.
  const STANDARD = { loc: 0, scale: 1 };
  const MEMBER: Record<string, Record<string, number>> = {
    Normal: STANDARD,
    Laplace: STANDARD,
    Logistic: STANDARD,
    Cauchy: STANDARD,
    StudentT: { df: 3 },
    Gumbel: STANDARD,
    Exponential: { rate: 1 },
    Gamma: { concentration: 2, rate: 1 },
    Chi2: { df: 3 },
    HalfNormal: { scale: 1 },
    HalfCauchy: { scale: 1 },
    Weibull: { scale: 1, concentration: 1.5 },
    InverseGamma: { concentration: 2, scale: 1 },
    LogNormal: STANDARD,
    Pareto: { scale: 1, alpha: 3 },
    Beta: { concentration1: 2, concentration0: 2 },
    Uniform: { low: 0, high: 1 },
    ContinuousBernoulli: { probs: 0.3 },
    Kumaraswamy: { concentration1: 2, concentration0: 3 },
    Poisson: { rate: 3 },
    Geometric: { probs: 0.3 },
    NegativeBinomial: { totalCount: 5, probs: 0.5 },
    ZeroInflatedNegativeBinomial: { totalCount: 5, probs: 0.5, gateLogits: -1 },
    Bernoulli: { probs: 0.5 },
    Binomial: { totalCount: 2, probs: 0.5 },
  };
  // The rule's classes, plus the subclasses it reaches through the registry's class hierarchy.
  const rows = NEVER_NESTING_PAIRS.map(([P, Q]) => [P.name, Q.name]);
  rows.push(['Chi2', 'Beta'], ['Chi2', 'Pareto'], ['Normal', 'Chi2'], ['ZeroInflatedNegativeBinomial', 'Binomial']);

  it(`gives +Infinity for all ${rows.length} pairs, and 64 draws of p include points outside q's support`, () => {
    const missed: string[] = [];
    for (const [pName, qName] of rows) {
      tf.tidy(() => {
        const p = build(pName, MEMBER[pName]);
        const q = build(qName, MEMBER[qName], false);
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
