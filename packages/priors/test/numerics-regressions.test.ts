// Issue 15: seed 0 is a seed for the priors' random initial values, and a prior's distribution
// built outside tf.tidy leaves nothing behind once it is disposed.
import * as tf from '@tensorflow/tfjs-core';
import { Independent, Normal } from '@vae/distributions';
import { LearnedNormalPrior, MixtureOfGaussiansPrior, VampPrior } from '@vae/priors';
import type { Prior } from '@vae/priors';

const W = [
  [0.5, -0.2],
  [0.1, 0.8],
  [-0.3, 0.4],
];

describe('priors at the corners of issue 15', () => {
  let w: tf.Tensor;
  beforeAll(() => {
    w = tf.tensor(W);
  });
  afterAll(() => w.dispose());
  // The encoder makes its loc (a matMul) and its scale (from numbers) on every call.
  const encoder = (x: tf.Tensor) =>
    new Independent({
      distribution: new Normal({ loc: tf.matMul(x, w), scale: [0.7, 0.4], validateArgs: false }),
      reinterpretedBatchNdims: 1,
    });
  const makers: [string, () => Prior][] = [
    ['LearnedNormalPrior (softplus)', () => new LearnedNormalPrior({ latentDim: 2 })],
    ['LearnedNormalPrior (exp)', () => new LearnedNormalPrior({ latentDim: 2, scaleTransform: 'exp' })],
    ['MixtureOfGaussiansPrior', () => new MixtureOfGaussiansPrior({ latentDim: 2, numComponents: 3, seed: 1 })],
    ['VampPrior', () => new VampPrior({ encoder, pseudoInputs: { numPseudoInputs: 4, inputDim: 3, seed: 1 } })],
    [
      'VampPrior with a transform',
      () => new VampPrior({ encoder, pseudoInputs: { numPseudoInputs: 4, inputDim: 3, seed: 1 }, pseudoInputTransform: tf.sigmoid }),
    ],
  ];

  it.each(makers)('%s: distribution() outside tf.tidy leaks nothing after dispose(), and still works', (_name, make) => {
    const prior = make();
    const before = tf.memory().numTensors;
    const d = prior.distribution();
    const lp = d.logProb(tf.tensor([[0.1, -0.2]]));
    expect(Number.isFinite(lp.dataSync()[0])).toBe(true);
    lp.dispose();
    d.dispose();
    expect(tf.memory().numTensors - before).toBe(1); // the [[0.1, -0.2]] argument
    // Inside a tidy, gradients still reach the variables.
    const { grads } = tf.variableGrads(
      () => tf.neg(tf.sum(prior.distribution().logProb(tf.tensor([[0.1, -0.2]])))) as tf.Scalar,
      prior.trainableVariables,
    );
    for (const v of prior.trainableVariables) expect(Array.from(grads[v.name].dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose(Object.values(grads));
    prior.dispose();
  });

  it('seed 0 initializes the same means and pseudo-inputs every time (tfjs reads 0 as "no seed")', () => {
    const means = () => {
      const p = new MixtureOfGaussiansPrior({ latentDim: 2, numComponents: 3, seed: 0 });
      const out = Array.from(p.means.dataSync());
      p.dispose();
      return out;
    };
    const pseudo = () => {
      const p = new VampPrior({ encoder, pseudoInputs: { numPseudoInputs: 4, inputDim: 3, seed: 0 } });
      const out = Array.from(p.pseudoInputs.dataSync());
      p.dispose();
      return out;
    };
    expect(means()).toEqual(means());
    expect(pseudo()).toEqual(pseudo());
  });
});
