import normalDist from '@stdlib/stats-base-dists-normal';
import { ksTest } from '@vae/testing';
import { Rng } from './rng.js';

const normalCdf = (x: number) => normalDist.cdf(x, 0, 1);

describe('Rng', () => {
  it('is determined by its seed, and its state alone resumes the stream exactly', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const first = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(first);
    const resumed = new Rng(0);
    resumed.state = a.state;
    expect(Array.from({ length: 5 }, () => resumed.next())).toEqual(Array.from({ length: 5 }, () => a.next()));
    expect(new Rng(43).next()).not.toBe(first[0]);
  });

  it('draws uniforms in [0, 1) that pass a Kolmogorov-Smirnov test, seed 0 included', () => {
    for (const seed of [0, 1, 2 ** 32 - 1]) {
      const rng = new Rng(seed);
      const u = Array.from({ length: 20000 }, () => rng.next());
      expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...u)).toBeLessThan(1);
      expect(ksTest(u, (x) => Math.min(1, Math.max(0, x))).pValue).toBeGreaterThan(1e-3);
    }
  });

  it('draws standard normals (Box-Muller) that pass a KS test, with mean 0 and variance 1', () => {
    const rng = new Rng(7);
    const z = Array.from({ length: 20000 }, () => rng.normal());
    expect(z.every(Number.isFinite)).toBe(true);
    expect(ksTest(z, normalCdf).pValue).toBeGreaterThan(1e-3);
    const mean = z.reduce((a, b) => a + b) / z.length;
    const variance = z.reduce((a, b) => a + (b - mean) ** 2, 0) / (z.length - 1);
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(z.length));
    expect(Math.abs(variance - 1)).toBeLessThan(5 * Math.sqrt(2 / z.length));
  });

  it('permutes 0..n-1, each element landing in each position about equally often', () => {
    const rng = new Rng(3);
    const n = 5;
    const counts = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    const trials = 20000;
    for (let t = 0; t < trials; t++) {
      const p = rng.permutation(n);
      expect([...p].sort()).toEqual([0, 1, 2, 3, 4]);
      p.forEach((value, position) => counts[value][position]++);
    }
    // Each count is Binomial(trials, 1/n): within 5 standard deviations of trials / n.
    const sd = Math.sqrt(trials * (1 / n) * (1 - 1 / n));
    counts.flat().forEach((c) => expect(Math.abs(c - trials / n)).toBeLessThan(5 * sd));
    expect(Array.from(new Rng(1).permutation(0))).toEqual([]);
    expect(Array.from(new Rng(1).permutation(1))).toEqual([0]);
  });
});
