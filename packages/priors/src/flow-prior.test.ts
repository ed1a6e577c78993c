import * as tf from '@tensorflow/tfjs-core';
import { Normal } from '@vae/distributions';
import { expectClose, expectFinite, expectMemoryNeutral } from '@vae/testing';
import { FlowPrior } from './index.js';

describe('FlowPrior', () => {
  it('is a normalized density: log p at f(x) is log N(x) minus the forward log-Jacobian, and it samples', async () => {
    const prior = new FlowPrior({ latentDim: 3, numLayers: 2, seed: 0 });
    // Move the layers away from the identity so the check is not trivial.
    tf.tidy(() => prior.layers.forEach((l) => l.outputWeights.assign(tf.mul(l.outputWeights, 60))));
    const p = prior.distribution();
    const x = tf.tensor2d([
      [0.3, -1, 2],
      [0, 0, 0],
    ]);
    const z = tf.tidy(() => prior.layers.reduce((t: tf.Tensor, l) => l.forward(t), x));
    const ldj = tf.tidy(() => {
      let t: tf.Tensor = x;
      let sum: tf.Tensor = tf.zeros([2]);
      for (const l of prior.layers) {
        sum = tf.add(sum, l.forwardLogDetJacobian(t));
        t = l.forward(t);
      }
      return sum;
    });
    const std = new Normal({ loc: 0, scale: 1 });
    const expected = tf.tidy(() => tf.sub(tf.sum(std.logProb(x), -1), ldj));
    expectClose(p.logProb(z), expected, { rtol: 1e-4, atol: 1e-4 });
    expect(tf.tidy(() => tf.max(tf.abs(ldj)).dataSync()[0])).toBeGreaterThan(1e-2);
    const s = p.sample([4], 0);
    expect(s.shape).toEqual([4, 3]);
    expectFinite(p.logProb(s));
    expect(prior.trainableVariables).toHaveLength(8);
    await expectMemoryNeutral(() => prior.distribution().logProb(z), 'logProb');
    expect(() => new FlowPrior({ latentDim: 2, numLayers: 0 })).toThrow(/FlowPrior: numLayers must be/);
    tf.dispose([x, z, ldj, expected, s]);
    std.dispose();
    prior.dispose();
  });

  it('gives finite, nonzero gradients of log p(z) for every variable', () => {
    const prior = new FlowPrior({ latentDim: 2, seed: 1 });
    const z = tf.tensor2d([
      [0.5, -0.5],
      [3, 1],
    ]);
    const { value, grads } = tf.variableGrads(
      () => tf.neg(tf.mean(prior.distribution().logProb(z))) as tf.Scalar,
      prior.trainableVariables,
    );
    expectFinite(value);
    for (const v of prior.layers.map((l) => l.outputWeights)) {
      const g = grads[v.name];
      expectFinite(g);
      expect(tf.tidy(() => tf.max(tf.abs(g)).dataSync()[0])).toBeGreaterThan(0);
    }
    tf.dispose([value, z, ...Object.values(grads)]);
    prior.dispose();
  });
});
