// Cost of each prior's log density (forward and forward + gradient) for a batch of latents on the
// cpu backend. Run with `npm run bench` (tsx). Each figure is the median of several timed runs.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs';
import { Independent, Normal } from '@vae/distributions';
import { HypersphericalUniformPrior, LearnedNormalPrior, MixtureOfGaussiansPrior, StandardNormalPrior, VampPrior } from '../src/index.js';
import type { Prior } from '../src/index.js';
import { medianMs } from '../../../tools/bench/timing.js';

const BATCH = 256;
const LATENT = 16;
const REPEATS = 15;

const time = (fn: () => tf.Tensor): number => medianMs(REPEATS, fn);

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  const encoderWeights = tf.variable(tf.randomNormal([784, LATENT], 0, 0.01, 'float32', 1));
  const encoder = (x: tf.Tensor) =>
    new Independent({
      distribution: new Normal({ loc: tf.matMul(x, encoderWeights), scale: 0.5, validateArgs: false }),
      reinterpretedBatchNdims: 1,
    });
  const priors: [string, Prior, tf.Tensor][] = [
    ['StandardNormalPrior', new StandardNormalPrior({ latentDim: LATENT }), tf.randomNormal([BATCH, LATENT], 0, 1, 'float32', 2)],
    ['LearnedNormalPrior', new LearnedNormalPrior({ latentDim: LATENT }), tf.randomNormal([BATCH, LATENT], 0, 1, 'float32', 2)],
    [
      'MixtureOfGaussiansPrior K=10',
      new MixtureOfGaussiansPrior({ latentDim: LATENT, numComponents: 10, seed: 1 }),
      tf.randomNormal([BATCH, LATENT], 0, 1, 'float32', 2),
    ],
    [
      'VampPrior K=50 (784-d inputs)',
      new VampPrior({ encoder, pseudoInputs: { numPseudoInputs: 50, inputDim: 784, seed: 1 } }),
      tf.randomNormal([BATCH, LATENT], 0, 1, 'float32', 2),
    ],
    [
      'HypersphericalUniformPrior',
      new HypersphericalUniformPrior({ dim: LATENT }),
      tf.tidy(() => {
        const g = tf.randomNormal([BATCH, LATENT], 0, 1, 'float32', 2);
        return tf.div(g, tf.norm(g, 'euclidean', -1, true));
      }),
    ],
  ];
  console.log(`log p(z) for z of shape [${BATCH}, ${LATENT}], cpu backend, median of ${REPEATS} runs`);
  for (const [name, prior, z] of priors) {
    const forward = time(() => tf.tidy(() => prior.distribution().logProb(z)));
    const vars = prior.trainableVariables;
    const backward = vars.length
      ? time(() =>
          tf.tidy(() => {
            const { value, grads } = tf.variableGrads(() => tf.sum(prior.distribution().logProb(z)) as tf.Scalar, vars);
            tf.dispose(Object.values(grads));
            return value;
          }),
        )
      : NaN;
    console.log(
      `${name.padEnd(32)} forward ${forward.toFixed(2)} ms   forward + gradient ${
        Number.isNaN(backward) ? '(no variables)' : `${backward.toFixed(2)} ms`
      }`,
    );
    prior.dispose();
    z.dispose();
  }
  encoderWeights.dispose();
}

void main();
