import * as tf from '@tensorflow/tfjs-core';
import gammaDist from '@stdlib/stats-base-dists-gamma';
import gammaln from '@stdlib/math-base-special-gammaln';
import { expectClose } from '@vae/testing';
import { errorReport, describeStandardChecks, f32, expectOwnedParameterMemoryNeutral } from '../test/scalar-family-helpers.js';
import { positiveParameterErrors, twoParameterShapes } from '../test/shape-rows.js';
import { expectLogProbGradientsMatch, expectRsampleGradientsMatch, finiteGradientsByRow } from '../test/gradient-checks.js';
import { Gamma } from './index.js';
import type { GammaParams } from './index.js';

const report = errorReport('Gamma', '@stdlib');

const ORDINARY_A = [0.5, 1, 2.5, 10];
const EXTREME_A = [0.01, 0.1, 100, 1e4];
const ORDINARY_RATE = [0.5, 1, 3];
const EXTREME_RATE = [1e-6, 1e6];
const MULTIPLES = [0, 1e-3, 0.1, 0.5, 1, 2, 10];

describe('Gamma against @stdlib', () => {
  const cases: { a: number; r: number; x: number; extreme: boolean }[] = [];
  for (const a of [...ORDINARY_A, ...EXTREME_A]) {
    for (const r of [...ORDINARY_RATE, ...EXTREME_RATE]) {
      for (const k of MULTIPLES) {
        const extreme = !ORDINARY_A.includes(a) || !ORDINARY_RATE.includes(r) || k === 0 || k === 1e-3 || k === 10;
        cases.push({ a: f32(a), r: f32(r), x: f32((k * a) / r), extreme });
      }
    }
  }
  const extreme = cases.map((c) => c.extreme);

  it('logProb over concentrations 0.01..1e4, rates 1e-6..1e6 and x from 0 to 10 means', () => {
    const d = new Gamma({ concentration: cases.map((c) => c.a), rate: cases.map((c) => c.r) });
    // stdlib's logpdf overflows to -Infinity for a = 1e4; there the float64 closed form is the oracle.
    const closedForm = (x: number, a: number, r: number) =>
      x === 0 ? (a < 1 ? Infinity : a === 1 ? Math.log(r) : -Infinity) : (a - 1) * Math.log(x) + a * Math.log(r) - r * x - gammaln(a);
    const expected = cases.map((c) => (c.a > 1000 ? closedForm(c.x, c.a, c.r) : gammaDist.logpdf(c.x, c.a, c.r)));
    cases
      .filter((c) => c.a <= 1000 && c.x > 0)
      .forEach((c) => expect(closedForm(c.x, c.a, c.r)).toBeCloseTo(gammaDist.logpdf(c.x, c.a, c.r), 6));
    report.check('logProb', d.logProb(cases.map((c) => c.x)), expected, extreme, { ordinary: 1e-6, extreme: 5e-5 });
    d.dispose();
  });

  it('cdf and logCdf (igamma; concentrations up to 100, its documented accurate range)', () => {
    const sub = cases.filter((c) => c.a <= 100);
    const d = new Gamma({ concentration: sub.map((c) => c.a), rate: sub.map((c) => c.r) });
    const x = sub.map((c) => c.x);
    const ext = sub.map((c) => c.extreme);
    report.checkEach(ext, { ordinary: 1e-5, extreme: 1e-4 }, [
      ['cdf', d.cdf(x), sub.map((c) => gammaDist.cdf(c.x, c.a, c.r))],
      ['logCdf', d.logCdf(x), sub.map((c) => gammaDist.logcdf(c.x, c.a, c.r))],
    ]);
    d.dispose();
  });

  it('x = 0: +Infinity, log rate or -Infinity depending on the concentration', () => {
    const d = new Gamma({ concentration: [0.5, 1, 2], rate: 2 });
    expectClose(d.logProb(0), [Infinity, Math.log(2), -Infinity], { rtol: 1e-6 });
    d.dispose();
  });

  it('entropy, mean, variance, stddev and mode', () => {
    const pairs = [...ORDINARY_A, ...EXTREME_A].flatMap((a) => [...ORDINARY_RATE, ...EXTREME_RATE].map((r) => [f32(a), f32(r)] as const));
    const ext = pairs.map(([a, r]) => !ORDINARY_A.includes(a) || !ORDINARY_RATE.includes(r));
    const d = new Gamma({ concentration: pairs.map((p) => p[0]), rate: pairs.map((p) => p[1]) });
    const oracle = (f: (a: number, r: number) => number) => pairs.map(([a, r]) => f(a, r));
    report.checkEach(ext, { ordinary: 1e-6, extreme: 1e-6 }, [
      ['entropy', d.entropy(), oracle(gammaDist.entropy), { ordinary: 2e-6, extreme: 1e-5 }],
      ['mean', d.mean(), oracle(gammaDist.mean)],
      ['variance', d.variance(), oracle(gammaDist.variance)],
      ['stddev', d.stddev(), oracle(gammaDist.stdev)],
    ]);
    // stdlib's mode is NaN for a < 1; ours is 0 there (torch's choice: the density is unbounded at 0).
    report.check(
      'mode',
      d.mode(),
      oracle((a, r) => (a >= 1 ? gammaDist.mode(a, r) : 0)),
      ext,
      { ordinary: 1e-6, extreme: 1e-6 },
    );
    d.dispose();
  });
});

