import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import betaDist from '@stdlib/stats-base-dists-beta';
import { expectClose, expectFinite, expectKSPass, expectWithinStandardErrors, summarize } from '@vae/testing';
import { PowerSpherical } from './index.js';
import { expectMethodsMemoryNeutral } from '../test/scalar-family-helpers.js';
import { itGivesMinusInfinityOffTheSphere } from '../test/sphere-support.js';
import {
  WorstErrors,
  describeDirectionalChecks,
  dot64,
  expectBackendParity,
  expectConcentrationGradientsMatch,
  pointsAt as pointsAtCosines,
  unitVector as unitVectorAt,
} from '../test/directional-suite.js';

interface PsCase {
  d: number;
  kappa: number;
  /** -log N, the reference code's sign: log p(x) = logNorm + kappa log(1 + mu^T x). */
  logNorm: number;
  entropy: number;
  meanNorm: number;
  varT: number;
  varPerp: number;
}
const fixture = JSON.parse(readFileSync(join(__dirname, '../test/fixtures/power_spherical.json'), 'utf8')) as { cases: PsCase[] };

const isExtreme = (c: PsCase) => c.kappa <= 1.01e-2 || c.kappa >= 1e4 || c.d >= 256;
const errors = new WorstErrors('PowerSpherical', 'scipy');
const record = errors.record.bind(errors);
const unitVector = (d: number, phase: number) => unitVectorAt(d, phase, 1.3, 0.2);
const pointsAt = (mu: number[], cosines: number[]) => pointsAtCosines(mu, cosines, unitVector(mu.length, 2.5));

describe('PowerSpherical against scipy closed forms (checked by quadrature)', () => {
  const dims = [...new Set(fixture.cases.map((c) => c.d))];
  it.each(dims.map((d) => [d]))('d = %i: logNormalizer, entropy, mean, variance and logProb over kappa 1e-4 .. 1e5', (d) => {
    const cases = fixture.cases.filter((c) => c.d === d);
    const e1 = Array.from({ length: d }, (_, i) => (i === 0 ? 1 : 0));
    const ps = new PowerSpherical({ meanDirection: e1, concentration: cases.map((c) => c.kappa) });
    const logN = ps.logNormalizer().dataSync();
    const entropy = ps.entropy().dataSync();
    const mean = ps.mean().arraySync() as number[][];
    const variance = ps.variance().arraySync() as number[][];
    for (const [label, t] of Object.entries({ logN, entropy, mean: mean.flat(), variance: variance.flat() })) expectFinite(t, label);
    cases.forEach((c, k) => {
      const extreme = isExtreme(c);
      record('logNormalizer', extreme, logN[k], -c.logNorm, 1);
      record('entropy', extreme, entropy[k], c.entropy, 1);
      record('mean', extreme, mean[k][0], c.meanNorm, 1e-6);
      record('variance', extreme, variance[k][0], c.varT, 1e-12);
      record('variance', extreme, variance[k][1], c.varPerp, 1e-12);
      expect(Math.abs(logN[k] + c.logNorm)).toBeLessThanOrEqual(3e-6 * Math.max(Math.abs(c.logNorm), 1));
      expect(Math.abs(entropy[k] - c.entropy)).toBeLessThanOrEqual(1e-5 * Math.max(Math.abs(c.entropy), 1));
      expect(Math.abs(mean[k][0] - c.meanNorm)).toBeLessThanOrEqual(1e-6 * c.meanNorm);
      expect(Math.abs(variance[k][0] - c.varT)).toBeLessThanOrEqual(1e-5 * c.varT);
      expect(Math.abs(variance[k][1] - c.varPerp)).toBeLessThanOrEqual(1e-5 * c.varPerp);
    });
    // logProb at generic directions: log p = kappa log(1 + t) - log N, t in float64 from the float32 inputs.
    const mu = unitVector(d, 0.1);
    const psMu = new PowerSpherical({ meanDirection: mu, concentration: cases.map((c) => [c.kappa]) as unknown as number[][] });
    const xs = pointsAt(mu, [-0.99, -0.3, 0, 0.5, 0.99, 1]);
    const lp = psMu.logProb(xs).arraySync() as number[][];
    expectFinite(lp.flat(), 'logProb');
    cases.forEach((c, k) =>
      xs.forEach((x, j) => {
        const truth = c.kappa * Math.log1p(dot64(mu, x)) + c.logNorm;
        record('logProb', isExtreme(c), lp[k][j], truth, 1);
        const slack = c.kappa * d * 1.2e-7;
        expect(Math.abs(lp[k][j] - truth)).toBeLessThanOrEqual(3e-6 * Math.max(Math.abs(truth), 1) + slack);
      }),
    );
    ps.dispose();
    psMu.dispose();
  });

  it('the antipode has density 0: logProb -Infinity, not NaN', () => {
    const ps = new PowerSpherical({ meanDirection: [0, 1], concentration: 2 });
    expect(ps.logProb([0, -1]).arraySync() as number).toBe(-Infinity);
  });
});

