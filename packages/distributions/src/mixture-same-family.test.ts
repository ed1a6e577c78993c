import * as tf from '@tensorflow/tfjs-core';
import normalDist from '@stdlib/stats-base-dists-normal';
import {
  compareClose,
  expectClose,
  expectFinite,
  expectWithinStandardErrors,
  gradient64,
  summarize,
  varianceStandardError,
} from '@vae/testing';
import { Categorical, MixtureSameFamily, MultivariateNormal, Normal } from './index.js';
import { expectMethodsMemoryNeutral } from '../test/scalar-family-helpers.js';

const f32 = Math.fround;

/** log sum_k w_k N(x; m_k, s_k) in float64 with @stdlib's log densities. */
function mixtureLogPdf64(logits: number[], locs: number[], scales: number[], x: number): number {
  const lse = (v: number[]) => {
    const m = Math.max(...v);
    return m + Math.log(v.reduce((s, t) => s + Math.exp(t - m), 0));
  };
  const logW = logits.map((l) => l - lse(logits));
  return lse(logW.map((lw, k) => lw + normalDist.logpdf(x, locs[k], scales[k])));
}

const worst = { ordinary: 0, extreme: 0 };
afterAll(() => {
  console.log(
    `[MixtureSameFamily] logProb worst rel err vs @stdlib (float64 logsumexp): ordinary ${worst.ordinary.toExponential(
      1,
    )}, extreme ${worst.extreme.toExponential(1)}`,
  );
});

describe('MixtureSameFamily of Normals against @stdlib', () => {
  const logits = [Math.log(0.2), Math.log(0.5), Math.log(0.3)];
  const locs = [-3, 0, 4];
  const scales = [0.5, 1, 2];

  it('logProb in the bulk and far in the tails (log space: no underflow to -Infinity)', () => {
    const mix = new MixtureSameFamily({ mixtureLogits: logits, components: new Normal({ loc: locs, scale: scales }) });
    const regimes = { ordinary: [-4, -3, -1, 0, 0.7, 2, 4, 6], extreme: [-300, -60, 80, 1000] };
    for (const [regime, xs] of Object.entries(regimes) as ['ordinary' | 'extreme', number[]][]) {
      const lp = mix.logProb(xs);
      const oracle = xs.map((x) => mixtureLogPdf64(logits.map(f32), locs, scales, x));
      expectClose(lp, oracle, { rtol: 2e-6, atol: 1e-5, label: `${regime} logProb` });
      worst[regime] = Math.max(worst[regime], compareClose(lp, oracle, { atol: 1e-3 }).maxRelativeError);
    }
  });

  it('the density integrates to 1 on a grid, and mean/variance match the law of total variance', () => {
    const mix = new MixtureSameFamily({ mixtureLogits: logits, components: new Normal({ loc: locs, scale: scales }) });
    const h = 0.005;
    const grid = Array.from({ length: Math.round(30 / h) + 1 }, (_, i) => -12 + i * h);
    const p = mix.prob(grid).dataSync();
    let integral = 0;
    for (let i = 1; i < grid.length; i++) integral += (h * (p[i] + p[i - 1])) / 2;
    expect(Math.abs(integral - 1)).toBeLessThan(1e-5);
    const w = [0.2, 0.5, 0.3];
    const mean = w.reduce((s, wk, k) => s + wk * locs[k], 0);
    const variance = w.reduce((s, wk, k) => s + wk * (scales[k] ** 2 + (locs[k] - mean) ** 2), 0);
    expectClose(mix.mean(), mean, { rtol: 1e-6 });
    expectClose(mix.variance(), variance, { rtol: 1e-6 });
    expectClose(mix.stddev(), Math.sqrt(variance), { rtol: 1e-6 });
  });

  it('Monte Carlo: sample mean and variance; component frequencies', () => {
    const mix = new MixtureSameFamily({ mixtureLogits: logits, components: new Normal({ loc: locs, scale: scales }) });
    const n = 20000;
    const x = mix.sample([n], 21).dataSync();
    const s = summarize(x);
    expectWithinStandardErrors(s.mean, mix.mean().dataSync()[0], s.standardError, { label: 'mean' });
    expectWithinStandardErrors(s.variance, mix.variance().dataSync()[0], varianceStandardError(x), { label: 'variance' });
    // The component far to the right (loc 4, weight 0.3) holds about 0.3 of the mass above x = 1.6, give or take.
    const above = Array.from(x).filter((v) => v > 8).length / n;
    const truthAbove = 0.3 * (1 - normalDist.cdf(8, 4, 2)) + 0.5 * (1 - normalDist.cdf(8, 0, 1));
    expectWithinStandardErrors(above, truthAbove, Math.sqrt((truthAbove * (1 - truthAbove)) / n), { label: 'P(x > 8)' });
  });

  it('gradients of logProb w.r.t. logits and component locs match float64 finite differences', () => {
    const x = 1.3;
    const [gLogits, gLoc] = tf.grads((l: tf.Tensor, m: tf.Tensor) =>
      new MixtureSameFamily({ mixtureLogits: l, components: new Normal({ loc: m, scale: scales }) }).logProb(x),
    )([tf.tensor(logits), tf.tensor(locs)]);
    expectClose(
      gLogits,
      gradient64((l) => mixtureLogPdf64(l, locs, scales, x), logits.map(f32)),
      { rtol: 1e-4, atol: 1e-6 },
    );
    expectClose(
      gLoc,
      gradient64((m) => mixtureLogPdf64(logits, m, scales, x), locs),
      { rtol: 1e-4, atol: 1e-6 },
    );
  });

  it('accepts a Categorical as the mixture, and a -Infinity logit removes a component', () => {
    const components = new Normal({ loc: locs, scale: scales });
    const a = new MixtureSameFamily({ mixture: new Categorical({ logits }), components });
    const b = new MixtureSameFamily({ mixtureLogits: logits, components });
    expectClose(a.logProb([0.5, 3]), b.logProb([0.5, 3]), { rtol: 1e-6 });
    const c = new MixtureSameFamily({ mixture: new Categorical({ probs: [0.2, 0.5, 0.3] }), components });
    expectClose(c.logProb([0.5, 3]), b.logProb([0.5, 3]), { rtol: 1e-5 });
    const twoOnly = new MixtureSameFamily({ mixtureLogits: [0, -Infinity, 0], components });
    const half = new MixtureSameFamily({ mixtureLogits: [0, 0], components: new Normal({ loc: [-3, 4], scale: [0.5, 2] }) });
    expectClose(twoOnly.logProb([0.5, 3]), half.logProb([0.5, 3]), { rtol: 1e-6 });
    expectClose(twoOnly.mean(), half.mean(), { rtol: 1e-6 });
  });
});

