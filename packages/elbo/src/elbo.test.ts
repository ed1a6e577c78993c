import * as tf from '@tensorflow/tfjs-core';
import { Independent, Logistic, MixtureSameFamily, Normal, Scale, TransformedDistribution } from '@vae/distributions';
import { LearnedNormalPrior, MixtureOfGaussiansPrior, StandardNormalPrior } from '@vae/priors';
import { expectClose, expectMemoryNeutral } from '@vae/testing';
import { elbo, gaussianLikelihood } from './index.js';

const diag = (loc: number[][], scale: number) =>
  new Independent({ distribution: new Normal({ loc, scale, validateArgs: false }), reinterpretedBatchNdims: 1 });
const identityDecoder = (z: tf.Tensor) => gaussianLikelihood(z, { scale: 1 });

describe('elbo', () => {
  it('returns per-example terms of shape [B] with elbo = reconstruction - beta * klPenalty', () => {
    const x = tf.tensor([
      [0.5, -1],
      [2, 0],
      [0, 0],
    ]);
    const posterior = diag(
      [
        [0.2, -0.4],
        [1, 0],
        [0, 0],
      ],
      0.7,
    );
    const prior = new StandardNormalPrior({ latentDim: 2 });
    const r = elbo({ x, posterior, prior, likelihood: identityDecoder }, { numSamples: 5, seed: 3, beta: 0.5 });
    for (const t of [r.elbo, r.reconstruction, r.kl, r.klPenalty]) expect(t.shape).toEqual([3]);
    expectClose(r.elbo, tf.sub(r.reconstruction, tf.mul(0.5, r.kl)), { rtol: 1e-6 });
    // The decoder saw [S, B, D] latents.
    let seen: number[] = [];
    elbo({ x, posterior, prior, likelihood: (z) => ((seen = z.shape), identityDecoder(z)) }, { numSamples: 4, seed: 1 });
    expect(seen).toEqual([4, 3, 2]);
    // Same seed, same numbers.
    const again = elbo({ x, posterior, prior, likelihood: identityDecoder }, { numSamples: 5, seed: 3, beta: 0.5 });
    expectClose(again.elbo, r.elbo, { rtol: 0, atol: 0 });
    prior.dispose();
  });

  it("'auto' uses the analytic KL when registered and Monte Carlo for a mixture prior", () => {
    const x = tf.tensor([[0.5, -1]]);
    const posterior = diag([[0.2, -0.4]], 0.7);
    const normal = new StandardNormalPrior({ latentDim: 2 });
    const auto = elbo({ x, posterior, prior: normal, likelihood: identityDecoder }, { seed: 1 });
    const analytic = elbo({ x, posterior, prior: normal, likelihood: identityDecoder }, { seed: 1, kl: 'analytic' });
    expectClose(auto.kl, analytic.kl, { rtol: 0, atol: 0 });
    // KL(N(m, 0.49 I) || N(0, I)) = sum_j (0.49 + m_j^2 - 1 - log 0.49) / 2
    expectClose(analytic.kl, [[0.2, -0.4].reduce((a, m) => a + 0.5 * (0.49 + m * m - 1 - Math.log(0.49)), 0)], { rtol: 1e-5 });
    const mixture = new MixtureOfGaussiansPrior({ latentDim: 2, numComponents: 3, seed: 2 });
    const mc = elbo({ x, posterior, prior: mixture, likelihood: identityDecoder }, { seed: 1, numSamples: 3 });
    // The Monte Carlo KL on the same samples: mean_s [log q(z_s) - log p(z_s)].
    const z = posterior.rsample([3], 1);
    const byHand = tf.tidy(() => tf.mean(tf.sub(posterior.logProb(z), mixture.distribution().logProb(z)), 0));
    expectClose(mc.kl, byHand, { rtol: 1e-5 });
    expect(() => elbo({ x, posterior, prior: mixture, likelihood: identityDecoder }, { kl: 'analytic' })).toThrow(/No analytic KL/);
    // Independent || Independent is registered, but not Normal || Logistic inside it: 'auto' still falls back.
    const logistic = new Independent({ distribution: new Logistic({ loc: [0, 0], scale: [1, 1] }), reinterpretedBatchNdims: 1 });
    const fallback = elbo({ x, posterior, prior: logistic, likelihood: identityDecoder }, { seed: 1, numSamples: 3 });
    const byHandLogistic = tf.tidy(() => tf.mean(tf.sub(posterior.logProb(z), logistic.logProb(z)), 0));
    expectClose(fallback.kl, byHandLogistic, { rtol: 1e-5 });
    expect(() => elbo({ x, posterior, prior: logistic, likelihood: identityDecoder }, { kl: 'analytic' })).toThrow(
      /No analytic KL\(Normal \|\| Logistic\)/,
    );
    normal.dispose();
    mixture.dispose();
  });

  it("'auto' gives a flow posterior its base's closed form plus an unbiased, quieter Monte Carlo correction", async () => {
    // q = Scale(c) applied to N(m, s^2): N(c m, c^2 s^2), so KL(q || N(0, I)) = sum_j (c^2 (s^2 + m_j^2) - 1 - 2 log(c s)) / 2.
    const prior = new StandardNormalPrior({ latentDim: 2 });
    const flow = (c: number, rows: number) =>
      new TransformedDistribution({
        distribution: diag(
          Array.from({ length: rows }, () => [0.3, -0.5]),
          0.6,
        ),
        bijector: new Scale({ scale: c }),
      });
    const exact = (c: number) => [0.3, -0.5].reduce((a, m) => a + 0.5 * (c * c * (0.36 + m * m) - 1 - 2 * Math.log(c * 0.6)), 0);
    const stats = (kl: tf.Tensor) => {
      const v = Array.from(kl.dataSync());
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      return { mean, sd: Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) };
    };
    const rows = 4000;
    const x = tf.zeros([rows, 2]);
    const run = (c: number, kl: 'auto' | 'monteCarlo') =>
      elbo({ x, posterior: flow(c, rows), prior, likelihood: identityDecoder }, { kl, seed: 5 }).kl;
    // Unbiased: one sample per row, 4000 independent rows, within 4 standard errors of the closed form.
    for (const c of [1.3, 0.7]) {
      const { mean, sd } = stats(run(c, 'auto'));
      expect(Math.abs(mean - exact(c))).toBeLessThan((4 * sd) / Math.sqrt(rows));
    }
    // At the identity the correction is exactly 0: the base's closed form, with no noise at all.
    const atIdentity = stats(run(1, 'auto'));
    expect(atIdentity.sd).toBe(0);
    expect(atIdentity.mean).toBeCloseTo(exact(1), 5);
    // Near the identity it is far quieter than the plain estimate log q(z) - log p(z) on the same samples.
    const quiet = stats(run(1.05, 'auto'));
    const plain = stats(run(1.05, 'monteCarlo'));
    expect(Math.abs(plain.mean - exact(1.05))).toBeLessThan((4 * plain.sd) / Math.sqrt(rows));
    expect(quiet.sd).toBeLessThan(0.15 * plain.sd);
    // A base pair the registry finds but cannot compute (Independent over Normal || Logistic):
    // the plain Monte Carlo estimate, as for any unregistered pair.
    const logistic = new Independent({ distribution: new Logistic({ loc: [0, 0], scale: [1, 1] }), reinterpretedBatchNdims: 1 });
    const q = flow(1.05, 3);
    const fallback = elbo({ x: tf.zeros([3, 2]), posterior: q, prior: logistic, likelihood: identityDecoder }, { seed: 2 });
    const zq = q.rsample([1], 2);
    expectClose(
      fallback.kl,
      tf.tidy(() => tf.mean(tf.sub(q.logProb(zq), logistic.logProb(zq)), 0)),
      { rtol: 1e-5 },
    );
    const small = tf.tensor([[0.5, -1]]);
    const posterior = flow(1.2, 1);
    await expectMemoryNeutral(
      () => elbo({ x: small, posterior, prior, likelihood: identityDecoder }, { numSamples: 2, seed: 1 }),
      'elbo (flow posterior)',
    );
    prior.dispose();
  });

  it('works with a plain Distribution as the prior and with a learned prior (whose variables get gradients)', () => {
    const x = tf.tensor([[0.5, -1]]);
    const posterior = diag([[0.2, -0.4]], 0.7);
    const p = new Independent({ distribution: new Normal({ loc: [0, 0], scale: [1, 1] }), reinterpretedBatchNdims: 1 });
    const plain = elbo({ x, posterior, prior: p, likelihood: identityDecoder }, { seed: 2 });
    const standard = new StandardNormalPrior({ latentDim: 2 });
    const viaPrior = elbo({ x, posterior, prior: standard, likelihood: identityDecoder }, { seed: 2 });
    expectClose(plain.elbo, viaPrior.elbo, { rtol: 1e-6 });
    const learned = new LearnedNormalPrior({ latentDim: 2 });
    const { grads, value } = tf.variableGrads(
      () =>
        tf.neg(
          tf.sum(elbo({ x, posterior, prior: learned, likelihood: identityDecoder }, { seed: 2, kl: 'monteCarlo' }).elbo),
        ) as tf.Scalar,
      learned.trainableVariables,
    );
    for (const v of learned.trainableVariables)
      expect(Math.max(...Array.from(grads[v.name].dataSync()).map(Math.abs))).toBeGreaterThan(1e-3);
    tf.dispose([value, ...Object.values(grads)]);
    standard.dispose();
    learned.dispose();
  });

  it.each(['cpu', 'wasm'])('seed 0 is a seed on %s: the same numbers on every call (tfjs reads 0 as "no seed")', async (backend) => {
    const previous = tf.getBackend();
    await tf.setBackend(backend);
    try {
      const run = () =>
        tf.tidy(() => {
          const x = tf.tensor([[0.5, -1]]);
          const posterior = diag([[0.2, -0.4]], 0.7);
          const prior = new MixtureOfGaussiansPrior({ latentDim: 2, numComponents: 3, seed: 0 });
          const r = elbo({ x, posterior, prior, likelihood: identityDecoder }, { numSamples: 4, seed: 0 });
          const out = [...r.elbo.dataSync(), ...r.kl.dataSync(), ...prior.means.dataSync()];
          prior.dispose();
          return out;
        });
      const first = run();
      expect(run()).toEqual(first);
      expect(first.every(Number.isFinite)).toBe(true);
    } finally {
      await tf.setBackend(previous);
    }
  });

  it('rejects bad input with messages that say what is wrong', () => {
    const x = tf.zeros([3, 2]);
    const posterior = diag(
      [
        [0, 0],
        [0, 0],
      ],
      1,
    );
    const prior = new StandardNormalPrior({ latentDim: 2 });
    const terms = { x, posterior, prior, likelihood: identityDecoder };
    expect(() => elbo(terms)).toThrow(/elbo: x must be batched like the posterior: shape \[B, \.\.\.\] with B = 2.*got shape \[3,2\]/);
    const ok = { ...terms, x: tf.zeros([2, 2]) };
    expect(() => elbo(ok, { numSamples: 0 })).toThrow(/numSamples must be an integer >= 1; got 0/);
    expect(() => elbo(ok, { beta: -1 })).toThrow(/beta must be a finite number >= 0/);
    expect(() => elbo(ok, { freeBits: -0.1 })).toThrow(/freeBits must be/);
    expect(() => elbo(ok, { kl: 'exact' as never })).toThrow(/kl must be 'analytic', 'monteCarlo' or 'auto'/);
    expect(() => elbo(ok, { gradientEstimator: 'stl', kl: 'analytic' })).toThrow(/sticking the landing/);
    expect(() => elbo(ok, { gradientEstimator: 'dreg' as never })).toThrow(/gradientEstimator must be one of 'reparameterized', 'stl'/);
    expect(() => elbo({ ...ok, prior: new StandardNormalPrior({ latentDim: 3 }) })).toThrow(
      /prior must be a distribution over the posterior's event shape \[2\]/,
    );
    expect(() => elbo({ ...ok, likelihood: () => gaussianLikelihood(tf.zeros([5, 2]), { scale: 1 }) })).toThrow(
      /likelihood must be a function returning p\(x \| z\) with batch shape \[S, B\]/,
    );
    expect(() => elbo({ ...ok, prior: {} as never })).toThrow(/prior must be a Prior/);
    // A posterior without rsample (a mixture) for a reparameterized estimator.
    const mixturePosterior = new MixtureSameFamily({
      mixtureLogits: tf.zeros([2, 3]),
      components: new Independent({ distribution: new Normal({ loc: tf.zeros([2, 3, 2]), scale: 1 }), reinterpretedBatchNdims: 1 }),
    });
    expect(() => elbo({ ...ok, posterior: mixturePosterior })).toThrow(
      /posterior must be reparameterized \(with rsample\).*MixtureSameFamily has no rsample/,
    );
    prior.dispose();
  });

  it('is memory-neutral with every option', async () => {
    const x = tf.tensor([[0.5, -1]]);
    const posterior = diag([[0.2, -0.4]], 0.7);
    const prior = new MixtureOfGaussiansPrior({ latentDim: 2, numComponents: 2, seed: 1 });
    const standard = new StandardNormalPrior({ latentDim: 2 });
    await expectMemoryNeutral(
      () => elbo({ x, posterior, prior, likelihood: identityDecoder }, { numSamples: 2, seed: 1, beta: 2 }),
      'elbo (mixture prior)',
    );
    await expectMemoryNeutral(
      () => elbo({ x, posterior, prior: standard, likelihood: identityDecoder }, { freeBits: 0.2, kl: 'analytic', seed: 1 }),
      'elbo (free bits)',
    );
    prior.dispose();
    standard.dispose();
  });
});
