import * as tf from '@tensorflow/tfjs-core';
import { expectMemoryNeutral, itWithSubnormals } from '@vae/testing';
import { assertConstraint } from '../constraints.js';
import type { Constraint } from '../constraints.js';
import { INVERTIBLE_LOWER_TRIANGULAR, NON_ZERO, SYMMETRIC_UNIT_INTERVAL } from './constraints.js';

/** float32 neighbours of 1 and the ends of the float32 range. */
const ABOVE_ONE = 1 + 2 ** -23;
const BELOW_ONE = 1 - 2 ** -24;
const MAX_FLOAT32 = 3.4028234663852886e38;
const MIN_NORMAL = 2 ** -126;

/** The flags `constraint.check` gives for `values` (shape `shape`), as 0/1 numbers, and their shape. */
function flags(constraint: Constraint, values: number[], shape: number[] = [values.length]): { shape: number[]; flags: number[] } {
  return tf.tidy(() => {
    const ok = constraint.check(tf.tensor(values, shape));
    return { shape: ok.shape, flags: Array.from(ok.dataSync()) };
  });
}

/** An n x n matrix, row by row, from its lower triangle `lower` and an upper part filled with `upper`. */
function matrix(lower: number[][], upper = 0): number[] {
  return lower.flatMap((row, i) => lower.map((_, j) => (j <= i ? row[j] : upper)));
}

describe('the bijectors’ constraints', () => {
  it.each<[string, string, Constraint, number[], number[]]>([
    [
      'NON_ZERO',
      'holds for finite non-zero values, the extreme normal floats too',
      NON_ZERO,
      [1, -1, MIN_NORMAL, -MIN_NORMAL, MAX_FLOAT32, -MAX_FLOAT32],
      [1, 1, 1, 1, 1, 1],
    ],
    ['NON_ZERO', 'fails at 0, -0, the infinities and NaN', NON_ZERO, [0, -0, Infinity, -Infinity, NaN], [0, 0, 0, 0, 0]],
    [
      'SYMMETRIC_UNIT_INTERVAL',
      'holds at -1 and 1 and inside them',
      SYMMETRIC_UNIT_INTERVAL,
      [-1, 1, 0, -0, BELOW_ONE, -BELOW_ONE, MIN_NORMAL],
      [1, 1, 1, 1, 1, 1, 1],
    ],
    [
      'SYMMETRIC_UNIT_INTERVAL',
      'fails one float32 step beyond -1 and 1, further out and at NaN',
      SYMMETRIC_UNIT_INTERVAL,
      [ABOVE_ONE, -ABOVE_ONE, 2, -Infinity, Infinity, NaN],
      [0, 0, 0, 0, 0, 0],
    ],
  ])('%s %s, elementwise', (_, __, constraint, values, expected) => {
    expect(constraint.eventRank).toBe(0);
    expect(flags(constraint, values)).toEqual({ shape: [values.length], flags: expected });
  });

  itWithSubnormals('NON_ZERO holds for the smallest subnormal, which is not zero', () => {
    expect(flags(NON_ZERO, [2 ** -149, -(2 ** -149)]).flags).toEqual([1, 1]);
  });

  it('NON_ZERO and SYMMETRIC_UNIT_INTERVAL keep the value’s shape', () => {
    expect(flags(NON_ZERO, [1, 0, 2, 0, 3, 0], [3, 1, 2])).toEqual({ shape: [3, 1, 2], flags: [1, 0, 1, 0, 1, 0] });
    expect(flags(SYMMETRIC_UNIT_INTERVAL, [0.5, 2, -2, -0.5], [2, 2])).toEqual({ shape: [2, 2], flags: [1, 0, 0, 1] });
  });

  it.each<[string, boolean, number[]]>([
    ['the identity', true, matrix([[1], [0, 1]])],
    ['a negative diagonal and any finite lower part', true, matrix([[-2], [1e30, -MIN_NORMAL]])],
    ['Infinity above the diagonal (ignored)', true, matrix([[1], [0, 1]], Infinity)],
    ['NaN above the diagonal (ignored)', true, matrix([[1], [0, 1]], NaN)],
    ['a zero on the diagonal', false, matrix([[1], [5, 0]])],
    ['a negative zero on the diagonal', false, matrix([[-0], [5, 1]])],
    ['an infinite diagonal entry', false, matrix([[Infinity], [0, 1]])],
    ['an infinite entry below the diagonal', false, matrix([[1], [-Infinity, 1]])],
    ['NaN below the diagonal', false, matrix([[1], [NaN, 1]])],
  ])('INVERTIBLE_LOWER_TRIANGULAR on %s: holds %s', (_, expected, values) => {
    expect(INVERTIBLE_LOWER_TRIANGULAR.eventRank).toBe(2);
    expect(flags(INVERTIBLE_LOWER_TRIANGULAR, values, [2, 2])).toEqual({ shape: [], flags: [expected ? 1 : 0] });
  });

  it('INVERTIBLE_LOWER_TRIANGULAR gives one flag per matrix of a batch, of any size', () => {
    const batch = [matrix([[1], [0, 1]]), matrix([[1], [0, 0]]), matrix([[3], [1, 2]])].flat();
    expect(flags(INVERTIBLE_LOWER_TRIANGULAR, batch, [3, 2, 2])).toEqual({ shape: [3], flags: [1, 0, 1] });
    const three = matrix([[1], [2, 3], [4, 5, 0]]);
    expect(flags(INVERTIBLE_LOWER_TRIANGULAR, [...three, ...three.map((v, i) => (i === 8 ? 6 : v))], [2, 3, 3]).flags).toEqual([0, 1]);
  });

  it.each<[string, Constraint, number[], number[], RegExp]>([
    ['NON_ZERO', NON_ZERO, [1, 0], [2], /Affine: scale must be non-zero and finite; got 0 at index \[1\]/],
    ['SYMMETRIC_UNIT_INTERVAL', SYMMETRIC_UNIT_INTERVAL, [0, 1, 1.5], [3], /Affine: scale must be in \[-1, 1\]; got 1\.5 at index \[2\]/],
    [
      'INVERTIBLE_LOWER_TRIANGULAR',
      INVERTIBLE_LOWER_TRIANGULAR,
      [...matrix([[1], [0, 1]]), ...matrix([[0], [0, 1]])],
      [2, 2, 2],
      /Affine: scale must be lower-triangular with a non-zero finite diagonal.*index \[1\]/s,
    ],
  ])('a value that breaks %s gets an error naming the argument, the constraint and the index', (_, constraint, values, shape, message) => {
    const x = tf.tensor(values, shape);
    expect(() => assertConstraint(x, 'scale', constraint, 'Affine')).toThrow(message);
    x.dispose();
  });

  it('every check is memory-neutral', async () => {
    const x = tf.tensor([1, 0, 2, 1], [2, 2]);
    for (const [label, constraint] of Object.entries({ NON_ZERO, SYMMETRIC_UNIT_INTERVAL, INVERTIBLE_LOWER_TRIANGULAR }))
      await expectMemoryNeutral(() => constraint.check(x), label);
    x.dispose();
  });
});
