import * as tf from '@tensorflow/tfjs-core';
import { expectMethodsMemoryNeutral } from '../test/scalar-family-helpers.js';
import { powerSphericalSample } from '@vae/samplers';
import { Directional, FamilyDistribution, PowerSpherical, VonMisesFisher, constraints, familyName } from './index.js';
import { directional } from './directional.js';
import type { Constraint, DirectionalParams } from './index.js';

/**
 * A family on the base declared the way VonMisesFisher and PowerSpherical are: its name, the
 * constraint on its concentration, and the least math (every draw is the mean direction; the log
 * density is kappa mu^T x, unnormalized).
 */
function toyFamily(name: string, concentrationConstraint: Constraint) {
  class Toy extends Directional {
    static override readonly familyName: string = name;
    constructor(params: DirectionalParams) {
      super(params, concentrationConstraint);
    }
    protected override _sampleN(n: number): tf.Tensor {
      return tf.broadcastTo(this.meanDirection, [n, ...this.batchShape, this.dim]);
    }
    protected _logProb(x: tf.Tensor): tf.Tensor {
      return tf.mul(this.concentration, tf.sum(tf.mul(x, this.meanDirection), -1));
    }
  }
  return Toy;
}

const NonNegative = toyFamily('ToyNonNegative', constraints.nonNegative);
const Positive = toyFamily('ToyPositive', constraints.positive);