describe('MixtureSameFamily of MultivariateNormals', () => {
  const logits = [
    [0.3, -0.2],
    [1, 0],
  ];
  const locs = [
    [
      [0, 0],
      [2, -1],
    ],
    [
      [1, 1],
      [-1, 3],
    ],
  ];
  const tril = [
    [
      [1, 0],
      [0.5, 0.8],
    ],
    [
      [0.6, 0],
      [-0.3, 1.2],
    ],
  ];

  it('logProb matches a float64 oracle; mean and variance by total expectation/variance; MC agrees', () => {
    const mix = new MixtureSameFamily({ mixtureLogits: logits, components: new MultivariateNormal({ loc: locs, scaleTril: tril }) });
    expect(mix.batchShape).toEqual([2]);
    expect(mix.eventShape).toEqual([2]);
    const x = [0.4, -0.7];
    const logPdf = (m: number[], L: number[][], v: number[]) => {
      const z0 = (v[0] - m[0]) / L[0][0];
      const z1 = (v[1] - m[1] - L[1][0] * z0) / L[1][1];
      return -0.5 * (z0 * z0 + z1 * z1) - Math.log(L[0][0] * L[1][1]) - Math.log(2 * Math.PI);
    };
    const oracle = logits.map((lg, b) => {
      const lse = Math.log(Math.exp(lg[0]) + Math.exp(lg[1]));
      return Math.log(lg.reduce((s, l, k) => s + Math.exp(l - lse + logPdf(locs[b][k], tril[k], x)), 0));
    });
    const lp = mix.logProb(x);
    expectClose(lp, oracle, { rtol: 1e-5 });
    worst.ordinary = Math.max(worst.ordinary, compareClose(lp, oracle, { atol: 1e-3 }).maxRelativeError);
    const n = 5000;
    const s = mix.sample([n], 5);
    expect(s.shape).toEqual([n, 2, 2]);
    const mean = mix.mean().arraySync() as number[][];
    const variance = mix.variance().arraySync() as number[][];
    for (let b = 0; b < 2; b++) {
      const w = [Math.exp(logits[b][0]), Math.exp(logits[b][1])];
      const total = w[0] + w[1];
      for (let i = 0; i < 2; i++) {
        const col = tf.slice(s, [0, b, i], [n, 1, 1]).dataSync();
        const st = summarize(col);
        const cm = (w[0] * locs[b][0][i] + w[1] * locs[b][1][i]) / total;
        const covDiag = (k: number) => tril[k][i].reduce((acc, v) => acc + v * v, 0);
        const cv = [0, 1].reduce((acc, k) => acc + (w[k] / total) * (covDiag(k) + (locs[b][k][i] - cm) ** 2), 0);
        expectClose(mean[b][i], cm, { rtol: 1e-5, atol: 1e-6 });
        expectClose(variance[b][i], cv, { rtol: 1e-5 });
        expectWithinStandardErrors(st.mean, cm, st.standardError, { label: `mean[${b}][${i}]` });
        expectWithinStandardErrors(st.variance, cv, varianceStandardError(col), { label: `variance[${b}][${i}]` });
      }
    }
  });
});

