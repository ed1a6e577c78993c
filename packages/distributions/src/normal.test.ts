import * as tf from '@tensorflow/tfjs-core';
import normalDist from '@stdlib/stats-base-dists-normal';
import { expectClose, expectFinite, expectWithinStandardErrors, summarize } from '@vae/testing';
import { Normal } from './index.js';
import { expectLogProbGradientsMatch } from '../test/gradient-checks.js';
import { expectMethodsMemoryNeutral, SCALAR_METHODS } from '../test/scalar-family-helpers.js';

const f32 = Math.fround;

describe('Normal against @stdlib', () => {
  // Ordinary and extreme regimes: scales from 1e-6 to 1e6, values many scales out.
  const cases: [number, number, number][] = [];
  for (const loc of [0, -3, 1e3])
    for (const scale of [1e-6, 1e-2, 1, 1e3, 1e6]) for (const k of [-30, -5, -1, 0, 0.5, 3, 30]) cases.push([loc, scale, loc + k * scale]);

  it('logProb, cdf, logCdf', () => {
    const loc = tf.tensor(cases.map((c) => c[0]));
    const scale = tf.tensor(cases.map((c) => c[1]));
    const x = tf.tensor(cases.map((c) => c[2]));
    const d = new Normal({ loc, scale });
    const oracle = (fn: (x: number, m: number, s: number) => number) => cases.map(([m, s, v]) => fn(f32(v), f32(m), f32(s)));
    expectClose(d.logProb(x), oracle(normalDist.logpdf), { rtol: 2e-5, atol: 1e-4, label: 'logProb' });
    expectClose(d.cdf(x), oracle(normalDist.cdf), { rtol: 1e-4, atol: 1e-7, label: 'cdf' });
    // logCdf far in the lower tail (-30 scales) is where a naive log(cdf) gives -Infinity.
    expectClose(d.logCdf(x), oracle(normalDist.logcdf), { rtol: 1e-4, atol: 1e-5, label: 'logCdf' });
    tf.dispose([loc, scale, x]);
  });

  it('entropy, mean, variance, stddev, mode', () => {
    const scales = [1e-6, 0.3, 1, 1e6];
    const d = new Normal({ loc: 2, scale: scales });
    expectClose(
      d.entropy(),
      scales.map((s) => normalDist.entropy(0, f32(s))),
      { rtol: 1e-5, atol: 1e-5 },
    );
    expectClose(d.mean(), [2, 2, 2, 2]);
    expectClose(d.mode(), [2, 2, 2, 2]);
    expectClose(
      d.variance(),
      scales.map((s) => f32(s) ** 2),
      { rtol: 1e-6 },
    );
    expectClose(d.stddev(), scales, { rtol: 1e-6 });
    d.dispose();
  });
});

describe('Normal shapes', () => {
  it.each([
    [{ loc: 0, scale: 1 }, [], [], [], []],
    [{ loc: [0, 1], scale: 1 }, [2], [], [3], [3, 2]],
    [{ loc: [[0], [1]], scale: [1, 2, 3] }, [2, 3], [], [4, 5], [4, 5, 2, 3]],
  ])('%j has batchShape %j; sample(%j) -> %j', (params, batchShape, _event, sampleShape, sampleOut) => {
    const d = new Normal(params as { loc: number; scale: number });
    expect(d.batchShape).toEqual(batchShape);
    expect(d.eventShape).toEqual([]);
    const s = d.sample(sampleShape as number[], 1);
    expect(s.shape).toEqual(sampleOut);
    expect(d.logProb(s).shape).toEqual(sampleOut);
    expect(d.entropy().shape).toEqual(batchShape);
    d.dispose();
  });

  it('logProb broadcasts a value against the batch', () => {
    const d = new Normal({ loc: [0, 1, 2], scale: 1 });
    expect(d.logProb(0.5).shape).toEqual([3]);
    expect(d.logProb([[0.5], [1.5]]).shape).toEqual([2, 3]);
    expect(() => d.logProb([1, 2])).toThrow(/Normal: value and batchShape must be broadcast-compatible/);
    d.dispose();
  });
});