describe('Directional', () => {
  it('takes the event shape [d] from meanDirection’s last axis and the batch shape from the rest, broadcast with concentration', () => {
    const d = new NonNegative({ meanDirection: [[[1, 0, 0]], [[0, 0.6, 0.8]]], concentration: [0, 1, 2, 3] });
    expect(d).toBeInstanceOf(Directional);
    expect(d.name).toBe('ToyNonNegative');
    expect([d.dim, d.batchShape, d.eventShape]).toEqual([3, [2, 4], [3]]);
    expect([d.meanDirection.dtype, d.concentration.dtype]).toEqual(['float32', 'float32']);
    tf.tidy(() => {
      expect(d.sample([5], 0).shape).toEqual([5, 2, 4, 3]);
      expect(d.logProb([0, 1, 0]).shape).toEqual([2, 4]);
      expect(d.logProb(tf.fill([5, 1, 1, 3], Math.sqrt(1 / 3))).shape).toEqual([5, 2, 4]);
    });
    expect(d.reparameterized).toBe(true);
    d.dispose();
    expect(
      () =>
        new NonNegative({
          meanDirection: [
            [1, 0],
            [0, 1],
          ],
          concentration: [1, 2, 3],
        }),
    ).toThrow(/ToyNonNegative.*meanDirection.*concentration/s);
  });

  it('its support is the unit vectors, checked on values when validating', () => {
    const d = new NonNegative({ meanDirection: [0, 1], concentration: 1 });
    tf.tidy(() =>
      expect(
        Array.from(
          d.support
            .check(
              tf.tensor([
                [0.6, 0.8],
                [1, 1],
                [0, 0],
              ]),
            )
            .dataSync(),
        ),
      ).toEqual([1, 0, 0]),
    );
    expect(d.support.eventRank).toBe(1);
    expect(() => d.logProb([1, 1])).toThrow(/ToyNonNegative: value must be in the support: a unit vector/);
    d.dispose();
  });

  it.each<[string, DirectionalParams, RegExp]>([
    [
      'a direction off the sphere',
      {
        meanDirection: [
          [1, 0],
          [1, 1],
        ],
        concentration: 1,
      },
      /ToyNonNegative: meanDirection must be a unit vector.*index \[1\]/,
    ],
    ['a zero direction', { meanDirection: [0, 0], concentration: 1 }, /ToyNonNegative: meanDirection must be a unit vector/],
    [
      'a direction in R^1',
      { meanDirection: [1], concentration: 1 },
      /ToyNonNegative: meanDirection \(its last axis\) must be an integer >= 2/,
    ],
    [
      'a scalar direction',
      { meanDirection: 1, concentration: 1 },
      /ToyNonNegative: meanDirection must be a unit vector or batch of them shaped \[\.\.\., d\]/,
    ],
    ['a NaN direction', { meanDirection: [NaN, 1], concentration: 1 }, /ToyNonNegative: meanDirection must be a unit vector/],
    [
      'a negative concentration',
      { meanDirection: [0, 1], concentration: [1, -1] },
      /ToyNonNegative: concentration must be non-negative \(>= 0\) and finite; got -1 at index \[1\]/,
    ],
  ])('rejects %s with an error naming the family, the argument and the constraint', (_, params, message) => {
    expect(() => new NonNegative(params)).toThrow(message);
  });

  it('checks meanDirection against a tolerance of 1e-3 on the norm and keeps it as given: it validates, never normalizes', () => {
    const near = [0, 1 + 5e-4];
    const d = new NonNegative({ meanDirection: near, concentration: 1 });
    expect(Array.from(d.meanDirection.dataSync())).toEqual(near.map(Math.fround));
    d.dispose();
    expect(() => new NonNegative({ meanDirection: [0, 1 + 2e-3], concentration: 1 })).toThrow(/meanDirection must be a unit vector/);
    const unchecked = new NonNegative({ meanDirection: [3, 4], concentration: 1, validateArgs: false });
    expect(Array.from(unchecked.meanDirection.dataSync())).toEqual([3, 4]);
    unchecked.dispose();
  });

  it('checks concentration against the constraint its subclass passes: zero is allowed by one family, not by the other', () => {
    const zero = { meanDirection: [0, 1], concentration: 0 };
    const d = new NonNegative(zero);
    expect(d.concentration.dataSync()[0]).toBe(0);
    d.dispose();
    expect(() => new Positive(zero)).toThrow(/ToyPositive: concentration must be positive \(> 0\) and finite; got 0/);
    for (const Family of [NonNegative, Positive])
      expect(() => new Family({ ...zero, concentration: Infinity })).toThrow(/concentration must be/);
  });

  it('every call is memory-neutral; dispose frees the tensors it made, never the caller’s', async () => {
    const [meanDirection, concentration] = [
      tf.tensor([
        [0, 1],
        [0.6, 0.8],
      ]),
      tf.tensor([1, 2]),
    ];
    const d = new Positive({ meanDirection, concentration });
    await expectMethodsMemoryNeutral(d, [0, 1], ['sample', 'rsample', 'logProb', 'prob'], {
      constructAndDispose: () => new Positive({ meanDirection: [[0, 1]], concentration: [1, 2] }).dispose(),
      constructFromTensorsAndDispose: () => new Positive({ meanDirection, concentration }).dispose(),
    });
    d.dispose();
    expect([meanDirection.isDisposed, concentration.isDisposed]).toEqual([false, false]);
    tf.dispose([meanDirection, concentration]);
  });

  it('draws with the sampler its family gives as data, called with meanDirection, concentration, [n, ...batchShape] and the seed', () => {
    class Sampled extends directional('Sampled', constraints.positive) {
      protected override readonly sampler = powerSphericalSample;
      protected _logProb(x: tf.Tensor): tf.Tensor {
        return tf.mul(this.concentration, tf.sum(tf.mul(x, this.meanDirection), -1));
      }
    }
    const meanDirection = [
      [0, 1, 0],
      [0.6, 0, 0.8],
    ];
    const d = new Sampled({ meanDirection, concentration: [0.5, 20] });
    expect(d).toBeInstanceOf(FamilyDistribution);
    tf.tidy(() => {
      for (const seed of [0, 7]) {
        const direct = powerSphericalSample(tf.tensor(meanDirection), tf.tensor([0.5, 20]), [4, 2], seed);
        expect(Array.from(d.sample([4], seed).dataSync())).toEqual(Array.from(direct.dataSync()));
      }
    });
    d.dispose();
  });

  it('directional(name, constraint) declares a family by its name and its concentration constraint, as VonMisesFisher and PowerSpherical do', () => {
    class Declared extends directional('Declared', constraints.positive) {
      protected override _sampleN(n: number): tf.Tensor {
        return tf.broadcastTo(this.meanDirection, [n, ...this.batchShape, this.dim]);
      }
      protected _logProb(x: tf.Tensor): tf.Tensor {
        return tf.mul(this.concentration, tf.sum(tf.mul(x, this.meanDirection), -1));
      }
    }
    Object.defineProperty(Declared, 'name', { value: 't' }); // as a minifier would
    expect([familyName(Declared), familyName(VonMisesFisher), familyName(PowerSpherical)]).toEqual([
      'Declared',
      'VonMisesFisher',
      'PowerSpherical',
    ]);
    const d = new Declared({ meanDirection: [0, 1], concentration: 2 });
    expect(d).toBeInstanceOf(Directional);
    expect([d.name, d.dim]).toEqual(['Declared', 2]);
    d.dispose();
    expect(() => new Declared({ meanDirection: [0, 1], concentration: 0 })).toThrow(
      /Declared: concentration must be positive \(> 0\) and finite; got 0/,
    );
    class Sub extends Declared {}
    expect(familyName(Sub)).toBe('Sub');
  });
});
