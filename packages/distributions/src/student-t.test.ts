import * as tf from '@tensorflow/tfjs-core';
import tDist from '@stdlib/stats-base-dists-t';
import { derivative64, expectClose, gradient64, itSlow } from '@vae/testing';
import { errorReport, describeStandardChecks, f32 } from '../test/scalar-family-helpers.js';
import { expectLogProbGradientsMatch, expectRsampleGradientsMatch } from '../test/gradient-checks.js';
import { StudentT } from './index.js';
import type { StudentTParams } from './index.js';
import { scalarEventShapes } from '../test/shape-rows.js';

// @stdlib's t is the standard one (df only): shift and scale it.
const logpdf = (x: number, df: number, m: number, s: number) => tDist.logpdf((x - m) / s, df) - Math.log(s);

const report = errorReport('StudentT', '@stdlib');

describe('StudentT against @stdlib', () => {
  it('logProb for df 1e-2 to 1e6, scale 1e-3 to 1e3, values up to 1e20 scales out', () => {
    const cases: { df: number; m: number; s: number; x: number; extreme: boolean }[] = [];
    for (const df of [1e-2, 0.5, 1, 3, 30, 1e6])
      for (const s of [1e-3, 1, 1e3])
        for (const k of [0, -0.7, 3, 1e20])
          cases.push({
            df: f32(df),
            m: 0.5,
            s: f32(s),
            x: f32(0.5 + k * f32(s)),
            extreme: df < 0.1 || df > 100 || s !== 1 || Math.abs(k) > 10,
          });
    const ext = cases.map((c) => c.extreme);
    const d = new StudentT({ df: cases.map((c) => c.df), loc: 0.5, scale: cases.map((c) => c.s) });
    report.check(
      'logProb',
      d.logProb(cases.map((c) => c.x)),
      cases.map((c) => logpdf(c.x, c.df, c.m, c.s)),
      ext,
      { ordinary: 1e-6, extreme: 2e-5 },
    );
    d.dispose();
  });

  it('entropy as @stdlib; mean, variance NaN / +Infinity exactly where torch gives them; mode loc', () => {
    const df = [0.05, 0.5, 1, 1.5, 2, 2.5, 5, 1e4].map(f32);
    const ext = df.map((v) => v < 0.1 || v > 100);
    const d = new StudentT({ df, loc: 1.5, scale: 2 });
    report.check(
      'entropy',
      d.entropy(),
      df.map((v) => tDist.entropy(v) + Math.log(2)),
      ext,
      { ordinary: 1e-6, extreme: 1e-5 },
    );
    report.check(
      'mean',
      d.mean(),
      df.map((v) => (v > 1 ? 1.5 : NaN)),
      ext,
      { ordinary: 0, extreme: 0 },
    );
    report.check(
      'variance',
      d.variance(),
      df.map((v) => (v > 2 ? (4 * v) / (v - 2) : v > 1 ? Infinity : NaN)),
      ext,
      {
        ordinary: 1e-6,
        extreme: 1e-6,
      },
    );
    report.check(
      'mode',
      d.mode(),
      df.map(() => 1.5),
      ext,
      { ordinary: 0, extreme: 0 },
    );
    d.dispose();
  });
});

