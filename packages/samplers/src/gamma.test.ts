import * as tf from '@tensorflow/tfjs-core';
import gammainc from '@stdlib/math-base-special-gammainc';
import gammaln from '@stdlib/math-base-special-gammaln';
import digamma from '@stdlib/math-base-special-digamma';
import betaCdf from '@stdlib/stats-base-dists-beta-cdf';
import { InvalidArgumentError } from '@vae/math';
import { derivative64, expectFinite, expectKSPass, expectMemoryNeutral, expectWithinStandardErrors, itSlow, summarize } from '@vae/testing';
import { betaSample, dirichletSample, gammaLogSample, gammaSample } from './index.js';
import { gammaLogSampleDerivative } from './gamma-grad.js';
import { CONCENTRATION_PAIRS, checkMonteCarloGradient, printGradientReport, take } from '../test/oracles.js';

afterAll(printGradientReport);

/** CDF of log Z for Z ~ Gamma(a, 1), valid where exp(t) underflows too. */
function logGammaCdf(a: number, t: number): number {
  if (t < -200) return Math.exp(a * t - gammaln(a + 1)); // P(a, x) = x^a / Gamma(a + 1) (1 + O(x))
  return gammainc(Math.exp(t), a);
}

describe('gammaLogSample / gammaSample: distribution', () => {
  const shapes = [1e-3, 0.01, 0.3, 1, 2.5, 10, 100, 1e4];
  const n = 6000;
  itSlow(`log-samples pass KS against P(a, e^t) for a in ${shapes.join(', ')} (n = ${n} each)`, () => {
    const logZ = gammaLogSample(tf.tensor(shapes), 1, [n, shapes.length], 11);
    const data = take(logZ);
    expectFinite(data, 'log-sample');
    shapes.forEach((a, j) => {
      const column = Array.from({ length: n }, (_, i) => data[i * shapes.length + j]);
      expectKSPass(column, (t) => logGammaCdf(a, t), 1e-4, `Gamma(${a}) log-sample`);
    });
  });
  it('has mean concentration / rate (within 4.5 standard errors) and scales with the rate', () => {
    const alpha = [0.5, 3, 50];
    const rate = [0.1, 2, 7];
    const z = take(gammaSample(tf.tensor(alpha), tf.tensor(rate), [10000, 3], 12));
    alpha.forEach((a, j) => {
      const column = Array.from({ length: 10000 }, (_, i) => z[i * 3 + j]);
      const s = summarize(column);
      expectWithinStandardErrors(s.mean, a / rate[j], s.standardError, { z: 4.5, label: `Gamma(${a}, ${rate[j]}) mean` });
    });
  });
  it('gammaSample is exp(gammaLogSample) for the same seed', () => {
    const a = take(gammaSample(2, 3, [100], 5));
    const b = take(tf.exp(gammaLogSample(2, 3, [100], 5)));
    expect(Array.from(a)).toEqual(Array.from(b));
  });
});

