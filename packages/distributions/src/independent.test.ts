import * as tf from '@tensorflow/tfjs-core';
import normalDist from '@stdlib/stats-base-dists-normal';
import { compareClose, expectClose, expectFinite, expectWithinStandardErrors, summarize } from '@vae/testing';
import { Bernoulli, Independent, MixtureSameFamily, MultivariateNormal, Normal, VonMisesFisher } from './index.js';
import { expectMethodsMemoryNeutral } from '../test/scalar-family-helpers.js';

const f32 = Math.fround;

describe('Independent against @stdlib', () => {
  it('logProb and entropy sum the base over the reinterpreted axes (ordinary and extreme scales)', () => {
    const regimes = {
      ordinary: {
        loc: [
          [0, 1, -2],
          [0.5, 0.5, 0.5],
        ],
        scale: [
          [1, 2, 0.5],
          [0.3, 1, 3],
        ],
        x: [
          [0.1, 2, -2.5],
          [0, 1, 2],
        ],
      },
      extreme: {
        loc: [
          [0, 1e3, -2],
          [1e-3, 0, 5],
        ],
        scale: [
          [1e-5, 1e3, 1e-2],
          [1e4, 1e-3, 1],
        ],
        x: [
          [3e-5, 1200, -1.9],
          [-2e4, 0.004, 5],
        ],
      },
    };
    const worst: Record<string, number> = {};
    for (const [regime, { loc, scale, x }] of Object.entries(regimes)) {
      const d = new Independent({ distribution: new Normal({ loc, scale }), reinterpretedBatchNdims: 1 });
      expect(d.batchShape).toEqual([2]);
      expect(d.eventShape).toEqual([3]);
      const lp = d.logProb(x);
      const oracle = x.map((row, b) => row.reduce((s, v, i) => s + normalDist.logpdf(f32(v), f32(loc[b][i]), f32(scale[b][i])), 0));
      expectClose(lp, oracle, { rtol: 2e-5, atol: 1e-4, label: `${regime} logProb` });
      const ent = scale.map((row) => row.reduce((s, v) => s + normalDist.entropy(0, f32(v)), 0));
      expectClose(d.entropy(), ent, { rtol: 1e-5, atol: 1e-5, label: `${regime} entropy` });
      worst[regime] = Math.max(
        compareClose(lp, oracle, { atol: 1e-3 }).maxRelativeError,
        compareClose(d.entropy(), ent, { atol: 1e-3 }).maxRelativeError,
      );
      expectClose(d.mean(), loc);
      expectClose(
        d.variance(),
        scale.map((r) => r.map((s) => f32(s) ** 2)),
        { rtol: 1e-6 },
      );
      expectClose(d.stddev(), scale, { rtol: 1e-6 });
      expectClose(d.mode(), loc);
    }
    console.log(
      `[Independent] logProb/entropy worst rel err vs @stdlib: ordinary ${worst.ordinary.toExponential(
        1,
      )}, extreme ${worst.extreme.toExponential(1)}`,
    );
  });

  it('Independent(Normal) over the last axis equals MultivariateNormal with a diagonal scaleTril', () => {
    const loc = [0.3, -1, 2];
    const scale = [0.5, 2, 1.5];
    const ind = new Independent({ distribution: new Normal({ loc, scale }) });
    const mvn = new MultivariateNormal({ loc, scaleTril: scale.map((s, i) => scale.map((_, j) => (i === j ? s : 0))) });
    const x = [
      [0, 0, 0],
      [1, -2, 3],
    ];
    expectClose(ind.logProb(x), mvn.logProb(x), { rtol: 1e-6 });
    expectClose(ind.entropy(), mvn.entropy(), { rtol: 1e-6 });
  });
});

