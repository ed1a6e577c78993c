import * as tf from '@tensorflow/tfjs-core';
import { Normal } from '@vae/distributions';
import { expectMemoryNeutral } from '@vae/testing';
import { LearnedNormalPrior, StandardNormalPrior, isPrior, resolvePrior } from './index.js';

describe('isPrior / resolvePrior', () => {
  it('tells priors from distributions and plain objects', () => {
    const prior = new StandardNormalPrior({ latentDim: 2 });
    const normal = new Normal({ loc: 0, scale: 1 });
    expect(isPrior(prior)).toBe(true);
    expect(isPrior(normal)).toBe(false);
    expect(isPrior({ distribution: 1, trainableVariables: [] })).toBe(false);
    expect(isPrior(null)).toBe(false);
    expect(resolvePrior(normal)).toBe(normal);
    expect(resolvePrior(prior)).toBe(prior.distribution());
    normal.dispose();
    prior.dispose();
  });

  it('resolving a learned prior inside a tidy is memory-neutral', async () => {
    const prior = new LearnedNormalPrior({ latentDim: 3 });
    const z = tf.zeros([4, 3]);
    await expectMemoryNeutral(() => tf.tidy(() => resolvePrior(prior).logProb(z)), 'resolvePrior(...).logProb');
    z.dispose();
    prior.dispose();
  });
});
