import * as tf from '@tensorflow/tfjs-core';
import logisticDist from '@stdlib/stats-base-dists-logistic';
import { expectClose, expectKSPass } from '@vae/testing';
import { errorReport, columns, describeStandardChecks, f32 } from '../test/scalar-family-helpers.js';
import { scalarEventShapes } from '../test/shape-rows.js';
import { expectLogProbGradientsMatch, expectRsampleMeanGradientsMatch } from '../test/gradient-checks.js';
import { RelaxedBernoulli } from './index.js';
import type { RelaxedBernoulliParams } from './index.js';

// The oracle: logit(x) ~ Logistic(l / t, 1 / t) (stdlib), and the change of variables to x.
const logit64 = (x: number) => Math.log(x) - Math.log1p(-x);
function logProb64(x: number, l: number, t: number): number {
  if (x === 0) return t < 1 ? Infinity : t > 1 ? -Infinity : -l;
  if (x === 1) return t < 1 ? Infinity : t > 1 ? -Infinity : l;
  return logisticDist.logpdf(logit64(x), l / t, 1 / t) - Math.log(x) - Math.log1p(-x);
}
const cdf64 = (x: number, l: number, t: number) => (x <= 0 ? 0 : x >= 1 ? 1 : logisticDist.cdf(logit64(x), l / t, 1 / t));
// E[x] = integral over u in (0, 1) of sigmoid((l + logit u) / t), by the midpoint rule in float64.
function mean64(l: number, t: number): number {
  const m = 20000;
  let s = 0;
  for (let i = 0; i < m; i++) {
    const u = (i + 0.5) / m;
    s += 1 / (1 + Math.exp(-(l + logit64(u)) / t));
  }
  return s / m;
}

const report = errorReport('RelaxedBernoulli', '@stdlib logistic');

describe('RelaxedBernoulli against @stdlib', () => {
  const cases: { l: number; t: number; x: number; extreme: boolean }[] = [];
  for (const t of [0.1, 0.5, 1, 2, 10]) {
    for (const l of [-80, -5, 0, 1.5, 80]) {
      for (const x of [0, 1e-30, 1e-6, 0.01, 0.3, 0.5, 0.9, 1 - 1e-6, 1]) {
        cases.push({ l: f32(l), t: f32(t), x: f32(x), extreme: Math.abs(l) > 10 || t < 0.2 || t > 5 || x < 1e-3 || x > 1 - 1e-3 });
      }
    }
  }
  const ext = cases.map((c) => c.extreme);

  it('logProb, cdf and logCdf, including values within float32 resolution of 0 and 1 and exactly 0 and 1', () => {
    const d = new RelaxedBernoulli({ temperature: cases.map((c) => c.t), logits: cases.map((c) => c.l) });
    const x = cases.map((c) => c.x);
    const logCdf64 = (x: number, l: number, t: number) => (x <= 0 ? -Infinity : x >= 1 ? 0 : logisticDist.logcdf(logit64(x), l / t, 1 / t));
    report.checkEach(ext, { ordinary: 2e-6, extreme: 2e-5 }, [
      ['logProb', d.logProb(x), cases.map((c) => logProb64(c.x, c.l, c.t))],
      ['cdf', d.cdf(x), cases.map((c) => cdf64(c.x, c.l, c.t))],
      ['logCdf', d.logCdf(x), cases.map((c) => logCdf64(c.x, c.l, c.t))],
    ]);
    d.dispose();
  });

  it('probs and logits parameterizations agree', () => {
    const a = new RelaxedBernoulli({ temperature: 0.7, probs: [0.2, 0.5, 0.9] });
    const b = new RelaxedBernoulli({ temperature: 0.7, logits: [Math.log(0.25), 0, Math.log(9)] });
    expectClose(a.logProb(0.3), b.logProb(0.3), { rtol: 1e-5 });
    a.dispose();
    b.dispose();
  });

  it('samples pass a Kolmogorov-Smirnov test against the CDF', () => {
    const [ls, ts] = [
      [-1, 0.5, 3],
      [0.5, 1, 2],
    ];
    const d = new RelaxedBernoulli({ temperature: ts, logits: ls });
    columns(d.sample([5000], 4)).forEach((col, j) => expectKSPass(col, (x) => cdf64(x, ls[j], ts[j]), 1e-4, `column ${j}`));
    d.dispose();
  });
});

describe('RelaxedBernoulli gradients', () => {
  it('logProb gradients in logits, temperature and value match float64 finite differences', () => {
    const [l, t, x] = [f32(0.4), f32(0.6), f32(0.3)];
    expectLogProbGradientsMatch((tl, tt) => new RelaxedBernoulli({ temperature: tt, logits: tl }), logProb64, [l, t], x);
  });

  it('the gradient of logProb at the ends (t = 1) is finite', () => {
    const g = tf.grad((tl: tf.Tensor) => tf.sum(new RelaxedBernoulli({ temperature: 1, logits: tl }).logProb([0, 1])))(tf.scalar(0.3));
    expectClose(g, 0);
  });

  it('rsample is differentiable: gradients of E[x] match finite differences of its quadrature', () => {
    const make = (tl: tf.Tensor, tt: tf.Tensor) => new RelaxedBernoulli({ temperature: tt, logits: tl });
    expectRsampleMeanGradientsMatch(make, [0.4, 0.8], mean64, [{ rtol: 0.05 }, { rtol: 0.1, atol: 5e-3 }], 1e-2);
  });
});

describeStandardChecks<RelaxedBernoulliParams>({
  family: RelaxedBernoulli,
  shapes: scalarEventShapes(
    { temperature: 0.5, logits: 0 },
    { temperature: [0.5, 1], probs: 0.3 },
    { temperature: [[0.5], [2]], logits: [0, 1, 2] },
  ),
  params: { temperature: [0.5, 1, 2], logits: [-1, 0, 1] },
  value: [0.1, 0.5, 0.9],
  badParams: [
    [{ temperature: [1, 0], logits: 0 }, 'RelaxedBernoulli: temperature must be positive (> 0) and finite; got 0 at index [1]'],
    [{ temperature: 1, probs: 1 }, 'RelaxedBernoulli: probs must be in (0, 1); got 1'],
    [{ temperature: 1 }, 'RelaxedBernoulli: logits or probs must be given (exactly one of them); got neither'],
    [{ temperature: [1, 2], logits: [0, 1, 2] }, /RelaxedBernoulli: temperature and logits must be broadcast-compatible/],
  ],
  outside: [-0.1, 1.1, NaN],
  supportMessage: /RelaxedBernoulli: value must be in the support: in \[0, 1\]/,
  finiteGradients: { build: (p) => new RelaxedBernoulli({ temperature: 1, logits: p }), param: [-3, 0.3, 2], values: [0, 0.5, 1] },
});
