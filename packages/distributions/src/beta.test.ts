import * as tf from '@tensorflow/tfjs-core';
import betaDist from '@stdlib/stats-base-dists-beta';
import { derivative64, expectClose } from '@vae/testing';
import { SCALAR_METHODS, errorReport, expectOwnedParameterMemoryNeutral, f32 } from '../test/scalar-family-helpers.js';
import type { TensorInput } from '@vae/math';
import { concentrationPairCases, concentrationPairGrid, describeConcentrationPairChecks } from '../test/concentration-pair-suite.js';
import { expectLogProbGradientsMatch, expectRsampleGradientsMatch } from '../test/gradient-checks.js';
import { Beta } from './index.js';

const report = errorReport('Beta', '@stdlib');

const ORDINARY = [0.5, 1, 2, 7.5];
const EXTREME = [0.01, 0.2, 100, 1e4];
const XS = [0, 1e-6, 0.01, 0.3, 0.5, 0.9, 1 - 1e-6, 1];

describe('Beta against @stdlib', () => {
  const cases = concentrationPairCases(ORDINARY, EXTREME, XS);

  it('logProb over a grid including the ends of [0, 1] and concentrations from 0.01 to 1e4', () => {
    const d = new Beta({ concentration1: cases.map((c) => c.a), concentration0: cases.map((c) => c.b) });
    const expected = cases.map((c) => betaDist.logpdf(c.x, c.a, c.b));
    // Large concentrations cancel lgamma terms of size ~1e5 in float32: absolute error ~1e-2 there.
    report.check(
      'logProb',
      d.logProb(cases.map((c) => c.x)),
      expected,
      cases.map((c) => c.extreme),
      { ordinary: 2e-5, extreme: 2e-2 },
    );
    d.dispose();
  });

  it('boundary values: finite, +Infinity or -Infinity depending on the concentration', () => {
    const d = new Beta({ concentration1: [1, 0.5, 2, 3], concentration0: [1, 3, 2, 1] });
    expectClose(d.logProb(0), [0, Infinity, -Infinity, -Infinity]);
    expectClose(d.logProb(1), [0, -Infinity, -Infinity, Math.log(3)], { rtol: 1e-6 });
    d.dispose();
  });

  it('cdf and logCdf (betainc, logBetainc) over the same grid', () => {
    const d = new Beta({ concentration1: cases.map((c) => c.a), concentration0: cases.map((c) => c.b) });
    const x = cases.map((c) => c.x);
    report.checkEach(
      cases.map((c) => c.extreme),
      { ordinary: 1e-5, extreme: 2e-4 },
      [['cdf', d.cdf(x), cases.map((c) => betaDist.cdf(c.x, c.a, c.b))]],
    );
    // @stdlib's logcdf is log(cdf), -Infinity once the float64 cdf underflows: compared where it does
    // not; beyond, logCdf must be finite and below log(1e-300) (mpmath values in @vae/math's tests).
    const logCdf = Array.from(d.logCdf(x).dataSync());
    const underflow = cases.map((c) => c.x > 0 && betaDist.cdf(c.x, c.a, c.b) === 0);
    const kept = cases.filter((_, i) => !underflow[i]);
    report.check(
      'logCdf',
      logCdf.filter((_, i) => !underflow[i]),
      kept.map((c) => betaDist.logcdf(c.x, c.a, c.b)),
      kept.map((c) => c.extreme),
      { ordinary: 1e-5, extreme: 1e-4 },
    );
    expect(logCdf.filter((_, i) => underflow[i]).every((v) => Number.isFinite(v) && v < -690)).toBe(true);
    d.dispose();
  });

  it('entropy, mean, variance, stddev and mode', () => {
    const { pairs, extreme, params, oracle } = concentrationPairGrid(ORDINARY, EXTREME);
    const d = new Beta({ ...params, validateArgs: false });
    report.checkEach(extreme, { ordinary: 1e-6, extreme: 1e-5 }, [
      ['entropy', d.entropy(), oracle(betaDist.entropy), { ordinary: 5e-6, extreme: 5e-6 }],
      ['mean', d.mean(), oracle(betaDist.mean), { ordinary: 1e-6, extreme: 1e-6 }],
      ['variance', d.variance(), oracle(betaDist.variance)],
      ['stddev', d.stddev(), oracle(betaDist.stdev)],
    ]);
    const mode = Array.from(d.mode().dataSync());
    pairs.forEach(([a, b], i) => {
      if (a > 1 && b > 1) expect(mode[i]).toBeCloseTo(betaDist.mode(a, b), 6);
      else if (a === 1 && b > 1) expect(mode[i]).toBe(0);
      else if (b === 1 && a > 1) expect(mode[i]).toBe(1);
      else expect(mode[i]).toBeNaN();
    });
    d.dispose();
  });
});

