import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { derivative64, expectClose, gradient64, expectKSPass, expectWithinStandardErrors } from '@vae/testing';
import { OFF_SIMPLEX, SIMPLEX_VALUES, errorReport, describeStandardChecks, f32 } from '../test/scalar-family-helpers.js';
import { RelaxedOneHotCategorical } from './index.js';
import type { RelaxedOneHotCategoricalParams } from './index.js';

// Reference log densities from test/fixtures/generate_relaxed_one_hot_categorical.py (torch, float64).
interface Case {
  temperature: number;
  logits: number[];
  x: number[];
  extreme: boolean;
  logProb: number;
}
const fixture = JSON.parse(readFileSync(join(__dirname, '../test/fixtures/relaxed_one_hot_categorical.json'), 'utf8')) as { cases: Case[] };

const report = errorReport('RelaxedOneHotCategorical', 'torch fixtures');

const logit64 = (x: number) => Math.log(x) - Math.log1p(-x);
// For K = 2 the first coordinate is RelaxedBernoulli(l0 - l1, t): CDF sigmoid(t logit(x) - (l0 - l1)).
const cdf2 = (x: number, l: number, t: number) => (x <= 0 ? 0 : x >= 1 ? 1 : 1 / (1 + Math.exp(-(t * logit64(x) - l))));
function mean2(l: number, t: number): number {
  const m = 20000;
  let s = 0;
  for (let i = 0; i < m; i++) s += 1 / (1 + Math.exp(-(l + logit64((i + 0.5) / m)) / t));
  return s / m;
}

describe('RelaxedOneHotCategorical against torch', () => {
  it('logProb of samples, the barycentre and points near a vertex (temperatures 0.1 to 5, logits +-80)', () => {
    const groups = new Map<string, Case[]>();
    for (const c of fixture.cases) {
      const key = `${c.temperature}|${c.logits.join(',')}`;
      groups.set(key, [...(groups.get(key) ?? []), c]);
    }
    for (const cases of groups.values()) {
      const d = new RelaxedOneHotCategorical({ temperature: cases[0].temperature, logits: cases[0].logits });
      report.check(
        'logProb',
        d.logProb(cases.map((c) => c.x)),
        cases.map((c) => c.logProb),
        cases.map((c) => c.extreme),
        { ordinary: 2e-6, extreme: 5e-5 },
      );
      d.dispose();
    }
  });

  it('a coordinate exactly 0 gives -Infinity, not NaN', () => {
    const d = new RelaxedOneHotCategorical({ temperature: 0.5, logits: [0, 1, 2] });
    expect(
      Array.from(
        d
          .logProb([
            [0, 0.5, 0.5],
            [1, 0, 0],
          ])
          .dataSync(),
      ),
    ).toEqual([-Infinity, -Infinity]);
    d.dispose();
  });

  it('the argmax of a sample is Categorical(probs), and with K = 2 the first coordinate is a relaxed Bernoulli', () => {
    const probs = [0.1, 0.3, 0.6];
    const d = new RelaxedOneHotCategorical({ temperature: 0.7, probs });
    const n = 20000;
    const s = d.sample([n], 8);
    const arg = Array.from(tf.argMax(s, -1).dataSync());
    probs.forEach((p, k) => {
      const freq = arg.reduce((c, v) => c + (v === k ? 1 : 0), 0) / n;
      expectWithinStandardErrors(freq, p, Math.sqrt((p * (1 - p)) / n), { label: `P(argmax = ${k})` });
    });
    const rowSums = tf.sum(s, -1).dataSync();
    expect(Math.max(...Array.from(rowSums, (v) => Math.abs(v - 1)))).toBeLessThan(1e-5);
    const [l, t] = [f32(0.8), f32(1.5)];
    const d2 = new RelaxedOneHotCategorical({ temperature: t, logits: [l, 0] });
    const first = tf.gather(d2.sample([5000], 9), 0, 1).dataSync();
    expectKSPass(first, (x) => cdf2(x, l, t));
    tf.dispose(s);
    d.dispose();
    d2.dispose();
  });
});

