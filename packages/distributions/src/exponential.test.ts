import * as tf from '@tensorflow/tfjs-core';
import exponentialDist from '@stdlib/stats-base-dists-exponential';
import { expectClose } from '@vae/testing';
import { expectScoreGradientsMatch } from '../test/gradient-checks.js';
import { errorReport, describeStandardChecks, f32 } from '../test/scalar-family-helpers.js';
import { grid2x3, scalarEventShapes } from '../test/shape-rows.js';
import { Exponential } from './index.js';
import type { ExponentialParams } from './index.js';

const report = errorReport('Exponential', '@stdlib');

const ORDINARY_RATES = [0.01, 0.5, 1, 3, 100];
const EXTREME_RATES = [1e-6, 1e6];

describe('Exponential against @stdlib', () => {
  const cases: { rate: number; x: number; extreme: boolean }[] = [];
  for (const rate of [...ORDINARY_RATES, ...EXTREME_RATES]) {
    for (const k of [0, 1e-9, 1e-3, 0.5, 1, 5, 80]) {
      cases.push({ rate: f32(rate), x: f32(k / rate), extreme: EXTREME_RATES.includes(rate) || k < 1e-3 || k > 10 });
    }
  }
  const ext = cases.map((c) => c.extreme);

  it('logProb, cdf and logCdf from x = 0 to 80 means, including tiny rate x', () => {
    const d = new Exponential({ rate: cases.map((c) => c.rate) });
    const x = cases.map((c) => c.x);
    const oracle = (f: (x: number, r: number) => number) => cases.map((c) => f(c.x, c.rate));
    report.checkEach(ext, { ordinary: 1e-6, extreme: 1e-6 }, [
      ['logProb', d.logProb(x), oracle(exponentialDist.logpdf)],
      ['cdf', d.cdf(x), oracle(exponentialDist.cdf)],
    ]);
    // stdlib's logcdf is log(cdf), which is exact in float64 down to rate x ~ 1e-300.
    report.check('logCdf', d.logCdf(x), oracle(exponentialDist.logcdf), ext, { ordinary: 1e-6, extreme: 1e-6 });
    d.dispose();
  });

  it('entropy, mean, variance, stddev and mode', () => {
    const rates = [...ORDINARY_RATES, ...EXTREME_RATES].map(f32);
    const ext = rates.map((r) => r === f32(1e-6) || r === f32(1e6));
    const d = new Exponential({ rate: rates });
    const oracle = (f: (r: number) => number) => rates.map((r) => f32(f(r)));
    report.checkEach(ext, { ordinary: 1e-7, extreme: 1e-7 }, [
      ['entropy', d.entropy(), oracle(exponentialDist.entropy), { ordinary: 1e-6, extreme: 1e-6 }],
      ['mean', d.mean(), oracle(exponentialDist.mean)],
      ['variance', d.variance(), oracle(exponentialDist.variance), { ordinary: 2e-7, extreme: 2e-7 }],
      ['stddev', d.stddev(), oracle(exponentialDist.stdev)],
      ['mode', d.mode(), oracle(exponentialDist.mode), { ordinary: 0, extreme: 0 }],
    ]);
    d.dispose();
  });
});

describe('Exponential gradients', () => {
  it('logProb and logCdf gradients match float64 finite differences', () => {
    expectScoreGradientsMatch((rate) => new Exponential({ rate }), exponentialDist, [f32(1.7)], f32(0.4));
  });

  it('rsample is differentiable: d/drate E[x] = -1 / rate^2', () => {
    const r = 1.5;
    const g = tf.grad((rate: tf.Tensor) => tf.mean(new Exponential({ rate }).rsample([20000], 5)))(tf.scalar(r));
    expectClose(g, -1 / r ** 2, { rtol: 0.05 });
  });
});

describeStandardChecks<ExponentialParams>({
  family: Exponential,
  shapes: scalarEventShapes({ rate: 1 }, { rate: [1, 2] }, { rate: grid2x3(1) }),
  params: { rate: [0.5, 2, 1e3] },
  value: [0.1, 0, 0.3],
  badParams: [
    [{ rate: [1, 0] }, 'Exponential: rate must be positive (> 0) and finite; got 0 at index [1]'],
    [{ rate: Infinity }, /Exponential: rate must be positive/],
  ],
  outside: [-1e-3, NaN, Infinity],
  supportMessage: /Exponential: value must be in the support: non-negative/,
  finiteGradients: { build: (p) => new Exponential({ rate: p }), param: [0.3, 1.5], values: [0, 3] },
});
