import * as tf from '@tensorflow/tfjs-core';
import laplaceDist from '@stdlib/stats-base-dists-laplace';
import { derivative64, expectClose } from '@vae/testing';
import { ErrorReport, describeStandardChecks, f32 } from '../test/scalar-family-helpers.js';
import { Laplace } from './index.js';
import type { LaplaceParams } from './index.js';

const report = new ErrorReport('Laplace');
afterAll(() => report.print('@stdlib'));

describe('Laplace against @stdlib', () => {
  // Scales from 1e-6 to 1e6 and values up to 80 scales out (the extreme regime).
  const cases: { loc: number; scale: number; x: number; extreme: boolean }[] = [];
  for (const loc of [0, -3, 1e3]) {
    for (const scale of [1e-6, 1e-2, 1, 1e3, 1e6]) {
      for (const k of [-80, -5, -1, 0, 0.5, 3, 80]) {
        cases.push({ loc: f32(loc), scale: f32(scale), x: f32(loc + k * scale), extreme: Math.abs(k) > 10 || scale === 1e-6 || scale === 1e6 });
      }
    }
  }
  const ext = cases.map((c) => c.extreme);

  it('logProb, cdf and logCdf', () => {
    const d = new Laplace({ loc: cases.map((c) => c.loc), scale: cases.map((c) => c.scale) });
    const x = cases.map((c) => c.x);
    const oracle = (f: (x: number, m: number, s: number) => number) => cases.map((c) => f(c.x, c.loc, c.scale));
    report.check('logProb', d.logProb(x), oracle(laplaceDist.logpdf), ext, { ordinary: 1e-5, extreme: 1e-5 });
    report.check('cdf', d.cdf(x), oracle(laplaceDist.cdf), ext, { ordinary: 1e-5, extreme: 1e-5 });
    report.check('logCdf', d.logCdf(x), oracle(laplaceDist.logcdf), ext, { ordinary: 1e-5, extreme: 1e-5 });
    d.dispose();
  });

  it('the upper-tail logCdf, log(1 - exp(-z) / 2) ~ -exp(-z) / 2, keeps its relative precision', () => {
    // The check above measures log CDFs near 0 by absolute error; here relative, which log(1 + x)
    // (tf.log1p on wasm) loses entirely past z = 17.
    const z = [0.5, 3, 10, 17, 30, 80].map(f32);
    const d = new Laplace({ loc: 0, scale: 1 });
    expectClose(d.logCdf(z), z.map((v) => Math.log1p(-0.5 * Math.exp(-v))), { rtol: 1e-6, atol: 0 });
    d.dispose();
  });

  it('entropy, mean, variance, stddev and mode', () => {
    const scales = [1e-6, 0.3, 1, 1e6].map(f32);
    const ext = scales.map((s) => s < 1e-3 || s > 1e3);
    const d = new Laplace({ loc: 2, scale: scales });
    const oracle = (f: (m: number, s: number) => number) => scales.map((s) => f(2, s));
    report.check('entropy', d.entropy(), oracle(laplaceDist.entropy), ext, { ordinary: 1e-6, extreme: 1e-6 });
    report.check('mean', d.mean(), oracle(laplaceDist.mean), ext, { ordinary: 1e-7, extreme: 1e-7 });
    report.check('variance', d.variance(), oracle(laplaceDist.variance), ext, { ordinary: 1e-6, extreme: 1e-6 });
    report.check('stddev', d.stddev(), oracle(laplaceDist.stdev), ext, { ordinary: 1e-6, extreme: 1e-6 });
    report.check('mode', d.mode(), oracle(laplaceDist.mode), ext, { ordinary: 0, extreme: 0 });
    d.dispose();
  });
});

describe('Laplace gradients', () => {
  it('logProb and logCdf gradients match float64 finite differences', () => {
    const [m, s, v] = [f32(0.3), f32(1.7), f32(-0.4)];
    const g = tf.grads((loc: tf.Tensor, scale: tf.Tensor, x: tf.Tensor) => new Laplace({ loc, scale }).logProb(x))([tf.scalar(m), tf.scalar(s), tf.scalar(v)]);
    expectClose(g[0], derivative64((t) => laplaceDist.logpdf(v, t, s), m), { rtol: 1e-4 });
    expectClose(g[1], derivative64((t) => laplaceDist.logpdf(v, m, t), s), { rtol: 1e-4 });
    expectClose(g[2], derivative64((t) => laplaceDist.logpdf(t, m, s), v), { rtol: 1e-4 });
    for (const x of [-3, 2]) {
      const gc = tf.grads((loc: tf.Tensor, scale: tf.Tensor) => new Laplace({ loc, scale }).logCdf(x))([tf.scalar(m), tf.scalar(s)]);
      expectClose(gc[0], derivative64((t) => laplaceDist.logcdf(x, t, s), m), { rtol: 1e-4 });
      expectClose(gc[1], derivative64((t) => laplaceDist.logcdf(x, m, t), s), { rtol: 1e-4 });
    }
  });

  it('rsample is differentiable: E[x^2] = loc^2 + 2 scale^2', () => {
    const [m, s] = [0.8, 1.3];
    const g = tf.grads((loc: tf.Tensor, scale: tf.Tensor) => tf.mean(tf.square(new Laplace({ loc, scale }).rsample([20000], 5))))([tf.scalar(m), tf.scalar(s)]);
    expectClose(g[0], 2 * m, { rtol: 0.05 });
    expectClose(g[1], 4 * s, { rtol: 0.05 });
  });
});

describeStandardChecks<LaplaceParams>({
  name: 'Laplace',
  make: (p) => new Laplace(p),
  shapes: [
    [{ loc: 0, scale: 1 }, [], [], [], []],
    [{ loc: [0, 1], scale: 1 }, [2], [], [3], [3, 2]],
    [{ loc: [[0], [1]], scale: [1, 2, 3] }, [2, 3], [], [4, 5], [4, 5, 2, 3]],
  ],
  params: { loc: [-1, 3, 0], scale: [0.5, 2, 1e-3] },
  monteCarlo: { mean: true, variance: true, entropy: true },
  value: [0.1, 0.2, 0.3],
  methods: ['rsample', 'cdf', 'logCdf', 'entropy', 'mean', 'variance', 'stddev', 'mode'],
  badParams: [
    [{ loc: 0, scale: [1, -1] }, 'Laplace: scale must be positive (> 0) and finite; got -1 at index [1]'],
    [{ loc: NaN, scale: 1 }, /Laplace: loc must be a real number/],
  ],
  outside: [NaN, Infinity, -Infinity],
  supportMessage: /Laplace: value must be in the support: a real number/,
  finiteGradients: { build: (p) => new Laplace({ loc: p, scale: 2 }), param: [0.3, -1], values: [0.3, 5] },
});
