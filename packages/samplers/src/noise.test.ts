import * as tf from '@tensorflow/tfjs-core';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import gumbelCdf from '@stdlib/stats-base-dists-gumbel-cdf';
import { expectFinite, expectKSPass, expectMemoryNeutral } from '@vae/testing';
import { gumbel, normalSample, standardNormal, uniform } from './index.js';
import { take } from '../test/oracles.js';

const n = 20000;

describe('noise', () => {
  it('seed 0 is a seed like any other: the same numbers twice, unlike seed 1 and unseeded draws', () => {
    const read = (seed?: number) => take(standardNormal([64], seed));
    expect(read(0)).toEqual(read(0));
    expect(read(0)).not.toEqual(read(1));
    expect(read(0)).not.toEqual(read());
    expect(take(normalSample(3, 2, [8], 0))).toEqual(take(normalSample(3, 2, [8], 0)));
  });

  it('standardNormal passes KS against the normal CDF', () => {
    expectKSPass(take(standardNormal([n], 1)), (x) => normalCdf(x, 0, 1), 1e-4, 'standard normal');
  });
  it('uniform passes KS, stays in the open interval, and scales to (low, high)', () => {
    const u = take(uniform([n], 2));
    expectKSPass(u, (x) => Math.min(Math.max(x, 0), 1), 1e-4, 'uniform');
    expect(Math.min(...u)).toBeGreaterThan(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expectFinite(
      u.map((x) => -Math.log(x) - Math.log1p(-x)),
      '-log u - log(1 - u)',
    );
    const v = take(uniform([n], 2, -3, 5));
    expectKSPass(v, (x) => Math.min(Math.max((x + 3) / 8, 0), 1), 1e-4, 'uniform(-3, 5)');
  });
  it('gumbel passes KS against the Gumbel CDF and is always finite', () => {
    const g = take(gumbel([n], 3));
    expectFinite(g, 'gumbel');
    expectKSPass(g, (x) => gumbelCdf(x, 0, 1), 1e-4, 'gumbel');
  });
  it('is deterministic by seed and differs across seeds', () => {
    for (const f of [standardNormal, uniform, gumbel]) {
      const a = take(f([100], 7));
      expect(Array.from(take(f([100], 7)))).toEqual(Array.from(a));
      expect(Array.from(take(f([100], 8)))).not.toEqual(Array.from(a));
    }
    // Without a seed, two calls differ.
    expect(Array.from(take(uniform([10])))).not.toEqual(Array.from(take(uniform([10]))));
  });
  it('gives the same numbers on the cpu and wasm backends (tfjs random ops run in JavaScript)', async () => {
    const cpu = [take(standardNormal([500], 5)), take(uniform([500], 5)), take(gumbel([500], 5))];
    const previous = tf.getBackend();
    await tf.setBackend('wasm');
    try {
      const wasm = [take(standardNormal([500], 5)), take(uniform([500], 5)), take(gumbel([500], 5))];
      expect(Array.from(wasm[0])).toEqual(Array.from(cpu[0]));
      expect(Array.from(wasm[1])).toEqual(Array.from(cpu[1]));
      // gumbel applies log on the backend: equal up to the backends' float32 log rounding.
      wasm[2].forEach((x, i) => expect(Math.abs(x - cpu[2][i])).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(x))));
    } finally {
      await tf.setBackend(previous);
    }
  });
  it('is memory-neutral', async () => {
    await expectMemoryNeutral(() => standardNormal([3, 2], 1));
    await expectMemoryNeutral(() => uniform([3, 2], 1, 2, 3));
    await expectMemoryNeutral(() => gumbel([3, 2], 1));
  });
  it('rejects bad shapes, seeds and bounds', () => {
    expect(() => standardNormal([2, 1.5])).toThrow(
      /standardNormal: shape must be an array of non-negative integers; got 1.5 at position 1/,
    );
    expect(() => gumbel([-1])).toThrow(/shape/);
    expect(() => uniform([2], 1.5)).toThrow(/seed must be a safe integer/);
    expect(() => uniform([2], 1, 3, 3)).toThrow(/high must be finite and greater than low/);
  });
});
