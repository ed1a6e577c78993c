import * as tf from '@tensorflow/tfjs-core';
import chisquare from '@stdlib/stats-base-dists-chisquare';
import { derivative64, expectClose } from '@vae/testing';
import { errorReport, describeStandardChecks, f32 } from '../test/scalar-family-helpers.js';
import { Chi2, Gamma } from './index.js';
import type { Chi2Params } from './index.js';
import { scalarEventShapes } from '../test/shape-rows.js';

const report = errorReport('Chi2', '@stdlib');

describe('Chi2 against @stdlib', () => {
  const DFS = [0.1, 1, 2, 5, 30];
  // (@stdlib's chi-square logpdf overflows to -Infinity beyond df ~ 340.)
  const EXTREME_DFS = [1e-3, 300];
  it('logProb, cdf, entropy, mean, variance and mode; it is a Gamma(df / 2, 1/2)', () => {
    const cases: { df: number; x: number; extreme: boolean }[] = [];
    for (const df of [...DFS, ...EXTREME_DFS])
      for (const r of [0.01, 0.5, 1, 2, 5]) cases.push({ df: f32(df), x: f32(Math.max(df, 0.2) * r), extreme: EXTREME_DFS.includes(df) });
    const ext = cases.map((c) => c.extreme);
    const d = new Chi2({ df: cases.map((c) => c.df) });
    expect(d).toBeInstanceOf(Gamma);
    expect(d.name).toBe('Chi2');
    const oracle = (f: (x: number, k: number) => number) => cases.map((c) => f(c.x, c.df));
    report.check('logProb', d.logProb(cases.map((c) => c.x)), oracle(chisquare.logpdf), ext, { ordinary: 2e-5, extreme: 2e-4 });
    report.check('cdf', d.cdf(cases.map((c) => c.x)), oracle(chisquare.cdf), ext, { ordinary: 2e-5, extreme: 1e-3 });
    const per = (f: (k: number) => number) => cases.map((c) => f32(f(c.df)));
    report.check('entropy', d.entropy(), per(chisquare.entropy), ext, { ordinary: 1e-5, extreme: 1e-4 });
    report.check('mean', d.mean(), per(chisquare.mean), ext, { ordinary: 1e-7, extreme: 1e-7 });
    report.check('variance', d.variance(), per(chisquare.variance), ext, { ordinary: 1e-7, extreme: 1e-7 });
    report.check('mode', d.mode(), per(chisquare.mode), ext, { ordinary: 1e-6, extreme: 1e-6 });
    expectClose(
      d.df,
      cases.map((c) => c.df),
      { rtol: 0 },
    );
    d.dispose();
  });

  it('logProb gradient in df matches float64 finite differences; rsample is differentiable in df (d/ddf E[x] = 1)', () => {
    const [k, v] = [f32(3.3), f32(2.2)];
    const g = tf.grad((df: tf.Tensor) => new Chi2({ df }).logProb(v))(tf.scalar(k));
    expectClose(
      g,
      derivative64((t) => chisquare.logpdf(v, t), k),
      { rtol: 1e-4 },
    );
    const gs = tf.grad((df: tf.Tensor) => tf.mean(new Chi2({ df }).rsample([8000], 7)))(tf.scalar(k));
    expectClose(gs, 1, { rtol: 0.05 });
    tf.dispose([g, gs]);
  });
});

describeStandardChecks<Chi2Params>({
  family: Chi2,
  shapes: scalarEventShapes({ df: 1 }, { df: [1, 2] }),
  params: { df: [0.5, 3, 40] },
  monteCarlo: { samples: 8000 },
  value: [0.1, 0, 3],
  badParams: [
    [{ df: [1, 0] }, 'Chi2: df must be positive (> 0) and finite; got 0 at index [1]'],
    [{ df: -1 }, /Chi2: df must be positive/],
  ],
  outside: [-1e-3, NaN, Infinity],
  supportMessage: /Chi2: value must be in the support: non-negative/,
  finiteGradients: { build: (p) => new Chi2({ df: p }), param: [0.3, 2], values: [0.5, 3] },
});
