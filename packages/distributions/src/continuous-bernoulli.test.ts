import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { derivative64, expectClose, expectKSPass } from '@vae/testing';
import { errorReport, columns, describeStandardChecks, f32 } from '../test/scalar-family-helpers.js';
import { grid2x3, scalarEventShapes } from '../test/shape-rows.js';
import { ContinuousBernoulli } from './index.js';
import type { ContinuousBernoulliParams } from './index.js';

// Reference values from test/fixtures/generate_continuous_bernoulli.py (mpmath, 50 digits).
type Num = number | 'Infinity' | '-Infinity';
interface PointCase {
  logits?: number;
  probs?: number;
  x: number;
  extreme: boolean;
  logProb: Num;
  cdf: Num;
  logCdf: Num;
}
interface MomentCase {
  logits?: number;
  probs?: number;
  extreme: boolean;
  mean: Num;
  variance: Num;
  entropy: Num;
}
const fixture = JSON.parse(readFileSync(join(__dirname, '../test/fixtures/continuous_bernoulli.json'), 'utf8')) as {
  logitsCases: PointCase[];
  probsCases: PointCase[];
  logitsMoments: MomentCase[];
  probsMoments: MomentCase[];
};
const num = (v: Num): number => (v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v);

const report = errorReport('ContinuousBernoulli', 'mpmath fixtures');

// float64 closed forms in the natural parameter, for finite differences.
const logNormalizer64 = (eta: number) => (eta === 0 ? Math.LN2 : Math.log(eta / Math.tanh(eta / 2)));
const logProb64 = (eta: number, x: number) => eta * x - Math.log1p(Math.exp(eta)) + logNormalizer64(eta);
const mean64 = (eta: number) => 1 / (1 - Math.exp(-eta)) - 1 / eta;
const cdf64 = (eta: number, x: number) => Math.expm1(eta * x) / Math.expm1(eta);

describe('ContinuousBernoulli against mpmath', () => {
  for (const param of ['logits', 'probs'] as const) {
    it(`logProb, cdf and logCdf from ${param} (logits +-80, probs near 1/2, x on both ends of [0, 1])`, () => {
      const cases = param === 'logits' ? fixture.logitsCases : fixture.probsCases;
      const d = new ContinuousBernoulli({ [param]: cases.map((c) => c[param] as number) });
      const x = cases.map((c) => c.x);
      const ext = cases.map((c) => c.extreme);
      report.checkEach(ext, { ordinary: 2e-6, extreme: 2e-5 }, [
        ['logProb', d.logProb(x), cases.map((c) => num(c.logProb))],
        ['cdf', d.cdf(x), cases.map((c) => num(c.cdf))],
        ['logCdf', d.logCdf(x), cases.map((c) => num(c.logCdf))],
      ]);
      d.dispose();
    });

    it(`mean, variance, stddev and entropy from ${param}, through the Taylor region around 1/2`, () => {
      const cases = param === 'logits' ? fixture.logitsMoments : fixture.probsMoments;
      const d = new ContinuousBernoulli({ [param]: cases.map((c) => c[param] as number) });
      const ext = cases.map((c) => c.extreme);
      report.checkEach(ext, { ordinary: 2e-6, extreme: 2e-6 }, [
        ['mean', d.mean(), cases.map((c) => num(c.mean))],
        ['variance', d.variance(), cases.map((c) => num(c.variance)), { ordinary: 1e-5, extreme: 1e-5 }],
        ['stddev', d.stddev(), cases.map((c) => Math.sqrt(num(c.variance))), { ordinary: 1e-5, extreme: 1e-5 }],
        ['entropy', d.entropy(), cases.map((c) => num(c.entropy))],
      ]);
      d.dispose();
    });
  }

  it('mode is 1 above probs 1/2 and 0 otherwise', () => {
    const d = new ContinuousBernoulli({ probs: [0.2, 0.5, 0.7] });
    expectClose(d.mode(), [0, 0, 1]);
    d.dispose();
  });

  it('samples pass a Kolmogorov-Smirnov test against the CDF, including logits 0 and +-50', () => {
    const etas = [-50, -3, -0.05, 0, 0.3, 4, 50];
    const d = new ContinuousBernoulli({ logits: etas });
    const cols = columns(d.sample([4000], 7));
    cols.forEach((col, j) => {
      expect(Math.min(...col)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...col)).toBeLessThanOrEqual(1);
      const eta = f32(etas[j]);
      expectKSPass(col, (x) => (eta === 0 ? x : cdf64(eta, x)), 1e-4, `logits ${eta}`);
    });
    d.dispose();
  });
});