describe('Gamma implicit gradients (seeded Monte Carlo vs finite differences of closed forms)', () => {
  const n = 8000;
  it.each([0.3, 1, 5, 100])('d/d concentration E[Z] = 1/rate at concentration %p, rate 2', (alpha) => {
    const truth = derivative64((a) => a / 2, alpha);
    checkMonteCarloGradient('gammaSample (concentration)', n, alpha, (a) => gammaSample(a, 2, [n], 21), truth);
  });
  it('d/d rate E[Z] = -concentration / rate^2', () => {
    const truth = derivative64((b) => 3 / b, 2);
    checkMonteCarloGradient('gammaSample (rate)', n, 2, (b) => gammaSample(3, b, [n], 22), truth);
  });
  it.each([1e-3, 0.05, 2, 1e4])('d/d concentration E[log Z] = trigamma at concentration %p (log-sample)', (alpha) => {
    const truth = derivative64((a) => digamma(a), alpha, alpha * 1e-4);
    checkMonteCarloGradient('gammaLogSample (concentration)', n, alpha, (a) => gammaLogSample(a, 1, [n], 23), truth);
  });
  it('pointwise: each element gradient is the float64 implicit derivative at its own sample (wiring check)', () => {
    for (const alpha of [1e-3, 0.5, 7, 1e4]) {
      const a = tf.fill([100], alpha);
      const logZ = take(gammaLogSample(a, 3, [100], 24));
      const g = take(tf.grad((t: tf.Tensor) => tf.sum(gammaLogSample(t, 3, [100], 24)))(a));
      const gz = take(tf.grad((t: tf.Tensor) => tf.sum(gammaSample(t, 3, [100], 24)))(a));
      a.dispose();
      for (let i = 0; i < 100; i++) {
        const logStd = logZ[i] + Math.log(3);
        const expected = gammaLogSampleDerivative(alpha, Math.fround(logStd));
        expect(Math.abs(g[i] - expected)).toBeLessThanOrEqual(1e-4 * Math.abs(expected));
        const expectedZ = Math.exp(logZ[i]) * expected; // dz/da = z d(log z)/da
        expect(Math.abs(gz[i] - expectedZ)).toBeLessThanOrEqual(1e-4 * Math.abs(expectedZ) + 1e-30);
      }
    }
  });
  it('gives finite samples and gradients from concentration 1e-3 to 1e4', () => {
    const alpha = tf.tensor([1e-3, 1e-2, 1, 1e2, 1e4]);
    const [value, grad] = tf.tidy(() => {
      const f = (a: tf.Tensor) => gammaSample(a, 1, [200, 5], 3);
      const g = tf.grad((a: tf.Tensor) => tf.sum(f(a)))(alpha);
      const gl = tf.grad((a: tf.Tensor) => tf.sum(gammaLogSample(a, 1, [200, 5], 3)))(alpha);
      return [tf.concat([tf.reshape(f(alpha), [-1]), tf.reshape(gammaLogSample(alpha, 1, [200, 5], 3), [-1])]), tf.concat([g, gl])];
    });
    expectFinite(take(value), 'samples');
    expectFinite(take(grad), 'gradients');
    alpha.dispose();
  });
});

describe('betaSample', () => {
  const n = 6000;
  it.each(CONCENTRATION_PAIRS)('passes KS against the Beta(%p, %p) CDF', (a, b) => {
    const x = take(betaSample(a, b, [n], 31));
    expectKSPass(x, (v) => betaCdf(v, a, b), 1e-4, `Beta(${a}, ${b})`);
  });
  it.each([
    [0.5, 2],
    [3, 1.5],
    [50, 20],
  ])('d/d concentrations of E[X] = a / (a + b) at (%p, %p)', (a, b) => {
    checkMonteCarloGradient(
      'betaSample (concentration1)',
      n,
      a,
      (t) => betaSample(t, b, [n], 32),
      derivative64((v) => v / (v + b), a),
    );
    checkMonteCarloGradient(
      'betaSample (concentration0)',
      n,
      b,
      (t) => betaSample(a, t, [n], 33),
      derivative64((v) => a / (a + v), b),
    );
  });
  it('stays in (0, 1) with finite gradients for concentrations 1e-3 .. 1e4', () => {
    const c = tf.tensor([1e-3, 1e-3, 1, 1e4, 1e4]);
    const c0 = tf.tensor([1e-3, 1e4, 1, 1e-3, 1e4]);
    const x = take(betaSample(c, c0, [100, 5], 4));
    expect(Math.min(...x)).toBeGreaterThan(0);
    expect(Math.max(...x)).toBeLessThan(1);
    const g = take(tf.grad((t: tf.Tensor) => tf.sum(betaSample(t, c0, [100, 5], 4)))(c));
    expectFinite(g, 'Beta gradient');
    tf.dispose([c, c0]);
  });
});

