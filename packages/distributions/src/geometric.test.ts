import * as tf from '@tensorflow/tfjs-core';
import geometric from '@stdlib/stats-base-dists-geometric';
import { derivative64, expectClose } from '@vae/testing';
import { errorReport, describeStandardChecks, f32, NOT_COUNTS } from '../test/scalar-family-helpers.js';
import { Geometric } from './index.js';
import type { GeometricParams } from './index.js';
import { scalarEventShapes } from '../test/shape-rows.js';

const report = errorReport('Geometric', '@stdlib');

// @stdlib's geometric counts failures before the first success, as torch and we do.
const ORDINARY = [0.05, 0.3, 0.5, 0.9];
const EXTREME = [1e-6, 1 - 1e-6];
const COUNTS = [0, 1, 4, 30];

describe('Geometric against @stdlib', () => {
  const cases = [...ORDINARY, ...EXTREME].flatMap((p) => COUNTS.map((k) => ({ p: f32(p), k, extreme: !ORDINARY.includes(p) })));
  const extreme = cases.map((c) => c.extreme);
  const k = cases.map((c) => c.k);

  it('logProb, cdf and logCdf from probs and from logits', () => {
    const fromProbs = new Geometric({ probs: cases.map((c) => c.p) });
    const logits = cases.map((c) => f32(Math.log(c.p) - Math.log1p(-c.p)));
    const fromLogits = new Geometric({ logits });
    const pOfLogit = logits.map((l) => 1 / (1 + Math.exp(-l)));
    for (const [name, d, ps] of [
      ['probs', fromProbs, cases.map((c) => c.p)],
      ['logits', fromLogits, pOfLogit],
    ] as const) {
      report.checkEach(extreme, { ordinary: 1e-6, extreme: 1e-5 }, [
        [`logProb(${name})`, d.logProb(k), ps.map((p, i) => geometric.logpmf(k[i], p))],
        [`cdf(${name})`, d.cdf(k), ps.map((p, i) => geometric.cdf(k[i], p))],
        [`logCdf(${name})`, d.logCdf(k), ps.map((p, i) => geometric.logcdf(k[i], p))],
      ]);
      d.dispose();
    }
  });

  it('logits +-80 stay exact; probs 1 puts all mass at 0', () => {
    const d = new Geometric({ logits: [80, -80] });
    expectClose(d.logProb([0, 0]), [-Math.exp(-80), -80], { rtol: 1e-6 });
    expectClose(d.logProb([3, 3]), [-80 * 3, -80], { rtol: 1e-6 });
    expect(Array.from(new Geometric({ probs: 1 }).logProb([0, 2]).dataSync())).toEqual([0, -Infinity]);
    d.dispose();
  });

  it('mean, variance, entropy', () => {
    const ps = [...ORDINARY, ...EXTREME].map(f32);
    const ext = ps.map((p) => !ORDINARY.includes(p));
    for (const d of [new Geometric({ probs: ps }), new Geometric({ logits: ps.map((p) => Math.log(p) - Math.log1p(-p)) })]) {
      report.check('mean', d.mean(), ps.map(geometric.mean), ext, { ordinary: 1e-6, extreme: 2e-5 });
      report.check('variance', d.variance(), ps.map(geometric.variance), ext, { ordinary: 1e-6, extreme: 2e-5 });
      report.check('entropy', d.entropy(), ps.map(geometric.entropy), ext, { ordinary: 1e-6, extreme: 2e-5 });
      d.dispose();
    }
  });

  it('logProb gradient in logits matches a float64 finite difference', () => {
    const [l, k0] = [f32(-0.7), 3];
    const g = tf.grad((t: tf.Tensor) => new Geometric({ logits: t }).logProb(k0))(tf.scalar(l));
    expectClose(
      g,
      derivative64((t) => geometric.logpmf(k0, 1 / (1 + Math.exp(-t))), l),
      { rtol: 1e-5 },
    );
  });
});

describeStandardChecks<GeometricParams>({
  family: Geometric,
  shapes: scalarEventShapes({ probs: 0.5 }, { logits: [0, 1] }),
  params: { probs: [0.1, 0.5, 0.95] },
  monteCarlo: { samples: 8000 },
  value: [0, 3, 1],
  badParams: [
    [{ probs: [0.5, 0] }, 'Geometric: probs must be in (0, 1]; got 0 at index [1]'],
    [{ logits: NaN }, /Geometric: logits must be a real number/],
    [{}, 'Geometric: logits or probs must be given (exactly one of them); got neither'],
  ],
  outside: NOT_COUNTS,
  supportMessage: /Geometric: value must be in the support: a non-negative integer/,
  finiteGradients: { build: (p) => new Geometric({ logits: p }), param: [-80, 0.3, 80], values: [0, 2, 1] },
});
