import * as tf from '@tensorflow/tfjs-core';
import betaCdf from '@stdlib/stats-base-dists-beta-cdf';
import { derivative64, expectClose, expectKSPass, expectMemoryNeutral, expectWithinStandardErrors, summarize } from '@vae/testing';
import { powerSphericalSample, uniformSphereSample } from './index.js';
import { checkMonteCarloGradient, cosineOf, printGradientReport, sphereSamplerChecks, take, unitVector } from '../test/oracles.js';

afterAll(printGradientReport);

/** mu^T z for each row of z (shape [n, d]), read back. */
function cosines(z: tf.Tensor, mu: number[]): Float64Array {
  return take(tf.tidy(() => cosineOf(z, tf.tensor(mu))));
}

describe('uniformSphereSample', () => {
  it('gives unit vectors; in R^3 each coordinate is U(-1, 1) (Archimedes); mean 0 in R^10', () => {
    const x = uniformSphereSample(3, [10000], 1);
    const norms = take(tf.norm(x, 'euclidean', -1));
    norms.forEach((v) => expect(Math.abs(v - 1)).toBeLessThan(1e-5));
    const first = cosines(x, [0, 0, 1]);
    expectKSPass(first, (v) => Math.min(Math.max((v + 1) / 2, 0), 1), 1e-4, 'z_3 on S^2');
    x.dispose();
    const y = take(uniformSphereSample(10, [5000], 2));
    const column = Array.from({ length: 5000 }, (_, i) => y[i * 10 + 4]);
    const s = summarize(column);
    expectWithinStandardErrors(s.mean, 0, s.standardError, { z: 4.5 });
    expectWithinStandardErrors(s.variance, 0.1, 0.1 * Math.sqrt(2 / 5000) * 1.5, { z: 4.5, label: 'variance 1/d' });
  });
  it('validates dim and is memory-neutral', async () => {
    expect(() => uniformSphereSample(0, [2])).toThrow(/uniformSphereSample: dim must be an integer >= 1/);
    expect(() => uniformSphereSample(2.5, [2])).toThrow(/dim/);
    await expectMemoryNeutral(() => uniformSphereSample(4, [3], 1));
  });
});

// (1 + t) / 2 ~ Beta((d-1)/2 + kappa, (d-1)/2), so E[t] = kappa / (kappa + d - 1).
const powerSpherical = sphereSamplerChecks({
  sample: powerSphericalSample,
  cosineCdf: (d, kappa) => (t) => betaCdf((1 + t) / 2, (d - 1) / 2 + kappa, (d - 1) / 2),
  meanCosine: (d, kappa) => kappa / (kappa + d - 1),
});

describe('powerSphericalSample', () => {
  powerSpherical.itMeetsCosineLaw(
    'd = %p, kappa = %p: (1 + mu^T z) / 2 passes KS against Beta((d-1)/2 + kappa, (d-1)/2), E[t] matches (n = %p)',
    'PowerSpherical',
    (d, kappa) => unitVector(d, d + kappa),
    1e-6,
  );
  it.each([
    [3, 2, 10000],
    [16, 10, 5000],
    [200, 50, 600],
  ])('d = %p: d/dkappa E[mu^T z] at kappa %p matches a finite difference of (alpha - beta) / (alpha + beta) (n = %p)', (d, kappa, n) => {
    const mu = tf.tensor(unitVector(d, 3));
    const beta = (d - 1) / 2;
    const truth = derivative64((k) => (k + beta - beta) / (k + 2 * beta), kappa);
    checkMonteCarloGradient(
      'powerSphericalSample (kappa)',
      n,
      kappa,
      (k) => tf.squeeze(tf.matMul(powerSphericalSample(mu, k, [n], 2), tf.reshape(mu, [d, 1])), [1]),
      truth,
    );
    mu.dispose();
  });
  it('the mean-direction gradient of E[v^T z] is E[t] v in the tangent space', () => {
    const d = 4;
    const muValues = unitVector(d, 7);
    const v = [0.5, -1, 0.2, 2];
    const kappa = 5;
    const mu = tf.tensor(muValues);
    const g = take(tf.grad((m: tf.Tensor) => tf.mean(tf.matMul(powerSphericalSample(m, kappa, [5000], 3), tf.tensor(v, [d, 1]))))(mu));
    const meanT = kappa / (kappa + (d - 1));
    const project = (x: ArrayLike<number>) => {
      let dot = 0;
      for (let i = 0; i < d; i++) dot += x[i] * muValues[i];
      return Array.from(x, (xi, i) => xi - dot * muValues[i]);
    };
    const expected = project(v.map((x) => meanT * x));
    expectClose(project(g), expected, { atol: 0.03, label: 'tangential gradient' });
    mu.dispose();
  });
  it('broadcasts a batch of mean directions and concentrations: each batch member has E[t] = kappa / (kappa + d - 1)', () => {
    powerSpherical.expectBatchMeanCosines(5);
  });
  it('is finite (samples and gradients) for kappa from 1e-4 to 1e5 and d up to 1000', () => {
    for (const d of [2, 3, 1000]) powerSpherical.expectFiniteOverConcentrations(d, [30, 4], 4);
  });
  it('is deterministic, memory-neutral (with gradients) and validates', async () => {
    const mu = tf.tensor([0, 1, 0]);
    const kappa = tf.scalar(3);
    expect(Array.from(take(powerSphericalSample(mu, kappa, [10], 5)))).toEqual(Array.from(take(powerSphericalSample(mu, kappa, [10], 5))));
    await expectMemoryNeutral(() => powerSphericalSample(mu, kappa, [10], 5));
    await expectMemoryNeutral(() => tf.grads((m: tf.Tensor, k: tf.Tensor) => tf.sum(powerSphericalSample(m, k, [10], 5)))([mu, kappa]));
    tf.dispose([mu, kappa]);
    expect(() => powerSphericalSample([0, 1], 0, [2])).toThrow(/powerSphericalSample: concentration must be positive/);
    expect(() => powerSphericalSample([0, 1.1], 1, [2])).toThrow(/meanDirection \(its norm\) must be a unit vector/);
    expect(() => powerSphericalSample([1], 1, [2])).toThrow(/dimension d >= 2/);
  });
});
