import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectKSPass, expectMemoryNeutral, expectWithinStandardErrors, itSlow, runOnBackends, summarize } from '@vae/testing';
import { vonMisesSample } from './index.js';
import { VON_MISES_NORMAL_FROM, vonMisesCdf, vonMisesSampleDerivative } from './von-mises.js';
import { besselRatio64, checkMonteCarloGradient, printGradientReport, take } from '../test/oracles.js';

afterAll(printGradientReport);

interface Row {
  kappa: number;
  x: number;
  cdf: number;
  dxdk: number;
}

// mpmath reference values (test/fixtures/von-mises-cdf.py): 7 quantiles of each of 13 concentrations 1e-6 .. 1e6.
const rows = (JSON.parse(readFileSync(join(__dirname, '../test/fixtures/von-mises-cdf.json'), 'utf8')) as { cases: Row[] }).cases;

/** The von Mises(0, kappa) CDF in float64 by the trapezoid rule on a fine grid (moderate kappa only). */
function cdf64(kappa: number, points = 20_000): (x: number) => number {
  const h = (2 * Math.PI) / points;
  const cumulative = new Float64Array(points + 1);
  let previous = Math.exp(kappa * (Math.cos(-Math.PI) - 1));
  for (let i = 1; i <= points; i++) {
    const current = Math.exp(kappa * (Math.cos(-Math.PI + i * h) - 1));
    cumulative[i] = cumulative[i - 1] + 0.5 * h * (previous + current);
    previous = current;
  }
  const total = cumulative[points];
  return (x: number) => {
    const position = (x + Math.PI) / h;
    const i = Math.min(points - 1, Math.max(0, Math.floor(position)));
    return Math.min(1, Math.max(0, (cumulative[i] + (position - i) * (cumulative[i + 1] - cumulative[i])) / total));
  };
}

/** The angle x - loc folded into [-pi, pi). */
function centered(x: number, loc: number): number {
  const d = x - loc;
  return d - 2 * Math.PI * Math.floor((d + Math.PI) / (2 * Math.PI));
}

