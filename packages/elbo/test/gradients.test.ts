// Gradient estimators on probabilistic PCA: STL, DReG, beta and free bits do what their docs say.
import * as tf from '@tensorflow/tfjs-core';
import { Independent, MultivariateNormal, Normal } from '@vae/distributions';
import { klDivergence } from '@vae/kl';
import { MixtureOfGaussiansPrior, StandardNormalPrior } from '@vae/priors';
import { expectClose, expectWithinStandardErrors, summarize } from '@vae/testing';
import { elbo, iwaeBound } from '../src/index.js';
import type { ElboOptions, IwaeOptions } from '../src/index.js';
import { B64, W64, X64, diagonalPosterior, exactPosterior64, makeLikelihood } from './ppca.js';

const exact = X64.map(exactPosterior64);
const offMean = exact.map((e) => e.mean.map((m, j) => m + (j === 0 ? 0.3 : -0.2)));
const offStd = exact.map((e) => e.std.map((s) => s * 1.6));

/** Per-component mean and variance of a list of flat gradient vectors. */
function gradientStats(samples: number[][]): { mean: number[]; variance: number[]; se: number[] } {
  const dims = samples[0].length;
  const stats = Array.from({ length: dims }, (_, j) => summarize(samples.map((g) => g[j])));
  return { mean: stats.map((s) => s.mean), variance: stats.map((s) => s.variance), se: stats.map((s) => s.standardError) };
}