describe('Normal Monte Carlo', () => {
  it('sample moments and entropy match the closed forms', () => {
    const d = new Normal({ loc: [-1, 3], scale: [0.5, 2] });
    const n = 20000;
    const x = d.sample([n], 123);
    const lp = d.logProb(x);
    const cols = tf.unstack(x, 1).map((t) => t.dataSync());
    const negLp = tf.unstack(tf.neg(lp), 1).map((t) => t.dataSync());
    const [means, vars, ents] = [d.mean().dataSync(), d.variance().dataSync(), d.entropy().dataSync()];
    for (let j = 0; j < 2; j++) {
      const s = summarize(cols[j]);
      expectWithinStandardErrors(s.mean, means[j], s.standardError, { label: `mean[${j}]` });
      // Var of the sample variance for a normal: 2 sigma^4 / (n - 1).
      expectWithinStandardErrors(s.variance, vars[j], Math.sqrt(2 / (n - 1)) * vars[j], { label: `variance[${j}]` });
      const e = summarize(negLp[j]);
      expectWithinStandardErrors(e.mean, ents[j], e.standardError, { label: `entropy[${j}]` });
    }
    d.dispose();
  });

  it('is deterministic by seed', () => {
    const d = new Normal({ loc: 0, scale: 1 });
    expectClose(d.sample([5], 9), d.sample([5], 9), { rtol: 0, atol: 0 });
    expect(Array.from(d.sample([5], 9).dataSync())).not.toEqual(Array.from(d.sample([5], 10).dataSync()));
  });
});

describe('Normal gradients', () => {
  it('logProb gradients match float64 finite differences', () => {
    const [m, s, v] = [0.3, 1.7, -0.4];
    expectLogProbGradientsMatch((loc, scale) => new Normal({ loc, scale }), normalDist.logpdf, [m, s], v, { atol: 0 });
  });

  it('rsample is differentiable: d/dloc E[z^2] = 2 loc, d/dscale E[z^2] = 2 scale', () => {
    const [m, s] = [0.8, 1.3];
    const n = 20000;
    const g = tf.grads((loc: tf.Tensor, scale: tf.Tensor) => tf.mean(tf.square(new Normal({ loc, scale }).rsample([n], 5))))([
      tf.scalar(m),
      tf.scalar(s),
    ]);
    // Common random numbers: the same noise gives the estimator's exact derivative; compare to the truth within MC error.
    expectClose(g[0], 2 * m, { rtol: 0.05 });
    expectClose(g[1], 2 * s, { rtol: 0.05 });
    expect(() => new Normal({ loc: 0, scale: 1 }).sample().dataSync()).not.toThrow();
  });

  it('sample() blocks gradients', () => {
    const g = tf.grad((loc: tf.Tensor) => tf.sum(new Normal({ loc, scale: 1 }).sample([4], 1)))(tf.scalar(0));
    expectClose(g, 0);
  });
});

describe('Normal validation and memory', () => {
  it('names the distribution, argument and constraint', () => {
    expect(() => new Normal({ loc: 0, scale: [1, -1] })).toThrow('Normal: scale must be positive (> 0) and finite; got -1 at index [1]');
    expect(() => new Normal({ loc: NaN, scale: 1 })).toThrow(/Normal: loc must be a real number/);
    const d = new Normal({ loc: 0, scale: 1 });
    expect(() => d.logProb(NaN)).toThrow(/Normal: value must be in the support/);
    expect(() => d.sample([1.5])).toThrow(/sampleShape must be a list of non-negative integers/);
  });

  it('without validation, logProb outside the support is -Infinity, never NaN', () => {
    const d = new Normal({ loc: 0, scale: 1, validateArgs: false });
    const lp = d.logProb([Infinity, -Infinity, 1]).arraySync() as number[];
    expect(lp[0]).toBe(-Infinity);
    expect(lp[1]).toBe(-Infinity);
    expectFinite(lp[2]);
  });

  it('every public method is memory-neutral, and results do not alias parameters', async () => {
    const loc = tf.tensor([0, 1]);
    const d = new Normal({ loc, scale: 2 });
    await expectMethodsMemoryNeutral(d, [0.1, 0.2], SCALAR_METHODS, {
      grad: () => tf.grad((l: tf.Tensor) => tf.sum(new Normal({ loc: l, scale: 2 }).logProb(0.5)))(loc),
    });
    expect(loc.isDisposed).toBe(false);
    d.dispose();
    expect(loc.isDisposed).toBe(false);
  });
});
