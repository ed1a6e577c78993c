import * as tf from '@tensorflow/tfjs-core';
import { Affine, Exp, Independent, Logistic, LogNormal, Normal, Sigmoid, TransformedDistribution } from '@vae/distributions';
import { expectClose, expectMemoryNeutral } from '@vae/testing';
import { klDivergence, monteCarloKL } from '../index.js';

describe('KL(TransformedDistribution || TransformedDistribution)', () => {
  it('under one bijector object is the KL of the bases (= LogNormal||LogNormal under Exp, and a seeded Monte Carlo estimate)', () => {
    tf.tidy(() => {
      const exp = new Exp();
      const pBase = new Normal({ loc: [0, 1, -2], scale: [1, 0.5, 3] });
      const qBase = new Normal({ loc: [1, 1, 0], scale: [2, 0.5, 0.1] });
      const p = new TransformedDistribution({ distribution: pBase, bijector: exp });
      const q = new TransformedDistribution({ distribution: qBase, bijector: exp });
      const kl = klDivergence(p, q);
      expect(kl.shape).toEqual([3]);
      expectClose(kl, klDivergence(pBase, qBase), { rtol: 1e-6 });
      expectClose(
        kl,
        klDivergence(new LogNormal({ loc: [0, 1, -2], scale: [1, 0.5, 3] }), new LogNormal({ loc: [1, 1, 0], scale: [2, 0.5, 0.1] })),
        {
          rtol: 1e-6,
        },
      );
      // The estimate works on the transformed densities themselves (the log-Jacobians cancel only in expectation-free algebra).
      const estimate = monteCarloKL(p, q, { numSamples: 4000, seed: 5 });
      expectClose(estimate, kl, { rtol: 0.1, atol: 0.05 });
    });
  });

  it('delegates the bases to the registry (Independent bases under a vector bijector)', () => {
    tf.tidy(() => {
      const affine = new Affine({
        shift: [1, 2],
        scaleTril: [
          [2, 0],
          [1, 0.5],
        ],
      });
      const pBase = new Independent({ distribution: new Normal({ loc: [0, 1], scale: [1, 2] }), reinterpretedBatchNdims: 1 });
      const qBase = new Independent({ distribution: new Normal({ loc: [1, 0], scale: [1, 1] }), reinterpretedBatchNdims: 1 });
      const kl = klDivergence(
        new TransformedDistribution({ distribution: pBase, bijector: affine }),
        new TransformedDistribution({ distribution: qBase, bijector: affine }),
      );
      expect(kl.shape).toEqual([]);
      expectClose(kl, klDivergence(pBase, qBase), { rtol: 1e-6 });
    });
  });

  it('falls back to Monte Carlo for different bijector objects or bases without an analytic pair, and says why without a fallback', () => {
    tf.tidy(() => {
      const base = new Normal({ loc: 0, scale: 1 });
      const other = new Normal({ loc: 1, scale: 1 });
      const p = new TransformedDistribution({ distribution: base, bijector: new Sigmoid() });
      const q = new TransformedDistribution({ distribution: other, bijector: new Sigmoid() });
      expect(() => klDivergence(p, q)).toThrow(
        /The analytic KL\(TransformedDistribution \|\| TransformedDistribution\) registered does not hold for these two/,
      );
      // Two Sigmoid objects compute the same map, so the estimate still approaches KL(N(0,1) || N(1,1)) = 0.5.
      expectClose(klDivergence(p, q, { fallback: 'monteCarlo', numSamples: 4000, seed: 2 }), 0.5, { atol: 0.08 });
      const sigmoid = new Sigmoid();
      // Logistic || Normal has no closed form here.
      const noBasePair = [
        new TransformedDistribution({ distribution: new Logistic({ loc: 0, scale: 1 }), bijector: sigmoid }),
        new TransformedDistribution({ distribution: base, bijector: sigmoid }),
      ] as const;
      expect(() => klDivergence(noBasePair[0], noBasePair[1])).toThrow(/does not hold for these two/);
      expect(
        Number.isFinite(klDivergence(noBasePair[0], noBasePair[1], { fallback: 'monteCarlo', numSamples: 64, seed: 1 }).dataSync()[0]),
      ).toBe(true);
    });
  });

  it('is memory-neutral', async () => {
    const exp = new Exp();
    const p = new TransformedDistribution({ distribution: new Normal({ loc: [0, 1], scale: 1 }), bijector: exp });
    const q = new TransformedDistribution({ distribution: new Normal({ loc: 0, scale: 2 }), bijector: exp });
    await expectMemoryNeutral(() => klDivergence(p, q), 'klDivergence');
    p.distribution.dispose();
    q.distribution.dispose();
  });
});