describe('gradient estimators', () => {
  let w: tf.Variable;
  let b: tf.Variable;
  let x: tf.Tensor;
  let loc: tf.Variable;
  let logScale: tf.Variable;
  let prior: StandardNormalPrior;
  let likelihood: ReturnType<typeof makeLikelihood>;

  beforeAll(() => {
    w = tf.variable(tf.tensor(W64));
    b = tf.variable(tf.tensor(B64));
    x = tf.tensor(X64);
    loc = tf.variable(tf.tensor(offMean));
    logScale = tf.variable(tf.log(tf.tensor(offStd)));
    prior = new StandardNormalPrior({ latentDim: 2 });
    likelihood = makeLikelihood(w, b);
  });
  afterAll(() => {
    tf.dispose([w, b, x, loc, logScale]);
    prior.dispose();
  });

  function setPosterior(mean: number[][], std: number[][]): void {
    loc.assign(tf.tensor(mean));
    logScale.assign(tf.log(tf.tensor(std)));
  }
  const posterior = () => diagonalPosterior(loc, tf.exp(logScale));

  /** Gradient of -sum(objective) w.r.t. the given variables, flattened. */
  function grad(objective: () => tf.Tensor, vars: tf.Variable[]): number[] {
    const { value, grads } = tf.variableGrads(() => tf.neg(tf.sum(objective())) as tf.Scalar, vars);
    const flat = vars.flatMap((v) => Array.from(grads[v.name].dataSync()));
    tf.dispose([value, ...Object.values(grads)]);
    return flat;
  }
  const elboGrad = (options: ElboOptions, vars = [loc, logScale]) =>
    grad(() => elbo({ x, posterior: posterior(), prior, likelihood }, options).elbo, vars);
  const iwaeGrad = (options: IwaeOptions, vars = [loc, logScale]) =>
    grad(() => iwaeBound({ x, posterior: posterior(), prior, likelihood }, options), vars);

  it('STL: the gradient variance vanishes at the exact posterior; the standard one does not', () => {
    setPosterior(
      exact.map((e) => e.mean),
      exact.map((e) => e.std),
    );
    const seeds = Array.from({ length: 30 }, (_, i) => 100 + i);
    const stl = gradientStats(seeds.map((seed) => elboGrad({ seed, gradientEstimator: 'stl' })));
    const standard = gradientStats(seeds.map((seed) => elboGrad({ seed, kl: 'monteCarlo' })));
    const totalStl = stl.variance.reduce((a, v) => a + v, 0);
    const totalStandard = standard.variance.reduce((a, v) => a + v, 0);
    console.log(
      `[STL] total gradient variance over 30 one-sample draws at the exact posterior: STL ${totalStl.toExponential(2)}, ` +
        `standard (MC KL) ${totalStandard.toExponential(2)}`,
    );
    expect(totalStl).toBeLessThan(1e-8);
    expect(totalStandard).toBeGreaterThan(1);
    // Both are unbiased: the true gradient at the optimum is 0.
    standard.mean.forEach((m, j) => expectWithinStandardErrors(m, 0, standard.se[j], { label: `standard grad [${j}]` }));
  });

  it('STL and the standard estimator agree in expectation away from the optimum', () => {
    setPosterior(offMean, offStd);
    const seeds = Array.from({ length: 40 }, (_, i) => 200 + i);
    const stl = gradientStats(seeds.map((seed) => elboGrad({ seed, gradientEstimator: 'stl', numSamples: 4 })));
    const analytic = gradientStats(seeds.map((seed) => elboGrad({ seed, kl: 'analytic', numSamples: 4 })));
    const offStdVar = stl.variance.reduce((a, v) => a + v, 0);
    console.log(
      `[STL] total gradient variance at the off posterior: STL ${offStdVar.toExponential(2)}, standard (analytic KL) ${analytic.variance
        .reduce((a, v) => a + v, 0)
        .toExponential(2)}`,
    );
    stl.mean.forEach((m, j) =>
      expectWithinStandardErrors(m, analytic.mean[j], Math.hypot(stl.se[j], analytic.se[j]), { label: `STL vs standard grad [${j}]` }),
    );
  });

  it('DReG: same decoder gradient as the reparameterized IWAE, unbiased encoder gradient with lower variance, zero at the exact posterior', () => {
    setPosterior(offMean, offStd);
    const k = 16;
    for (const seed of [1, 2]) {
      expectClose(iwaeGrad({ seed, numSamples: k, gradientEstimator: 'dreg' }, [w, b]), iwaeGrad({ seed, numSamples: k }, [w, b]), {
        rtol: 1e-4,
        atol: 1e-5,
        label: 'decoder gradient, DReG vs reparameterized',
      });
    }
    const seeds = Array.from({ length: 40 }, (_, i) => 300 + i);
    const dreg = gradientStats(seeds.map((seed) => iwaeGrad({ seed, numSamples: k, gradientEstimator: 'dreg' })));
    const rep = gradientStats(seeds.map((seed) => iwaeGrad({ seed, numSamples: k })));
    dreg.mean.forEach((m, j) =>
      expectWithinStandardErrors(m, rep.mean[j], Math.hypot(dreg.se[j], rep.se[j]), { label: `DReG vs reparameterized [${j}]` }),
    );
    const vDreg = dreg.variance.reduce((a, v) => a + v, 0);
    const vRep = rep.variance.reduce((a, v) => a + v, 0);
    console.log(`[DReG] encoder gradient variance, k = ${k}: DReG ${vDreg.toExponential(2)}, reparameterized ${vRep.toExponential(2)}`);
    expect(vDreg).toBeLessThan(vRep);
    setPosterior(
      exact.map((e) => e.mean),
      exact.map((e) => e.std),
    );
    const atExact = iwaeGrad({ seed: 5, numSamples: k, gradientEstimator: 'dreg' });
    expectClose(atExact, 0, { atol: 1e-4, label: 'DReG encoder gradient at the exact posterior' });
  });

  it('beta scales the KL gradient: grad(beta = 0) - grad(beta = 2) = 2 grad KL', () => {
    setPosterior(offMean, offStd);
    const g0 = elboGrad({ seed: 9, beta: 0, kl: 'analytic' });
    const g2 = elboGrad({ seed: 9, beta: 2, kl: 'analytic' });
    const gKL = grad(() => tf.neg(klDivergence(posterior(), prior.distribution())), [loc, logScale]);
    expectClose(
      g0.map((v, i) => v - g2[i]),
      gKL.map((v) => -2 * v),
      { rtol: 1e-4, atol: 1e-5 },
    );
  });

  it('free bits: a dimension whose batch-mean KL is below lambda gets no KL gradient; the rest get the usual one', () => {
    // Dimension 0 far from the prior (KL ~ 1.2 nats), dimension 1 close to it (KL ~ 1e-3), except
    // example 2 whose dimension-1 KL (~0.6) is above lambda on its own: the decision is on the batch mean.
    setPosterior(
      [
        [1.5, 0.01],
        [-1.5, -0.02],
        [1.4, 1.1],
      ],
      [
        [0.6, 0.98],
        [0.6, 1.01],
        [0.7, 0.99],
      ],
    );
    const lambda = 0.5;
    const klDims = tf.tidy(() => {
      const q = posterior() as Independent;
      return klDivergence(q.distribution, new Normal({ loc: 0, scale: 1 }));
    });
    const perDim = klDims.arraySync() as number[][];
    klDims.dispose();
    const mean1 = perDim.reduce((a, r) => a + r[1], 0) / 3;
    const mean0 = perDim.reduce((a, r) => a + r[0], 0) / 3;
    expect(mean1).toBeLessThan(lambda);
    expect(mean0).toBeGreaterThan(lambda);
    expect(perDim[2][1]).toBeGreaterThan(lambda);
    for (const kl of ['analytic', 'monteCarlo'] as const) {
      const penaltyGrad = grad(
        () => tf.neg(elbo({ x, posterior: posterior(), prior, likelihood }, { kl, freeBits: lambda, seed: 4, numSamples: 8 }).klPenalty),
        [loc, logScale],
      );
      // Layout: loc [3, 2] then logScale [3, 2]; dimension 1 is every odd entry.
      const dim1 = penaltyGrad.filter((_, i) => i % 2 === 1);
      expect(dim1.every((g) => g === 0)).toBe(true);
      const dim0 = penaltyGrad.filter((_, i) => i % 2 === 0);
      expect(dim0.every((g) => Math.abs(g) > 1e-3)).toBe(true);
      if (kl === 'analytic') {
        const exactDim0 = grad(() => {
          const q = posterior() as Independent;
          return tf.neg(tf.sum(tf.slice(klDivergence(q.distribution, new Normal({ loc: 0, scale: 1 })), [0, 0], [3, 1])));
        }, [loc, logScale]).filter((_, i) => i % 2 === 0);
        expectClose(dim0, exactDim0, { rtol: 1e-5, atol: 1e-6 });
      }
    }
    const r = elbo({ x, posterior: posterior(), prior, likelihood }, { kl: 'analytic', freeBits: lambda, seed: 4 });
    expectClose(
      r.klPenalty,
      perDim.map((row) => row[0] + lambda),
      { rtol: 1e-5 },
    );
    expectClose(
      r.kl,
      perDim.map((row) => row[0] + row[1]),
      { rtol: 1e-5 },
    );
    expectClose(r.elbo, tf.sub(r.reconstruction, r.klPenalty), { rtol: 1e-6 });
    tf.dispose(r);
  });
});

