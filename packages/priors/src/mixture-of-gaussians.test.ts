import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectMemoryNeutral } from '@vae/testing';
import { MixtureOfGaussiansPrior } from './index.js';

function softplus64(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** float64 log sum_k pi_k N(z; mu_k, diag(sigma_k^2)) from the variables' current values. */
function mixtureLogDensity64(prior: MixtureOfGaussiansPrior, z: number[]): number {
  const logits = prior.logits.arraySync() as number[];
  const means = prior.means.arraySync() as number[][];
  const raw = prior.rawScales.arraySync() as number[][];
  const maxLogit = Math.max(...logits);
  const logNorm = maxLogit + Math.log(logits.reduce((a, l) => a + Math.exp(l - maxLogit), 0));
  const terms = logits.map((l, k) =>
    z.reduce((acc, v, j) => {
      const s = softplus64(raw[k][j]);
      return acc - 0.5 * ((v - means[k][j]) / s) ** 2 - Math.log(s) - 0.5 * Math.log(2 * Math.PI);
    }, l - logNorm),
  );
  const m = Math.max(...terms);
  return m + Math.log(terms.reduce((a, t) => a + Math.exp(t - m), 0));
}

describe('MixtureOfGaussiansPrior', () => {
  it('has seeded, spread initial means and uniform weights', () => {
    const a = new MixtureOfGaussiansPrior({ latentDim: 2, numComponents: 4, seed: 7 });
    const b = new MixtureOfGaussiansPrior({ latentDim: 2, numComponents: 4, seed: 7 });
    expectClose(a.means, b.means, { rtol: 0, atol: 0, label: 'same seed, same means' });
    const means = a.means.arraySync() as number[][];
    const distinct = new Set(means.map((m) => m.join(','))).size;
    expect(distinct).toBe(4);
    expect(a.trainableVariables.map((v) => v.shape)).toEqual([[4], [4, 2], [4, 2]]);
    expectClose(a.logits, [0, 0, 0, 0]);
    a.dispose();
    b.dispose();
  });

  it('log p(z) matches a float64 log-sum-exp of the components, including far from every mean', () => {
    const prior = new MixtureOfGaussiansPrior({ latentDim: 2, numComponents: 3, seed: 2, initialScale: 0.5 });
    // Make the weights unequal so the logits matter.
    prior.logits.assign(tf.tensor([0.5, -1, 2]));
    const z = [
      [0, 0],
      [1.5, -0.3],
      [40, -40], // every component is ~1e4 nats away: needs log space
    ];
    const truth = z.map((row) => mixtureLogDensity64(prior, row));
    const lp = tf.tidy(() => prior.distribution().logProb(tf.tensor(z)));
    expectClose(lp, truth, { rtol: 2e-6, atol: 1e-4 });
    lp.dispose();
    prior.dispose();
  });

  it('learns a bimodal density: the means move to the two clusters (maximum likelihood, Adam)', () => {
    const data = tf.tidy(() => {
      const noise = tf.randomNormal([400, 1], 0, 0.3, 'float32', 11);
      const sign = tf.concat([tf.fill([200, 1], -3), tf.fill([200, 1], 3)]);
      return tf.add(noise, sign);
    });
    const prior = new MixtureOfGaussiansPrior({ latentDim: 1, numComponents: 2, seed: 2 });
    const optimizer = tf.train.adam(0.1);
    const nll = () => tf.neg(tf.mean(prior.distribution().logProb(data))) as tf.Scalar;
    const before = tf.tidy(() => nll().dataSync()[0]);
    for (let step = 0; step < 120; step++) optimizer.minimize(nll, false, prior.trainableVariables);
    const after = tf.tidy(() => nll().dataSync()[0]);
    const means = (prior.means.arraySync() as number[][]).map((m) => m[0]).sort((u, v) => u - v);
    console.log(`[MoG prior fit] NLL ${before.toFixed(3)} -> ${after.toFixed(3)}, means ${means.map((m) => m.toFixed(3))}`);
    expect(after).toBeLessThan(before);
    expectClose(means, [-3, 3], { atol: 0.1 });
    optimizer.dispose();
    data.dispose();
    prior.dispose();
  });

  it('is memory-neutral inside a tidy and frees its variables', async () => {
    const before = tf.memory().numTensors;
    const prior = new MixtureOfGaussiansPrior({ latentDim: 2, numComponents: 3, seed: 1 });
    await expectMemoryNeutral(() => tf.tidy(() => prior.distribution().logProb(tf.ones([5, 2]))), 'MixtureOfGaussiansPrior logProb');
    prior.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad arguments', () => {
    expect(() => new MixtureOfGaussiansPrior({ latentDim: 2, numComponents: 0 })).toThrow(/numComponents must be an integer >= 1/);
    expect(() => new MixtureOfGaussiansPrior({ latentDim: 2, numComponents: 2, seed: 0.5 })).toThrow(/seed/);
    expect(() => new MixtureOfGaussiansPrior({ latentDim: 2, numComponents: 2, meanSpread: -1 })).toThrow(/meanSpread/);
  });
});
