import * as tf from '@tensorflow/tfjs-core';
import nbinom from '@stdlib/stats-base-dists-negative-binomial';
import gammaln from '@stdlib/math-base-special-gammaln';
import { derivative64, expectClose, expectMemoryNeutral } from '@vae/testing';
import { errorReport, describeStandardChecks, f32, NOT_COUNTS, itKeepsTinyProbsOnEachBackend } from '../test/scalar-family-helpers.js';
import { NegativeBinomial, ZeroInflatedNegativeBinomial } from './index.js';
import type { NegativeBinomialParams, ZeroInflatedNegativeBinomialParams } from './index.js';
import { scalarEventShapes } from '../test/shape-rows.js';

const report = errorReport('NegativeBinomial', '@stdlib');

// torch's NB(r, p) counts successes (probability p) before r failures; @stdlib's nbinom(r, q)
// counts failures before r successes of probability q: the same law with q = 1 - p.
// @stdlib's logpmf overflows to -Infinity for r = 1e4; the float64 closed form (checked against it below) is the oracle.
const torchLogPmf = (k: number, r: number, p: number) =>
  gammaln(k + r) - gammaln(k + 1) - gammaln(r) + (k === 0 ? 0 : k * Math.log(p)) + r * Math.log1p(-p);

const ORDINARY = [
  [0.5, 0.3],
  [2, 0.5],
  [10, 0.8],
];
const EXTREME = [
  [1e-3, 0.5],
  [1e4, 0.5],
  [5, 1e-6],
  [5, 0.999],
];

describe('NegativeBinomial against @stdlib', () => {
  itKeepsTinyProbsOnEachBackend(NegativeBinomial, 'NegativeBinomial');

  const cases = [...ORDINARY.map((c) => [...c, 0]), ...EXTREME.map((c) => [...c, 1])].flatMap(([r, p, ext]) => {
    const mean = (r * p) / (1 - p);
    return [0, 1, Math.round(mean), Math.round(3 * mean) + 2].map((k) => ({ r: f32(r), p: f32(p), k, extreme: ext === 1 }));
  });
  const k = cases.map((c) => c.k);
  const ext = cases.map((c) => c.extreme);

  it('logProb from probs and logits, total counts 1e-3..1e4', () => {
    const d = new NegativeBinomial({ totalCount: cases.map((c) => c.r), probs: cases.map((c) => c.p) });
    const expected = cases.map((c) => torchLogPmf(c.k, c.r, c.p));
    cases.filter((c) => c.r < 1e3).forEach((c) => expect(torchLogPmf(c.k, c.r, c.p)).toBeCloseTo(nbinom.logpmf(c.k, c.r, 1 - c.p), 8));
    // abs error ~1e-3 at counts near 1e4 (documented cancellation); relative elsewhere.
    report.check('logProb', d.logProb(k), expected, ext, { ordinary: 2e-6, extreme: 2e-4 });
    const logits = cases.map((c) => f32(Math.log(c.p) - Math.log1p(-c.p)));
    const dl = new NegativeBinomial({ totalCount: cases.map((c) => c.r), logits });
    const expectedL = cases.map((c, i) => torchLogPmf(c.k, c.r, 1 / (1 + Math.exp(-logits[i]))));
    report.check('logProb(logits)', dl.logProb(k), expectedL, ext, { ordinary: 2e-6, extreme: 2e-4 });
    d.dispose();
    dl.dispose();
  });

  it('logits +-80 are finite and exact', () => {
    const d = new NegativeBinomial({ totalCount: 2, logits: [-80, 80] });
    // log p(0) = -r softplus(l); log p(1) = log r - softplus(-l) - r softplus(l).
    expectClose(d.logProb([0, 0]), [-2 * Math.exp(-80), -160], { rtol: 1e-5 });
    expectClose(d.logProb([1, 1]), [Math.log(2) - 80, Math.log(2) - 160], { rtol: 1e-5 });
    d.dispose();
  });

  it('mean, variance, mode; fromMean gives scVI moments mu and mu + mu^2 / theta', () => {
    const all = [...ORDINARY, ...EXTREME].map(([r, p]) => [f32(r), f32(p)]);
    const e = all.map((_, i) => i >= ORDINARY.length);
    const d = new NegativeBinomial({ totalCount: all.map((c) => c[0]), probs: all.map((c) => c[1]) });
    report.check(
      'mean',
      d.mean(),
      all.map(([r, p]) => nbinom.mean(r, 1 - p)),
      e,
      { ordinary: 1e-6, extreme: 1e-5 },
    );
    report.check(
      'variance',
      d.variance(),
      all.map(([r, p]) => nbinom.variance(r, 1 - p)),
      e,
      { ordinary: 1e-6, extreme: 1e-5 },
    );
    report.check(
      'mode',
      d.mode(),
      all.map(([r, p]) => Math.max(0, nbinom.mode(r, 1 - p))),
      e,
      { ordinary: 0, extreme: 0 },
    );
    const scvi = NegativeBinomial.fromMean({ mean: [0.01, 3, 1e4], inverseDispersion: [0.1, 2, 50] });
    expectClose(scvi.mean(), [0.01, 3, 1e4], { rtol: 1e-6 });
    expectClose(scvi.variance(), [0.01 + 0.001, 3 + 4.5, 1e4 + 2e6], { rtol: 1e-5 });
    d.dispose();
    scvi.dispose();
  });

  it('logProb gradients in totalCount and logits match float64 finite differences', () => {
    const [r, l, k0] = [f32(3.5), f32(0.4), 6];
    const [gr, gl] = tf.grads((tr: tf.Tensor, tl: tf.Tensor) => new NegativeBinomial({ totalCount: tr, logits: tl }).logProb(k0))([
      tf.scalar(r),
      tf.scalar(l),
    ]);
    const p = (t: number) => 1 / (1 + Math.exp(-t));
    expectClose(
      gr,
      derivative64((t) => torchLogPmf(k0, t, p(l)), r),
      { rtol: 1e-4 },
    );
    expectClose(
      gl,
      derivative64((t) => torchLogPmf(k0, r, p(t)), l),
      { rtol: 1e-4 },
    );
  });

  it('fromMean validates its arguments and frees its logits on dispose', async () => {
    expect(() => NegativeBinomial.fromMean({ mean: [1, 0], inverseDispersion: 1 })).toThrow(
      'NegativeBinomial: mean must be positive (> 0) and finite; got 0 at index [1]',
    );
    await expectMemoryNeutral(() => NegativeBinomial.fromMean({ mean: [1, 2], inverseDispersion: 1 }).dispose());
  });
});

