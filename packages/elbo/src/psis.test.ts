import { expectClose } from '@vae/testing';
import { effectiveSampleSize, fitGeneralizedPareto, paretoKHat } from './index.js';

/** A seeded uniform generator (Park-Miller), so the draws are the same on every machine. */
function uniforms(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647;
  };
}

/** GPD(k, sigma) draws by inversion: x = sigma ((1 - u)^(-k) - 1) / k. */
function gpdSample(n: number, k: number, sigma: number, seed: number): number[] {
  const u = uniforms(seed);
  return Array.from({ length: n }, () => (k === 0 ? -sigma * Math.log(1 - u()) : (sigma * (Math.pow(1 - u(), -k) - 1)) / k));
}

describe('PSIS diagnostics', () => {
  it.each([
    [0.2, 1],
    [0.5, 2],
    [0.9, 0.5],
    [-0.3, 1],
  ])('fitGeneralizedPareto recovers the shape k = %f (seeded GPD draws, n = 2000)', (k, sigma) => {
    const fit = fitGeneralizedPareto(gpdSample(2000, k, sigma, 17));
    // The weakly informative prior pulls k toward 0.5 by 10 / (n + 10) of the distance.
    expect(Math.abs(fit.k - k)).toBeLessThan(0.08);
    expect(Math.abs(fit.sigma / sigma - 1)).toBeLessThan(0.15);
  });

  it('fitGeneralizedPareto is scale-equivariant and order-free', () => {
    const x = gpdSample(500, 0.4, 1, 3);
    const a = fitGeneralizedPareto(x);
    const b = fitGeneralizedPareto(x.map((v) => 7 * v).reverse());
    expectClose(b.k, a.k, { rtol: 1e-10 });
    expectClose(b.sigma, 7 * a.sigma, { rtol: 1e-10 });
  });

  it('paretoKHat: light-tailed weights < 0.5, weights with infinite variance > 0.7', () => {
    const u = uniforms(5);
    const normal = () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
    // log w ~ N(0, 0.25): lognormal weights with a light tail.
    const light = Array.from({ length: 5000 }, () => 0.5 * normal());
    // w = Pareto with tail index 1/1.2 (log w = 1.2 * Exp(1) plus noise-free): k = 1.2.
    const heavy = Array.from({ length: 5000 }, () => -1.2 * Math.log(u()));
    const kLight = paretoKHat(light);
    const kHeavy = paretoKHat(heavy);
    console.log(`[PSIS] k-hat: lognormal(0.5) weights ${kLight.toFixed(3)}, Pareto(k = 1.2) weights ${kHeavy.toFixed(3)}`);
    expect(kLight).toBeLessThan(0.5);
    expect(kHeavy).toBeGreaterThan(0.7);
    expect(Math.abs(kHeavy - 1.2)).toBeLessThan(0.25);
    // Shifting every log weight changes nothing.
    expectClose(paretoKHat(heavy.map((v) => v - 1000)), kHeavy, { rtol: 1e-6 });
    expect(paretoKHat([0, 1, 2])).toBeNaN(); // too few samples for a tail
  });

  it('effectiveSampleSize = (sum w)^2 / sum w^2, computed in log space', () => {
    const logW = [0.1, -2, 3, 0.5, -700];
    const w = logW.map(Math.exp);
    const direct = w.reduce((a, v) => a + v, 0) ** 2 / w.reduce((a, v) => a + v * v, 0);
    expectClose(effectiveSampleSize(logW), direct, { rtol: 1e-12 });
    // Far outside the float64 range of exp, still fine.
    expectClose(effectiveSampleSize(logW.map((v) => v + 5000)), direct, { rtol: 1e-12 });
    expect(effectiveSampleSize([0, 0, 0, 0])).toBeCloseTo(4, 12);
  });
});
