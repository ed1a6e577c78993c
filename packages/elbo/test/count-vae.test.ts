// A tiny run of the count-data study (bench/count-vae.ts; the full one is bench/count-vae-study.ts,
// reported in docs/guides/likelihoods.md): both likelihoods train and give finite figures, the same
// seed gives the same figures, and nothing leaks.
import * as tf from '@tensorflow/tfjs-core';
import { linearR2, runCountStudy, syntheticCounts, DEFAULT_COUNT_STUDY } from '../bench/count-vae.js';

const tiny = { cells: 40, genes: 10, steps: 4, batchSize: 16, hidden: 8, seed: 3 };

describe('count-data study (tiny)', () => {
  it('trains the ZINB and the Gaussian VAE to finite figures, reproducibly, without leaking', () => {
    const before = tf.memory().numTensors;
    for (const likelihood of ['zinb', 'gaussian'] as const) {
      const r = runCountStudy(likelihood, tiny);
      expect(Number.isFinite(r.latentR2) && r.latentR2 <= 1).toBe(true);
      expect(Number.isFinite(r.meanAbsLogError) && r.meanAbsLogError >= 0).toBe(true);
      expect(Number.isFinite(r.finalLoss)).toBe(true);
      if (likelihood === 'zinb') {
        const again = runCountStudy(likelihood, tiny);
        expect([again.latentR2, again.meanAbsLogError, again.finalLoss]).toEqual([r.latentR2, r.meanAbsLogError, r.finalLoss]);
      }
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('draws counts whose NB means are library size times the expression shares', () => {
    const data = syntheticCounts({ ...DEFAULT_COUNT_STUDY, ...tiny, cells: 120 });
    tf.tidy(() => {
      const counts = data.counts.arraySync();
      expect(counts.flat().every((v) => Number.isInteger(v) && v >= 0)).toBe(true);
      // Zero inflation and NB noise lower and scatter the counts, but the total tracks sum_g mu.
      const observed = tf.sum(data.counts).arraySync() as number;
      const expected = tf.sum(data.trueMean).arraySync() as number;
      expect(observed / expected).toBeGreaterThan(0.75);
      expect(observed / expected).toBeLessThan(1);
    });
    tf.dispose([data.counts, data.library, data.z, data.trueMean]);
  });

  it('linearR2 is 1 for an exact affine map and about 0 for noise', () => {
    const x = Array.from({ length: 50 }, (_, i) => [Math.sin(i), Math.cos(3 * i)]);
    const y = x.map(([a, b]) => [2 * a - b + 1, 0.5 * b - 3]);
    expect(linearR2(x, y, x, y)).toBeCloseTo(1, 6);
    const noise = x.map((_, i) => [Math.sin(17.3 * i * i), Math.cos(11.1 * i * i)]);
    expect(Math.abs(linearR2(x.slice(0, 25), noise.slice(0, 25), x.slice(25), noise.slice(25)))).toBeLessThan(0.5);
  });
});
