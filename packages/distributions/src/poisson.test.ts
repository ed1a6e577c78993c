import * as tf from '@tensorflow/tfjs-core';
import poisson from '@stdlib/stats-base-dists-poisson';
import { derivative64, expectClose } from '@vae/testing';
import { errorReport, describeStandardChecks, expectMethodsMemoryNeutral, f32, NOT_COUNTS } from '../test/scalar-family-helpers.js';
import { scalarEventShapes } from '../test/shape-rows.js';
import { Poisson } from './index.js';
import type { PoissonParams } from './index.js';

const report = errorReport('Poisson', '@stdlib');

const ORDINARY = [0.3, 1, 4.5, 20];
const EXTREME = [1e-30, 1e-6, 1e4, 1e6];
// Counts as multiples of the rate (rounded), plus 0 and 1.
const MULTIPLES = [0.5, 1, 2];

describe('Poisson against @stdlib', () => {
  const cases: { r: number; k: number; extreme: boolean }[] = [];
  for (const r of [...ORDINARY, ...EXTREME].map(f32)) {
    const ks = new Set([0, 1, ...MULTIPLES.map((m) => Math.round(m * r))]);
    for (const k of ks) cases.push({ r, k, extreme: !ORDINARY.includes(r) || k > 100 });
  }
  const extreme = cases.map((c) => c.extreme);

  it('logProb from rate and from logRate, rates 1e-30..1e6, counts up to 2e6', () => {
    const expected = cases.map((c) => poisson.logpmf(c.k, c.r));
    const k = cases.map((c) => c.k);
    const d = new Poisson({ rate: cases.map((c) => c.r) });
    report.check('logProb', d.logProb(k), expected, extreme, { ordinary: 2e-6, extreme: 2e-5 });
    const logRates = cases.map((c) => f32(Math.log(c.r)));
    const fromLog = new Poisson({ logRate: logRates });
    const expectedLog = cases.map((c, i) => c.k * logRates[i] - Math.exp(logRates[i]) - poissonLogFactorial(c.k));
    report.check('logProb(logRate)', fromLog.logProb(k), expectedLog, extreme, { ordinary: 2e-6, extreme: 2e-5 });
    d.dispose();
    fromLog.dispose();
  });

  it('logRate -80 and +20 stay finite and exact', () => {
    const d = new Poisson({ logRate: [-80, 20] });
    const lam = Math.exp(20);
    expectClose(d.logProb([1, Math.round(f32(lam))]), [-80 - Math.exp(-80), poisson.logpmf(Math.round(f32(lam)), lam)], { rtol: 1e-5 });
    d.dispose();
  });

  it('cdf and logCdf (igammac(k + 1, rate)), rates up to 1e4, logCdf down to CDF values of 1e-30', () => {
    const sub = cases.filter((c) => c.r <= 1e4);
    const d = new Poisson({ rate: sub.map((c) => c.r) });
    const k = sub.map((c) => c.k);
    const ext = sub.map((c) => c.extreme);
    report.check(
      'cdf',
      d.cdf(k),
      sub.map((c) => poisson.cdf(c.k, c.r)),
      ext,
      { ordinary: 3e-5, extreme: 1e-4 },
    );
    // Q(k + 1, rate) is computed directly (not as 1 - P), so its log holds far in the lower tail;
    // plus rows where the CDF is between 1e-30 and 1e-4 (k far below the rate).
    const tail = [
      [0, 30],
      [2, 40],
      [10, 80],
      [100, 250],
    ].map(([kk, r]) => ({ k: kk, r: f32(r), extreme: true }));
    const lower = [...sub, ...tail].filter((c) => poisson.cdf(c.k, c.r) > 1e-30);
    expect(lower.filter((c) => poisson.cdf(c.k, c.r) < 1e-8).length).toBeGreaterThanOrEqual(4);
    const dl = new Poisson({ rate: lower.map((c) => c.r) });
    report.check(
      'logCdf',
      dl.logCdf(lower.map((c) => c.k)),
      lower.map((c) => Math.log(poisson.cdf(c.k, c.r))),
      lower.map((c) => c.extreme),
      { ordinary: 1e-5, extreme: 1e-4 },
    );
    dl.dispose();
    const unchecked = new Poisson({ rate: 2, validateArgs: false });
    expect(Array.from(unchecked.cdf([-1, -0.5]).dataSync())).toEqual([0, 0]);
    unchecked.dispose();
    d.dispose();
  });

  it('rate 0: all mass at 0', () => {
    const d = new Poisson({ rate: 0 });
    expect(Array.from(d.logProb([0, 1]).dataSync())).toEqual([0, -Infinity]);
    d.dispose();
  });

  it('mean, variance, mode', () => {
    const rates = [...ORDINARY, ...EXTREME].map(f32);
    const d = new Poisson({ rate: rates });
    const ext = rates.map((r) => !ORDINARY.includes(r));
    report.check('mean', d.mean(), rates.map(poisson.mean), ext, { ordinary: 1e-7, extreme: 1e-7 });
    report.check('variance', d.variance(), rates.map(poisson.variance), ext, { ordinary: 1e-7, extreme: 1e-7 });
    report.check('mode', d.mode(), rates.map(Math.floor), ext, { ordinary: 0, extreme: 0 });
    d.dispose();
  });
});

