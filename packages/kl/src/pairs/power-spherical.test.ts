import { describePair } from '../../test/pair-suite.js';

describePair('PowerSpherical||HypersphericalUniform', { rtol: 2e-5, monteCarloCases: [12, 13] });
describePair('PowerSpherical||VonMisesFisher', { rtol: 2e-5, monteCarloCases: [1, 3] });

import * as tf from '@tensorflow/tfjs-core';
import { PowerSpherical, VonMisesFisher } from '@vae/distributions';
import { klPowerSphericalVonMisesFisher } from './power-spherical.js';

describe('KL PowerSpherical || VonMisesFisher at small concentrations (issue 15)', () => {
  // mpmath at 30 digits, equal mean directions e_1. Through -H(p) - log C_d(kappa_q) terms of size
  // log|S^{d-1}| cancelled: 2.4e-4 for the first, 1.4e-6 for the second, -4.8e-7 (negative) for the third.
  it.each([
    [1000, 0.59699607, 0.00012071228, 0.0001783630211527985],
    [10, 0.00013497578, 0.00013497927, 8.188584514811311e-11],
    [5, 1.1714442e-6, 1.1710468e-6, 4.1954038168793545e-14],
  ])('d = %i, kappa_p = %f, kappa_q = %f: within 1e-3 of mpmath, finite gradients', (d, kp, kq, want) => {
    tf.tidy(() => {
      const axis = tf.reshape(tf.oneHot(tf.tensor1d([0], 'int32'), d), [d]);
      const params = [tf.scalar(kp), tf.scalar(kq)];
      const kl = (a: tf.Tensor, b: tf.Tensor) =>
        klPowerSphericalVonMisesFisher(
          new PowerSpherical({ meanDirection: axis, concentration: a }),
          new VonMisesFisher({ meanDirection: axis, concentration: b }),
        );
      const got = kl(params[0], params[1]).dataSync()[0];
      expect(Math.abs(got - want) / want).toBeLessThan(1e-3);
      const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => kl(a, b))(params);
      expect(grads.every((g) => Number.isFinite(g.dataSync()[0]))).toBe(true);
    });
  });
});
