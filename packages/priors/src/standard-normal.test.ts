import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectMemoryNeutral } from '@vae/testing';
import { StandardNormalPrior } from './index.js';

describe('StandardNormalPrior', () => {
  it('is N(0, I): log p(z) = -|z|^2/2 - (D/2) log(2 pi), float64 check incl. far tails', () => {
    const prior = new StandardNormalPrior({ latentDim: 3 });
    const rows = [
      [0, 0, 0],
      [1, -2, 0.5],
      [30, -40, 10], // far tail: -1300 - 2.76
    ];
    const truth = rows.map((r) => -0.5 * r.reduce((a, v) => a + v * v, 0) - 1.5 * Math.log(2 * Math.PI));
    const p = prior.distribution();
    expect(p.batchShape).toEqual([]);
    expect(p.eventShape).toEqual([3]);
    expect(prior.trainableVariables).toEqual([]);
    expectClose(p.logProb(tf.tensor(rows)), truth, { rtol: 1e-6 });
    prior.dispose();
  });

  it('samples have the moments of N(0, I) (seeded Monte Carlo)', () => {
    const prior = new StandardNormalPrior({ latentDim: 2 });
    const z = prior.distribution().sample([20000], 3);
    const mean = tf.mean(z, 0).dataSync();
    const variance = tf.moments(z, 0).variance.dataSync();
    for (let j = 0; j < 2; j++) {
      expect(Math.abs(mean[j])).toBeLessThan(5 / Math.sqrt(20000));
      expect(Math.abs(variance[j] - 1)).toBeLessThan(5 * Math.sqrt(2 / 20000));
    }
    tf.dispose(z);
    prior.dispose();
  });

  it('distribution() creates no tensors; dispose frees the constants', async () => {
    const before = tf.memory().numTensors;
    const prior = new StandardNormalPrior({ latentDim: 4 });
    await expectMemoryNeutral(() => {
      prior.distribution();
    }, 'StandardNormalPrior.distribution');
    prior.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a bad latentDim with a message naming it', () => {
    expect(() => new StandardNormalPrior({ latentDim: 0 })).toThrow(/latentDim must be an integer >= 1; got 0/);
    expect(() => new StandardNormalPrior({ latentDim: 2.5 })).toThrow(/latentDim/);
  });
});