describe('Independent shapes', () => {
  const normal = () => new Normal({ loc: tf.zeros([4, 2, 3]), scale: 1 });
  it.each([
    ['n = 0', 0, [4, 2, 3], []],
    ['n = 1', 1, [4, 2], [3]],
    ['n = 2', 2, [4], [2, 3]],
    ['default: all batch dims', undefined, [], [4, 2, 3]],
  ])('Normal batch [4, 2, 3], %s', (_name, n, batchShape, eventShape) => {
    const d = new Independent({ distribution: normal(), reinterpretedBatchNdims: n });
    expect(d.batchShape).toEqual(batchShape);
    expect(d.eventShape).toEqual(eventShape);
    const s = d.sample([5], 1);
    expect(s.shape).toEqual([5, 4, 2, 3]);
    expect(d.logProb(s).shape).toEqual([5, ...batchShape]);
    expect(d.entropy().shape).toEqual(batchShape);
    expect(d.mean().shape).toEqual([4, 2, 3]);
  });

  it('over a vector family: Independent(MultivariateNormal batch [3], d = 2) has event [3, 2]', () => {
    const base = new MultivariateNormal({
      loc: tf.zeros([3, 2]),
      scaleTril: [
        [1, 0],
        [0.5, 1],
      ],
    });
    const d = new Independent({ distribution: base, reinterpretedBatchNdims: 1 });
    expect(d.batchShape).toEqual([]);
    expect(d.eventShape).toEqual([3, 2]);
    const s = d.sample([4], 2);
    expect(s.shape).toEqual([4, 3, 2]);
    expectClose(d.logProb(s), tf.sum(base.logProb(s), -1), { rtol: 1e-6 });
    expect(d.support.eventRank).toBe(2);
    // One bad coordinate in one vector makes the whole event invalid.
    const loose = new Independent({
      distribution: new MultivariateNormal({
        loc: tf.zeros([3, 2]),
        scaleTril: [
          [1, 0],
          [0, 1],
        ],
        validateArgs: false,
      }),
    });
    const lp = loose
      .logProb([
        [
          [0, 0],
          [0, NaN],
          [0, 0],
        ],
        [
          [0, 0],
          [0, 0],
          [0, 0],
        ],
      ])
      .arraySync() as number[];
    expect(lp[0]).toBe(-Infinity);
    expectFinite(lp[1]);
  });

  it('a value broadcasts against the batch', () => {
    const d = new Independent({ distribution: new Normal({ loc: tf.zeros([2, 3]), scale: 1 }), reinterpretedBatchNdims: 1 });
    expect(d.logProb([0, 0, 0]).shape).toEqual([2]);
    expect(d.logProb(tf.zeros([7, 1, 3])).shape).toEqual([7, 2]);
  });
});

describe('Independent sampling and gradients', () => {
  it('Monte Carlo entropy, deterministic by seed, reparameterized iff the base is', () => {
    const d = new Independent({ distribution: new Normal({ loc: [1, 2], scale: [0.5, 3] }) });
    const x = d.sample([20000], 3);
    const e = summarize(tf.neg(d.logProb(x)).dataSync());
    expectWithinStandardErrors(e.mean, d.entropy().dataSync()[0], e.standardError, { label: 'entropy' });
    expectClose(d.sample([3], 4), d.sample([3], 4), { rtol: 0, atol: 0 });
    expect(d.reparameterized).toBe(true);
    const mixture = new MixtureSameFamily({ mixtureLogits: [[0, 0]], components: new Normal({ loc: [[-1, 1]], scale: 1 }) });
    const notReparameterized = new Independent({ distribution: mixture, reinterpretedBatchNdims: 1 });
    expect(notReparameterized.reparameterized).toBe(false);
    expect(() => notReparameterized.rsample()).toThrow(/Independent is not reparameterized/);
    expect(notReparameterized.sample([2], 1).shape).toEqual([2, 1]);
  });

  it('gradients: d/dloc logProb = (x - loc) / scale^2; rsample gradient d/dloc E[sum z^2] = 2 loc', () => {
    const loc = tf.tensor([0.5, -1]);
    const g = tf.grad((l: tf.Tensor) => new Independent({ distribution: new Normal({ loc: l, scale: [1, 2] }) }).logProb([1, 1]))(loc);
    expectClose(g, [0.5, 2 / 4], { rtol: 1e-6 });
    const n = 20000;
    const gr = tf.grad((l: tf.Tensor) =>
      tf.div(tf.sum(tf.square(new Independent({ distribution: new Normal({ loc: l, scale: 1 }) }).rsample([n], 2))), n),
    )(loc);
    expectClose(gr, [1, -2], { rtol: 0.05 });
  });
});

