// expand(batchShape) on every family (issue 20): the expanded distribution has the new batch
// shape, agrees with the original broadcast (logProb and, where defined, mean), carries gradients
// to the original parameters, is memory-neutral, and a shape the batch does not broadcast to is
// an error naming batchShape.
import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectMemoryNeutral } from '@vae/testing';
import {
  Bernoulli,
  Beta,
  Categorical,
  Cauchy,
  ContinuousBernoulli,
  Dirichlet,
  Exponential,
  Gamma,
  Gumbel,
  HalfCauchy,
  HalfNormal,
  HypersphericalUniform,
  Independent,
  Kumaraswamy,
  Laplace,
  Logistic,
  LogNormal,
  MixtureSameFamily,
  MultivariateNormal,
  Normal,
  OneHotCategorical,
  Pareto,
  PowerSpherical,
  RelaxedBernoulli,
  RelaxedOneHotCategorical,
  StudentT,
  Uniform,
  VonMisesFisher,
} from '../src/index.js';
import type { Distribution } from '../src/index.js';

// Batches of 2 shared by several rows: two rows of three logits, two points of the 2-simplex,
// two directions on the circle.
const LOGITS = [
  [0, 1, 2],
  [2, 1, 0],
];
const SIMPLEX_POINTS = [
  [0.2, 0.3, 0.5],
  [0.6, 0.3, 0.1],
];
const DIRECTIONS = [
  [0, 1],
  [1, 0],
];
const CIRCLE_POINTS = [
  [0.6, 0.8],
  [0.8, 0.6],
];
const LOC_SCALE = { loc: [0, 1], scale: 2 };
const PAIR = { concentration1: [1, 2], concentration0: 3 };
const DIRECTIONAL = { meanDirection: DIRECTIONS, concentration: [1, 5] };

/** Each family with a batch of 2 and a value in its support shaped batch + event. */
const FAMILIES: [string, () => Distribution, number[] | number[][]][] = [
  ['Normal', () => new Normal(LOC_SCALE), [0.5, -1]],
  ['Laplace', () => new Laplace(LOC_SCALE), [0.5, -1]],
  ['Logistic', () => new Logistic(LOC_SCALE), [0.5, -1]],
  ['Gumbel', () => new Gumbel(LOC_SCALE), [0.5, -1]],
  ['Cauchy', () => new Cauchy(LOC_SCALE), [0.5, -1]],
  ['LogNormal', () => new LogNormal(LOC_SCALE), [0.5, 3]],
  ['HalfNormal', () => new HalfNormal({ scale: [1, 2] }), [0.5, 3]],
  ['HalfCauchy', () => new HalfCauchy({ scale: [1, 2] }), [0.5, 3]],
  ['StudentT', () => new StudentT({ df: [3, 5], loc: 1, scale: 2 }), [0.5, 3]],
  ['Pareto', () => new Pareto({ scale: [1, 2], alpha: 3 }), [1.5, 3]],
  ['Exponential', () => new Exponential({ rate: [1, 2] }), [0.5, 3]],
  ['Uniform', () => new Uniform({ low: [0, 1], high: 4 }), [0.5, 3]],
  ['Gamma', () => new Gamma({ concentration: [1, 2], rate: 3 }), [0.5, 3]],
  ['Beta', () => new Beta(PAIR), [0.5, 0.25]],
  ['Kumaraswamy', () => new Kumaraswamy(PAIR), [0.5, 0.25]],
  ['Bernoulli', () => new Bernoulli({ probs: [0.2, 0.7] }), [1, 0]],
  ['ContinuousBernoulli', () => new ContinuousBernoulli({ probs: [0.2, 0.7] }), [0.1, 0.9]],
  ['RelaxedBernoulli', () => new RelaxedBernoulli({ temperature: 0.5, probs: [0.2, 0.7] }), [0.1, 0.9]],
  ['Categorical', () => new Categorical({ logits: LOGITS }), [2, 0]],
  [
    'OneHotCategorical',
    () => new OneHotCategorical({ logits: LOGITS }),
    [
      [0, 0, 1],
      [1, 0, 0],
    ],
  ],
  ['RelaxedOneHotCategorical', () => new RelaxedOneHotCategorical({ temperature: 0.5, logits: LOGITS }), SIMPLEX_POINTS],
  [
    'Dirichlet',
    () =>
      new Dirichlet({
        concentration: [
          [1, 2, 3],
          [2, 2, 2],
        ],
      }),
    SIMPLEX_POINTS,
  ],
  [
    'MultivariateNormal',
    () =>
      new MultivariateNormal({
        loc: DIRECTIONS,
        scaleTril: [
          [1, 0],
          [0.5, 2],
        ],
      }),
    [
      [0.5, 1],
      [1, -1],
    ],
  ],
  ['VonMisesFisher', () => new VonMisesFisher(DIRECTIONAL), CIRCLE_POINTS],
  ['PowerSpherical', () => new PowerSpherical(DIRECTIONAL), CIRCLE_POINTS],
  ['HypersphericalUniform', () => new HypersphericalUniform({ dim: 2, batchShape: [2] }), CIRCLE_POINTS],
  [
    'Independent',
    () =>
      new Independent({
        distribution: new Normal({
          loc: [
            [0, 1, 2],
            [1, 0, 2],
          ],
          scale: 2,
        }),
        reinterpretedBatchNdims: 1,
      }),
    [
      [0.5, 1, 2],
      [1, -1, 0],
    ],
  ],
  [
    'MixtureSameFamily',
    () =>
      new MixtureSameFamily({
        mixtureLogits: [0, 1],
        components: new Normal({
          loc: [
            [0, 1],
            [2, 3],
          ],
          scale: 1,
        }),
      }),
    [0.5, -1],
  ],
];