describe('ContinuousBernoulli gradients', () => {
  it.each([-30, -2, -0.3, -0.02, 0, 0.04, 0.7, 3, 40])(
    'logProb and logCdf gradients at logits %d match float64 finite differences',
    (eta) => {
      for (const x of [0.1, 0.6, 0.95]) {
        const g = tf.grads((l: tf.Tensor, v: tf.Tensor) => new ContinuousBernoulli({ logits: l }).logProb(v))([
          tf.scalar(eta),
          tf.scalar(x),
        ]);
        // The finite difference steps over 0 (where the float64 form is 0/0) with an absolute step.
        expectClose(
          g[0],
          derivative64((t) => logProb64(t, f32(x)), f32(eta), 1e-3),
          { rtol: 1e-4, atol: 1e-5 },
        );
        expectClose(g[1], eta, { rtol: 1e-6, atol: 1e-6 });
        const gc = tf.grad((l: tf.Tensor) => new ContinuousBernoulli({ logits: l }).logCdf(x))(tf.scalar(eta));
        const logCdf64 = (t: number) => Math.log(Math.abs(t) < 1e-9 ? f32(x) : cdf64(t, f32(x)));
        expectClose(gc, derivative64(logCdf64, f32(eta), 1e-3), { rtol: 2e-4, atol: 2e-5 });
      }
    },
  );

  it.each([-200, -100, -89, -88, 88, 89, 100, 200])(
    'entropy, mean and variance have finite gradients matching float64 at logits %d (no overflow)',
    (eta) => {
      // a = |eta| > 1: entropy a (1 - mean(a)) + log1p(e^-a) - log(a / tanh(a / 2)), even in eta.
      const mean64Stable = (t: number) => (t > 0 ? 1 / -Math.expm1(-t) : Math.exp(t) / Math.expm1(t)) - 1 / t;
      const entropy64 = (t: number) => {
        const a = Math.abs(t);
        return a * (1 - mean64Stable(a)) + Math.log1p(Math.exp(-a)) - (Math.log(a) - Math.log(Math.tanh(a / 2)));
      };
      const variance64 = (t: number) => 1 / (t * t) - Math.exp(-Math.abs(t) - 2 * Math.log1p(-Math.exp(-Math.abs(t))));
      const [ge, gm, gv] = (['entropy', 'mean', 'variance'] as const).map((m) =>
        tf.grad((l: tf.Tensor) => new ContinuousBernoulli({ logits: l })[m]())(tf.scalar(eta)),
      );
      for (const g of [ge, gm, gv]) expect(Number.isFinite(g.dataSync()[0])).toBe(true);
      expectClose(ge, derivative64(entropy64, eta, 1e-2), { rtol: 1e-4, atol: 1e-9 });
      expectClose(gm, derivative64(mean64Stable, eta, 1e-2), { rtol: 1e-4, atol: 1e-9 });
      expectClose(gv, derivative64(variance64, eta, 1e-2), { rtol: 1e-4, atol: 1e-9 });
    },
  );

  it.each([-5, -0.05, 0, 0.5, 6])('rsample is differentiable at logits %d: d/dlogits E[x] matches the closed-form mean', (eta) => {
    const g = tf.grad((l: tf.Tensor) => tf.mean(new ContinuousBernoulli({ logits: l }).rsample([10000], 5)))(tf.scalar(eta));
    const exact = derivative64((t) => (Math.abs(t) < 1e-9 ? 0.5 : mean64(t)), eta, 1e-3);
    expectClose(g, exact, { rtol: 0.05, atol: 2e-3 });
  });
});

describeStandardChecks<ContinuousBernoulliParams>({
  family: ContinuousBernoulli,
  shapes: scalarEventShapes({ logits: 0 }, { probs: [0.1, 0.9] }, { logits: grid2x3() }),
  params: { logits: [-4, 0.01, 1.5] },
  value: [0, 0.5, 1],
  badParams: [
    [{ probs: [0.5, 1] }, 'ContinuousBernoulli: probs must be in (0, 1); got 1 at index [1]'],
    [{ logits: Infinity }, /ContinuousBernoulli: logits must be a real number/],
    [{ logits: 0, probs: 0.5 }, 'ContinuousBernoulli: logits or probs must be given (exactly one of them); got both'],
  ],
  outside: [-0.1, 1.1, NaN],
  supportMessage: /ContinuousBernoulli: value must be in the support: in \[0, 1\]/,
  finiteGradients: { build: (p) => new ContinuousBernoulli({ logits: p }), param: [-80, 0, 0.3, 80], values: [0, 1, 0.5, 1] },
});
