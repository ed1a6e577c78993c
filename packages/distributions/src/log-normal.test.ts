import * as tf from '@tensorflow/tfjs-core';
import lognormalDist from '@stdlib/stats-base-dists-lognormal';
import { expectLogProbGradientsMatch, expectRsampleGradientsMatch } from '../test/gradient-checks.js';
import { errorReport, describeStandardChecks, f32 } from '../test/scalar-family-helpers.js';
import { scalarEventShapes } from '../test/shape-rows.js';
import { LogNormal } from './index.js';
import type { LogNormalParams } from './index.js';

const report = errorReport('LogNormal', '@stdlib');

describe('LogNormal against @stdlib', () => {
  const cases: { loc: number; scale: number; x: number; extreme: boolean }[] = [];
  for (const loc of [0, -3, 5]) {
    for (const scale of [1e-6, 0.01, 0.5, 1, 3]) {
      for (const k of [-30, -5, -1, 0, 0.5, 3, 25]) {
        const logX = loc + k * scale;
        if (Math.abs(logX) > 80) continue; // beyond float32's range of x
        cases.push({ loc: f32(loc), scale: f32(scale), x: f32(Math.exp(logX)), extreme: Math.abs(k) > 10 || scale <= 0.01 });
      }
    }
  }
  const ext = cases.map((c) => c.extreme);

  it('logProb, cdf and logCdf for x from e^-75 to e^80', () => {
    const d = new LogNormal({ loc: cases.map((c) => c.loc), scale: cases.map((c) => c.scale) });
    const x = cases.map((c) => c.x);
    const oracle = (f: (x: number, m: number, s: number) => number) => cases.map((c) => f(c.x, c.loc, c.scale));
    // log x in float32 carries an absolute rounding error of ~|log x| * 6e-8, which z = (log x - loc) / scale
    // amplifies by 1 / scale: scales <= 0.01 are in the extreme regime (up to ~0.25 for scale 1e-6).
    report.checkEach(ext, { ordinary: 1e-5, extreme: 0.5 }, [
      ['logProb', d.logProb(x), oracle(lognormalDist.logpdf)],
      ['cdf', d.cdf(x), oracle(lognormalDist.cdf)],
      ['logCdf', d.logCdf(x), oracle(lognormalDist.logcdf)],
    ]);
    d.dispose();
  });

  it('entropy, mean, variance, stddev and mode', () => {
    const pairs = [0, -3, 5, 40].flatMap((m) => [1e-6, 0.01, 0.5, 1, 3].map((s) => [f32(m), f32(s)] as const));
    const ext = pairs.map(([m, s]) => s === f32(1e-6) || m === 40);
    const d = new LogNormal({ loc: pairs.map((p) => p[0]), scale: pairs.map((p) => p[1]) });
    // Rounded to float32: a variance beyond 3.4e38 is Infinity in float32.
    const oracle = (f: (m: number, s: number) => number) => pairs.map(([m, s]) => f32(f(m, s)));
    report.checkEach(ext, { ordinary: 1e-6, extreme: 1e-5 }, [
      ['entropy', d.entropy(), oracle(lognormalDist.entropy)],
      ['mean', d.mean(), oracle(lognormalDist.mean), { ordinary: 2e-6, extreme: 1e-5 }],
    ]);
    // loc = 40 with a tiny scale: exp(80) * expm1(1e-12) ~ 5.5e22 is representable only because
    // the variance is formed in log space.
    report.checkEach(ext, { ordinary: 2e-6, extreme: 1e-4 }, [
      ['variance', d.variance(), oracle(lognormalDist.variance)],
      ['stddev', d.stddev(), oracle(lognormalDist.stdev)],
      ['mode', d.mode(), oracle(lognormalDist.mode), { ordinary: 2e-6, extreme: 1e-5 }],
    ]);
    d.dispose();
  });
});

describe('LogNormal gradients', () => {
  it('logProb gradients match float64 finite differences', () => {
    const [m, s, v] = [f32(0.3), f32(0.7), f32(2.1)];
    expectLogProbGradientsMatch((loc, scale) => new LogNormal({ loc, scale }), lognormalDist.logpdf, [m, s], v, { atol: 0 });
  });

  it('rsample is differentiable: d/dloc E[x] = E[x], d/dscale E[x] = scale E[x]', () => {
    const [m, s] = [0.2, 0.5];
    const mean = Math.exp(m + (s * s) / 2);
    expectRsampleGradientsMatch((loc, scale) => new LogNormal({ loc, scale }), [m, s], [mean, s * mean], { rtol: 0.05 });
  });

  it('the gradient of logProb(rsample()) is finite (no NaN from the x <= 0 guard)', () => {
    const g = tf.grad((loc: tf.Tensor) => {
      const d = new LogNormal({ loc, scale: 0.5 });
      return tf.sum(d.logProb(d.rsample([100], 3)));
    })(tf.scalar(0.1));
    expect(Number.isFinite(g.dataSync()[0])).toBe(true);
  });
});

describeStandardChecks<LogNormalParams>({
  family: LogNormal,
  shapes: scalarEventShapes({ loc: 0, scale: 1 }, { loc: [0, 1], scale: 1 }, { loc: [[0], [1]], scale: [1, 2, 0.5] }),
  params: { loc: [-1, 0.5, 2], scale: [0.3, 0.5, 0.1] },
  value: [0.1, 0.2, 0.3],
  badParams: [
    [{ loc: 0, scale: [1, 0] }, 'LogNormal: scale must be positive (> 0) and finite; got 0 at index [1]'],
    [{ loc: Infinity, scale: 1 }, /LogNormal: loc must be a real number/],
  ],
  outside: [0, -1, NaN, Infinity],
  supportMessage: /LogNormal: value must be in the support: positive/,
  finiteGradients: { build: (p) => new LogNormal({ loc: 0.2, scale: p }), param: [0.3, 1.5], values: [1e-20, 3] },
});
