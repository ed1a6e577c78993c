// The constraint table through the package's public surface, so the test survives a reorganisation
// of the file: each constraint against a table of values on, beside and outside its boundary.
import * as tf from '@tensorflow/tfjs-core';
import { expectMemoryNeutral } from '@vae/testing';
import { Pareto, assertConstraint, constraints } from './index.js';
import type { Constraint } from './index.js';

const flags = (c: Constraint, x: number[] | number[][]) => Array.from(c.check(tf.tensor(x)).dataSync()).map(Boolean);

describe('scalar constraints', () => {
  // 2^-126, the smallest normal float32, stands for "just above 0": a subnormal would be flushed to 0
  // by backends without subnormals (tensorflow).
  const xs = [-Infinity, -1, -0, 0, 2 ** -126, 0.5, 1, 2.5, 3, Infinity, NaN];
  it.each([
    ['real', constraints.real, [false, true, true, true, true, true, true, true, true, false, false]],
    ['positive', constraints.positive, [false, false, false, false, true, true, true, true, true, false, false]],
    ['nonNegative', constraints.nonNegative, [false, false, true, true, true, true, true, true, true, false, false]],
    ['unitInterval', constraints.unitInterval, [false, false, true, true, true, true, true, false, false, false, false]],
    ['openUnitInterval', constraints.openUnitInterval, [false, false, false, false, true, true, false, false, false, false, false]],
    ['binary', constraints.binary, [false, false, true, true, false, false, true, false, false, false, false]],
    ['integerInterval(0, 3)', constraints.integerInterval(0, 3), [false, false, true, true, false, false, true, false, true, false, false]],
    ['nonNegativeInteger', constraints.nonNegativeInteger, [false, false, true, true, false, false, true, false, true, false, false]],
    [
      'unitIntervalWithoutZero',
      constraints.unitIntervalWithoutZero,
      [false, false, false, false, true, true, true, false, false, false, false],
    ],
    [
      'unitIntervalWithoutOne',
      constraints.unitIntervalWithoutOne,
      [false, false, true, true, true, true, false, false, false, false, false],
    ],
  ] as const)('%s holds exactly where it should (NaN never)', (_name, constraint, expected) => {
    expect(constraint.eventRank).toBe(0);
    expect(flags(constraint, xs)).toEqual(expected);
  });

  it('interval(low, high) is [low, high), broadcasting its bounds', () => {
    const c = constraints.interval(tf.tensor([0, 1]), tf.tensor([1, 2]));
    expect(flags(c, [0, 1])).toEqual([true, true]);
    expect(flags(c, [1, 2])).toEqual([false, false]);
    expect(flags(c, [0.5, 0.5])).toEqual([true, false]);
  });

  it('greaterThan(low, name) is (low, Infinity], [low, Infinity] when inclusive, without +Infinity when finite', () => {
    const low = tf.scalar(1);
    const greater = constraints.greaterThan(low, 'low');
    const atLeast = constraints.greaterThan(low, 'scale', { inclusive: true, finite: true });
    expect([greater.description, atLeast.description]).toEqual(['greater than low', 'at least scale, and finite']);
    expect(flags(greater, xs)).toEqual([false, false, false, false, false, false, false, true, true, true, false]);
    expect(flags(atLeast, xs)).toEqual([false, false, false, false, false, false, true, true, true, false, false]);
    expect(flags(constraints.greaterThan(tf.tensor([0, 1]), 'low'), [0.5, 0.5])).toEqual([true, false]);
    low.dispose();
  });

  it("binary's violation is exactly 0 where it holds and positive (or NaN) elsewhere", () => {
    const v = Array.from(constraints.binary.violation!(tf.tensor([0, 1, 0.5, 2, NaN])).dataSync());
    expect(v.slice(0, 2).map(Math.abs)).toEqual([0, 0]);
    expect(v[2]).toBeGreaterThan(0);
    expect(v[3]).toBeGreaterThan(0);
    expect(Number.isNaN(v[4])).toBe(true);
  });
});

describe('event constraints', () => {
  it('simplex: non-negative entries summing to 1 within the tolerance, per last axis', () => {
    const c = constraints.simplex(1e-3);
    expect(c.eventRank).toBe(1);
    expect(
      flags(c, [
        [0.2, 0.3, 0.5],
        [0.2, 0.3, 0.51],
        [-0.1, 0.6, 0.5],
        [0, 0, 1],
        [NaN, 0.5, 0.5],
        [0.3333, 0.3333, 0.3334],
      ]),
    ).toEqual([true, false, false, true, false, true]);
  });

  it('oneHot: entries 0 or 1 with exactly one 1', () => {
    expect(
      flags(constraints.oneHot(), [
        [0, 1, 0],
        [1, 1, 0],
        [0, 0, 0],
        [0, 0.5, 0.5],
      ]),
    ).toEqual([true, false, false, false]);
  });

  it('unitVector: Euclidean norm 1 within the tolerance', () => {
    expect(
      flags(constraints.unitVector(1e-3), [
        [0.6, 0.8],
        [0.6, 0.81],
        [1, 0],
        [0, 0],
      ]),
    ).toEqual([true, false, true, false]);
  });

  it('realVector: every entry finite', () => {
    expect(
      flags(constraints.realVector, [
        [1, -2],
        [Infinity, 0],
        [0, NaN],
      ]),
    ).toEqual([true, false, false]);
  });
});

