import * as tf from '@tensorflow/tfjs-core';
import binomial from '@stdlib/stats-base-dists-binomial';
import { derivative64, expectClose } from '@vae/testing';
import { errorReport, describeStandardChecks, f32, NOT_COUNTS, itKeepsTinyProbsOnEachBackend } from '../test/scalar-family-helpers.js';
import { Binomial } from './index.js';
import type { BinomialParams } from './index.js';
import { scalarEventShapes } from '../test/shape-rows.js';

const report = errorReport('Binomial', '@stdlib');

const ORDINARY = [
  [1, 0.3],
  [10, 0.5],
  [40, 0.9],
];
const EXTREME = [
  [0, 0.5],
  [1e5, 0.5],
  [1000, 1e-6],
  [1000, 1],
  [1000, 0],
];

describe('Binomial against @stdlib', () => {
  itKeepsTinyProbsOnEachBackend(Binomial, 'Binomial');

  const cases = [...ORDINARY.map((c) => [...c, 0]), ...EXTREME.map((c) => [...c, 1])].flatMap(([n, p, ext]) =>
    [...new Set([0, Math.round(n * p), n, Math.min(n, 1)])].map((k) => ({ n, p: f32(p), k, extreme: ext === 1 })),
  );
  const ext = cases.map((c) => c.extreme);
  const k = cases.map((c) => c.k);

  it('logProb from probs (p = 0 and 1 included) and from logits, n up to 1e5', () => {
    const d = new Binomial({ totalCount: cases.map((c) => c.n), probs: cases.map((c) => c.p) });
    report.check(
      'logProb',
      d.logProb(k),
      cases.map((c) => binomial.logpmf(c.k, c.n, c.p)),
      ext,
      { ordinary: 1e-6, extreme: 5e-4 },
    );
    const inner = cases.filter((c) => c.p > 0 && c.p < 1);
    const logits = inner.map((c) => f32(Math.log(c.p) - Math.log1p(-c.p)));
    const dl = new Binomial({ totalCount: inner.map((c) => c.n), logits });
    report.check(
      'logProb(logits)',
      dl.logProb(inner.map((c) => c.k)),
      inner.map((c, i) => binomial.logpmf(c.k, c.n, 1 / (1 + Math.exp(-logits[i])))),
      inner.map((c) => c.extreme),
      { ordinary: 1e-6, extreme: 5e-4 },
    );
    d.dispose();
    dl.dispose();
  });

  it('counts above totalCount are outside the support', () => {
    const d = new Binomial({ totalCount: [3, 5], probs: 0.5 });
    expect(() => d.logProb([4, 4])).toThrow('Binomial: value must be in the support: an integer in [0, totalCount]; got 4 at index [0]');
    const unchecked = new Binomial({ totalCount: [3, 5], probs: 0.5, validateArgs: false });
    expect(Array.from(unchecked.logProb([4, 4]).dataSync())[0]).toBe(-Infinity);
    d.dispose();
    unchecked.dispose();
  });

  it('mean, variance, mode', () => {
    const all = [...ORDINARY, ...EXTREME].map(([n, p]) => [n, f32(p)]);
    const e = all.map((_, i) => i >= ORDINARY.length);
    const d = new Binomial({ totalCount: all.map((c) => c[0]), probs: all.map((c) => c[1]) });
    report.check(
      'mean',
      d.mean(),
      all.map(([n, p]) => binomial.mean(n, p)),
      e,
      { ordinary: 1e-6, extreme: 1e-6 },
    );
    report.check(
      'variance',
      d.variance(),
      all.map(([n, p]) => binomial.variance(n, p)),
      e,
      { ordinary: 1e-6, extreme: 1e-6 },
    );
    // torch's mode floor((n + 1) p), capped at n (@stdlib agrees except at the ties it resolves downwards).
    report.check(
      'mode',
      d.mode(),
      all.map(([n, p]) => Math.min(n, Math.floor((n + 1) * p))),
      e,
      { ordinary: 0, extreme: 0 },
    );
    d.dispose();
  });

  it('logProb gradient in logits matches a float64 finite difference', () => {
    const [l, n, k0] = [f32(0.3), 12, 4];
    const g = tf.grad((t: tf.Tensor) => new Binomial({ totalCount: n, logits: t }).logProb(k0))(tf.scalar(l));
    expectClose(
      g,
      derivative64((t) => binomial.logpmf(k0, n, 1 / (1 + Math.exp(-t))), l),
      { rtol: 1e-5 },
    );
  });
});

describeStandardChecks<BinomialParams>({
  family: Binomial,
  shapes: scalarEventShapes({ totalCount: 4, probs: 0.5 }, { totalCount: [1, 5], logits: 0 }),
  params: { totalCount: [1, 8, 30], logits: [0.5, -1, 2] },
  monteCarlo: { samples: 4000 },
  value: [0, 3, 25],
  badParams: [
    [{ totalCount: 2.5, probs: 0.5 }, 'Binomial: totalCount must be a non-negative integer (0, 1, 2, ...); got 2.5'],
    [{ totalCount: 1, probs: 1.5 }, 'Binomial: probs must be in [0, 1]; got 1.5'],
  ],
  outside: NOT_COUNTS,
  supportMessage: /Binomial: value must be in the support: an integer in \[0, totalCount\]/,
  finiteGradients: { build: (p) => new Binomial({ totalCount: 30, logits: p }), param: [-80, 0.3, 80], values: [0, 3, 30] },
});