describe('PowerSpherical Monte Carlo', () => {
  it.each([
    [2, 3],
    [3, 0.5],
    [10, 50],
    [64, 300],
  ])('d = %i, kappa = %f: (1 + mu^T x)/2 ~ Beta(alpha, beta) (KS vs @stdlib), mean, entropy, variance', (d, kappa) => {
    const mu = unitVector(d, 0.4);
    const ps = new PowerSpherical({ meanDirection: mu, concentration: kappa });
    const n = 4000;
    const x = ps.sample([n], 31 + d);
    const t = Array.from(tf.matMul(x, tf.tensor(mu, [d, 1])).dataSync());
    const beta = (d - 1) / 2;
    expectKSPass(
      t.map((v) => (1 + v) / 2),
      (s) => betaDist.cdf(s, beta + kappa, beta),
      1e-4,
      'marginal of t',
    );
    const st = summarize(t);
    expectWithinStandardErrors(st.mean, dot64(ps.mean().arraySync() as number[], mu), st.standardError, { label: 'E[mu^T x]' });
    const e = summarize(tf.neg(ps.logProb(x)).dataSync());
    expectWithinStandardErrors(e.mean, ps.entropy().dataSync()[0], e.standardError, { label: 'entropy', atol: 1e-4 });
    const x1 = summarize(tf.slice(x, [0, 1], [n, 1]).dataSync());
    const v1 = (ps.variance().arraySync() as number[])[1];
    expectWithinStandardErrors(x1.variance, v1, 3 * v1 * Math.sqrt(2 / n), { label: 'variance[1]', z: 6 });
  });
});

describe('PowerSpherical gradients', () => {
  // Float64 oracle at d = 3: alpha = 1 + k, beta = 1, log N = (k + 2) log 2 + log pi - log(k + 1).
  const logN3 = (k: number) => (k + 2) * Math.log(2) + Math.log(Math.PI) - Math.log(k + 1);
  const entropy3 = (k: number) => logN3(k) - k * (Math.log(2) - 1 / (k + 1)); // psi(a) - psi(a + 1) = -1/a
  it.each([[0.01], [1], [30], [5000]])('d/dkappa logProb and entropy match float64 finite differences (kappa = %f)', (k) => {
    const logProb3 = (kk: number, t: number) => kk * Math.log1p(t) - logN3(kk);
    expectConcentrationGradientsMatch((p) => new PowerSpherical(p), k, logProb3, entropy3, { logProb: 1e-4, entropy: 1e-3 });
  });

  it('d/dmu logProb = kappa x / (1 + mu^T x)', () => {
    const mu = unitVector(4, 0.3);
    const x = unitVector(4, 1.9);
    const g = tf.grad((m: tf.Tensor) => new PowerSpherical({ meanDirection: m, concentration: 3, validateArgs: false }).logProb(x))(
      tf.tensor(mu),
    );
    const t = dot64(mu, x);
    expectClose(
      g,
      x.map((v) => (3 * v) / (1 + t)),
      { rtol: 1e-4, atol: 1e-6 },
    );
  });

  it('rsample is differentiable: d/dkappa E[mu^T x] = (d - 1) / (kappa + d - 1)^2', () => {
    const mu = tf.tensor([0, 0, 0, 1]);
    const k = 3;
    const n = 20000;
    const g = tf.grad((kappa: tf.Tensor) =>
      tf.mean(tf.matMul(new PowerSpherical({ meanDirection: mu, concentration: kappa }).rsample([n], 5), tf.reshape(mu, [4, 1]))),
    )(tf.scalar(k));
    expectClose(g, 3 / (k + 3) ** 2, { rtol: 0.05 });
  });
});