describe('von Mises CDF and implicit gradient (internal) against mpmath', () => {
  it(`CDF within 2e-7 absolute over ${rows.length} points, kappa 1e-6 .. 1e6`, () => {
    const cdf = take(tf.tidy(() => vonMisesCdf(tf.tensor(rows.map((r) => r.x)), tf.tensor(rows.map((r) => r.kappa)))));
    let worst = 0;
    rows.forEach((r, i) => (worst = Math.max(worst, Math.abs(cdf[i] - r.cdf))));
    console.log(`von Mises CDF vs mpmath: worst absolute error ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(2e-7);
  });
  it('dx/dkappa = -(dF/dkappa) / p(x) within 5e-4 relative (1e-5 inside the central 96%), on both sides of the switch', () => {
    const g = take(tf.tidy(() => vonMisesSampleDerivative(tf.tensor(rows.map((r) => r.x)), tf.tensor(rows.map((r) => r.kappa)))));
    let worst = 0;
    let worstCentral = 0;
    rows.forEach((r, i) => {
      expect(Number.isFinite(g[i])).toBe(true);
      // At the median x = 0 the derivative is 0 (the fixture's 1e-43 is quadrature noise).
      const scale = Math.max(Math.abs(r.dxdk), 1e-30);
      const error = r.x === 0 ? Math.abs(g[i]) : Math.abs(g[i] - r.dxdk) / scale;
      worst = Math.max(worst, error);
      if (r.cdf > 0.01 && r.cdf < 0.99) worstCentral = Math.max(worstCentral, error);
    });
    console.log(
      `von Mises implicit gradient vs mpmath: worst relative error ${worst.toExponential(2)} (central ${worstCentral.toExponential(2)})`,
    );
    expect(worst).toBeLessThan(5e-4);
    expect(worstCentral).toBeLessThan(1e-5);
    expect(rows.some((r) => r.kappa < VON_MISES_NORMAL_FROM) && rows.some((r) => r.kappa >= VON_MISES_NORMAL_FROM)).toBe(true);
  });
});

describe('vonMisesSample', () => {
  it.each([
    [1e-3, 0],
    [4, -3],
    [60, 3.1],
  ])('kappa = %p, loc = %p: in [-pi, pi), KS against the float64 CDF, E[cos(x - loc)] = A(kappa)', (kappa, loc) => {
    const n = 2000;
    const x = take(vonMisesSample(loc, kappa, [n], 3));
    x.forEach((v) => expect(v >= -Math.PI && v < Math.PI).toBe(true));
    const c = Array.from(x, (v) => centered(v, loc));
    expectKSPass(c, cdf64(kappa), 1e-4, `vonMises(kappa=${kappa})`);
    const s = summarize(c.map(Math.cos));
    expectWithinStandardErrors(s.mean, besselRatio64(0, kappa), s.standardError, { z: 4.5, atol: 1e-7, label: 'E[cos]' });
  });
  it.each([1e-6, 1e3, 1e6])('kappa = %p: the fraction below each mpmath quantile matches its probability; no precision lost', (kappa) => {
    const n = 2000;
    const x = take(vonMisesSample(0, kappa, [n], 4));
    for (const r of rows.filter((row) => row.kappa === kappa)) {
      const below = x.filter((v) => v <= r.x).length / n;
      expectWithinStandardErrors(below, r.cdf, Math.sqrt((r.cdf * (1 - r.cdf)) / n), { z: 4.5, atol: 1e-3, label: `P(x <= ${r.x})` });
    }
    // For large kappa sqrt(kappa) x is close to N(0, 1): its variance keeps all its digits.
    if (kappa >= 1e3) {
      const s = summarize(Array.from(x, (v) => kappa * v * v));
      expectWithinStandardErrors(s.mean, (1 - besselRatio64(0, kappa)) * 2 * kappa, s.standardError, { z: 4.5, label: 'kappa E[x^2]' });
    }
  });
  it("d sample / d loc = 1 and d/dkappa E[cos(x - loc)] matches A'(kappa) = 1 - A/kappa - A^2 (Monte Carlo)", () => {
    const dLoc = take(tf.tidy(() => tf.grad((m: tf.Tensor) => tf.sum(vonMisesSample(m, 3, [50], 5)))(tf.scalar(0.3))));
    expect(dLoc[0]).toBeCloseTo(50, 4);
    for (const kappa of [0.5, 8, 40]) {
      const a = besselRatio64(0, kappa);
      const n = 2000;
      checkMonteCarloGradient(
        'vonMisesSample (kappa, implicit)',
        n,
        kappa,
        (k) => tf.cos(tf.sub(vonMisesSample(1, k, [n], 6), 1)),
        1 - a / kappa - a * a,
      );
    }
  });
  itSlow("(slow) d/dkappa E[cos(x - loc)] = A'(kappa) on both sides of the series/normal switch and far out, 10000 draws each", () => {
    for (const kappa of [0.05, 10.4, 10.6, 1e4]) {
      const a = besselRatio64(0, kappa);
      const n = 20000;
      checkMonteCarloGradient(
        'vonMisesSample (kappa, implicit, slow)',
        n,
        kappa,
        (k) => tf.cos(vonMisesSample(0, k, [n], 16)),
        1 - a / kappa - a * a,
      );
    }
  });
  it('is finite in value and gradient at kappa 1e-6 and 1e6', () => {
    const [value, grad] = tf.tidy(() => {
      const k = tf.tensor([1e-6, 1e6]);
      const f = (kk: tf.Tensor) => vonMisesSample(tf.tensor([0, 3]), kk, [200, 2], 7);
      return [f(k), tf.grad((kk: tf.Tensor) => tf.sum(tf.cos(f(kk))))(k)];
    });
    take(value).forEach((v) => expect(Number.isFinite(v)).toBe(true));
    take(grad).forEach((v) => expect(Number.isFinite(v)).toBe(true));
  });
  it('same seed, same numbers (seed 0 included), on cpu and wasm; memory-neutral', async () => {
    const a = take(vonMisesSample(0, 2, [20], 0));
    const b = take(vonMisesSample(0, 2, [20], 0));
    expect(Array.from(a)).toEqual(Array.from(b));
    const draw = () => vonMisesSample([0.5, -2], [1, 300], [100, 2], 9);
    const gradient = () => tf.grad((k: tf.Tensor) => tf.sum(tf.sin(vonMisesSample(0.5, k, [100, 2], 9))))(tf.tensor([1, 300]));
    const out = await runOnBackends(() => [draw(), gradient()]);
    out.cpu[0].forEach((v, i) => expect(Math.abs(v - out.wasm[0][i])).toBeLessThan(1e-5));
    out.cpu[1].forEach((v, i) => expect(Math.abs(v - out.wasm[1][i])).toBeLessThan(1e-3 * Math.max(1, Math.abs(v))));
    const k = tf.scalar(2);
    await expectMemoryNeutral(() => tf.grad((kk: tf.Tensor) => tf.sum(vonMisesSample(0, kk, [10], 1)))(k), 'vonMisesSample gradient');
    k.dispose();
    await expectMemoryNeutral(() => vonMisesSample(0, 2, [10], 1), 'vonMisesSample');
  });
  it('rejects bad arguments naming them', () => {
    expect(() => vonMisesSample(0, 0, [3])).toThrow(/concentration.*positive/);
    expect(() => vonMisesSample(NaN, 1, [3])).toThrow(/loc.*finite/);
    expect(() => vonMisesSample(0, [1, 2], [3])).toThrow(/concentration/);
    expect(() => vonMisesSample(0, 1, [-1])).toThrow(/shape/);
    expect(vonMisesSample(0, 1, [0]).shape).toEqual([0]);
  });
});
