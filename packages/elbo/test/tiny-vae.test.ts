// End to end: the same tiny VAE trained with each prior. Swapping the prior is one line.
import * as tf from '@tensorflow/tfjs-core';
import { HypersphericalUniformPrior, LearnedNormalPrior, MixtureOfGaussiansPrior, StandardNormalPrior, VampPrior } from '@vae/priors';
import type { Prior } from '@vae/priors';
import { SLOW_TESTS, expectMemoryNeutral } from '@vae/testing';
import { elbo, logMarginalLikelihood } from '../src/index.js';
import { TinyVae, toyData, train } from './tiny-vae.js';
import type { Geometry } from './tiny-vae.js';

const STEPS = 25;
// 'auto' (the default) is what users get: analytic KL where @vae/kl has the pair, Monte Carlo otherwise.
const KL_MODE = 'auto' as const;

describe('a tiny VAE trained with each prior', () => {
  let x: tf.Tensor2D;
  beforeAll(() => {
    x = toyData();
  });
  afterAll(() => x.dispose());

  const cases: [string, Geometry, number, (vae: TinyVae) => Prior][] = [
    ['standard normal', 'gaussian', 2, () => new StandardNormalPrior({ latentDim: 2 })],
    ['learned normal', 'gaussian', 2, () => new LearnedNormalPrior({ latentDim: 2 })],
    ['mixture of Gaussians', 'gaussian', 2, () => new MixtureOfGaussiansPrior({ latentDim: 2, numComponents: 4, seed: 1 })],
    [
      'VampPrior',
      'gaussian',
      2,
      (vae) => new VampPrior({ encoder: vae.encode, pseudoInputs: { numPseudoInputs: 8, inputDim: 20, seed: 1 } }),
    ],
    ['hyperspherical uniform (Power Spherical posterior)', 'powerSpherical', 3, () => new HypersphericalUniformPrior({ dim: 3 })],
    ['hyperspherical uniform (von Mises-Fisher posterior)', 'vonMisesFisher', 3, () => new HypersphericalUniformPrior({ dim: 3 })],
  ];

  // Training through the sphere's samplers is the slow part: those cases run under VAE_SLOW_TESTS=1 (CI).
  const spherical = (c: (typeof cases)[number]) => c[1] !== 'gaussian';
  (SLOW_TESTS ? it.each : it.skip.each)(cases.filter(spherical))(
    '%s: the loss goes down and the prior is trained with the model [slow]',
    (...c) => trainsWith(...c),
  );
  it.each(cases.filter((c) => !spherical(c)))('%s: the loss goes down and the prior is trained with the model', (...c) => trainsWith(...c));

  async function trainsWith(name: string, geometry: Geometry, latentDim: number, makePrior: (vae: TinyVae) => Prior): Promise<void> {
    const vae = new TinyVae(latentDim, geometry);
    const prior = makePrior(vae); // <- the one line that changes
    const priorBefore = prior.trainableVariables.map((v) => Array.from(v.dataSync()));
    const { before, after } = train(vae, prior, x, STEPS, { kl: KL_MODE });
    const firstFour = tf.slice(x, [0, 0], [4, 20]);
    const ml = await logMarginalLikelihood(firstFour, {
      encoder: vae.encode,
      prior,
      likelihood: vae.decode,
      numSamples: 300,
      chunkSize: 300,
      seed: 7,
    });
    // On the same examples, the k = 300 importance-sampled estimate sits above the ELBO (in
    // expectation the IWAE bound increases with k; 64 samples make the ELBO's noise small).
    const bound = tf.tidy(
      () =>
        tf
          .mean(elbo({ x: firstFour, posterior: vae.encode(firstFour), prior, likelihood: vae.decode }, { numSamples: 64, seed: 3 }).elbo)
          .dataSync()[0],
    );
    console.log(
      `[tiny VAE] ${name}: -ELBO ${before.toFixed(2)} -> ${after.toFixed(2)} nats after ${STEPS} Adam steps; ` +
        `log p(x) (k = 300, first 4 examples) ${ml.meanLogLikelihood.toFixed(2)} (their ELBO ${bound.toFixed(2)}), ` +
        `k-hat ${ml.paretoK.map((k) => k.toFixed(2)).join('/')}, ESS ${ml.effectiveSampleSize.map((e) => e.toFixed(0)).join('/')}; ` +
        `prior variables: ${prior.trainableVariables.length}`,
    );
    expect(after).toBeLessThan(before - 1);
    expect(ml.meanLogLikelihood).toBeGreaterThan(bound - 0.1);
    firstFour.dispose();
    // A learned prior's variables moved; a fixed one has none.
    prior.trainableVariables.forEach((v, i) => {
      const now = Array.from(v.dataSync());
      expect(now.some((value, j) => value !== priorBefore[i][j])).toBe(true);
    });
    if (name === 'standard normal' || name.startsWith('hyperspherical')) expect(prior.trainableVariables).toEqual([]);
    else expect(prior.trainableVariables.length).toBeGreaterThan(0);
    await expectMemoryNeutral(() => vae.loss(x, prior, { seed: 1 }), `${name} loss`);
    prior.dispose();
    vae.dispose();
  }
});
