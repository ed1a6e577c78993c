import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectMemoryNeutral } from '@vae/testing';
import { LearnedNormalPrior } from './index.js';

describe('LearnedNormalPrior', () => {
  it.each(['softplus', 'exp'] as const)('starts at the given loc and scale (%s transform)', (scaleTransform) => {
    const prior = new LearnedNormalPrior({ latentDim: 2, initialLoc: 0.5, initialScale: 3, scaleTransform });
    tf.tidy(() => {
      const p = prior.distribution();
      expectClose(p.mean(), [0.5, 0.5], { rtol: 1e-6 });
      expectClose(p.stddev(), [3, 3], { rtol: 1e-6 });
    });
    prior.dispose();
  });

  it('log p(z) matches the float64 diagonal-Gaussian closed form', () => {
    const prior = new LearnedNormalPrior({ latentDim: 2, initialLoc: -1, initialScale: 0.25 });
    const z = [
      [0, 0],
      [-1, 2],
    ];
    const truth = z.map((r) => r.reduce((a, v) => a - 0.5 * ((v + 1) / 0.25) ** 2 - Math.log(0.25) - 0.5 * Math.log(2 * Math.PI), 0));
    const lp = tf.tidy(() => prior.distribution().logProb(tf.tensor(z)));
    expectClose(lp, truth, { rtol: 1e-6 });
    lp.dispose();
    prior.dispose();
  });

  it('gradients reach its variables: maximum likelihood recovers the data mean and spread', () => {
    // Data per dimension: N(3, 0.5^2) and N(-2, 2^2), fixed draws; the MLE is the sample moments.
    const data = tf.tidy(() => tf.add(tf.mul(tf.randomNormal([500, 2], 0, 1, 'float32', 5), [0.5, 2]), [3, -2]));
    const { mean, variance } = tf.moments(data, 0);
    const prior = new LearnedNormalPrior({ latentDim: 2 });
    const optimizer = tf.train.adam(0.1);
    for (let step = 0; step < 150; step++) {
      optimizer.minimize(() => tf.neg(tf.mean(prior.distribution().logProb(data))) as tf.Scalar, false, prior.trainableVariables);
    }
    tf.tidy(() => {
      const p = prior.distribution();
      expectClose(p.mean(), mean, { atol: 0.02, label: 'learned loc vs sample mean' });
      expectClose(p.stddev(), tf.sqrt(variance), { rtol: 0.02, label: 'learned scale vs sample sd' });
    });
    optimizer.dispose();
    tf.dispose([data, mean, variance]);
    prior.dispose();
  });

  it('is memory-neutral inside a tidy and frees its variables', async () => {
    const before = tf.memory().numTensors;
    const prior = new LearnedNormalPrior({ latentDim: 3 });
    await expectMemoryNeutral(() => tf.tidy(() => prior.distribution().logProb(tf.ones([2, 3]))), 'LearnedNormalPrior logProb');
    prior.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad arguments', () => {
    expect(() => new LearnedNormalPrior({ latentDim: -1 })).toThrow(/latentDim/);
    expect(() => new LearnedNormalPrior({ latentDim: 2, initialScale: 0 })).toThrow(/initialScale must be a finite number > 0/);
    expect(() => new LearnedNormalPrior({ latentDim: 2, scaleTransform: 'square' as never })).toThrow(/scaleTransform/);
  });
});