describe('assertConstraint', () => {
  it('passes valid values and names the first invalid one by index, argument, constraint and context', () => {
    expect(() => assertConstraint(tf.tensor([1, 2]), 'scale', constraints.positive, 'Normal')).not.toThrow();
    expect(() =>
      assertConstraint(
        tf.tensor([
          [1, 2],
          [3, -4],
        ]),
        'scale',
        constraints.positive,
        'Normal',
      ),
    ).toThrow('Normal: scale must be positive (> 0) and finite; got -4 at index [1,1]');
  });

  it('shows a whole event for event constraints, at the index of the event', () => {
    expect(() =>
      assertConstraint(
        tf.tensor([
          [0.5, 0.5],
          [0.9, 0.9],
        ]),
        'probs',
        constraints.simplex(),
        'Categorical',
      ),
    ).toThrow(/^Categorical: probs must be on the probability simplex .*; got \[0\.8999\d*, 0\.8999\d*\] at index \[1\]$/);
  });

  it('puts the prefix before the description', () => {
    expect(() => assertConstraint(tf.scalar(2), 'x', constraints.unitInterval, 'Beta', 'in the support: ')).toThrow(
      /^Beta: x must be in the support: in \[0, 1\]; got 2$/,
    );
  });

  it('under a bound that broadcasts against the value, names the offending value and its index in the broadcast', () => {
    tf.tidy(() => {
      const scale = tf.tensor([[1], [2]]); // Pareto's support [scale, Infinity), one bound per batch row
      const atLeastScale = constraints.greaterThan(scale, 'scale', { inclusive: true });
      const cases: [number | number[] | number[][] | number[][][], string][] = [
        [[1.5, 3], '[1,0] of its broadcast shape [2,2]'], // 1.5 is above row 0's bound and below row 1's
        [[[1.5, 3]], '[1,0] of its broadcast shape [2,2]'],
        [[3, 1.5], '[1,1] of its broadcast shape [2,2]'],
        [1.5, '[1,0] of its broadcast shape [2,1]'],
        [[[[1.5]]], '[0,1,0] of its broadcast shape [1,2,1]'],
      ];
      for (const [value, at] of cases) {
        expect(() => assertConstraint(tf.tensor(value), 'value', atLeastScale, 'Pareto', 'in the support: ')).toThrow(
          `Pareto: value must be in the support: at least scale; got 1.5 at index ${at}`,
        );
      }
      // Each element meets its own row's bound: 1 >= 1 in row 0, 2 >= 2 in row 1.
      expect(() =>
        assertConstraint(
          tf.tensor([
            [1, 2],
            [2, 3],
          ]),
          'value',
          atLeastScale,
        ),
      ).not.toThrow();
      const pareto = new Pareto({ scale: [[1], [2]], alpha: 1 });
      expect(() => pareto.logProb([0.5, 3])).toThrow(/got 0\.5 at index \[0,0\] of its broadcast shape \[2,2\]$/);
      expect(() => pareto.logProb([1.5, 3])).toThrow(/got 1\.5 at index \[1,0\] of its broadcast shape \[2,2\]$/);
      expect(pareto.logProb([2, 3]).shape).toEqual([2, 2]);
      // An event constraint shows the value's own event at the broadcast index.
      const low = tf.tensor([[[0]], [[3]]]);
      const allAtLeastLow: Constraint = {
        description: 'entries >= low',
        eventRank: 1,
        check: (x) => tf.tidy(() => tf.all(tf.greaterEqual(x, low), -1)),
      };
      expect(() => assertConstraint(tf.tensor([[1, 5]]), 'x', allAtLeastLow)).toThrow(
        'x must be entries >= low; got [1, 5] at index [1,0] of its broadcast shape [2,1]',
      );
    });
  });

  it('allocates nothing', async () => {
    const x = tf.tensor([0.1, 0.2]);
    await expectMemoryNeutral(() => assertConstraint(x, 'x', constraints.unitInterval));
    await expectMemoryNeutral(() => constraints.positive.check(x));
    const bound = tf.tensor([[0], [0.15]]);
    await expectMemoryNeutral(() =>
      expect(() => assertConstraint(x, 'x', constraints.greaterThan(bound, 'bound'))).toThrow(/index \[1,0\]/),
    );
    bound.dispose();
    x.dispose();
  });
});
