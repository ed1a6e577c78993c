import * as tf from '@tensorflow/tfjs-core';
import { derivative64, expectClose, expectFinite, expectWithinStandardErrors, summarize } from '@vae/testing';
import { VonMisesFisher } from './index.js';
import { closedForms, directionalSuite, dot64, expectEachFinite, expectSampleMoments } from '../test/directional-suite.js';

interface VmfCase {
  d: number;
  kappa: number;
  logC: number;
  entropy: number;
  meanNorm: number;
  varT: number;
  varPerp: number;
}
type VmfFixture = { cases: VmfCase[]; uniform: { d: number; logArea: number }[] };
const suite = directionalSuite<VmfFixture>(VonMisesFisher, { fixture: 'von_mises_fisher.json', oracle: 'mpmath', points: [1.7, 0.1, 0.4] });
const { fixture, unitVector, pointsAt, record } = suite;

describe('VonMisesFisher against mpmath (50 digits)', () => {
  it.each(suite.byDimension)('d = %i: logNormalizer, entropy, mean, variance over kappa 1e-4 .. 1e5', (d, cases) => {
    const mu = unitVector(d, 0.3);
    const vmf = new VonMisesFisher({ meanDirection: mu, concentration: cases.map((c) => c.kappa) });
    const { logNormalizer: logC, entropy, mean, variance } = closedForms(vmf);
    cases.forEach((c, k) => {
      record('logNormalizer', c, logC[k], c.logC, 1);
      record('entropy', c, entropy[k], c.entropy, 1);
      const meanNorm = dot64(mean[k], mu);
      record('mean', c, meanNorm, c.meanNorm, 1e-6);
      const varianceMu = dot64(
        variance[k],
        mu.map((m) => m * m),
      );
      const trueVarianceMu = dot64(
        mu.map((m) => m * m),
        mu.map((m) => c.varPerp + (c.varT - c.varPerp) * m * m),
      );
      record('variance', c, varianceMu, trueVarianceMu, 1e-6);
      // Tolerances: relative to max(|truth|, 1) for the log-scale quantities.
      expect(Math.abs(logC[k] - c.logC)).toBeLessThanOrEqual(2e-6 * Math.max(Math.abs(c.logC), 1) + (c.kappa >= 1e4 ? 0.05 : 1e-4));
      expect(Math.abs(entropy[k] - c.entropy)).toBeLessThanOrEqual(
        2e-6 * Math.max(Math.abs(c.entropy), 1) + (c.kappa >= 1e4 ? 0.05 : 1e-4),
      );
      expect(Math.abs(meanNorm - c.meanNorm)).toBeLessThanOrEqual(1e-5 * c.meanNorm + 1e-7);
      expect(variance[k].every((v) => v >= 0)).toBe(true);
      expect(Math.abs(varianceMu - trueVarianceMu)).toBeLessThanOrEqual(1e-4 * trueVarianceMu + 1e-6);
    });
    vmf.dispose();
  });

  it.each(suite.byDimension)('d = %i: logProb at cosines from -1 to 1 (oracle kappa (t - 1) + (kappa + log C) in float64)', (d, cases) => {
    const mu = unitVector(d, 1.1);
    const cosines = [-1, -0.5, 0, 0.9, 0.999, 1];
    const xs = pointsAt(mu, cosines);
    const vmf = new VonMisesFisher({ meanDirection: mu, concentration: cases.map((c) => [c.kappa]) as unknown as number[][] });
    const lp = vmf.logProb(xs).arraySync() as number[][]; // [K, points]
    expectFinite(lp.flat(), 'logProb');
    cases.forEach((c, k) =>
      xs.forEach((x, j) => {
        const t = dot64(mu, x);
        const truth = c.kappa * (t - 1) + (c.kappa + c.logC);
        record('logProb', c, lp[k][j], truth, 1);
        // float32 rounding of mu^T x costs kappa * d * 6e-8 on top of the normalizer's error.
        const slack = c.kappa * d * 1.2e-7 + (c.kappa >= 1e4 ? 0.05 : 1e-4);
        expect(Math.abs(lp[k][j] - truth)).toBeLessThanOrEqual(2e-6 * Math.max(Math.abs(truth), 1) + slack);
      }),
    );
    vmf.dispose();
  });

  it('kappa = 0 is the uniform law: -log|S^{d-1}| and entropy log|S^{d-1}|, for every d', () => {
    for (const { d, logArea } of fixture.uniform) {
      const vmf = new VonMisesFisher({ meanDirection: unitVector(d, 0), concentration: 0 });
      expectClose(vmf.logNormalizer(), -logArea, { rtol: 1e-6, atol: 1e-5, label: `logNormalizer d=${d}` });
      expectClose(vmf.entropy(), logArea, { rtol: 1e-6, atol: 1e-5, label: `entropy d=${d}` });
      expectClose(vmf.mean(), new Array(d).fill(0), { atol: 0 });
      expectClose(vmf.variance(), new Array(d).fill(1 / d), { rtol: 1e-5 });
    }
  });
});

