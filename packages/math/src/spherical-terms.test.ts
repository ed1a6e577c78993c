import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectMemoryNeutral } from '@vae/testing';
import { InvalidArgumentError, SPHERICAL_TERMS_KERNEL, sphericalTerm, sphericalTermsHost } from '@vae/math';
import type { SphericalFamily, SphericalQuantity } from '@vae/math';

// Oracles: the mpmath tables of @vae/math (log I_v, I_{v+1} / I_v), of the distributions
// (von Mises-Fisher and Power Spherical log normalizer, entropy, mean norm) and of the KL pairs.
const root = join(__dirname, '../..');
const bessel = JSON.parse(readFileSync(join(root, 'math/test/fixtures/bessel.json'), 'utf8')) as { columns: string[]; points: number[][] };
interface SphereCase {
  d: number;
  kappa: number;
  logC?: number;
  logNorm?: number;
  entropy: number;
  meanNorm: number;
}
const vmfCases = (
  JSON.parse(readFileSync(join(root, 'distributions/test/fixtures/von_mises_fisher.json'), 'utf8')) as { cases: SphereCase[] }
).cases;
const psCases = (
  JSON.parse(readFileSync(join(root, 'distributions/test/fixtures/power_spherical.json'), 'utf8')) as { cases: SphereCase[] }
).cases;
interface KlCase {
  p: { concentration: number; meanDirection: number[] };
  q: { dim: number };
  kl: number;
  grad?: { 'p.concentration': number };
}
const klPairs = (
  JSON.parse(readFileSync(join(root, 'kl/test/fixtures/kl.json'), 'utf8')) as {
    pairs: Record<string, { cases: KlCase[] }>;
  }
).pairs;

function host(family: SphericalFamily, quantity: SphericalQuantity, dim: number, kappa: number): [number, number] {
  const value = new Float64Array(1);
  const derivative = new Float64Array(1);
  sphericalTermsHost(family, quantity, dim, [kappa], value, derivative);
  return [value[0], derivative[0]];
}

/** |actual - expected| / (atol + rtol |expected|), which must stay below 1. */
function overBudget(actual: number, expected: number, rtol: number, atol: number): number {
  return Math.abs(actual - expected) / (atol + rtol * Math.abs(expected));
}

