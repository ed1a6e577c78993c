import { describePair } from '../../test/pair-suite.js';

describePair('Uniform||Uniform', { rtol: 1e-5, nearRtol: 2e-6 });
for (const q of ['Beta', 'ContinuousBernoulli', 'Exponential', 'Gamma', 'Normal']) describePair(`Uniform||${q}`, { rtol: 1e-5 });

import * as tf from '@tensorflow/tfjs-core';
import { Beta, Gamma, Uniform } from '@vae/distributions';
import { klUniformBeta, klUniformGamma } from './uniform.js';

describe('KL Uniform || Beta, Gamma on narrow intervals (issue 15)', () => {
  // mpmath at 30 digits (the property suite's cases 1, 4 of Uniform||Beta and 5 of Uniform||Gamma):
  // (h log h - l log l) / (h - l) cancelled to 1e-3 of E[log x], which (a - 1) ~ 1e4 multiplied.
  it.each([
    ['Beta', 0.53492194, 0.5349622, 9286.999, 12.332735, 5733.724563516125],
    ['Beta', 0, 0.000015663392, 2.397493, 23666.816, 4.177154824914798],
    ['Gamma', 0.008048092, 0.008049179, 200.49738, 6229.1255, 134.71943072399168],
  ])('Uniform(%#) || %s: within 1e-5 of mpmath, finite gradients', (family, low, high, c1, c2, want) => {
    tf.tidy(() => {
      const params = [tf.scalar(low), tf.scalar(high), tf.scalar(c1), tf.scalar(c2)];
      const kl = (l: tf.Tensor, h: tf.Tensor, a: tf.Tensor, b: tf.Tensor) => {
        const p = new Uniform({ low: l, high: h, validateArgs: false });
        return family === 'Beta'
          ? klUniformBeta(p, new Beta({ concentration1: a, concentration0: b }))
          : klUniformGamma(p, new Gamma({ concentration: a, rate: b }));
      };
      const got = kl(...(params as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor])).dataSync()[0];
      expect(Math.abs(got - want) / want).toBeLessThan(1e-5);
      const grads = tf.grads((l: tf.Tensor, h: tf.Tensor, a: tf.Tensor, b: tf.Tensor) => kl(l, h, a, b))(params);
      expect(grads.every((g) => Number.isFinite(g.dataSync()[0]))).toBe(true);
    });
  });
});