describe('MixtureSameFamily shapes', () => {
  it.each([
    [
      'Normals, K = 3',
      () => new MixtureSameFamily({ mixtureLogits: [0, 0, 0], components: new Normal({ loc: [0, 1, 2], scale: 1 }) }),
      [],
      [],
      [4],
      [4],
    ],
    [
      'Normals batch [2], K = 3',
      () => new MixtureSameFamily({ mixtureLogits: tf.zeros([2, 3]), components: new Normal({ loc: tf.zeros([2, 3]), scale: 1 }) }),
      [2],
      [],
      [4],
      [4, 2],
    ],
    [
      'shared logits broadcast to batch [2]',
      () => new MixtureSameFamily({ mixtureLogits: [0, 1, 2], components: new Normal({ loc: tf.zeros([2, 3]), scale: 1 }) }),
      [2],
      [],
      [],
      [2],
    ],
    [
      'MVNs d = 3, K = 2',
      () =>
        new MixtureSameFamily({
          mixtureLogits: [0, 0],
          components: new MultivariateNormal({
            loc: tf.zeros([2, 3]),
            scaleTril: [
              [1, 0, 0],
              [0, 1, 0],
              [0, 0, 1],
            ],
          }),
        }),
      [],
      [3],
      [5],
      [5, 3],
    ],
    [
      'MVNs batch [4], d = 2, K = 3',
      () =>
        new MixtureSameFamily({
          mixtureLogits: tf.zeros([4, 3]),
          components: new MultivariateNormal({
            loc: tf.zeros([4, 3, 2]),
            scaleTril: [
              [1, 0],
              [0, 1],
            ],
          }),
        }),
      [4],
      [2],
      [2, 5],
      [2, 5, 4, 2],
    ],
  ])('%s', (_name, make, batchShape, eventShape, sampleShape, out) => {
    const mix = make();
    expect(mix.batchShape).toEqual(batchShape);
    expect(mix.eventShape).toEqual(eventShape);
    const s = mix.sample(sampleShape, 3);
    expect(s.shape).toEqual(out);
    expect(mix.logProb(s).shape).toEqual(out.slice(0, out.length - eventShape.length));
    expect(mix.mean().shape).toEqual([...batchShape, ...eventShape]);
    expect(mix.variance().shape).toEqual([...batchShape, ...eventShape]);
  });
});

describe('MixtureSameFamily validation, determinism and memory', () => {
  it('names the argument and the constraint; not reparameterized; no entropy', () => {
    const components = new Normal({ loc: [0, 1], scale: 1 });
    expect(() => new MixtureSameFamily({ mixtureLogits: [0, 0, 0], components })).toThrow(
      "MixtureSameFamily: mixtureLogits must be shaped [..., 2] (the components' last batch axis); got shape [3]",
    );
    expect(() => new MixtureSameFamily({ mixtureLogits: [0, NaN], components })).toThrow(/mixtureLogits must be real numbers or -Infinity/);
    expect(() => new MixtureSameFamily({ components })).toThrow(/mixtureLogits or mixture must be given \(exactly one of them\)/);
    expect(() => new MixtureSameFamily({ mixtureLogits: 0, components: new Normal({ loc: 0, scale: 1 }) })).toThrow(
      /components must be batched with the K components on the last batch axis/,
    );
    expect(() => new MixtureSameFamily({ mixtureLogits: tf.zeros([3, 2]), components })).toThrow(
      /mixtureLogits must be batched like the components/,
    );
    const mix = new MixtureSameFamily({ mixtureLogits: [0, 0], components });
    expect(mix.reparameterized).toBe(false);
    expect(() => mix.rsample()).toThrow(/MixtureSameFamily is not reparameterized/);
    expect(() => mix.entropy()).toThrow(/MixtureSameFamily does not define entropy\(\)/);
    expect(() => mix.logProb(Infinity)).toThrow(/MixtureSameFamily: value must be in the support/);
  });

  it('without validation, logProb outside the support is -Infinity; samples are deterministic by seed', () => {
    const mix = new MixtureSameFamily({ mixtureLogits: [0, 0], components: new Normal({ loc: [0, 1], scale: 1, validateArgs: false }) });
    expect(mix.validateArgs).toBe(false);
    const lp = mix.logProb([Infinity, NaN, 0]).arraySync() as number[];
    expect(lp.slice(0, 2)).toEqual([-Infinity, -Infinity]);
    expectFinite(lp[2]);
    expectClose(mix.sample([6], 4), mix.sample([6], 4), { rtol: 0, atol: 0 });
    expect(Array.from(mix.sample([6], 4).dataSync())).not.toEqual(Array.from(mix.sample([6], 5).dataSync()));
  });

  it('every public method is memory-neutral', async () => {
    const components = new Normal({ loc: [0, 1], scale: 1 });
    const logits = tf.tensor([0.2, -0.1]);
    const mix = new MixtureSameFamily({ mixtureLogits: logits, components });
    await expectMethodsMemoryNeutral(mix, [0.1, 0.2], ['sample', 'logProb', 'prob', 'mean', 'variance', 'stddev'], {
      construct: () => new MixtureSameFamily({ mixtureLogits: [0, 1], components }).dispose(),
      grad: () => tf.grad((l: tf.Tensor) => tf.sum(new MixtureSameFamily({ mixtureLogits: l, components }).logProb([0.5, 1])))(logits),
    });
    mix.dispose();
    expect(logits.isDisposed).toBe(false);
  });
});