describe('Independent validation and memory', () => {
  it('names the argument and the constraint; values are checked on every coordinate', () => {
    const base = new Normal({ loc: tf.zeros([2, 3]), scale: 1 });
    expect(() => new Independent({ distribution: base, reinterpretedBatchNdims: 3 })).toThrow(
      "Independent: reinterpretedBatchNdims must be an integer in [0, 2] (the base's batch rank); got 3",
    );
    expect(() => new Independent({ distribution: base, reinterpretedBatchNdims: -1 })).toThrow(
      /reinterpretedBatchNdims must be an integer/,
    );
    expect(() => new Independent({ distribution: {} as Normal })).toThrow(/Independent: distribution must be a Distribution/);
    const d = new Independent({ distribution: base, reinterpretedBatchNdims: 1 });
    expect(() => d.logProb([0, Infinity, 0])).toThrow(/Independent: value must be in the support: a real number/);
    expect(() => d.logProb([0, 0])).toThrow(/value must be shaped sampleShape \+ batchShape \+ eventShape with eventShape \[3\]/);
  });

  it('without validation, an event with one coordinate outside the support is -Infinity', () => {
    const d = new Independent({ distribution: new Normal({ loc: tf.zeros([3]), scale: 1, validateArgs: false }) });
    expect(d.validateArgs).toBe(false);
    const lp = d
      .logProb([
        [0, Infinity, 0],
        [0, NaN, 0],
        [0, 0, 0],
      ])
      .arraySync() as number[];
    expect(lp.slice(0, 2)).toEqual([-Infinity, -Infinity]);
    expectFinite(lp[2]);
    // On the sphere: a vMF batch reinterpreted as one event.
    const v = new Independent({
      distribution: new VonMisesFisher({
        meanDirection: [
          [1, 0],
          [0, 1],
        ],
        concentration: 1,
        validateArgs: false,
      }),
    });
    expect(
      v
        .logProb([
          [
            [2, 0],
            [0, 1],
          ],
        ])
        .arraySync(),
    ).toEqual([-Infinity]);
  });

  it('masks whole Bernoulli events by summed violations: any non-binary, NaN or infinite pixel', () => {
    const pixels = new Independent({
      distribution: new Bernoulli({ logits: [[0.5, -1, 2, 0]], validateArgs: false }),
      reinterpretedBatchNdims: 1,
    });
    const values = [
      [1, 0, 1, 1],
      [1, 0.5, 1, 1],
      [NaN, 0, 1, 1],
      [1, 0, Infinity, 1],
      [1, 0, 1, -1e-30],
      [1, 1, 1, 1 + 1.2e-7],
    ];
    const lp = pixels.logProb(values).arraySync() as number[];
    // The first row is sum_i log sigmoid(+-l_i); every other row has one pixel outside {0, 1}.
    const logSigmoid = (t: number) => -Math.log1p(Math.exp(-t));
    expectClose([lp[0]], [logSigmoid(0.5) + logSigmoid(1) + logSigmoid(2) + logSigmoid(0)], { rtol: 1e-6 });
    expect(lp.slice(1)).toEqual([-Infinity, -Infinity, -Infinity, -Infinity, -Infinity]);
  });

  it('every public method is memory-neutral; dispose leaves the base alone', async () => {
    const loc = tf.tensor([
      [0, 1],
      [2, 3],
    ]);
    const base = new Normal({ loc, scale: [1, 2] });
    const d = new Independent({ distribution: base, reinterpretedBatchNdims: 1 });
    await expectMethodsMemoryNeutral(
      d,
      [0.1, 0.2],
      ['sample', 'rsample', 'logProb', 'prob', 'entropy', 'mean', 'variance', 'stddev', 'mode'],
      {
        construct: () => new Independent({ distribution: base }).dispose(),
        grad: () =>
          tf.grad((l: tf.Tensor) =>
            tf.sum(
              new Independent({ distribution: new Normal({ loc: l, scale: 1 }) }).logProb([
                [0, 0],
                [0, 0],
              ]),
            ),
          )(loc),
      },
    );
    d.dispose();
    expect(
      base.logProb([
        [0, 0],
        [0, 0],
      ]).shape,
    ).toEqual([2, 2]);
    expect(loc.isDisposed).toBe(false);
  });
});