describe('Beta gradients', () => {
  // The point of the finite-difference checks of logProb and cdf, as float32 holds it.
  const [a, b, x] = [f32(2.5), f32(0.7), f32(0.35)];

  it('logProb gradients in both concentrations and the value match float64 finite differences', () => {
    expectLogProbGradientsMatch((ta, tb) => new Beta({ concentration1: ta, concentration0: tb }), betaDist.logpdf, [a, b], x);
  });

  it('cdf gradients: in the value the density, in both concentrations float64 finite differences of @stdlib', () => {
    const g = tf.grads((ta: tf.Tensor, tb: tf.Tensor, tx: tf.Tensor) => new Beta({ concentration1: ta, concentration0: tb }).cdf(tx))(
      [a, b, x].map((v) => tf.scalar(v)),
    );
    expectClose(
      g[0],
      derivative64((t) => betaDist.cdf(x, t, b), a),
      { rtol: 2e-4, label: 'd/dconcentration1' },
    );
    expectClose(
      g[1],
      derivative64((t) => betaDist.cdf(x, a, t), b),
      { rtol: 2e-4, label: 'd/dconcentration0' },
    );
    expectClose(g[2], betaDist.pdf(x, a, b), { rtol: 2e-5, label: 'd/dx' });
    // logCdf far in the lower tail, where cdf underflows: d log F / dx = p / F stays finite.
    const lg = tf.grad((tx: tf.Tensor) => new Beta({ concentration1: 60, concentration0: 3 }).logCdf(tx))(tf.scalar(1e-3));
    expectClose(
      lg,
      derivative64((t) => betaDist.logcdf(t, 60, 3), 1e-3, 1e-7),
      { rtol: 1e-4, label: 'd log F/dx' },
    );
  });

  it('logProb gradients are finite on the boundary where the density is', () => {
    const g = tf.grad((ta: tf.Tensor) => new Beta({ concentration1: ta, concentration0: 2 }).logProb(1))(tf.scalar(1.5));
    expect(Number.isFinite(g.dataSync()[0])).toBe(true);
  });

  it('rsample is differentiable: d/da E[x] = b / (a + b)^2, d/db E[x] = -a / (a + b)^2', () => {
    const [a, b] = [2, 3];
    const make = (ta: tf.Tensor, tb: tf.Tensor) => new Beta({ concentration1: ta, concentration0: tb });
    expectRsampleGradientsMatch(make, [a, b], [b / (a + b) ** 2, -a / (a + b) ** 2], { rtol: 0.05 });
  });
});

describe('Beta validation and memory', () => {
  it('names the distribution, argument and constraint', () => {
    expect(() => new Beta({ concentration1: [1, -1], concentration0: 1 })).toThrow(
      'Beta: concentration1 must be positive (> 0) and finite; got -1 at index [1]',
    );
    expect(() => new Beta({ concentration1: 1, concentration0: NaN })).toThrow(/Beta: concentration0 must be positive/);
    const d = new Beta({ concentration1: 2, concentration0: 2 });
    expect(() => d.logProb(1.5)).toThrow(/Beta: value must be in the support: in \[0, 1\]; got 1.5/);
    expect(() => new Beta({ concentration1: [2, 0.5], concentration0: 2 }).mode()).toThrow(
      /Beta: concentration1 and concentration0 must be both >= 1 and not both 1 for mode\(\) to be defined; got \[0.5, 2\] at index \[1\]/,
    );
  });

  it('without validation, logProb outside the support is -Infinity, never NaN', () => {
    const d = new Beta({ concentration1: 0.5, concentration0: 0.5, validateArgs: false });
    expect(Array.from(d.logProb([-0.1, 1.1, NaN, Infinity]).dataSync())).toEqual([-Infinity, -Infinity, -Infinity, -Infinity]);
  });

  it('every public method is memory-neutral', async () => {
    const build = (concentration1: TensorInput) => new Beta({ concentration1, concentration0: 2 });
    await expectOwnedParameterMemoryNeutral(build, SCALAR_METHODS, (c1) => ({
      cdfGrad: () => tf.grad((t: tf.Tensor) => tf.sum(build(t).logCdf(0.5)))(c1),
    }));
  });
});

describeConcentrationPairChecks(Beta, { concentration1: [2, 0.5, 10], concentration0: [3, 0.5, 1] });