describe('expand(batchShape) on every family', () => {
  it.each(FAMILIES)(
    '%s: the new batch shape, the same logProb broadcast, no leaks, and an error naming batchShape',
    async (name, make, value) => {
      const d = make();
      expect(d.batchShape).toEqual([2]);
      const e = d.expand([3, 2]);
      expect(e.constructor).toBe(d.constructor);
      expect(e.batchShape).toEqual([3, 2]);
      expect(e.eventShape).toEqual(d.eventShape);
      const [lp, lpe] = [d.logProb(value), e.logProb(value)];
      expect(lpe.shape).toEqual([3, 2]);
      expectClose(
        lpe,
        [0, 1, 2].flatMap(() => Array.from(lp.dataSync())),
        { rtol: 1e-6, atol: 1e-7 },
      );
      const s = e.sample([4], 1);
      expect(s.shape).toEqual([4, 3, 2, ...d.eventShape]);
      tf.dispose([lp, lpe, s]);
      expect(() => d.expand([3])).toThrow(`${name}: batchShape must be a shape that the batch shape [2] broadcasts to; got [3]`);
      expect(() => d.expand([2, 1])).toThrow(`${name}: batchShape must be a shape that the batch shape [2] broadcasts to`);
      await expectMemoryNeutral(() => d.expand([5, 2]).dispose(), `${name}.expand`);
      e.dispose();
      d.dispose();
    },
  );

  it('gradients flow from the expanded distribution to the original parameters', () => {
    const g = tf.grad((loc: tf.Tensor) => tf.sum(new Normal({ loc, scale: 1 }).expand([4, 2]).logProb(0)))(tf.tensor([0.5, -1]));
    // d/dloc of -(0 - loc)^2 / 2, summed over the 4 copies: -4 loc.
    expectClose(g, [-2, 4], { rtol: 1e-6 });
  });
});

describe('reshapeBatch(batchShape) on every family', () => {
  it.each(FAMILIES)(
    '%s: [2] as [2, 1] and [1, 2] keeps each member, carries no leaks, and an error names batchShape',
    async (name, make, value) => {
      const d = make();
      const lp = d.logProb(value);
      const [column, row] = [d.reshapeBatch([2, 1]), d.reshapeBatch([1, 2])];
      expect([column.constructor, row.constructor]).toEqual([d.constructor, d.constructor]);
      expect([column.batchShape, row.batchShape, column.eventShape]).toEqual([[2, 1], [1, 2], d.eventShape]);
      // Member i keeps its own value: value i sits at [i, 0] for the column and [0, i] for the row.
      const [asColumn, asRow] = [column.logProb(tf.expandDims(value, 1)), row.logProb(value)];
      expect([asColumn.shape, asRow.shape]).toEqual([
        [2, 1],
        [1, 2],
      ]);
      expectClose(asColumn, tf.reshape(lp, [2, 1]), { rtol: 1e-6, atol: 1e-7 });
      expectClose(asRow, tf.reshape(lp, [1, 2]), { rtol: 1e-6, atol: 1e-7 });
      tf.dispose([lp, asColumn, asRow]);
      expect(() => d.reshapeBatch([3])).toThrow(`${name}: batchShape must be a shape of 2 batch members, as [2] has; got [3]`);
      await expectMemoryNeutral(() => d.reshapeBatch([1, 2, 1]).dispose(), `${name}.reshapeBatch`);
      [column, row, d].forEach((x) => x.dispose());
    },
  );

  it('gradients flow from the reshaped distribution to the original parameters', () => {
    const g = tf.grad((loc: tf.Tensor) => tf.sum(new Normal({ loc, scale: 1 }).reshapeBatch([2, 1]).logProb([0, 1])))(tf.tensor([0.5, -1]));
    // Each loc_i meets the values 0 and 1: d/dloc_i sum_j -(x_j - loc_i)^2 / 2 = (0 - loc_i) + (1 - loc_i).
    expectClose(g, [0, 3], { rtol: 1e-6 });
  });
});
