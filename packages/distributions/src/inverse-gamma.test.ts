import * as tf from '@tensorflow/tfjs-core';
import invgamma from '@stdlib/stats-base-dists-invgamma';
import { expectClose } from '@vae/testing';
import { expectLogProbGradientsMatch } from '../test/gradient-checks.js';
import { errorReport, describeStandardChecks, f32 } from '../test/scalar-family-helpers.js';
import { InverseGamma } from './index.js';
import type { InverseGammaParams } from './index.js';
import { positiveParameterErrors, scalarEventShapes } from '../test/shape-rows.js';

const report = errorReport('InverseGamma', '@stdlib');

describe('InverseGamma against @stdlib', () => {
  const ALPHAS = [0.3, 1, 2.5, 7, 40];
  // (@stdlib's entropy forms Gamma(alpha), which overflows beyond alpha ~ 171.)
  const EXTREME_ALPHAS = [1e-2, 150];
  it('logProb and cdf around the mode, entropy, mean, variance and mode', () => {
    const cases: { a: number; b: number; x: number; extreme: boolean }[] = [];
    for (const a of [...ALPHAS, ...EXTREME_ALPHAS])
      for (const b of [0.5, 3])
        for (const r of [0.2, 0.9, 1, 1.1, 5])
          cases.push({ a: f32(a), b: f32(b), x: f32((b / (a + 1)) * r), extreme: EXTREME_ALPHAS.includes(a) });
    const ext = cases.map((c) => c.extreme);
    const d = new InverseGamma({ concentration: cases.map((c) => c.a), scale: cases.map((c) => c.b) });
    const oracle = (f: (x: number, a: number, b: number) => number) => cases.map((c) => f(c.x, c.a, c.b));
    report.check('logProb', d.logProb(cases.map((c) => c.x)), oracle(invgamma.logpdf), ext, { ordinary: 2e-5, extreme: 2e-4 });
    report.check('cdf', d.cdf(cases.map((c) => c.x)), oracle(invgamma.cdf), ext, { ordinary: 2e-5, extreme: 2e-3 });
    // The lower tail (x far below the mode): Q(alpha, beta / x) directly, so its log holds.
    const tail = [
      [2.5, 1, 0.02],
      [7, 3, 0.05],
      [40, 0.5, 0.004],
    ].map((r) => r.map(f32));
    expect(tail.every(([a, b, x]) => invgamma.cdf(x, a, b) < 1e-8 && invgamma.cdf(x, a, b) > 1e-30)).toBe(true);
    const dt = new InverseGamma({ concentration: tail.map((r) => r[0]), scale: tail.map((r) => r[1]) });
    report.check(
      'logCdf',
      dt.logCdf(tail.map((r) => r[2])),
      tail.map(([a, b, x]) => Math.log(invgamma.cdf(x, a, b))),
      tail.map(() => true),
      { ordinary: 1e-5, extreme: 1e-5 },
    );
    dt.dispose();
    const per = (f: (a: number, b: number) => number) => cases.map((c) => f32(f(c.a, c.b)));
    report.check('entropy', d.entropy(), per(invgamma.entropy), ext, { ordinary: 2e-5, extreme: 2e-4 });
    // @stdlib gives NaN for an undefined mean or variance; the family gives +Infinity (the integral diverges).
    const orInf = (f: (a: number, b: number) => number) => per((a, b) => (Number.isNaN(f(a, b)) ? Infinity : f(a, b)));
    report.check('mean', d.mean(), orInf(invgamma.mean), ext, { ordinary: 1e-6, extreme: 1e-6 });
    report.check('variance', d.variance(), orInf(invgamma.variance), ext, { ordinary: 1e-5, extreme: 1e-5 });
    report.check('mode', d.mode(), per(invgamma.mode), ext, { ordinary: 1e-6, extreme: 1e-6 });
    d.dispose();
  });

  it('logProb gradients match float64 finite differences; rsample is differentiable (d/dscale E[x] = 1 / (alpha - 1))', () => {
    const [a, b, v] = [f32(3.5), f32(1.3), f32(0.7)];
    expectLogProbGradientsMatch((c, s) => new InverseGamma({ concentration: c, scale: s }), invgamma.logpdf, [a, b], v, { atol: 0 });
    const gs = tf.grad((s: tf.Tensor) => tf.mean(new InverseGamma({ concentration: 6, scale: s }).rsample([8000], 2)))(tf.scalar(b));
    expectClose(gs, 1 / 5, { rtol: 0.03 });
    tf.dispose(gs);
  });
});

describeStandardChecks<InverseGammaParams>({
  family: InverseGamma,
  shapes: scalarEventShapes({ concentration: 3, scale: 1 }, { concentration: [3, 4], scale: 2 }),
  params: { concentration: [5, 9, 30], scale: [0.5, 2, 10] },
  monteCarlo: { samples: 8000 },
  value: [0.1, 1, 3],
  badParams: positiveParameterErrors<InverseGammaParams>('InverseGamma', 'concentration', 'scale'),
  outside: [0, -1e-3, NaN, Infinity],
  supportMessage: /InverseGamma: value must be in the support: positive/,
  finiteGradients: { build: (p) => new InverseGamma({ concentration: p, scale: 1 }), param: [0.3, 2], values: [0.5, 3] },
});
