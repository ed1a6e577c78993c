import * as tf from '@tensorflow/tfjs-core';
import { stopGradient } from '@vae/math';
import { derivative64, expectClose, expectMemoryNeutral, expectWithinStandardErrors, summarize } from '@vae/testing';
import { vonMisesFisherSample, vonMisesFisherSampleWithCorrection } from './index.js';
import {
  checkMonteCarloGradient,
  cosineOf,
  printGradientReport,
  recordGradientError,
  sphereSamplerChecks,
  take,
  unitVector,
  vmfCosineCdf,
  vmfMeanCosine,
} from '../test/oracles.js';

afterAll(printGradientReport);

const vonMisesFisher = sphereSamplerChecks({ sample: vonMisesFisherSample, cosineCdf: vmfCosineCdf, meanCosine: vmfMeanCosine });

describe('vonMisesFisherSample: distribution of w = mu^T z', () => {
  const title = 'd = %p, kappa = %p: KS against the quadrature CDF and E[w] = A_d(kappa) (n = %p)';
  vonMisesFisher.itMeetsCosineLaw(title, 'vMF', (d, kappa) => unitVector(d, d * 7 + kappa), 2e-6);
});

describe('vonMisesFisherSample: gradients', () => {
  it.each([0.5, 5, 50])("d = 3 (exact inverse CDF): d/dkappa E[w] = A_3'(kappa) at kappa %p", (kappa) => {
    const n = 5000;
    const mu = tf.tensor(unitVector(3, 1));
    const truth = derivative64((k) => vmfMeanCosine(3, k), kappa);
    checkMonteCarloGradient('vonMisesFisherSample d=3 (kappa)', n, kappa, (k) => cosineOf(vonMisesFisherSample(mu, k, [n], 2), mu), truth);
    mu.dispose();
  });
  // d = 10 is the costliest case: CI (VAE_SLOW_TESTS=1) runs it, the quick suite the first two.
  it.each([[2, 1], [5, 2], ...(process.env.VAE_SLOW_TESTS ? [[10, 20]] : [])])(
    'd = %p, kappa = %p: g_rep + g_cor matches d/dkappa A_d; the score identity E[d/dkappa logCorrection] = 0 holds',
    (d, kappa) => {
      const n = 4000;
      const mu = tf.tensor(unitVector(d, 2));
      const truth = derivative64((k) => vmfMeanCosine(d, k), kappa);
      // Surrogate whose gradient is g_rep + g_cor (see vonMisesFisherSampleWithCorrection's TSDoc).
      checkMonteCarloGradient(
        'vonMisesFisherSample d!=3 (kappa, g_rep + g_cor)',
        n,
        kappa,
        (k) => {
          const { sample, logCorrection } = vonMisesFisherSampleWithCorrection(mu, k, [n], 3);
          const w = cosineOf(sample, mu);
          return tf.add(w, tf.mul(stopGradient(w), logCorrection));
        },
        truth,
      );
      // logCorrection is log pi(eps | kappa) up to kappa-free terms, so its kappa-derivative is a score.
      const score = take(
        tf.tidy(() =>
          tf.grad((k: tf.Tensor) => tf.sum(vonMisesFisherSampleWithCorrection(mu, k, [n], 4).logCorrection))(tf.fill([n], kappa)),
        ),
      );
      const s = summarize(score);
      expectWithinStandardErrors(s.mean, 0, s.standardError, { z: 4.5, label: 'E[d/dkappa logCorrection]' });
      // g_rep alone is biased by -E[w (d/dkappa log q/r)]; print how much, for the record.
      const rep = tf.tidy(() => tf.grad((k: tf.Tensor) => tf.sum(cosineOf(vonMisesFisherSample(mu, k, [n], 3), mu)))(tf.fill([n], kappa)));
      const repMean = summarize(take(rep)).mean;
      console.log(
        `vMF d=${d} kappa=${kappa}: g_rep alone ${repMean.toFixed(5)}, exact ${truth.toFixed(5)} (relative bias ${(
          Math.abs(repMean - truth) / truth
        ).toExponential(2)})`,
      );
      mu.dispose();
    },
  );
  it.each([
    [3, 0.01],
    [3, 2],
    [3, 100],
    [5, 0.01],
    [5, 3],
    [64, 40],
  ])('pointwise (no Monte Carlo): dw/dkappa at fixed noise matches a float64 finite difference, d = %p, kappa = %p', (d, kappa) => {
    // Recover each sample's noise from w in float64 (u for d = 3, the accepted eps otherwise) and
    // differentiate the map w(noise, kappa) numerically; compare with tf.grad per element.
    const n = 200;
    const mu = tf.tensor(unitVector(d, 4));
    const [wT, gT] = tf.tidy(() => {
      const k = tf.fill([n], kappa);
      const f = (kk: tf.Tensor) => cosineOf(vonMisesFisherSample(mu, kk, [n], 14), mu);
      return [f(k), tf.grad((kk: tf.Tensor) => tf.sum(f(kk)))(k)];
    });
    const w = take(wT);
    const g = take(gT);
    const bOf = (k: number) => (d - 1) / (2 * k + Math.sqrt(4 * k * k + (d - 1) ** 2));
    let worst = 0;
    for (let i = 0; i < n; i++) {
      let map: (k: number) => number;
      if (d === 3) {
        const u = (Math.exp(kappa * (w[i] - 1)) - Math.exp(-2 * kappa)) / -Math.expm1(-2 * kappa);
        map = (k) => 1 + Math.log(u + (1 - u) * Math.exp(-2 * k)) / k;
      } else {
        const b = bOf(kappa);
        const eps = (1 - w[i]) / (1 + b - (1 - b) * w[i]);
        map = (k) => (1 - (1 + bOf(k)) * eps) / (1 - (1 - bOf(k)) * eps);
      }
      const expected = derivative64(map, kappa);
      const scale = Math.max(Math.abs(expected), 1e-3 / kappa);
      worst = Math.max(worst, Math.abs(g[i] - expected) / scale);
    }
    recordGradientError(`vonMisesFisherSample pointwise dw/dkappa (d=${d === 3 ? 3 : 'Wood'})`, worst);
    expect(worst).toBeLessThan(5e-3);
    mu.dispose();
  });
  it('the mean-direction gradient of E[v^T z] is A_d(kappa) v in the tangent space', () => {
    const d = 5;
    const kappa = 4;
    const muValues = unitVector(d, 5);
    const v = [0.5, -1, 0.2, 2, 1];
    const mu = tf.tensor(muValues);
    const g = take(tf.grad((m: tf.Tensor) => tf.mean(tf.matMul(vonMisesFisherSample(m, kappa, [6000], 5), tf.tensor(v, [d, 1]))))(mu));
    const a = vmfMeanCosine(d, kappa);
    const project = (x: ArrayLike<number>) => {
      let dot = 0;
      for (let i = 0; i < d; i++) dot += x[i] * muValues[i];
      return Array.from(x, (xi, i) => xi - dot * muValues[i]);
    };
    expectClose(project(g), project(v.map((x) => a * x)), { atol: 0.03, label: 'tangential gradient' });
    mu.dispose();
  });
});

