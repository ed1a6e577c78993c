import * as tf from '@tensorflow/tfjs-core';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import laplaceCdf from '@stdlib/stats-base-dists-laplace-cdf';
import logisticCdf from '@stdlib/stats-base-dists-logistic-cdf';
import { derivative64, expectKSPass, expectMemoryNeutral, expectWithinStandardErrors, summarize } from '@vae/testing';
import { laplaceSample, logisticSample, normalSample } from './index.js';
import { checkMonteCarloGradient, printGradientReport, take } from '../test/oracles.js';

afterAll(printGradientReport);

const n = 10000;
const samplers = [
  { name: 'normalSample', fn: normalSample, cdf: normalCdf, variance: 1 },
  // stdlib's Laplace and logistic take (mu, b) and (mu, s): our scale is their b and s.
  { name: 'laplaceSample', fn: laplaceSample, cdf: laplaceCdf, variance: 2 },
  { name: 'logisticSample', fn: logisticSample, cdf: logisticCdf, variance: Math.PI ** 2 / 3 },
];

describe.each(samplers)('$name', ({ name, fn, cdf, variance }) => {
  it.each([
    [0, 1],
    [-3, 0.01],
    [100, 25],
  ])('passes KS at loc %p, scale %p, and has the right mean and variance', (loc, scale) => {
    const z = take(fn(loc, scale, [n], 1));
    expectKSPass(z, (x) => cdf(x, loc, scale), 1e-4, `${name}(${loc}, ${scale})`);
    const s = summarize(z);
    expectWithinStandardErrors(s.mean, loc, s.standardError, { z: 4.5, label: 'mean' });
    // The variance's standard error is about sigma^2 sqrt((kurtosis - 1) / n); kurtosis <= 6 here.
    expectWithinStandardErrors(s.variance, variance * scale * scale, variance * scale * scale * Math.sqrt(5 / n), {
      z: 4.5,
      label: 'variance',
    });
  });
  it('broadcasts parameters against the shape', () => {
    const z = fn(tf.tensor([0, 1000]), tf.tensor([[1], [2], [3]]), [4, 3, 2], 2);
    expect(z.shape).toEqual([4, 3, 2]);
    z.dispose();
  });
  it('reparameterized gradients: d/dloc E[z] = 1 and d/dscale E[(z - loc)^2] = 2 scale Var', () => {
    checkMonteCarloGradient(
      name,
      n,
      0.7,
      (loc) => fn(loc, 2, [n], 3),
      derivative64((m) => m, 0.7),
      { atol: 1e-6 },
    );
    const truth = derivative64((s) => variance * s * s, 1.5);
    checkMonteCarloGradient(name, n, 1.5, (scale) => tf.square(fn(0, scale, [n], 4)), truth);
  });
  it('is deterministic, memory-neutral (with gradients) and validates', async () => {
    expect(Array.from(take(fn(0, 1, [20], 5)))).toEqual(Array.from(take(fn(0, 1, [20], 5))));
    expect(Array.from(take(fn(0, 1, [20], 5)))).not.toEqual(Array.from(take(fn(0, 1, [20], 6))));
    const scale = tf.tensor([1, 2]);
    await expectMemoryNeutral(() => fn(0, scale, [3, 2], 1));
    await expectMemoryNeutral(() => tf.grad((s: tf.Tensor) => tf.sum(fn(0, s, [3, 2], 1)))(scale));
    scale.dispose();
    expect(() => fn(0, -1, [2])).toThrow(new RegExp(`${name}: scale must be positive`));
    expect(() => fn(NaN, 1, [2])).toThrow(/loc must be finite/);
    expect(() => fn(0, [1, 2, 3], [2])).toThrow(/scale must be broadcastable to the requested shape \[2\]/);
  });
});