describe('sphericalTermsHost', () => {
  it('gives log 0F1 and A_d as logBesselI and besselIRatio mpmath values do (all fixture points with v = d/2 - 1)', () => {
    const col = (name: string) => bessel.columns.indexOf(name);
    let worst = 0;
    let count = 0;
    for (const row of bessel.points) {
      const v = row[col('v')];
      const x = row[col('x')];
      const d = 2 * v + 2;
      if (!Number.isInteger(d) || x <= 0) continue;
      count++;
      const [a, slope] = host('von-mises-fisher', 'mean-norm', d, x);
      worst = Math.max(worst, overBudget(a, row[col('ratio')], 1e-9, 1e-300), overBudget(slope, row[col('dratio')], 1e-7, 1e-300));
      // kappa + log C_d = kappa - log|S| - L, L = log I_v - v log(x / 2) + lgamma(v + 1): compare with log I.
    }
    expect(count).toBeGreaterThan(50);
    expect(worst).toBeLessThan(1);
  });

  // Each family's tables against the host's three quantities. The shifted log normalizer is
  // kappa + log C_d for von Mises-Fisher and log N - kappa log 2 for Power Spherical (whose table
  // holds -log N).
  it.each([
    {
      title:
        'matches the von Mises-Fisher fixtures: log C_d, entropy, mean norm (relative 1e-9), from kappa = 1e-4 to 1e5 and d = 2 to 1000',
      family: 'von-mises-fisher',
      cases: vmfCases,
      logNormalizer: (shifted: number, c: SphereCase): [number, number] => [shifted - c.kappa, c.logC!],
      entropyTolerance: (): number => 1e-9,
    },
    {
      title:
        'matches the Power Spherical fixtures: log N (the table holds -log N), entropy, mean norm (relative 1e-9; entropy 1e-10 absolute at kappa <= 1e4, 2e-11 relative beyond)',
      family: 'power-spherical',
      cases: psCases,
      logNormalizer: (shifted: number, c: SphereCase): [number, number] => [shifted + c.kappa * Math.LN2, -c.logNorm!],
      entropyTolerance: (kappa: number): number => (kappa > 1e4 ? 2e-11 : 1e-10),
    },
  ] as const)('$title', ({ family, cases, logNormalizer, entropyTolerance }) => {
    let worst = 0;
    for (const c of cases) {
      const [shifted] = host(family, 'shifted-log-normalizer', c.d, c.kappa);
      const [entropy] = host(family, 'entropy', c.d, c.kappa);
      const [meanNorm] = host(family, 'mean-norm', c.d, c.kappa);
      const [logNormalizerGot, logNormalizerWant] = logNormalizer(shifted, c);
      const entropyTol = entropyTolerance(c.kappa);
      worst = Math.max(
        worst,
        overBudget(logNormalizerGot, logNormalizerWant, 1e-9, 1e-9),
        overBudget(entropy, c.entropy, entropyTol, entropyTol),
        overBudget(meanNorm, c.meanNorm, 1e-9, 1e-300),
      );
    }
    expect(worst).toBeLessThan(1);
  });

  it.each([
    ['von-mises-fisher', 'VonMisesFisher||HypersphericalUniform'],
    ['power-spherical', 'PowerSpherical||HypersphericalUniform'],
  ] as const)('gives the %s KL to the uniform and its derivative as the mpmath/torch table does (relative 1e-8)', (family, pair) => {
    let worst = 0;
    for (const c of klPairs[pair].cases) {
      const [kl, slope] = host(family, 'kl-uniform', c.q.dim, c.p.concentration);
      worst = Math.max(worst, overBudget(kl, c.kl, 1e-8, 1e-300));
      if (c.grad) worst = Math.max(worst, overBudget(slope, c.grad['p.concentration'], 1e-7, 1e-300));
    }
    expect(worst).toBeLessThan(1);
  });

  it('derivatives agree with central differences of the values (float64), for every quantity', () => {
    for (const family of ['von-mises-fisher', 'power-spherical'] as const) {
      for (const quantity of ['kl-uniform', 'entropy', 'shifted-log-normalizer', 'mean-norm'] as const) {
        for (const d of [2, 3, 11, 64, 512]) {
          for (const kappa of [0.3, 0.999, 1.001, 5, 19.99, 20.01, 150, 3000]) {
            // Steps of 1e-4 kappa: truncation ~1e-8 relative, rounding of values up to ~1e3 ~1e-8.
            const h = 1e-4 * kappa;
            const fd = (host(family, quantity, d, kappa + h)[0] - host(family, quantity, d, kappa - h)[0]) / (2 * h);
            const [, slope] = host(family, quantity, d, kappa);
            expect(overBudget(slope, fd, 1e-6, 1e-8)).toBeLessThan(1);
          }
        }
      }
    }
  });

  // The jump at the switch is the truncation error of the uniform expansion at S = 20 (~2e-10).
  it('is continuous across its regime switches (kappa = 20 for the von Mises-Fisher, (d - 1) / 10 for the Power Spherical KL)', () => {
    for (const d of [2, 3, 11, 64, 512]) {
      for (const quantity of ['kl-uniform', 'entropy', 'shifted-log-normalizer', 'mean-norm'] as const) {
        const below = host('von-mises-fisher', quantity, d, 20 * (1 - 1e-12));
        const above = host('von-mises-fisher', quantity, d, 20);
        expect(overBudget(below[0], above[0], 1e-9, 1e-9)).toBeLessThan(1);
        expect(overBudget(below[1], above[1], 1e-9, 1e-9)).toBeLessThan(1);
      }
      const switchAt = (0.2 * (d - 1)) / 2;
      const below = host('power-spherical', 'kl-uniform', d, switchAt * (1 - 1e-12));
      const above = host('power-spherical', 'kl-uniform', d, switchAt);
      expect(overBudget(below[0], above[0], 1e-10, 1e-12)).toBeLessThan(1);
    }
  });

  it("is exact at kappa = 0 for the von Mises-Fisher: KL 0, entropy log|S^{d-1}|, A = 0, A' = 1/d", () => {
    expect(host('von-mises-fisher', 'kl-uniform', 3, 0)).toEqual([0, 0]);
    expect(host('von-mises-fisher', 'entropy', 3, 0)[0]).toBeCloseTo(Math.log(4 * Math.PI), 13);
    const [a, slope] = host('von-mises-fisher', 'mean-norm', 5, 0);
    expect(a).toBe(0);
    expect(slope).toBeCloseTo(0.2, 15);
  });
});

