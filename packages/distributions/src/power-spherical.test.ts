import * as tf from '@tensorflow/tfjs-core';
import betaDist from '@stdlib/stats-base-dists-beta';
import { expectClose, expectFinite, expectKSPass } from '@vae/testing';
import { PowerSpherical } from './index.js';
import { closedForms, directionalSuite, dot64, expectEachFinite, expectSampleMoments } from '../test/directional-suite.js';

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
const suite = directionalSuite<{ cases: PsCase[] }>(PowerSpherical, {
  fixture: 'power_spherical.json',
  oracle: 'scipy',
  points: [1.3, 0.2, 2.5],
});
const { unitVector, pointsAt, record } = suite;

describe('PowerSpherical against scipy closed forms (checked by quadrature)', () => {
  it.each(suite.byDimension)('d = %i: logNormalizer, entropy, mean, variance and logProb over kappa 1e-4 .. 1e5', (d, cases) => {
    const e1 = Array.from({ length: d }, (_, i) => (i === 0 ? 1 : 0));
    const ps = new PowerSpherical({ meanDirection: e1, concentration: cases.map((c) => c.kappa) });
    const { logNormalizer: logN, entropy, mean, variance } = closedForms(ps);
    cases.forEach((c, k) => {
      record('logNormalizer', c, logN[k], -c.logNorm, 1);
      record('entropy', c, entropy[k], c.entropy, 1);
      record('mean', c, mean[k][0], c.meanNorm, 1e-6);
      record('variance', c, variance[k][0], c.varT, 1e-12);
      record('variance', c, variance[k][1], c.varPerp, 1e-12);
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
        record('logProb', c, lp[k][j], truth, 1);
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
    const { t } = expectSampleMoments(ps, mu, 4000, 31 + d, 1);
    const beta = (d - 1) / 2;
    expectKSPass(
      t.map((v) => (1 + v) / 2),
      (s) => betaDist.cdf(s, beta + kappa, beta),
      1e-4,
      'marginal of t',
    );
  });
});

describe('PowerSpherical gradients', () => {
  // Float64 oracle at d = 3: alpha = 1 + k, beta = 1, log N = (k + 2) log 2 + log pi - log(k + 1).
  const logN3 = (k: number) => (k + 2) * Math.log(2) + Math.log(Math.PI) - Math.log(k + 1);
  const entropy3 = (k: number) => logN3(k) - k * (Math.log(2) - 1 / (k + 1)); // psi(a) - psi(a + 1) = -1/a
  it.each([[0.01], [1], [30], [5000]])('d/dkappa logProb and entropy match float64 finite differences (kappa = %f)', (k) => {
    const logProb3 = (kk: number, t: number) => kk * Math.log1p(t) - logN3(kk);
    suite.expectConcentrationGradientsMatch(k, logProb3, entropy3, { logProb: 1e-4, entropy: 1e-3 });
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
    const rest = { rtol: 1e-5, atol: 1e-6 };
    await suite.expectBackendParity(mu, x, [0.01, 1, 100, 1e4, 1e5], {
      logProb: { rtol: 2e-4, atol: 1e-6 },
      entropy: rest,
      mean: rest,
      variance: rest,
    });
  });
});

describe('PowerSpherical extremes and memory', () => {
  it('extremes: kappa 1e-6 .. 1e5 and d = 1000 give finite values and gradients', () => {
    const kappas = [1e-6, 1e-3, 1, 1e3, 1e5];
    const mu = unitVector(1000, 0);
    const g = tf.grad((k: tf.Tensor) => {
      const ps = new PowerSpherical({ meanDirection: mu, concentration: k });
      return tf.add(tf.sum(ps.logProb(mu)), tf.sum(ps.entropy()));
    })(tf.tensor(kappas));
    expectFinite(g, 'gradient');
    const ps = new PowerSpherical({ meanDirection: mu, concentration: kappas });
    expectEachFinite({
      logProb: ps.logProb(mu),
      entropy: ps.entropy(),
      mean: ps.mean(),
      variance: ps.variance(),
      sample: ps.sample([2], 1),
    });
  });

  it('every public method is memory-neutral', async () => {
    const mu = tf.tensor([0.6, 0.8]);
    const kappa = tf.tensor([0.5, 30]);
    const ps = new PowerSpherical({ meanDirection: mu, concentration: kappa });
    await suite.expectMemoryNeutral(ps, [mu, kappa], {
      construct: () => new PowerSpherical({ meanDirection: [0, 1], concentration: [1, 2] }).dispose(),
      grad: () => tf.grad((k: tf.Tensor) => tf.sum(new PowerSpherical({ meanDirection: mu, concentration: k }).entropy()))(kappa),
    });
  });
});

suite.describeChecks({
  validation: {
    badConcentration: 0,
    message: 'PowerSpherical: concentration must be positive (> 0) and finite; got 0',
    offSphere: [0.5, 0],
  },
  directionGradient: { m: [0.5, -1, 2, 0.3], a: [1, 0.5, -0.2, 2], concentration: 4, n: 20000, meanNorm: () => 4 / (4 + 3) },
});