describe('free bits needs a factorized KL', () => {
  it('rejects a non-Independent posterior with a clear message', () => {
    const x = tf.zeros([2, 4]);
    const prior = new StandardNormalPrior({ latentDim: 2 });
    // A full-covariance posterior does not split into per-dimension KLs.
    const posterior = new MultivariateNormal({
      loc: tf.zeros([2, 2]),
      scaleTril: [
        [1, 0],
        [0.5, 1],
      ],
    });
    expect(() =>
      elbo({ x, posterior, prior, likelihood: (z) => makeLikelihood(tf.zeros([4, 2]), tf.zeros([4]))(z) }, { freeBits: 0.1 }),
    ).toThrow(/posterior must be an Independent over the latent dimensions.*got MultivariateNormal/);
    const mixturePrior = new MixtureOfGaussiansPrior({ latentDim: 2, numComponents: 2, seed: 1 });
    const diagonal = diagonalPosterior(
      [
        [0, 0],
        [1, 1],
      ],
      [
        [1, 1],
        [1, 1],
      ],
    );
    expect(() =>
      elbo(
        { x, posterior: diagonal, prior: mixturePrior, likelihood: (z) => makeLikelihood(tf.zeros([4, 2]), tf.zeros([4]))(z) },
        { freeBits: 0.1 },
      ),
    ).toThrow(/prior must be factorized over the latent dimensions/);
    mixturePrior.dispose();
    x.dispose();
    prior.dispose();
  });
});
