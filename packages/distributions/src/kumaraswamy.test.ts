import * as tf from '@tensorflow/tfjs-core';
import kumaraswamyDist from '@stdlib/stats-base-dists-kumaraswamy';
import digamma from '@stdlib/math-base-special-digamma';
import { errorReport, f32, expectOwnedParameterMemoryNeutral } from '../test/scalar-family-helpers.js';
import { concentrationPairCases, concentrationPairGrid, describeConcentrationPairChecks } from '../test/concentration-pair-suite.js';
import { expectLogProbGradientsMatch, expectRsampleMeanGradientsMatch } from '../test/gradient-checks.js';
import { Kumaraswamy } from './index.js';

const report = errorReport('Kumaraswamy', '@stdlib');

const ORDINARY = [0.5, 1, 2, 5];
const EXTREME = [0.05, 50, 1000];
const XS = [0, 1e-6, 0.01, 0.3, 0.5, 0.9, 0.999, 1 - 1e-6, 1];
const EULER = 0.5772156649015329;

describe('Kumaraswamy against @stdlib', () => {
  const cases = concentrationPairCases(ORDINARY, EXTREME, XS);
  const ext = cases.map((c) => c.extreme);

  it('logProb, cdf and logCdf over a grid including both ends of [0, 1]', () => {
    const d = new Kumaraswamy({ concentration1: cases.map((c) => c.a), concentration0: cases.map((c) => c.b) });
    const x = cases.map((c) => c.x);
    // stdlib's logpdf forms 1 - x^a directly: where x^a rounds to 1 in float64 it is off, so the
    // oracle is the float64 closed form with log1p(-x^a) = log(-expm1(a log x)), checked against stdlib elsewhere.
    const logpdf = (c: (typeof cases)[number]) => {
      if (c.x === 0) return c.a < 1 ? Infinity : c.a === 1 ? Math.log(c.a * c.b) : -Infinity;
      if (c.x === 1) return c.b < 1 ? Infinity : c.b === 1 ? Math.log(c.a * c.b) : -Infinity;
      return Math.log(c.a * c.b) + (c.a - 1) * Math.log(c.x) + (c.b - 1) * Math.log(-Math.expm1(c.a * Math.log(c.x)));
    };
    cases
      .filter((c) => c.x > 0 && c.x < 1 && c.x ** c.a < 0.5)
      .forEach((c) => expect(logpdf(c)).toBeCloseTo(kumaraswamyDist.logpdf(c.x, c.a, c.b), 6));
    report.checkEach(ext, { ordinary: 2e-6, extreme: 1e-4 }, [
      ['logProb', d.logProb(x), cases.map(logpdf)],
      ['cdf', d.cdf(x), cases.map((c) => kumaraswamyDist.cdf(c.x, c.a, c.b))],
    ]);
    // stdlib's logcdf is log(cdf): it underflows where the cdf does; there the float64 closed form is used.
    const logcdf = (c: (typeof cases)[number]) => {
      const direct = kumaraswamyDist.logcdf(c.x, c.a, c.b);
      if (Number.isFinite(direct) || c.x === 0) return direct;
      if (c.a * Math.log(c.x) + Math.log(c.b) < -30) return Math.log(c.b) + c.a * Math.log(c.x);
      const logSurvival = c.b * Math.log(-Math.expm1(c.a * Math.log(c.x)));
      return Math.log(-Math.expm1(logSurvival));
    };
    report.check('logCdf', d.logCdf(x), cases.map(logcdf), ext, { ordinary: 2e-6, extreme: 1e-4 });
    d.dispose();
  });

  it('mean, variance, entropy and mode', () => {
    const { pairs, extreme: e, params, oracle } = concentrationPairGrid(ORDINARY, EXTREME);
    const d = new Kumaraswamy({ ...params, validateArgs: false });
    report.check('mean', d.mean(), oracle(kumaraswamyDist.mean), e, { ordinary: 2e-6, extreme: 1e-4 });
    // m2 - m1^2 cancels when the variance is tiny relative to the squared mean (large a): loose there.
    report.check('variance', d.variance(), oracle(kumaraswamyDist.variance), e, { ordinary: 5e-5, extreme: 5e-3 });
    const entropy = (a: number, b: number) => 1 - 1 / b + (1 - 1 / a) * (digamma(b + 1) + EULER) - Math.log(a * b);
    report.check('entropy', d.entropy(), oracle(entropy), e, { ordinary: 2e-6, extreme: 1e-4 });
    const mode = Array.from(d.mode().dataSync());
    pairs.forEach(([a, b], i) => {
      if (a >= 1 && b >= 1 && a * b > 1) expect(mode[i]).toBeCloseTo(a === 1 ? 0 : kumaraswamyDist.mode(a, b), 5);
      else expect(mode[i]).toBeNaN();
    });
    d.dispose();
  });
});