describe('sphericalTerm', () => {
  it('returns undefined where the backend has no such kernel (the caller then uses its tfjs formulas)', () => {
    expect(tf.getKernel(SPHERICAL_TERMS_KERNEL, tf.getBackend())).toBeUndefined();
    expect(sphericalTerm('von-mises-fisher', 'kl-uniform', 3, tf.tensor([1]))).toBeUndefined();
  });

  it('runs a registered kernel as a differentiable op: value and gradient, memory-neutral', async () => {
    // The kernel below is written against the cpu backend's storage, so the test runs there
    // whichever backend the suite uses.
    const previous = tf.getBackend();
    await tf.setBackend('cpu');
    tf.registerKernel({
      kernelName: SPHERICAL_TERMS_KERNEL,
      backendName: 'cpu',
      // The cpu backend's own storage, as a backend package would register it.
      kernelFunc: ({ inputs, attrs, backend }) => {
        const cpu = backend as unknown as {
          data: { get(id: object): { values: Float32Array } };
          makeTensorInfo(shape: number[], dtype: string, values: Float32Array): tf.TensorInfo;
        };
        const x = inputs.x!;
        const { family, quantity, dim } = attrs as unknown as {
          family: SphericalFamily;
          quantity: SphericalQuantity;
          dim: number;
        };
        const size = tf.util.sizeFromShape(x.shape);
        const value = new Float32Array(size);
        const slope = new Float32Array(size);
        sphericalTermsHost(family, quantity, dim, cpu.data.get(x.dataId).values, value, slope);
        return [cpu.makeTensorInfo(x.shape, 'float32', value), cpu.makeTensorInfo(x.shape, 'float32', slope)];
      },
    });
    try {
      const kappa = tf.tensor([0.5, 30]);
      const kl = sphericalTerm('von-mises-fisher', 'kl-uniform', 3, kappa)!;
      const expected = [0.5, 30].map((k) => host('von-mises-fisher', 'kl-uniform', 3, k));
      expect(Array.from(kl.dataSync())).toEqual(expected.map(([v]) => Math.fround(v)));
      const g = tf.grad((k: tf.Tensor) => tf.sum(tf.mul(sphericalTerm('von-mises-fisher', 'kl-uniform', 3, k)!, tf.tensor([1, 2]))))(kappa);
      expect(Array.from(g.dataSync())).toEqual([Math.fround(expected[0][1]), Math.fround(2 * Math.fround(expected[1][1]))]);
      await expectMemoryNeutral(() => sphericalTerm('power-spherical', 'entropy', 5, kappa));
      tf.dispose([kappa, kl, g]);
    } finally {
      tf.unregisterKernel(SPHERICAL_TERMS_KERNEL, 'cpu');
      await tf.setBackend(previous);
    }
  });

  it('names the argument on a bad family, quantity or dimension', () => {
    const k = tf.tensor([1]);
    expect(() => sphericalTerm('gaussian' as SphericalFamily, 'entropy', 3, k)).toThrow(InvalidArgumentError);
    expect(() => sphericalTerm('von-mises-fisher', 'mode' as SphericalQuantity, 3, k)).toThrow(/quantity/);
    expect(() => sphericalTerm('von-mises-fisher', 'entropy', 1.5, k)).toThrow(/dim/);
    k.dispose();
  });
});