describe('vonMisesFisherSample: extremes, determinism, memory, validation', () => {
  it('is finite (samples and gradients) for kappa from 1e-4 to 1e5 and d from 2 to 1000; E[w] ~ 1 - (d-1)/(2 kappa) at 1e5', () => {
    for (const d of [2, 3, 64, 1000]) {
      const n = d === 1000 ? 16 : 50;
      vonMisesFisher.expectFiniteOverConcentrations(d, [n, 4], 6, (z, mu) => {
        const w = take(tf.squeeze(tf.matMul(tf.reshape(z, [n * 4, d]), tf.reshape(mu, [d, 1])), [1]));
        const big = Array.from({ length: n }, (_, i) => w[i * 4 + 3]);
        const meanBig = big.reduce((x, y) => x + y) / n;
        // 1 - w has mean ~(d-1)/(2 kappa) and relative spread sqrt(2/(d-1)); float32 resolves w to 6e-8.
        expect(Math.abs(1 - meanBig - (d - 1) / 2e5)).toBeLessThan(5 * Math.sqrt(2 / (d - 1) / n) * ((d - 1) / 2e5) + 3e-7);
      });
    }
  });
  it('broadcasts a batch of mean directions and concentrations: each batch member has E[w] = A_d(kappa)', () => {
    for (const d of [3, 5]) vonMisesFisher.expectBatchMeanCosines(d);
  });
  it('is stable when mu is e1 or -e1 (the Householder map does not degenerate)', () => {
    for (const mu of [
      [1, 0, 0, 0],
      [-1, 0, 0, 0],
    ]) {
      const z = take(vonMisesFisherSample(mu, 10, [2000], 7));
      let mean = 0;
      for (let i = 0; i < 2000; i++) mean += z[4 * i] * mu[0];
      expect(Math.abs(mean / 2000 - vmfMeanCosine(4, 10))).toBeLessThan(0.01);
    }
  });
  it('is deterministic by seed, memory-neutral (with gradients) and validates', async () => {
    const mu = tf.tensor([0.6, 0, 0.8]);
    const mu5 = tf.tensor(unitVector(5, 3));
    const kappa = tf.scalar(3);
    for (const m of [mu, mu5]) {
      expect(Array.from(take(vonMisesFisherSample(m, kappa, [20], 8)))).toEqual(Array.from(take(vonMisesFisherSample(m, kappa, [20], 8))));
      expect(Array.from(take(vonMisesFisherSample(m, kappa, [20], 8)))).not.toEqual(
        Array.from(take(vonMisesFisherSample(m, kappa, [20], 9))),
      );
      await expectMemoryNeutral(() => vonMisesFisherSample(m, kappa, [10], 1));
      await expectMemoryNeutral(() => vonMisesFisherSampleWithCorrection(m, kappa, [10], 1));
      await expectMemoryNeutral(() => tf.grads((a: tf.Tensor, k: tf.Tensor) => tf.sum(vonMisesFisherSample(a, k, [10], 1)))([m, kappa]));
    }
    const { sample } = vonMisesFisherSampleWithCorrection(mu5, kappa, [20], 8);
    expect(Array.from(take(sample))).toEqual(Array.from(take(vonMisesFisherSample(mu5, kappa, [20], 8))));
    tf.dispose([mu, mu5, kappa]);
    expect(() => vonMisesFisherSample([0, 1], 0, [2])).toThrow(/vonMisesFisherSample: concentration must be positive/);
    expect(() => vonMisesFisherSample([0, 1], -1, [2])).toThrow(/concentration/);
    expect(() => vonMisesFisherSample([0.5, 0.5], 1, [2])).toThrow(/meanDirection \(its norm\) must be a unit vector/);
    expect(() => vonMisesFisherSample([1], 1, [2])).toThrow(/d >= 2/);
    expect(() => vonMisesFisherSample([1, 0], 1, [2, 0.5])).toThrow(/shape/);
  });
});