describe('RelaxedOneHotCategorical gradients', () => {
  it('logProb gradients in logits, temperature and value match float64 finite differences of the Concrete density', () => {
    // log p(x) = log (K-1)! + (K-1) log t + sum_k (l_k - (t+1) log x_k) - K logsumexp_k(l_k - t log x_k)
    const concrete = (l: number[], t: number, x: number[]) => {
      const k = l.length;
      const score = l.map((v, i) => v - t * Math.log(x[i]));
      const m = Math.max(...score);
      const lse = m + Math.log(score.reduce((s, v) => s + Math.exp(v - m), 0));
      let lgk = 0;
      for (let i = 2; i < k; i++) lgk += Math.log(i);
      return lgk + (k - 1) * Math.log(t) + score.reduce((s, v, i) => s + v - Math.log(x[i]), 0) - k * lse;
    };
    const l = [0.3, -0.2, 1.1].map(f32);
    const t = f32(0.6);
    const x = [0.2, 0.3, 0.5].map(f32);
    const g = tf.grads((tl: tf.Tensor, tt: tf.Tensor, tx: tf.Tensor) =>
      new RelaxedOneHotCategorical({ temperature: tt, logits: tl }).logProb(tx),
    )([tf.tensor(l), tf.scalar(t), tf.tensor(x)]);
    const tolerance = { rtol: 1e-4, atol: 1e-5 };
    expectClose(
      g[0],
      gradient64((v) => concrete(v, t, x), l),
      { ...tolerance, label: 'd/dlogits' },
    );
    expectClose(
      g[1],
      derivative64((v) => concrete(l, v, x), t),
      { ...tolerance, label: 'd/dtemperature' },
    );
    expectClose(
      g[2],
      gradient64((v) => concrete(l, t, v), x),
      { ...tolerance, label: 'd/dx' },
    );
  });

  it('rsample is differentiable: for K = 2, d/dlogits E[x_0] matches the quadrature of the relaxed Bernoulli mean', () => {
    const [l, t] = [0.4, 0.8];
    // The first coordinate by a product, not tf.gather, whose gradient the wasm backend lacks.
    const g = tf.grad((tl: tf.Tensor) =>
      tf.mean(tf.sum(tf.mul(new RelaxedOneHotCategorical({ temperature: t, logits: tl }).rsample([20000], 5), [1, 0]), -1)),
    )(tf.tensor([l, 0]));
    const dl = derivative64((v) => mean2(v, t), l, 1e-2);
    expectClose(g, [dl, -dl], { rtol: 0.05 });
  });
});

describeStandardChecks<RelaxedOneHotCategoricalParams>({
  family: RelaxedOneHotCategorical,
  shapes: [
    [{ temperature: 0.5, logits: [0, 1, 2] }, [], [3], [], [3]],
    [{ temperature: [0.5, 1], probs: [0.3, 0.7] }, [2], [2], [3], [3, 2, 2]],
    [
      {
        temperature: [[0.5], [2]],
        logits: [
          [0, 1],
          [1, 2],
          [2, 3],
        ],
      },
      [2, 3],
      [2],
      [4, 5],
      [4, 5, 2, 3, 2],
    ],
  ],
  params: {
    temperature: [0.5, 1],
    logits: [
      [-1, 0, 1],
      [0, 0, 0],
    ],
  },
  value: SIMPLEX_VALUES,
  badParams: [
    [{ temperature: -1, logits: [0, 1] }, 'RelaxedOneHotCategorical: temperature must be positive (> 0) and finite; got -1'],
    [
      {
        temperature: [1, 2, 3],
        logits: [
          [0, 1],
          [1, 0],
        ],
      },
      /RelaxedOneHotCategorical: temperature and logits must be broadcast-compatible/,
    ],
    [{ temperature: 1, probs: [0.5, 0.6] }, /RelaxedOneHotCategorical: probs must be on the probability simplex/],
  ],
  outside: OFF_SIMPLEX,
  supportMessage: /RelaxedOneHotCategorical: value must be in the support: on the probability simplex/,
  finiteGradients: {
    build: (p) => new RelaxedOneHotCategorical({ temperature: 0.6, logits: p }),
    param: [
      [-1, 0, 1],
      [80, 0, -80],
    ],
    values: [
      [0.2, 0.3, 0.5],
      [0.5, 0.25, 0.25],
    ],
  },
});
