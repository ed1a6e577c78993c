// Cost of the bounds on a small dense VAE (784 -> 200 -> 16 latents -> 200 -> 784 Bernoulli pixels,
// batch 64) on the cpu backend, and the chunked log p(x) estimate at k = 2000 (4 examples) for two
// chunk sizes (the cpu backend is slow; the evaluation protocol's k = 5000 scales linearly).
// Run with `npm run bench` (tsx). Each training-step figure is the median of several timed runs.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs';
import { Independent, Normal } from '@vae/distributions';
import { MixtureOfGaussiansPrior, StandardNormalPrior } from '@vae/priors';
import type { Prior } from '@vae/priors';
import { bernoulliLikelihood, elbo, iwaeBound, logMarginalLikelihood } from '../src/index.js';
import { medianMs } from '../../../tools/bench/timing.js';

const BATCH = 64;
const LATENT = 16;
const HIDDEN = 200;
const REPEATS = 3;

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  const v = (shape: number[], seed: number) => tf.variable(tf.randomNormal(shape, 0, 0.05, 'float32', seed));
  const [e1, e2, d1, d2] = [v([784, HIDDEN], 1), v([HIDDEN, 2 * LATENT], 2), v([LATENT, HIDDEN], 3), v([HIDDEN, 784], 4)];
  const variables = [e1, e2, d1, d2];
  const x = tf.tidy(() => tf.cast(tf.greater(tf.randomUniform([BATCH, 784], 0, 1, 'float32', 5), 0.7), 'float32'));
  const encoder = (data: tf.Tensor) => {
    const [loc, raw] = tf.split(tf.matMul(tf.relu(tf.matMul(data, e1)), e2), 2, -1);
    return new Independent({ distribution: new Normal({ loc, scale: tf.softplus(raw), validateArgs: false }), reinterpretedBatchNdims: 1 });
  };
  const likelihood = (z: tf.Tensor) => {
    const [s, b] = z.shape;
    const logits = tf.matMul(tf.relu(tf.matMul(tf.reshape(z, [-1, LATENT]), d1)), d2);
    return bernoulliLikelihood(tf.reshape(logits, [s, b, 784]), { validateArgs: false });
  };
  const step = (objective: () => tf.Tensor): number =>
    medianMs(REPEATS, () => {
      const { value, grads } = tf.variableGrads(() => tf.neg(tf.mean(objective())) as tf.Scalar, variables);
      tf.dispose(Object.values(grads));
      return value;
    });
  const standard: Prior = new StandardNormalPrior({ latentDim: LATENT });
  const mixture: Prior = new MixtureOfGaussiansPrior({ latentDim: LATENT, numComponents: 10, seed: 1 });
  const terms = (prior: Prior) => ({ x, posterior: encoder(x), prior, likelihood });
  console.log(`one gradient step, batch ${BATCH}, cpu backend, median of ${REPEATS} (ms):`);
  const rows: [string, () => tf.Tensor][] = [
    ['elbo, N(0, I), MC KL, 1 sample', () => elbo(terms(standard), { kl: 'monteCarlo', seed: 1 }).elbo],
    ['elbo, N(0, I), STL, 1 sample', () => elbo(terms(standard), { gradientEstimator: 'stl', seed: 1 }).elbo],
    ['elbo, mixture K=10, 1 sample', () => elbo(terms(mixture), { seed: 1 }).elbo],
    ['iwaeBound k=10', () => iwaeBound(terms(standard), { numSamples: 10, seed: 1 })],
    ['iwaeBound k=10, DReG', () => iwaeBound(terms(standard), { numSamples: 10, seed: 1, gradientEstimator: 'dreg' })],
  ];
  for (const [name, objective] of rows) console.log(`  ${name.padEnd(34)} ${step(() => tf.tidy(objective)).toFixed(1)}`);
  const evalX = tf.slice(x, [0, 0], [4, 784]);
  console.log('logMarginalLikelihood, k = 2000, 4 examples (s, peak tensor bytes):');
  for (const chunkSize of [100, 1000]) {
    const t0 = performance.now();
    let r: Awaited<ReturnType<typeof logMarginalLikelihood>> | undefined;
    const info = await tf.profile(async () => {
      r = await logMarginalLikelihood(evalX, { encoder, prior: standard, likelihood, numSamples: 2000, chunkSize, seed: 1 });
    });
    if (!r) throw new Error('no result');
    const flagged = r.unreliable.filter(Boolean).length;
    console.log(
      `  chunkSize ${String(chunkSize).padEnd(5)} ${((performance.now() - t0) / 1000).toFixed(1)} s, peak ${(info.peakBytes / 1e6).toFixed(
        1,
      )} MB of tensors, ` + `mean log p(x) ${r.meanLogLikelihood.toFixed(2)}, ${flagged}/4 flagged k-hat > 0.7`,
    );
  }
  tf.dispose([...variables, x, evalX]);
  standard.dispose();
  mixture.dispose();
}

void main();
