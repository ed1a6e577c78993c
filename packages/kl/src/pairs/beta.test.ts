import { describePair } from '../../test/pair-suite.js';

describePair('Beta||Beta', { rtol: 1e-5, nearRtol: 2e-5 });
for (const q of ['Normal', 'Uniform', 'Exponential', 'Gamma', 'ContinuousBernoulli']) describePair(`Beta||${q}`, { rtol: 1e-5 });

import * as tf from '@tensorflow/tfjs-core';
import { Beta, Gamma } from '@vae/distributions';
import { klBetaGamma } from './beta.js';

describe('KL Beta || Gamma with tiny concentrations (issue 15)', () => {
  // mpmath at 30 digits (the property suite's cases 22 and 28): -H(p) and -(c - 1) E[log x] each
  // held a psi(a) ~ -1/a term that cancelled, losing 0.005 absolute (66% of the first).
  it.each([
    [0.000025246458, 0.86856437, 0.000024019599, 206.17241, 0.007072183060777911],
    [0.00012582366, 499474.12, 0.000006601562, 5.0218344, 1.999992065107803],
  ])('Beta(%f, %f) || Gamma(%f, %f): within 1e-4 of mpmath, finite gradients', (a, b, c, r, want) => {
    tf.tidy(() => {
      const params = [a, b, c, r].map((v) => tf.scalar(v));
      const kl = (pa: tf.Tensor, pb: tf.Tensor, qc: tf.Tensor, qr: tf.Tensor) =>
        klBetaGamma(new Beta({ concentration1: pa, concentration0: pb }), new Gamma({ concentration: qc, rate: qr }));
      const got = kl(params[0], params[1], params[2], params[3]).dataSync()[0];
      expect(Math.abs(got - want) / want).toBeLessThan(1e-4);
      const grads = tf.grads((pa: tf.Tensor, pb: tf.Tensor, qc: tf.Tensor, qr: tf.Tensor) => kl(pa, pb, qc, qr))(params);
      expect(grads.every((g) => Number.isFinite(g.dataSync()[0]))).toBe(true);
    });
  });
});