/** log k! in float64, by @stdlib's Poisson mass at rate 1: log p(k; 1) = -1 - log k!. */
function poissonLogFactorial(k: number): number {
  return -1 - poisson.logpmf(k, 1);
}

describe('Poisson gradients', () => {
  it('logProb in rate and in logRate match float64 finite differences (ordinary and 1e5)', () => {
    for (const [r, k] of [
      [3.5, 2],
      [1e5, 100300],
    ].map(([a, b]) => [f32(a), b])) {
      const g = tf.grad((t: tf.Tensor) => new Poisson({ rate: t }).logProb(k))(tf.scalar(r));
      expectClose(
        g,
        derivative64((t) => poisson.logpmf(k, t), r),
        { rtol: 1e-3, atol: 1e-6 },
      );
      const gl = tf.grad((t: tf.Tensor) => new Poisson({ logRate: t }).logProb(k))(tf.scalar(Math.log(r)));
      expectClose(gl, k - r, { rtol: 2e-3, atol: 1e-3 * Math.sqrt(r) });
    }
  });

  it('cdf in rate is minus the mass at k (d/d lambda Q(k + 1, lambda) = -p(k))', () => {
    const g = tf.grad((t: tf.Tensor) => new Poisson({ rate: t }).cdf(3))(tf.scalar(2.5));
    expectClose(g, -poisson.pmf(3, f32(2.5)), { rtol: 1e-4 });
  });
});

describe('Poisson validation and memory', () => {
  it('needs exactly one of rate and logRate', () => {
    expect(() => new Poisson({})).toThrow('Poisson: rate or logRate must be given (exactly one of them); got neither');
    expect(() => new Poisson({ rate: 1, logRate: 0 })).toThrow(/got both/);
  });

  it('every public method is memory-neutral', async () => {
    const r = tf.tensor([2, 30]);
    const d = new Poisson({ rate: r });
    await expectMethodsMemoryNeutral(d, [1, 31], ['sample', 'logProb', 'prob', 'cdf', 'logCdf', 'mean', 'variance', 'stddev', 'mode'], {
      grad: () => tf.grad((t: tf.Tensor) => tf.sum(new Poisson({ logRate: t }).logProb(3)))(r),
      constructAndDispose: () => new Poisson({ logRate: [1, 2] }).dispose(),
    });
    d.dispose();
    expect(r.isDisposed).toBe(false);
  });
});

describeStandardChecks<PoissonParams>({
  family: Poisson,
  shapes: [...scalarEventShapes({ rate: 1 }, { rate: [1, 20] }), [{ logRate: [[0], [1]], validateArgs: true }, [2, 1], [], [4], [4, 2, 1]]],
  params: { rate: [0.3, 4, 150] },
  monteCarlo: { samples: 4000 },
  value: [0, 3, 140],
  badParams: [
    [{ rate: [1, -1] }, 'Poisson: rate must be non-negative (>= 0) and finite; got -1 at index [1]'],
    [{ logRate: Infinity }, /Poisson: logRate must be a real number/],
  ],
  outside: NOT_COUNTS,
  supportMessage: /Poisson: value must be in the support: a non-negative integer/,
  finiteGradients: { build: (p) => new Poisson({ logRate: p }), param: [-80, 0.3, 12], values: [0, 1, 1e5] },
});