describe('StudentT cdf (betainc)', () => {
  const cdf = (x: number, df: number, m: number, s: number) => tDist.cdf((x - m) / s, df);
  it('cdf and logCdf against @stdlib for df 1e-2 to 1e6, from the far lower tail through 0 to the upper tail', () => {
    const cases: { df: number; z: number; extreme: boolean }[] = [];
    for (const df of [1e-2, 0.5, 1, 3, 30, 1e4, 1e6])
      for (const z of [-1e6, -50, -3, -0.7, -1e-3, 0, 0.2, 1, 4, 1e3])
        cases.push({ df: f32(df), z: f32(z), extreme: df < 0.1 || df > 100 || Math.abs(z) > 10 });
    const ext = cases.map((c) => c.extreme);
    const d = new StudentT({ df: cases.map((c) => c.df), loc: 0.5, scale: 2 });
    const x = cases.map((c) => f32(0.5 + 2 * c.z));
    const want = cases.map((c, i) => cdf(x[i], c.df, 0.5, 2));
    report.check('cdf', d.cdf(x), want, ext, { ordinary: 1e-5, extreme: 2e-5 });
    // @stdlib's cdf underflows to 0 for df >= 1e4 at z = -50 and beyond: logCdf is compared where it
    // does not, and at z = -50 against mpmath, log(I_(nu/(nu+z^2))(nu/2, 1/2) / 2) by
    // packages/math/test/fixtures/generate_betainc.py's betainc at 40 digits.
    const logCdf = Array.from(d.logCdf(x).dataSync());
    const kept = want.map((w, i) => (w > 0 ? i : -1)).filter((i) => i >= 0);
    report.check(
      'logCdf',
      kept.map((i) => logCdf[i]),
      kept.map((i) => Math.log(want[i])),
      kept.map((i) => ext[i]),
      { ordinary: 1e-5, extreme: 2e-5 },
    );
    const at = (df: number, z: number) => logCdf[cases.findIndex((c) => c.df === f32(df) && c.z === z)];
    expectClose([at(1e4, -50), at(1e6, -50)], [-1120.43757086, -1253.27021224], { rtol: 2e-6, atol: 0 });
    expect(want.every((w, i) => w > 0 || (Number.isFinite(logCdf[i]) && logCdf[i] < -690))).toBe(true);
    d.dispose();
  });

  it('gradients: the density in x, float64 finite differences of @stdlib in df, loc and scale; finite at z = 0', () => {
    const pts = [
      [3.5, 0.3, 1.7, -2.4],
      [0.7, 0, 1, 0.5],
      [40, 1, 0.5, 3],
      [2, 0, 1, 0],
      [2e4, 0, 1, -3],
    ].map((r) => r.map(f32));
    const col = (k: number) => tf.tensor(pts.map((r) => r[k]));
    const [gdf, gm, gs, gx] = tf
      .grads((a: tf.Tensor, loc: tf.Tensor, scale: tf.Tensor, v: tf.Tensor) => new StudentT({ df: a, loc, scale }).cdf(v))(
        [0, 1, 2, 3].map(col),
      )
      .map((t) => Array.from(t.dataSync()));
    const F = (r: number[]) => cdf(r[3], r[0], r[1], r[2]);
    const partial = (k: number) => pts.map((r) => derivative64((t) => F(r.map((v, j) => (j === k ? t : v))), r[k]));
    expectClose(
      gx,
      pts.map((r) => Math.exp(logpdf(r[3], r[0], r[1], r[2]))),
      { rtol: 2e-5, label: 'd/dx' },
    );
    expectClose(gdf, partial(0), { rtol: 5e-4, atol: 1e-7, label: 'd/ddf' });
    expectClose(gm, partial(1), { rtol: 2e-5, label: 'd/dloc' });
    expectClose(gs, partial(2), { rtol: 2e-5, atol: 1e-8, label: 'd/dscale' });
    // log F deep in the lower tail: d log F / dx = p / F, finite where F is 1e-30.
    const lg = tf.grad((v: tf.Tensor) => new StudentT({ df: 3 }).logCdf(v))(tf.scalar(-1e10));
    expectClose(
      lg,
      derivative64((t) => Math.log(tDist.cdf(t, 3)), -1e10),
      { rtol: 1e-4, label: 'd log F/dx' },
    );
  });
});

describe('StudentT gradients', () => {
  it('logProb gradients match float64 finite differences', () => {
    const [df, m, s, v] = [f32(3.5), f32(0.3), f32(1.7), f32(-2.4)];
    const make = (a: tf.Tensor, loc: tf.Tensor, scale: tf.Tensor) => new StudentT({ df: a, loc, scale });
    expectLogProbGradientsMatch(make, logpdf, [df, m, s], v, { atol: 1e-6 });
  });

  // 40000 implicit-gradient Gamma draws: the longest check here, so it runs with VAE_SLOW_TESTS.
  itSlow('rsample is differentiable in loc, scale and df: E[x^2] = loc^2 + scale^2 df / (df - 2), gradients by Monte Carlo', () => {
    const [df, m, s] = [9, 0.8, 1.3];
    const second = (a: number, loc: number, scale: number) => loc * loc + (scale * scale * a) / (a - 2);
    const make = (a: tf.Tensor, loc: tf.Tensor, scale: tf.Tensor) => new StudentT({ df: a, loc, scale });
    const expected = gradient64(([a, loc, scale]) => second(a, loc, scale), [df, m, s]);
    expectRsampleGradientsMatch(make, [df, m, s], expected, [{ rtol: 0.15 }, { rtol: 0.05 }, { rtol: 0.05 }], {
      n: 40000,
      statistic: tf.square,
    });
  });
});

describeStandardChecks<StudentTParams>({
  family: StudentT,
  shapes: scalarEventShapes({ df: 3 }, { df: [3, 5], loc: 1 }, { df: [[3], [5]], loc: [1, 2, 3], scale: 2 }),
  params: { df: [9, 12, 30], loc: [-1, 3, 0], scale: [0.5, 2, 1e-3] },
  // A heavy tail (df down to 9): the sample variance converges too slowly to check the variance.
  monteCarlo: { samples: 8000, skip: ['variance'] },
  value: [0.1, 0.2, 0.3],
  badParams: [
    [{ df: [1, -1] }, 'StudentT: df must be positive (> 0) and finite; got -1 at index [1]'],
    [{ df: 1, scale: 0 }, /StudentT: scale must be positive/],
    [{ df: 1, loc: NaN }, /StudentT: loc must be a real number/],
  ],
  outside: [NaN, Infinity, -Infinity],
  supportMessage: /StudentT: value must be in the support: a real number/,
  finiteGradients: { build: (p) => new StudentT({ df: p, loc: 0, scale: 2 }), param: [0.3, 5], values: [0.3, 1e20] },
});