describe('Gamma gradients', () => {
  it('logProb gradients in concentration, rate and value match float64 finite differences', () => {
    const [a, r, x] = [f32(2.5), f32(0.7), f32(1.9)];
    expectLogProbGradientsMatch((ta, tr) => new Gamma({ concentration: ta, rate: tr }), gammaDist.logpdf, [a, r], x);
  });

  it('logProb gradients at large concentration (the Stirling branch) match finite differences', () => {
    const logpdf = (x: number, a: number, r: number) => (a - 1) * Math.log(x) + a * Math.log(r) - r * x - gammaln(a);
    for (const [a, r, x] of [
      [50, 2, 27],
      [1e3, 0.5, 1.9e3],
    ].map((v) => v.map(f32))) {
      const make = (concentration: tf.Tensor) => new Gamma({ concentration, rate: r });
      expectLogProbGradientsMatch(make, (v, c) => logpdf(v, c, r), [a], x, { rtol: 1e-3, atol: [1e-4, 1e-5] });
    }
  });

  it('cdf gradient in the value is the density', () => {
    const [a, r, x] = [2.5, 0.7, 1.9];
    const g = tf.grad((tx: tf.Tensor) => new Gamma({ concentration: a, rate: r }).cdf(tx))(tf.scalar(x));
    expectClose(g, gammaDist.pdf(f32(x), f32(a), f32(r)), { rtol: 1e-4 });
  });

  it('rsample is differentiable: d/da E[x] = 1 / rate, d/drate E[x] = -a / rate^2', () => {
    const [a, r] = [2, 1.5];
    const make = (ta: tf.Tensor, tr: tf.Tensor) => new Gamma({ concentration: ta, rate: tr });
    expectRsampleGradientsMatch(make, [a, r], [1 / r, -a / r ** 2], { rtol: 0.05 });
  });
});

describe('Gamma validation and memory', () => {
  it('names the distribution, argument and constraint', () => {
    expect(() => new Gamma({ concentration: [1, 0], rate: 1 })).toThrow(
      'Gamma: concentration must be positive (> 0) and finite; got 0 at index [1]',
    );
    expect(() => new Gamma({ concentration: 1, rate: -2 })).toThrow(/Gamma: rate must be positive/);
    expect(() => new Gamma({ concentration: 1, rate: 1 }).logProb(-1)).toThrow(/Gamma: value must be in the support: non-negative/);
  });

  it('without validation, logProb outside the support is -Infinity, never NaN', () => {
    const d = new Gamma({ concentration: 0.5, rate: 1, validateArgs: false });
    expect(Array.from(d.logProb([-0.1, NaN, Infinity]).dataSync())).toEqual([-Infinity, -Infinity, -Infinity]);
    expect(Array.from(d.cdf([-1]).dataSync())).toEqual([0]);
  });

  it('every public method is memory-neutral', async () => {
    await expectOwnedParameterMemoryNeutral((concentration) => new Gamma({ concentration, rate: 2 }));
  });
});

describe('Gamma logProb where rate x is below the smallest normal float32', () => {
  // TensorFlow flushes the subnormal product rate * x to 0; the density is taken from log rate + log x.
  it('is finite and matches the closed form in float64', () => {
    const a = 1e-4;
    const rate = 0.005;
    const x = 2 ** -126;
    const got = new Gamma({ concentration: a, rate }).logProb(x).dataSync()[0];
    const a32 = Math.fround(a);
    const r32 = Math.fround(rate);
    const want = (a32 - 1) * (Math.log(r32) + Math.log(x)) - r32 * x - gammaln(a32) + Math.log(r32);
    expect(Number.isFinite(got)).toBe(true);
    expect(Math.abs(got - want) / Math.abs(want)).toBeLessThan(1e-6);
  });
});

describeStandardChecks<GammaParams>({
  family: Gamma,
  shapes: twoParameterShapes<GammaParams>('concentration', 'rate', [1, 2], [[1, 2], 3]),
  params: { concentration: [0.3, 2, 50], rate: [1, 0.5, 20] },
  value: [0.1, 0.2, 0.3],
  badParams: positiveParameterErrors<GammaParams>('Gamma', 'concentration', 'rate'),
  outside: [-0.1, NaN, Infinity],
  supportMessage: /Gamma: value must be in the support: non-negative/,
  // Boundary values where the density is finite.
  finiteGradients: finiteGradientsByRow(Gamma, { concentration: [1, 2.5], rate: [3, 0.5] }, [0, 0.7]),
});