describe('PowerSpherical backend parity', () => {
  it('cpu and wasm agree on logProb, entropy, mean and variance from kappa 1e-2 to 1e5', async () => {
    const mu = unitVector(5, 0.2);
    const x = pointsAt(mu, [-0.5, 0.3, 0.999]);
    // logProb inherits kappa times the backends' different rounding of mu^T x (kappa = 1e5 here).
    await expectBackendParity(
      (p) => new PowerSpherical(p),
      mu,
      x,
      [0.01, 1, 100, 1e4, 1e5],
      ['logProb', 'entropy', 'mean', 'variance'],
      (i) => ({
        rtol: i === 0 ? 2e-4 : 1e-5,
        atol: 1e-6,
      }),
    );
  });
});

describe('PowerSpherical validation, extremes and memory', () => {
  it('names the distribution, argument and constraint', () => {
    expect(() => new PowerSpherical({ meanDirection: [1, 1], concentration: 1 })).toThrow(
      /PowerSpherical: meanDirection must be a unit vector/,
    );
    expect(() => new PowerSpherical({ meanDirection: [1, 0], concentration: 0 })).toThrow(
      'PowerSpherical: concentration must be positive (> 0) and finite; got 0',
    );
    expect(() => new PowerSpherical({ meanDirection: [1], concentration: 1 })).toThrow(
      /meanDirection \(its last axis\) must be an integer >= 2/,
    );
    const ps = new PowerSpherical({ meanDirection: [1, 0], concentration: 1 });
    expect(() => ps.logProb([0.5, 0])).toThrow(/PowerSpherical: value must be in the support: a unit vector/);
  });

  itGivesMinusInfinityOffTheSphere((p) => new PowerSpherical(p));

  it('extremes: kappa 1e-6 .. 1e5 and d = 1000 give finite values and gradients', () => {
    const kappas = [1e-6, 1e-3, 1, 1e3, 1e5];
    const mu = unitVector(1000, 0);
    const g = tf.grad((k: tf.Tensor) => {
      const ps = new PowerSpherical({ meanDirection: mu, concentration: k });
      return tf.add(tf.sum(ps.logProb(mu)), tf.sum(ps.entropy()));
    })(tf.tensor(kappas));
    expectFinite(g, 'gradient');
    const ps = new PowerSpherical({ meanDirection: mu, concentration: kappas });
    for (const [label, t] of Object.entries({
      logProb: ps.logProb(mu),
      entropy: ps.entropy(),
      mean: ps.mean(),
      variance: ps.variance(),
      sample: ps.sample([2], 1),
    })) {
      expectFinite(t, label);
    }
  });

  it('every public method is memory-neutral', async () => {
    const mu = tf.tensor([0.6, 0.8]);
    const kappa = tf.tensor([0.5, 30]);
    const ps = new PowerSpherical({ meanDirection: mu, concentration: kappa });
    await expectMethodsMemoryNeutral(
      ps,
      [0, 1],
      ['sample', 'rsample', 'logProb', 'prob', 'entropy', 'mean', 'variance', 'stddev', 'mode'],
      {
        logNormalizer: () => ps.logNormalizer(),
        construct: () => new PowerSpherical({ meanDirection: [0, 1], concentration: [1, 2] }).dispose(),
        grad: () => tf.grad((k: tf.Tensor) => tf.sum(new PowerSpherical({ meanDirection: mu, concentration: k }).entropy()))(kappa),
      },
    );
    ps.dispose();
    expect(mu.isDisposed || kappa.isDisposed).toBe(false);
  });
});

describeDirectionalChecks({
  name: 'PowerSpherical',
  make: (p) => new PowerSpherical(p),
  directionGradient: { m: [0.5, -1, 2, 0.3], a: [1, 0.5, -0.2, 2], concentration: 4, n: 20000, meanNorm: () => 4 / (4 + 3) },
});
