import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectMemoryNeutral } from '@vae/testing';
import { HypersphericalUniformPrior } from './index.js';

/** log |S^{d-1}| = log 2 + (d/2) log pi - lgamma(d/2), with Gamma(d/2) by its recursion (float64). */
function logSphereArea64(d: number): number {
  let logGamma = d % 2 === 0 ? 0 : 0.5 * Math.log(Math.PI); // Gamma(1) or Gamma(1/2)
  for (let a = d % 2 === 0 ? 1 : 0.5; a < d / 2; a += 1) logGamma += Math.log(a);
  return Math.log(2) + (d / 2) * Math.log(Math.PI) - logGamma;
}

describe('HypersphericalUniformPrior', () => {
  it.each([2, 3, 10, 64])('is uniform on S^{d-1}: log p = -log|S^{d-1}| (d = %i)', (d) => {
    const prior = new HypersphericalUniformPrior({ dim: d });
    const p = prior.distribution();
    expect(p.eventShape).toEqual([d]);
    expect(p.batchShape).toEqual([]);
    const z = p.sample([3], 4);
    expectClose(tf.norm(z, 'euclidean', -1), [1, 1, 1], { rtol: 1e-5 });
    expectClose(p.logProb(z), -logSphereArea64(d), { rtol: 1e-5 });
    tf.dispose(z);
    prior.dispose();
  });

  it('d = 3: log p = -log(4 pi), and its samples average to 0 (seeded Monte Carlo)', () => {
    const prior = new HypersphericalUniformPrior({ dim: 3 });
    expect(logSphereArea64(3)).toBeCloseTo(Math.log(4 * Math.PI), 12);
    const z = prior.distribution().sample([20000], 5);
    const mean = tf.mean(z, 0).dataSync();
    // Each coordinate has variance 1/3.
    for (const m of mean) expect(Math.abs(m)).toBeLessThan(5 * Math.sqrt(1 / 3 / 20000));
    z.dispose();
    prior.dispose();
  });

  it('has no trainable variables and distribution() is memory-neutral', async () => {
    const prior = new HypersphericalUniformPrior({ dim: 4 });
    expect(prior.trainableVariables).toEqual([]);
    await expectMemoryNeutral(() => {
      prior.distribution();
    }, 'HypersphericalUniformPrior.distribution');
    prior.dispose();
  });

  it('rejects dim < 2', () => {
    expect(() => new HypersphericalUniformPrior({ dim: 1 })).toThrow(/dim must be an integer >= 2/);
  });
});
