import * as tf from '@tensorflow/tfjs-core';
import weibullDist from '@stdlib/stats-base-dists-weibull';
import { expectClose, expectMemoryNeutral } from '@vae/testing';
import { expectLogProbGradientsMatch } from '../test/gradient-checks.js';
import { errorReport, describeStandardChecks, f32 } from '../test/scalar-family-helpers.js';
import { Weibull } from './index.js';
import type { WeibullParams } from './index.js';
import { positiveParameterErrors, twoParameterShapes } from '../test/shape-rows.js';

const report = errorReport('Weibull', '@stdlib');

// stdlib's argument order is (x, k, lambda): shape first.
const SCALES = [0.01, 1, 3, 1e3];
const SHAPES = [0.2, 0.5, 1, 2.5, 20];
const EXTREME_SHAPES = [0.05, 200];

describe('Weibull against @stdlib', () => {
  const cases: { scale: number; k: number; x: number; extreme: boolean }[] = [];
  for (const scale of SCALES)
    for (const k of [...SHAPES, ...EXTREME_SHAPES])
      for (const u of [1e-6, 0.1, 0.5, 0.9, 1 - 1e-4]) {
        const x = f32(scale * (-Math.log1p(-u)) ** (1 / k));
        if (x > 0 && Number.isFinite(x)) cases.push({ scale: f32(scale), k: f32(k), x, extreme: EXTREME_SHAPES.includes(k) || u < 1e-3 });
      }
  const ext = cases.map((c) => c.extreme);

  it('logProb, cdf and logCdf across the quantiles, tiny and huge shapes included', () => {
    const d = new Weibull({ scale: cases.map((c) => c.scale), concentration: cases.map((c) => c.k) });
    const x = cases.map((c) => c.x);
    const oracle = (f: (x: number, k: number, l: number) => number) => cases.map((c) => f(c.x, c.k, c.scale));
    report.check('logProb', d.logProb(x), oracle(weibullDist.logpdf), ext, { ordinary: 5e-5, extreme: 2e-4 });
    report.check('cdf', d.cdf(x), oracle(weibullDist.cdf), ext, { ordinary: 2e-5, extreme: 2e-4 });
    report.check('logCdf', d.logCdf(x), oracle(weibullDist.logcdf), ext, { ordinary: 2e-5, extreme: 2e-4 });
    d.dispose();
  });

  it('entropy, mean, variance, stddev, mode and icdf', () => {
    const params = SCALES.flatMap((scale) => [...SHAPES, ...EXTREME_SHAPES].map((k) => ({ scale: f32(scale), k: f32(k) })));
    const ext = params.map((p) => EXTREME_SHAPES.includes(p.k) || p.k === f32(0.05));
    const d = new Weibull({ scale: params.map((p) => p.scale), concentration: params.map((p) => p.k) });
    const oracle = (f: (k: number, l: number) => number) => params.map((p) => f(p.k, p.scale));
    report.check('entropy', d.entropy(), oracle(weibullDist.entropy), ext, { ordinary: 1e-5, extreme: 1e-5 });
    report.check('mean', d.mean(), oracle(weibullDist.mean), ext, { ordinary: 2e-5, extreme: 1e-3 });
    // k = 0.05 puts the variance beyond float32's range: Infinity is the float32 answer.
    report.check(
      'variance',
      d.variance(),
      oracle((k, l) => f32(weibullDist.variance(k, l))),
      ext,
      { ordinary: 1e-4, extreme: 1e-3 },
    );
    report.check('mode', d.mode(), oracle(weibullDist.mode), ext, { ordinary: 1e-5, extreme: 1e-4 });
    report.check(
      'icdf',
      d.icdf(0.3),
      oracle((k, l) => weibullDist.quantile(f32(0.3), k, l)),
      ext,
      { ordinary: 1e-5, extreme: 1e-4 },
    );
    d.dispose();
  });

  it('logCdf stays finite where the CDF underflows (x far below the scale)', () => {
    const d = new Weibull({ scale: 1, concentration: 3 });
    expectClose(d.logCdf([1e-20, 1e-30]), [3 * Math.log(1e-20), 3 * Math.log(1e-30)], { rtol: 1e-5 });
    d.dispose();
  });
});

describe('Weibull gradients', () => {
  it('logProb gradients match float64 finite differences, and rsample is differentiable: d/dscale E[x] = Gamma(1 + 1/k)', () => {
    const [l, k, v] = [f32(1.7), f32(2.5), f32(0.9)];
    expectLogProbGradientsMatch(
      (s, c) => new Weibull({ scale: s, concentration: c }),
      (x, s, c) => weibullDist.logpdf(x, c, s),
      [l, k],
      v,
      { atol: 0 },
    );
    const gs = tf.grad((s: tf.Tensor) => tf.mean(new Weibull({ scale: s, concentration: 2 }).rsample([8000], 3)))(tf.scalar(1.5));
    expectClose(gs, Math.sqrt(Math.PI) / 2, { rtol: 0.03 });
    tf.dispose(gs);
  });

  it('icdf is memory-neutral and inverts cdf', async () => {
    const d = new Weibull({ scale: 2, concentration: 0.7 });
    const p = [1e-6, 0.25, 0.75, 1 - 2 ** -20];
    const x = d.icdf(p);
    expectClose(d.cdf(x), p, { rtol: 1e-4 });
    x.dispose();
    await expectMemoryNeutral(() => d.icdf([0.2, 0.7]), 'Weibull.icdf');
    d.dispose();
  });
});

describeStandardChecks<WeibullParams>({
  family: Weibull,
  shapes: twoParameterShapes<WeibullParams>('scale', 'concentration', [1, 2], [[1, 2], 0.5]),
  params: { scale: [0.5, 2, 10], concentration: [0.8, 1.5, 5] },
  monteCarlo: { samples: 8000 },
  value: [0.1, 0, 3],
  badParams: positiveParameterErrors<WeibullParams>('Weibull', 'scale', 'concentration'),
  outside: [-1e-3, NaN, Infinity],
  supportMessage: /Weibull: value must be in the support: non-negative/,
  finiteGradients: { build: (p) => new Weibull({ scale: p, concentration: 1 }), param: [0.3, 1.5], values: [0, 3] },
});