describe('VonMisesFisher closed forms at d = 3', () => {
  it('the density integrates to 1 (the t-marginal 2 pi C exp(kappa t) on [-1, 1], Simpson) and A_3 = coth(k) - 1/k', () => {
    const kappas = [0.05, 1, 7, 60];
    const vmf = new VonMisesFisher({ meanDirection: [0, 0, 1], concentration: kappas.map((k) => [k]) as unknown as number[][] });
    const m = 2001;
    const ts = Array.from({ length: m }, (_, i) => -1 + (2 * i) / (m - 1));
    const xs = ts.map((t) => [Math.sqrt(1 - t * t), 0, t]);
    const lp = vmf.logProb(xs).arraySync() as number[][];
    kappas.forEach((k, r) => {
      const h = 2 / (m - 1);
      let integral = 0;
      for (let i = 0; i < m; i++) integral += (i === 0 || i === m - 1 ? 1 : i % 2 ? 4 : 2) * 2 * Math.PI * Math.exp(lp[r][i]);
      integral *= h / 3;
      expect(Math.abs(integral - 1)).toBeLessThan(1e-5);
    });
    const meanRows = (vmf.mean().arraySync() as number[][][]).map((row) => row[0]);
    kappas.forEach((k, r) => expectClose(meanRows[r][2], 1 / Math.tanh(k) - 1 / k, { rtol: 1e-5, atol: 1e-7 }));
  });
});

describe('VonMisesFisher Monte Carlo', () => {
  // d = 64 is the costliest case: CI (VAE_SLOW_TESTS=1) runs it; d = 10 keeps the quick suite above d = 3.
  it.each([[3, 5], [5, 0], [5, 0.5], [10, 40], ...(process.env.VAE_SLOW_TESTS ? [[64, 200]] : [])])(
    'd = %i, kappa = %f: E[mu^T x] = A_d, sample mean, -E[log p] = entropy, coordinate variances',
    (d, kappa) => {
      const mu = unitVector(d, 0.7);
      const vmf = new VonMisesFisher({ meanDirection: mu, concentration: kappa });
      const n = 4000;
      const { x } = expectSampleMoments(vmf, mu, n, 17 + d, 0);
      const x0 = summarize(tf.slice(x, [0, 0], [n, 1]).dataSync());
      expectWithinStandardErrors(x0.mean, (vmf.mean().arraySync() as number[])[0], x0.standardError, { label: 'mean[0]' });
    },
  );
});

describe('VonMisesFisher gradients', () => {
  // d = 3 has closed forms: log C_3 = log k - log(4 pi) - log sinh k (float64 oracle).
  const logC3 = (k: number) => Math.log(k) - Math.log(4 * Math.PI) - (k + Math.log1p(-Math.exp(-2 * k)) - Math.log(2));
  // kappa = 0.01 is in the series regime, 0.3 .. 80 in the logBesselI one, 2000 in the Hankel one.
  it.each([[0.01], [0.3], [4], [80], [2000]])('d/dkappa logProb and entropy match float64 finite differences (kappa = %f)', (k) => {
    const logProb3 = (kk: number, t: number) => kk * t + logC3(kk);
    const entropy3 = (kk: number) => -kk * (1 / Math.tanh(kk) - 1 / kk) - logC3(kk);
    suite.expectConcentrationGradientsMatch(k, logProb3, entropy3, { logProb: 1e-3, entropy: 2e-3 });
  });

  it.each([[10], [64], [1000]])('d = %i: d/dkappa logProb = mu^T x - A_d(kappa), A_d from the mpmath fixture', (d) => {
    const cases = fixture.cases.filter((c) => c.d === d);
    const mu = unitVector(d, 0.9);
    const x = pointsAt(mu, [0.3])[0];
    const t = dot64(mu, x);
    const g = tf.grad((k: tf.Tensor) => tf.sum(new VonMisesFisher({ meanDirection: mu, concentration: k }).logProb(x)))(
      tf.tensor(cases.map((c) => c.kappa)),
    );
    const gv = g.dataSync();
    cases.forEach((c, k) => {
      record('d/dkappa logProb', c, gv[k], t - c.meanNorm, 1);
      expect(Math.abs(gv[k] - (t - c.meanNorm))).toBeLessThanOrEqual(1e-5);
    });
  });

  it('d/dmu logProb = kappa x, and d/dkappa logProb at kappa = 0 is mu^T x (the series branch)', () => {
    const mu = unitVector(5, 0.2);
    const x = unitVector(5, 2.2);
    const g = tf.grad((m: tf.Tensor) => new VonMisesFisher({ meanDirection: m, concentration: 3, validateArgs: false }).logProb(x))(
      tf.tensor(mu),
    );
    expectClose(
      g,
      x.map((v) => 3 * v),
      { rtol: 1e-5 },
    );
    // At kappa = 0 the gradient is finite (the series branch), d log C / dk = 0 and d logProb / dk = mu^T x.
    const g0 = tf.grad((k: tf.Tensor) => new VonMisesFisher({ meanDirection: mu, concentration: k }).logProb(x))(tf.scalar(0));
    expectClose(g0, dot64(mu, x), { rtol: 1e-5, atol: 1e-7 });
  });

  it("rsample is differentiable: d/dkappa E[mu^T x] ~ A_3'(kappa) at d = 3 (exact sampler, no rejection)", () => {
    const mu = [0, 0, 1];
    const k = 2;
    const n = 20000;
    const g = tf.grad((kappa: tf.Tensor) =>
      tf.mean(tf.matMul(new VonMisesFisher({ meanDirection: mu, concentration: kappa }).rsample([n], 5), tf.tensor(mu, [3, 1]))),
    )(tf.scalar(k));
    const a3 = (kk: number) => 1 / Math.tanh(kk) - 1 / kk;
    expectClose(g, derivative64(a3, k), { rtol: 0.05 });
  });
});

