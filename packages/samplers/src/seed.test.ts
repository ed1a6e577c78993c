import * as tf from '@tensorflow/tfjs-core';
import { expectWithinStandardErrors, summarize } from '@vae/testing';
import { InvalidArgumentError } from '@vae/math';
import { resolveSeed, splitSeed } from './index.js';

describe('resolveSeed', () => {
  it('returns a given integer seed and a random 32-bit integer otherwise', () => {
    expect(resolveSeed(-12)).toBe(-12);
    const a = resolveSeed();
    const b = resolveSeed();
    expect(Number.isInteger(a) && a >= 0 && a < 2 ** 32).toBe(true);
    expect(a).not.toBe(b); // equal with probability 2^-32
  });
  it('rejects non-integers', () => {
    expect(() => resolveSeed(1.5)).toThrow(InvalidArgumentError);
    expect(() => resolveSeed(NaN)).toThrow(/seed must be a safe integer/);
    expect(() => resolveSeed(2 ** 60)).toThrow(/seed/);
  });
});

describe('splitSeed', () => {
  it('is deterministic, gives distinct 32-bit children and depends on every bit of the seed', () => {
    expect(splitSeed(1, 5)).toEqual(splitSeed(1, 5));
    const children = splitSeed(1, 1000);
    expect(new Set(children).size).toBe(1000);
    expect(children.every((c) => Number.isInteger(c) && c >= 0 && c < 2 ** 32)).toBe(true);
    // Seeds differing only in the high word or the sign still give different streams.
    expect(splitSeed(2 ** 32 + 1, 1)[0]).not.toBe(splitSeed(1, 1)[0]);
    expect(splitSeed(-1, 1)[0]).not.toBe(splitSeed(1, 1)[0]);
    expect(splitSeed(3, 0)).toEqual([]);
  });
  it('children of consecutive seeds look independent: bit balance and serial correlation', () => {
    // 4000 children of 4000 consecutive seeds: each of the 32 bits is set about half the time.
    const values = Array.from({ length: 4000 }, (_, s) => splitSeed(s, 2)).flat();
    for (let bit = 0; bit < 32; bit++) {
      const ones = values.filter((v) => (v >>> bit) & 1).length;
      const p = ones / values.length;
      expectWithinStandardErrors(p, 0.5, Math.sqrt(0.25 / values.length), { z: 4.5, label: `bit ${bit} frequency` });
    }
    // Correlation between the uniform streams seeded by two children is ~0.
    const [s1, s2] = splitSeed(99, 2);
    const u1 = tf.randomUniform([20000], 0, 1, 'float32', s1);
    const u2 = tf.randomUniform([20000], 0, 1, 'float32', s2);
    const product = tf.mul(tf.sub(u1, 0.5), tf.sub(u2, 0.5));
    const s = summarize(product.dataSync());
    expectWithinStandardErrors(s.mean, 0, s.standardError, { z: 4.5, label: 'cross-stream covariance' });
    tf.dispose([u1, u2, product]);
  });
  it('rejects bad arguments', () => {
    expect(() => splitSeed(0.5, 2)).toThrow(/splitSeed: seed must be a safe integer/);
    expect(() => splitSeed(1, -1)).toThrow(/count must be a non-negative integer/);
  });
});