describe('Kumaraswamy gradients', () => {
  const make = (ta: tf.Tensor, tb: tf.Tensor) => new Kumaraswamy({ concentration1: ta, concentration0: tb });

  it('logProb and logCdf gradients in both concentrations and the value match float64 finite differences', () => {
    const [a, b, x] = [f32(2.5), f32(0.7), f32(0.35)];
    expectLogProbGradientsMatch(make, kumaraswamyDist.logpdf, [a, b], x);
    expectLogProbGradientsMatch(make, kumaraswamyDist.logcdf, [a, b], x, { method: 'logCdf' });
  });

  it('rsample is differentiable: gradients of E[x] match finite differences of the closed-form mean', () => {
    expectRsampleMeanGradientsMatch(make, [2, 3], kumaraswamyDist.mean, { rtol: 0.05 });
  });
});

describe('Kumaraswamy validation and memory', () => {
  it('names the distribution, argument and constraint', () => {
    expect(() => new Kumaraswamy({ concentration1: [1, -1], concentration0: 1 })).toThrow(
      'Kumaraswamy: concentration1 must be positive (> 0) and finite; got -1 at index [1]',
    );
    expect(() => new Kumaraswamy({ concentration1: 1, concentration0: 1 }).logProb(2)).toThrow(
      /Kumaraswamy: value must be in the support: in \[0, 1\]/,
    );
    expect(() => new Kumaraswamy({ concentration1: 0.5, concentration0: 2 }).mode()).toThrow(
      /Kumaraswamy: concentration1 and concentration0 must be both >= 1/,
    );
  });

  it('without validation, logProb outside the support is -Infinity, never NaN; cdf is 0 below and 1 above', () => {
    const d = new Kumaraswamy({ concentration1: 0.5, concentration0: 0.5, validateArgs: false });
    expect(Array.from(d.logProb([-0.1, 1.1, NaN]).dataSync())).toEqual([-Infinity, -Infinity, -Infinity]);
    expect(Array.from(d.cdf([-1, 2]).dataSync(), (v) => v + 0)).toEqual([0, 1]);
  });

  it('every public method is memory-neutral', async () => {
    await expectOwnedParameterMemoryNeutral((concentration1) => new Kumaraswamy({ concentration1, concentration0: 2 }));
  });
});

describe('Kumaraswamy entropy with tiny concentrations (issue 15)', () => {
  // mpmath at 30 digits: psi(b + 1) + gamma cancelled to 6e-8 absolute, which 1/a = 2e5 multiplied.
  it.each([
    [0.0000045742845, 0.0019891954, -1197.4834609296988],
    [0.000027233988, 0.0022830518, -558.0800093159692],
  ])('a = %f, b = %f: within 2e-6 of mpmath, finite gradients', (a, b, want) => {
    tf.tidy(() => {
      const params = [tf.scalar(a), tf.scalar(b)];
      const entropy = (x: tf.Tensor, y: tf.Tensor) => new Kumaraswamy({ concentration1: x, concentration0: y }).entropy();
      const got = entropy(params[0], params[1]).dataSync()[0];
      expect(Math.abs(got - want) / Math.abs(want)).toBeLessThan(2e-6);
      const grads = tf.grads((x: tf.Tensor, y: tf.Tensor) => entropy(x, y))(params);
      expect(grads.every((g) => Number.isFinite(g.dataSync()[0]))).toBe(true);
    });
  });
});

describeConcentrationPairChecks(Kumaraswamy, { concentration1: [0.5, 2, 5], concentration0: [0.5, 3, 1] });