describe('VonMisesFisher backend parity', () => {
  // All three regimes; the Hankel one needs an accurate log1p, which tfjs-wasm's Log1p kernel is not
  // (it evaluates log(1 + x), so log1p(1e-8) = 0): the family uses its own.
  it('cpu and wasm agree on logProb, entropy, mean and variance for kappa in the series, Bessel and Hankel regimes', async () => {
    const mu = unitVector(5, 0.2);
    const x = pointsAt(mu, [-0.5, 0.3, 0.9]);
    const all = { rtol: 1e-5, atol: 1e-5 };
    await suite.expectBackendParity(mu, x, [0.01, 0.5, 10, 100, 1e3, 1e4], { logProb: all, entropy: all, mean: all, variance: all });
  });
});

describe('VonMisesFisher validation, extremes and memory', () => {
  it('accepts a direction that broadcasts against the concentrations, and names the two when one does not', () => {
    expect(() => new VonMisesFisher({ meanDirection: [[1, 0]], concentration: [1, 2, 3] })).not.toThrow();
    expect(
      () =>
        new VonMisesFisher({
          meanDirection: [
            [1, 0],
            [0, 1],
          ],
          concentration: [1, 2, 3],
        }),
    ).toThrow(/meanDirection and concentration must be broadcast-compatible/);
  });

  it('extremes: kappa 0 .. 1e5 and d up to 1000 give finite logProb, entropy, mean, variance and gradients', () => {
    for (const d of [2, 1000]) {
      const kappas = [0, 1e-6, 1e-4, 1, 1e3, 1e5];
      const mu = unitVector(d, 0);
      const grads = tf.grads((k: tf.Tensor, m: tf.Tensor) => {
        const v = new VonMisesFisher({ meanDirection: m, concentration: k, validateArgs: false });
        return tf.add(tf.sum(v.logProb(mu)), tf.sum(v.entropy()));
      })([tf.tensor(kappas), tf.tensor(mu)]);
      const vmf = new VonMisesFisher({ meanDirection: mu, concentration: kappas });
      expectEachFinite(
        {
          logProb: vmf.logProb(mu),
          entropy: vmf.entropy(),
          mean: vmf.mean(),
          variance: vmf.variance(),
          gradKappa: grads[0],
          gradMu: grads[1],
          sample: vmf.sample([2], 1),
        },
        `d=${d} `,
      );
    }
  });

  it('every public method is memory-neutral', async () => {
    const mu = tf.tensor([0.6, 0.8]);
    const kappa = tf.tensor([0.5, 3]);
    const vmf = new VonMisesFisher({ meanDirection: mu, concentration: [0, 2, 1e4] });
    await suite.expectMemoryNeutral(vmf, [mu], {
      construct: () => new VonMisesFisher({ meanDirection: [0, 1], concentration: [0, 2] }).dispose(),
      gradVariance: () => tf.grad((k: tf.Tensor) => tf.sum(new VonMisesFisher({ meanDirection: mu, concentration: k }).variance()))(kappa),
      grad: () => tf.grad((k: tf.Tensor) => tf.sum(new VonMisesFisher({ meanDirection: mu, concentration: k }).logProb([0, 1])))(kappa),
    });
  });
});

suite.describeChecks({
  validation: {
    badConcentration: -1,
    message: 'VonMisesFisher: concentration must be non-negative (>= 0) and finite; got -1',
    offSphere: [2, 0],
  },
  // Exact for the direction even through the rejection step (acceptance does not depend on mu).
  directionGradient: {
    m: [0.5, -1, 2, 0.3, 1],
    a: [1, 0.5, -0.2, 2, -1],
    concentration: 6,
    n: 10000,
    meanNorm: () =>
      tf.tidy(() => (new VonMisesFisher({ meanDirection: [1, 0, 0, 0, 0], concentration: 6 }).mean().arraySync() as number[])[0]),
  },
});
