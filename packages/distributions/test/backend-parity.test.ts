// cpu and wasm agree on the families added with the count and heavy-tailed likelihoods: logProb,
// samples from the same seed (seed 0 included) and the gradients of logProb (and of rsample for the
// reparameterized families) in every parameter. Small shapes: one batch of two or three.
import * as tf from '@tensorflow/tfjs-core';
import { expectClose, runOnBackends } from '@vae/testing';
import {
  Binomial,
  Cauchy,
  Chi2,
  Geometric,
  HalfCauchy,
  HalfNormal,
  InverseGamma,
  LowRankMultivariateNormal,
  NegativeBinomial,
  Pareto,
  Poisson,
  StudentT,
  Weibull,
  ZeroInflatedNegativeBinomial,
} from '../src/index.js';
import type { Distribution } from '../src/index.js';

interface Row {
  name: string;
  /** The differentiable parameters, by name. */
  params: Record<string, number[] | number[][] | number[][][]>;
  /** Builds the distribution from the parameters (as tensors) plus any fixed ones. */
  make: (p: Record<string, tf.Tensor>) => Distribution;
  /** Values in the support, shape batch + event. */
  x: number[] | number[][];
}

const rows: Row[] = [
  { name: 'Poisson', params: { logRate: [-1, 0.5, 3] }, make: (p) => new Poisson({ logRate: p.logRate }), x: [0, 2, 25] },
  { name: 'Geometric', params: { logits: [-2, 0, 1.5] }, make: (p) => new Geometric({ logits: p.logits }), x: [0, 3, 7] },
  {
    name: 'Binomial',
    params: { logits: [-1, 0.3, 2] },
    make: (p) => new Binomial({ totalCount: [5, 12, 30], logits: p.logits }),
    x: [1, 6, 29],
  },
  {
    name: 'NegativeBinomial',
    params: { totalCount: [0.7, 2, 15], logits: [-1, 0.5, 2] },
    make: (p) => new NegativeBinomial({ totalCount: p.totalCount, logits: p.logits }),
    x: [0, 4, 60],
  },
  {
    name: 'ZeroInflatedNegativeBinomial',
    params: { totalCount: [0.7, 2, 15], logits: [-1, 0.5, 2], gateLogits: [-2, 0, 1] },
    make: (p) => new ZeroInflatedNegativeBinomial({ totalCount: p.totalCount, logits: p.logits, gateLogits: p.gateLogits }),
    x: [0, 4, 60],
  },
  { name: 'HalfNormal', params: { scale: [0.3, 1, 4] }, make: (p) => new HalfNormal({ scale: p.scale }), x: [0.1, 1.5, 9] },
  {
    name: 'Cauchy',
    params: { loc: [-1, 0, 2], scale: [0.5, 1, 3] },
    make: (p) => new Cauchy({ loc: p.loc, scale: p.scale }),
    x: [0, 40, -3],
  },
  { name: 'HalfCauchy', params: { scale: [0.5, 1, 3] }, make: (p) => new HalfCauchy({ scale: p.scale }), x: [0.2, 30, 1] },
  {
    name: 'StudentT',
    params: { df: [1.5, 4, 30], loc: [0, 1, -2], scale: [1, 0.5, 2] },
    make: (p) => new StudentT({ df: p.df, loc: p.loc, scale: p.scale }),
    x: [3, 0.8, -10],
  },
  {
    name: 'Pareto',
    params: { scale: [0.5, 1, 2], alpha: [0.8, 2, 6] },
    make: (p) => new Pareto({ scale: p.scale, alpha: p.alpha }),
    x: [0.7, 5, 2.1],
  },
  {
    name: 'Weibull',
    params: { scale: [0.5, 1, 3], concentration: [0.6, 1.5, 4] },
    make: (p) => new Weibull({ scale: p.scale, concentration: p.concentration }),
    x: [0.1, 1.2, 2.5],
  },
  { name: 'Chi2', params: { df: [0.8, 3, 20] }, make: (p) => new Chi2({ df: p.df }), x: [0.05, 2.5, 18] },
  {
    name: 'InverseGamma',
    params: { concentration: [0.7, 2, 9], scale: [0.5, 1, 4] },
    make: (p) => new InverseGamma({ concentration: p.concentration, scale: p.scale }),
    x: [0.3, 1, 0.6],
  },
  {
    name: 'LowRankMultivariateNormal',
    params: {
      loc: [
        [0, 1, -1],
        [2, 0, 0.5],
      ],
      covFactor: [
        [[0.5], [-1], [0.2]],
        [[1.5], [0.3], [-0.7]],
      ],
      covDiag: [
        [1, 0.5, 2],
        [0.1, 1, 0.3],
      ],
    },
    make: (p) => new LowRankMultivariateNormal({ loc: p.loc, covFactor: p.covFactor, covDiag: p.covDiag }),
    x: [
      [0.5, 0, -2],
      [1, 1, 1],
    ],
  },
];

describe('backend parity of the count and heavy-tailed families (cpu vs wasm)', () => {
  it.each(rows.map((r) => [r.name, r] as const))('%s: logProb, seeded samples and gradients agree', async (_name, row) => {
    const names = Object.keys(row.params);
    const results = await runOnBackends(() => {
      const tensors = names.map((n) => tf.tensor(row.params[n]));
      const build = (values: tf.Tensor[]) => row.make(Object.fromEntries(names.map((n, i) => [n, values[i]])));
      const d = build(tensors);
      const out = [d.logProb(row.x), d.sample([4], 0), d.sample([4], 7)];
      out.push(...tf.grads((...values: tf.Tensor[]) => tf.sum(build(values).logProb(row.x)))(tensors));
      if (d.reparameterized) out.push(...tf.grads((...values: tf.Tensor[]) => tf.sum(build(values).rsample([4], 3)))(tensors));
      return out;
    });
    const labels = [
      'logProb',
      'sample(seed 0)',
      'sample(seed 7)',
      ...names.map((n) => `d logProb / d ${n}`),
      ...names.map((n) => `d rsample / d ${n}`),
    ];
    expect(results.wasm.length).toBe(results.cpu.length);
    results.cpu.forEach((cpu, i) => {
      expect(cpu.every(Number.isFinite)).toBe(true);
      expectClose(results.wasm[i], cpu, { rtol: 2e-5, atol: 1e-6, label: `${row.name}: ${labels[i]}` });
    });
  });
});