describe('dirichletSample', () => {
  const alpha = [1.5, 0.3, 4];
  const total = alpha.reduce((a, b) => a + b);
  const n = 5000;
  it('lies on the simplex and its marginal X_1 ~ Beta(a_1, sum - a_1) passes KS', () => {
    const x = take(dirichletSample(tf.tensor(alpha), [n], 41));
    for (let i = 0; i < n; i += 997) expect(x[3 * i] + x[3 * i + 1] + x[3 * i + 2]).toBeCloseTo(1, 5);
    expectKSPass(
      Array.from({ length: n }, (_, i) => x[3 * i]),
      (v) => betaCdf(v, alpha[0], total - alpha[0]),
      1e-4,
      'Dirichlet marginal',
    );
  });
  it('d/d alpha_1 E[X_1] = (sum - alpha_1) / sum^2 and d/d alpha_2 E[X_1] = -alpha_1 / sum^2', () => {
    const rest = tf.tensor([alpha[1], alpha[2]]);
    checkMonteCarloGradient(
      'dirichletSample',
      n,
      alpha[0],
      (t) =>
        tf.squeeze(
          tf.slice(dirichletSample(tf.concat([tf.expandDims(t, 1), tf.tile(tf.expandDims(rest, 0), [n, 1])], 1), [n], 42), [0, 0], [n, 1]),
          [1],
        ),
      derivative64((a) => a / (a + alpha[1] + alpha[2]), alpha[0]),
    );
    checkMonteCarloGradient(
      'dirichletSample',
      n,
      alpha[1],
      (t) => {
        const conc = tf.stack([tf.fill([n], alpha[0]), t, tf.fill([n], alpha[2])], 1);
        return tf.squeeze(tf.slice(dirichletSample(conc, [n], 43), [0, 0], [n, 1]), [1]);
      },
      derivative64((a) => alpha[0] / (alpha[0] + a + alpha[2]), alpha[1]),
    );
    rest.dispose();
  });
  it('handles tiny concentrations (1e-3) without NaN', () => {
    const x = take(dirichletSample([1e-3, 1e-3, 1e-3], [50], 44));
    expectFinite(x, 'Dirichlet sample');
  });
});

describe('Gamma family: determinism, memory, validation', () => {
  it('same seed gives identical samples, different seeds differ', () => {
    const a = take(gammaSample(0.7, 1, [50], 9));
    const b = take(gammaSample(0.7, 1, [50], 9));
    const c = take(gammaSample(0.7, 1, [50], 10));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });
  it('is memory-neutral, gradients included', async () => {
    const alpha = tf.tensor([0.5, 2]);
    await expectMemoryNeutral(() => gammaSample(alpha, 1, [10, 2], 1), 'gammaSample');
    await expectMemoryNeutral(() => betaSample(alpha, alpha, [10, 2], 1), 'betaSample');
    await expectMemoryNeutral(() => dirichletSample(alpha, [10], 1), 'dirichletSample');
    await expectMemoryNeutral(() => tf.grad((a: tf.Tensor) => tf.sum(gammaSample(a, 2, [10, 2], 1)))(alpha), 'gammaSample gradient');
    await expectMemoryNeutral(() => tf.grad((a: tf.Tensor) => tf.sum(betaSample(a, 1, [10, 2], 1)))(alpha), 'betaSample gradient');
    await expectMemoryNeutral(
      () => tf.grad((a: tf.Tensor) => tf.sum(tf.square(dirichletSample(a, [10], 1))))(alpha),
      'dirichletSample gradient',
    );
    alpha.dispose();
  });
  it('rejects bad arguments with InvalidArgumentError naming them', () => {
    expect(() => gammaSample(0, 1, [2])).toThrow(/gammaSample: concentration must be positive/);
    expect(() => gammaSample(1, -1, [2])).toThrow(/rate must be positive/);
    expect(() => gammaLogSample(1, 1, [2.5])).toThrow(InvalidArgumentError);
    expect(() => betaSample(1, -2, [2])).toThrow(/concentration0 must be positive/);
    expect(() => dirichletSample([1, -1], [2])).toThrow(/dirichletSample: concentration must be positive/);
    expect(() => gammaSample([1, 2, 3], 1, [2])).toThrow(/concentration must be broadcastable/);
  });
});
