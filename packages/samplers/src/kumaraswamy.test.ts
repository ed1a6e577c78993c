import * as tf from '@tensorflow/tfjs-core';
import kumaraswamyCdf from '@stdlib/stats-base-dists-kumaraswamy-cdf';
import gammaln from '@stdlib/math-base-special-gammaln';
import { expectFinite, expectKSPass, expectMemoryNeutral, expectWithinStandardErrors, gradient64, summarize } from '@vae/testing';
import { kumaraswamyLogSample, kumaraswamySample } from './index.js';
import { CONCENTRATION_PAIRS, checkMonteCarloGradient, printGradientReport, take } from '../test/oracles.js';

afterAll(printGradientReport);

/** E[X] = b B(1 + 1/a, b) for Kumaraswamy(a, b), in float64. */
function kumaraswamyMean(a: number, b: number): number {
  return Math.exp(Math.log(b) + gammaln(1 + 1 / a) + gammaln(b) - gammaln(1 + 1 / a + b));
}

/** CDF of log X: P(log X <= t) = 1 - (1 - e^(a t))^b, accurate for tiny e^(a t). */
function logKumaraswamyCdf(a: number, b: number, t: number): number {
  const at = a * t;
  const log1mexp = at > -Math.LN2 ? Math.log(-Math.expm1(at)) : Math.log1p(-Math.exp(at));
  return -Math.expm1(b * log1mexp);
}

const n = 10000;

describe('kumaraswamySample', () => {
  it.each(CONCENTRATION_PAIRS)('passes KS against the Kumaraswamy(%p, %p) CDF and has its mean', (a, b) => {
    const x = take(kumaraswamySample(a, b, [n], 1));
    expectKSPass(x, (v) => kumaraswamyCdf(v, a, b), 1e-4, `Kumaraswamy(${a}, ${b})`);
    const s = summarize(x);
    expectWithinStandardErrors(s.mean, kumaraswamyMean(a, b), s.standardError, { z: 4.5 });
  });
  it.each([
    [1e-3, 1],
    [1, 0.05],
    [1e3, 1e3],
    [0.05, 50],
  ])('log-sample passes KS in log space at extreme (a, b) = (%p, %p)', (a, b) => {
    // (b much below 0.05 puts log X within float32's underflow of 0: an atom KS cannot handle.)
    const t = take(kumaraswamyLogSample(a, b, [n], 2));
    expectFinite(t, 'log-sample');
    expectKSPass(t, (v) => logKumaraswamyCdf(a, b, v), 1e-4, `log Kumaraswamy(${a}, ${b})`);
  });
  it.each([
    [0.7, 2],
    [3, 0.5],
    [20, 20],
  ])('d/da and d/db of E[X] match finite differences of b B(1 + 1/a, b) at (%p, %p)', (a, b) => {
    const [ga, gb] = gradient64(([x, y]) => kumaraswamyMean(x, y), [a, b]);
    checkMonteCarloGradient('kumaraswamySample (a)', n, a, (t) => kumaraswamySample(t, b, [n], 3), ga);
    checkMonteCarloGradient('kumaraswamySample (b)', n, b, (t) => kumaraswamySample(a, t, [n], 4), gb);
  });
  it('stays in (0, 1) with finite gradients for a, b from 1e-3 to 1e5', () => {
    const a = tf.tensor([1e-3, 1e-3, 1e5, 1e5, 1]);
    const b = tf.tensor([1e-3, 1e5, 1e-3, 1e5, 1]);
    const x = take(kumaraswamySample(a, b, [200, 5], 5));
    expect(Math.min(...x)).toBeGreaterThan(0);
    expect(Math.max(...x)).toBeLessThan(1);
    const [ga, gb] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(kumaraswamyLogSample(p, q, [200, 5], 5)))([a, b]);
    expectFinite(take(ga), 'd/da');
    expectFinite(take(gb), 'd/db');
    tf.dispose([a, b]);
  });
  it('is deterministic, memory-neutral (with gradients) and validates', async () => {
    expect(Array.from(take(kumaraswamySample(2, 3, [20], 6)))).toEqual(Array.from(take(kumaraswamySample(2, 3, [20], 6))));
    const a = tf.scalar(2);
    await expectMemoryNeutral(() => kumaraswamySample(a, 3, [5], 1));
    await expectMemoryNeutral(() => tf.grad((t: tf.Tensor) => tf.sum(kumaraswamySample(t, 3, [5], 1)))(a));
    a.dispose();
    expect(() => kumaraswamySample(0, 1, [2])).toThrow(/kumaraswamySample: a must be positive/);
    expect(() => kumaraswamyLogSample(1, -1, [2])).toThrow(/kumaraswamyLogSample: b must be positive/);
  });
});