describe('ZeroInflatedNegativeBinomial', () => {
  it('logProb is the mixture of a point mass at 0 and the negative binomial, at gate logits -80..80', () => {
    const [r, p] = [f32(2.5), f32(0.6)];
    const gates = [-80, -2, 0, 3, 80].map(f32);
    const d = new ZeroInflatedNegativeBinomial({ totalCount: r, probs: p, gateLogits: gates });
    const sigmoid = (g: number) => 1 / (1 + Math.exp(-g));
    for (const k of [0, 1, 7]) {
      const expected = gates.map((g) => {
        const logKeep = -Math.log1p(Math.exp(g)) || -g; // -softplus(g), exact at g = 80 too
        const keep = g > 30 ? -g : logKeep;
        return k === 0 ? Math.log(sigmoid(g) + Math.exp(keep + torchLogPmf(0, r, p))) : keep + torchLogPmf(k, r, p);
      });
      report.check(
        `ZINB logProb(${k})`,
        d.logProb(k),
        expected,
        gates.map((g) => Math.abs(g) > 10),
        { ordinary: 1e-6, extreme: 1e-5 },
      );
    }
    const mu = (r * p) / (1 - p);
    expectClose(
      d.mean(),
      gates.map((g) => (1 - sigmoid(g)) * mu),
      { rtol: 1e-5, atol: 1e-30 },
    );
    d.dispose();
  });

  it('ZINB.fromMean is scVI form; gradients in gate logits match a finite difference', () => {
    const d = ZeroInflatedNegativeBinomial.fromMean({ mean: 4, inverseDispersion: 1.5, gateLogits: -1 });
    expectClose(d.mean(), (1 - 1 / (1 + Math.exp(1))) * 4, { rtol: 1e-6 });
    d.dispose();
    const f64 = (g: number) => Math.log(1 / (1 + Math.exp(-g)) + (1 / (1 + Math.exp(g))) * Math.exp(torchLogPmf(0, 1.5, 4 / 5.5)));
    const grad = tf.grad((t: tf.Tensor) =>
      ZeroInflatedNegativeBinomial.fromMean({ mean: 4, inverseDispersion: 1.5, gateLogits: t }).logProb(0),
    )(tf.scalar(-1));
    expectClose(grad, derivative64(f64, -1), { rtol: 1e-4 });
  });
});

describeStandardChecks<NegativeBinomialParams>({
  family: NegativeBinomial,
  shapes: scalarEventShapes({ totalCount: 2, probs: 0.5 }, { totalCount: [1, 5], logits: 0 }),
  params: { totalCount: [0.5, 3, 40], logits: [0.5, -1, 1] },
  monteCarlo: { samples: 2000 },
  value: [0, 3, 100],
  broadcastRtol: 1e-5,
  badParams: [
    [{ totalCount: 0, probs: 0.5 }, 'NegativeBinomial: totalCount must be positive (> 0) and finite; got 0'],
    [{ totalCount: 1, probs: 1 }, 'NegativeBinomial: probs must be in [0, 1); got 1'],
  ],
  outside: NOT_COUNTS,
  supportMessage: /NegativeBinomial: value must be in the support: a non-negative integer/,
  finiteGradients: {
    build: (p) => new NegativeBinomial({ totalCount: tf.exp(tf.gather(p, 0)), logits: tf.gather(p, 1) }),
    param: [
      [-3, 0, 9],
      [-80, 0.5, 80],
    ],
    values: [0, 3, 2],
  },
});

describeStandardChecks<ZeroInflatedNegativeBinomialParams>({
  family: ZeroInflatedNegativeBinomial,
  shapes: [
    [{ totalCount: 2, probs: 0.5, gateLogits: 0 }, [], [], [], []],
    [{ totalCount: [1, 5], logits: 0, gateLogits: [[0], [1], [2]] }, [3, 2], [], [4], [4, 3, 2]],
  ],
  params: { totalCount: [0.5, 3, 40], logits: [0.5, -1, 1], gateLogits: [-1, 0, 2] },
  monteCarlo: { samples: 2000 },
  value: [0, 3, 100],
  broadcastRtol: 1e-5,
  // The mixture has no closed-form mode: it overrides NegativeBinomial's with the "does not define" error.
  undefines: ['mode'],
  badParams: [[{ totalCount: 1, probs: 0.5, gateLogits: Infinity }, /ZeroInflatedNegativeBinomial: gateLogits must be a real number/]],
  outside: NOT_COUNTS,
  supportMessage: /ZeroInflatedNegativeBinomial: value must be in the support: a non-negative integer/,
  finiteGradients: {
    build: (p) => new ZeroInflatedNegativeBinomial({ totalCount: 2, logits: tf.gather(p, 0), gateLogits: tf.gather(p, 1) }),
    param: [
      [-80, 0.5, 80],
      [-80, 0, 80],
    ],
    values: [0, 0, 2],
  },
});
