// Bounds on a model where everything is known: probabilistic PCA with a diagonal exact posterior.
import * as tf from '@tensorflow/tfjs-core';
import { StandardNormalPrior } from '@vae/priors';
import { expectClose, expectMemoryNeutral, expectWithinStandardErrors, summarize } from '@vae/testing';
import { elbo, iwaeBound, logMarginalLikelihood, renyiBound } from '../src/index.js';
import { B64, W64, X64, diagonalPosterior, elbo64, exactPosterior64, logMarginal64, logMarginalEigen64, makeLikelihood } from './ppca.js';

describe('ELBO, IWAE, Renyi and log p(x) on probabilistic PCA', () => {
  let w: tf.Tensor;
  let b: tf.Tensor;
  let x: tf.Tensor;
  let prior: StandardNormalPrior;
  let likelihood: ReturnType<typeof makeLikelihood>;
  const logP = X64.map(logMarginal64);
  const exact = X64.map(exactPosterior64);
  // A deliberately imperfect posterior: means shifted, scales too wide.
  const offMean = exact.map((e) => e.mean.map((m, j) => m + (j === 0 ? 0.3 : -0.2)));
  const offStd = exact.map((e) => e.std.map((s) => s * 1.6));

  beforeAll(() => {
    w = tf.tensor(W64);
    b = tf.tensor(B64);
    x = tf.tensor(X64);
    prior = new StandardNormalPrior({ latentDim: 2 });
    likelihood = makeLikelihood(w, b);
  });
  afterAll(() => {
    tf.dispose([w, b, x]);
    prior.dispose();
  });

  it('the float64 log p(x) agrees two ways (Cholesky and eigen-decomposition)', () => {
    expectClose(logP, X64.map(logMarginalEigen64), { rtol: 1e-12 });
    console.log(`[PPCA] log p(x) = ${logP.map((v) => v.toFixed(4)).join(', ')}`);
  });

  it('at the exact posterior the ELBO equals log p(x), even with one sample (Monte Carlo KL)', () => {
    const posterior = diagonalPosterior(
      exact.map((e) => e.mean),
      exact.map((e) => e.std),
    );
    for (const seed of [1, 2, 3]) {
      const r = elbo({ x, posterior, prior, likelihood }, { kl: 'monteCarlo', numSamples: 1, seed });
      expectClose(r.elbo, logP, { rtol: 1e-5, atol: 1e-4, label: `1-sample ELBO, seed ${seed}` });
      tf.dispose(r);
    }
    const closed = X64.map((xi, i) => elbo64(xi, exact[i].mean, exact[i].std).elbo);
    expectClose(closed, logP, { rtol: 1e-12, label: 'closed-form ELBO at the exact posterior' });
    posterior.dispose();
  });

  it('ELBO <= log p(x) elsewhere; the analytic and Monte Carlo KL paths agree with the closed form in expectation', () => {
    const posterior = diagonalPosterior(offMean, offStd);
    const truth = X64.map((xi, i) => elbo64(xi, offMean[i], offStd[i]));
    const n = 4000;
    const analytic = elbo({ x, posterior, prior, likelihood }, { kl: 'analytic', numSamples: n, seed: 4 });
    const mc = elbo({ x, posterior, prior, likelihood }, { kl: 'monteCarlo', numSamples: n, seed: 5 });
    // Per-sample values for standard errors: one-sample ELBOs over n seeds would be slow; instead
    // draw once with n samples and recompute the per-sample integrand by hand.
    const z = posterior.sample([n], 5);
    const integrand = tf.tidy(() => tf.sub(tf.add(likelihood(z).logProb(x), prior.distribution().logProb(z)), posterior.logProb(z)));
    const columns = tf.unstack(integrand, 1).map((t) => summarize(t.dataSync()));
    const a = analytic.elbo.dataSync();
    const m = mc.elbo.dataSync();
    const klA = analytic.kl.dataSync();
    for (let i = 0; i < X64.length; i++) {
      expect(truth[i].elbo).toBeLessThan(logP[i]);
      expectClose(klA[i], truth[i].kl, { rtol: 1e-5, label: `analytic KL [${i}]` });
      expectWithinStandardErrors(m[i], truth[i].elbo, columns[i].standardError, { label: `MC-KL ELBO [${i}]` });
      // The analytic path only averages the reconstruction: its spread is below the integrand's.
      expectWithinStandardErrors(a[i], truth[i].elbo, columns[i].standardError, { label: `analytic-KL ELBO [${i}]` });
      console.log(
        `[PPCA] x${i}: log p(x) ${logP[i].toFixed(4)}, exact ELBO of the off posterior ${truth[i].elbo.toFixed(4)}, ` +
          `estimates: analytic KL ${a[i].toFixed(4)}, MC KL ${m[i].toFixed(4)} (se ${columns[i].standardError.toFixed(4)})`,
      );
    }
    tf.dispose([analytic, mc, z, integrand]);
    posterior.dispose();
  });

  it('the IWAE bound rises with k toward log p(x)', () => {
    // Replicate the first example R times so each k gives R independent bounds.
    const R = 100;
    const xs = tf.tile(tf.slice(x, [0, 0], [1, 4]), [R, 1]);
    const posterior = diagonalPosterior(tf.tile(tf.tensor([offMean[0]]), [R, 1]), tf.tile(tf.tensor([offStd[0]]), [R, 1]));
    const ks = [1, 10, 100, 1000];
    const means: number[] = [];
    const lines: string[] = [];
    for (const k of ks) {
      const bound = iwaeBound({ x: xs, posterior, prior, likelihood }, { numSamples: k, seed: 10 + k });
      const s = summarize(bound.dataSync());
      means.push(s.mean);
      lines.push(`k=${k}: ${s.mean.toFixed(4)} +- ${s.standardError.toFixed(4)}`);
      if (k === 1)
        expectWithinStandardErrors(s.mean, elbo64(X64[0], offMean[0], offStd[0]).elbo, s.standardError, { label: 'IWAE_1 = ELBO' });
      expect(s.mean).toBeLessThan(logP[0] + 3 * s.standardError);
      bound.dispose();
    }
    console.log(`[PPCA] IWAE by k (mean over ${R} replicates; log p(x) = ${logP[0].toFixed(4)}): ${lines.join('; ')}`);
    for (let i = 1; i < ks.length; i++) expect(means[i]).toBeGreaterThan(means[i - 1]);
    expect(logP[0] - means[3]).toBeLessThan(0.02);
    expect(logP[0] - means[0]).toBeGreaterThan(0.2);
    tf.dispose([xs]);
    posterior.dispose();
  });

  it('the Renyi bound: alpha = 0 is IWAE, alpha -> 1 is the ELBO, and it decreases in alpha', () => {
    const posterior = diagonalPosterior(offMean, offStd);
    const terms = { x, posterior, prior, likelihood };
    const k = 50;
    const iwae = iwaeBound(terms, { numSamples: k, seed: 21 });
    const renyi0 = renyiBound(terms, 0, { numSamples: k, seed: 21 });
    expectClose(renyi0, iwae, { rtol: 1e-6 });
    const nearOne = renyiBound(terms, 1 - 1e-4, { numSamples: k, seed: 21 });
    const elboSame = elbo(terms, { kl: 'monteCarlo', numSamples: k, seed: 21 });
    expectClose(nearOne, elboSame.elbo, { atol: 2e-3, label: 'alpha -> 1' });
    const values = [-1, 0, 0.5, 0.99, 2].map((alpha) => renyiBound(terms, alpha, { numSamples: k, seed: 21 }));
    const rows = values.map((v) => Array.from(v.dataSync()));
    for (let a = 1; a < rows.length; a++)
      for (let i = 0; i < X64.length; i++) expect(rows[a][i]).toBeLessThanOrEqual(rows[a - 1][i] + 1e-5);
    console.log(`[PPCA] Renyi bounds for x0 at alpha = -1, 0, 0.5, 0.99, 2: ${rows.map((r) => r[0].toFixed(4)).join(', ')}`);
    tf.dispose([iwae, renyi0, nearOne, elboSame, ...values]);
    posterior.dispose();
  });

  it('logMarginalLikelihood converges to log p(x) with sane ESS and k-hat; a terrible proposal is flagged', async () => {
    const good = diagonalPosterior(offMean, offStd);
    const result = await logMarginalLikelihood(x, { posterior: good, prior, likelihood, numSamples: 5000, chunkSize: 1000, seed: 3 });
    for (let i = 0; i < X64.length; i++) {
      console.log(
        `[PPCA] logML x${i} (k = 5000, good proposal): ${result.logLikelihood[i].toFixed(4)} vs exact ${logP[i].toFixed(4)}; ` +
          `ESS ${result.effectiveSampleSize[i].toFixed(0)}, k-hat ${result.paretoK[i].toFixed(3)}`,
      );
      // Delta method: the standard error of log(mean w) is about sqrt(1/ESS - 1/k).
      const se = Math.sqrt(1 / result.effectiveSampleSize[i] - 1 / 5000);
      expectWithinStandardErrors(result.logLikelihood[i], logP[i], se, { z: 4, label: `logML x${i}` });
      expect(result.paretoK[i]).toBeLessThan(0.5);
      expect(result.effectiveSampleSize[i]).toBeGreaterThan(500);
      expect(result.effectiveSampleSize[i]).toBeLessThanOrEqual(5000 * (1 + 1e-9));
      expect(result.unreliable[i]).toBe(false);
    }
    // Terrible: far too narrow and shifted, so the rare draws in the posterior's bulk dominate.
    const bad = diagonalPosterior(
      exact.map((e) => e.mean.map((m) => m + 0.6)),
      exact.map((e) => e.std.map((s) => s * 0.3)),
    );
    const flagged = await logMarginalLikelihood(x, { posterior: bad, prior, likelihood, numSamples: 5000, chunkSize: 1000, seed: 3 });
    for (let i = 0; i < X64.length; i++) {
      console.log(
        `[PPCA] logML x${i} (k = 5000, terrible proposal): ${flagged.logLikelihood[i].toFixed(4)} vs exact ${logP[i].toFixed(4)}; ` +
          `ESS ${flagged.effectiveSampleSize[i].toFixed(1)}, k-hat ${flagged.paretoK[i].toFixed(3)}`,
      );
      expect(flagged.paretoK[i]).toBeGreaterThan(0.7);
      expect(flagged.unreliable[i]).toBe(true);
      expect(flagged.effectiveSampleSize[i]).toBeLessThan(100);
    }
    good.dispose();
    bad.dispose();
  });

  it('logMarginalLikelihood: the chunk size changes memory, not the estimator (same answer within MC error)', async () => {
    const good = diagonalPosterior(offMean, offStd);
    const small = await logMarginalLikelihood(x, { posterior: good, prior, likelihood, numSamples: 2000, chunkSize: 37, seed: 8 });
    const large = await logMarginalLikelihood(x, { posterior: good, prior, likelihood, numSamples: 2000, chunkSize: 2000, seed: 9 });
    for (const r of [small, large]) {
      for (let i = 0; i < X64.length; i++) {
        const se = Math.sqrt(1 / r.effectiveSampleSize[i] - 1 / 2000);
        expectWithinStandardErrors(r.logLikelihood[i], logP[i], se, { z: 4, label: `logML x${i}, chunk ${r === small ? 37 : 2000}` });
      }
    }
    good.dispose();
  });

  it('every bound is memory-neutral, including logMarginalLikelihood with an encoder', async () => {
    const posterior = diagonalPosterior(offMean, offStd);
    const terms = { x, posterior, prior, likelihood };
    await expectMemoryNeutral(() => elbo(terms, { numSamples: 3, seed: 1 }), 'elbo');
    await expectMemoryNeutral(
      () => elbo(terms, { numSamples: 3, seed: 1, freeBits: 0.1, gradientEstimator: 'stl' }),
      'elbo (free bits, stl)',
    );
    await expectMemoryNeutral(() => iwaeBound(terms, { numSamples: 3, seed: 1, gradientEstimator: 'dreg' }), 'iwaeBound');
    await expectMemoryNeutral(() => renyiBound(terms, 0.5, { numSamples: 3, seed: 1 }), 'renyiBound');
    const encoder = (data: tf.Tensor) => diagonalPosterior(tf.add(tf.zeros([data.shape[0], 2]), 0.1), tf.fill([data.shape[0], 2], 0.8));
    await expectMemoryNeutral(
      () => logMarginalLikelihood(X64, { encoder, prior, likelihood, numSamples: 100, chunkSize: 30, seed: 1 }),
      'logMarginalLikelihood',
    );
    posterior.dispose();
  });
});
