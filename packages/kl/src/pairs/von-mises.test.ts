import * as tf from '@tensorflow/tfjs-core';
import { VonMises } from '@vae/distributions';
import { expectWithinStandardErrors, runOnBackends, summarize } from '@vae/testing';
import { klDivergence } from '../index.js';
import { describePair } from '../../test/pair-suite.js';

// mpmath closed form, cross-checked by quadrature (test/fixtures/generate_kl_von_mises.py): kappa 1e-6 .. 1e6.
describePair('VonMises||VonMises', { rtol: 2e-5, nearRtol: 2e-5, fixture: 'kl_von_mises.json', numSamples: 2000 });

describe('KL(VonMises||VonMises) beyond the fixture', () => {
  it('is 0 for equal distributions at every concentration, and invariant to whole turns of either loc', () => {
    tf.tidy(() => {
      const kappa = [1e-6, 1e-3, 1, 1e3, 1e6];
      const p = new VonMises({ loc: 0.3, concentration: kappa });
      const q = new VonMises({ loc: 0.3 + 4 * Math.PI, concentration: kappa });
      Array.from(klDivergence(p, p).dataSync()).forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-6));
      Array.from(klDivergence(p, q).dataSync()).forEach((v, i) => expect(Math.abs(v)).toBeLessThan(1e-6 * Math.max(1, kappa[i] * 1e-5)));
    });
  });

  it('agrees with a Monte Carlo estimate at kappa 1e3 (p) vs 30 (q) and with itself on cpu and wasm', async () => {
    tf.tidy(() => {
      const p = new VonMises({ loc: 1, concentration: 1e3 });
      const q = new VonMises({ loc: 0.8, concentration: 30 });
      const z = p.sample([1500], 5);
      const s = summarize(tf.sub(p.logProb(z), q.logProb(z)).dataSync());
      expectWithinStandardErrors(s.mean, klDivergence(p, q).dataSync()[0], s.standardError, { z: 5, label: 'KL vM' });
    });
    const out = await runOnBackends(() =>
      klDivergence(new VonMises({ loc: [0, 3], concentration: [1e-3, 1e6] }), new VonMises({ loc: [-3, 2.9], concentration: [2, 1e4] })),
    );
    out.cpu[0].forEach((v, i) => expect(Math.abs(v - out.wasm[0][i])).toBeLessThan(1e-5 * Math.max(1, Math.abs(v))));
  });
});
