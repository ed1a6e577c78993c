import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectMemoryNeutral, expectWithinStandardErrors, summarize } from '@vae/testing';
import {
  Affine,
  Bernoulli,
  Chain,
  Exp,
  Householder,
  Independent,
  Invert,
  Logistic,
  LogNormal,
  MaskedAutoregressive,
  MultivariateNormal,
  Normal,
  Planar,
  Radial,
  Scale,
  Shift,
  Sigmoid,
  SoftmaxCentered,
  TransformedDistribution,
  Uniform,
} from './index.js';

describe('TransformedDistribution against closed forms', () => {
  it('Normal under Exp is LogNormal (log density, samples by seed, ordinary and extreme points)', () => {
    tf.tidy(() => {
      const loc = [0, 2, -3];
      const scale = [1, 0.1, 4];
      const d = new TransformedDistribution({ distribution: new Normal({ loc, scale }), bijector: new Exp() });
      const ref = new LogNormal({ loc, scale });
      expect([d.batchShape, d.eventShape, d.reparameterized]).toEqual([[3], [], true]);
      const y = [
        [1, 7.389, 0.05],
        [1e-30, 1e30, 3e-38],
      ];
      expectClose(d.logProb(y), ref.logProb(y), { rtol: 2e-6, atol: 1e-5 });
      const s = d.sample([4], 0);
      expect(s.shape).toEqual([4, 3]);
      expectClose(s, ref.sample([4], 0), { rtol: 1e-6 });
    });
  });

  it('Uniform(0, 1) under Invert(Sigmoid) is the standard Logistic, out to logits of ±80', () => {
    tf.tidy(() => {
      const d = new TransformedDistribution({ distribution: new Uniform({ low: 0, high: 1 }), bijector: new Invert(new Sigmoid()) });
      const ref = new Logistic({ loc: 0, scale: 1 });
      const y = [-80, -20, -1, 0, 0.5, 3, 15];
      expectClose(d.logProb(y), ref.logProb(y), { rtol: 2e-6, atol: 1e-6 });
    });
  });

  it('Normal under Shift and Scale is Normal(s loc + b, |s| scale); a diagonal Gaussian under Affine is the MultivariateNormal', () => {
    tf.tidy(() => {
      const scalar = new TransformedDistribution({
        distribution: new Normal({ loc: [1, -2], scale: [0.5, 3] }),
        bijector: new Chain([new Shift({ shift: 4 }), new Scale({ scale: -2 })]),
      });
      const y = [
        [0, 1],
        [3, 1e3],
      ];
      expectClose(scalar.logProb(y), new Normal({ loc: [2, 8], scale: [1, 6] }).logProb(y), { rtol: 2e-6 });

      const L = [
        [2, 0, 0],
        [0.5, -1, 0],
        [1, 3, 0.25],
      ];
      const shift = [1, 0, -1];
      const mu = [0.5, -1, 2];
      const s = [1, 2, 0.5];
      const base = new Independent({ distribution: new Normal({ loc: mu, scale: s }), reinterpretedBatchNdims: 1 });
      const d = new TransformedDistribution({ distribution: base, bijector: new Affine({ shift, scaleTril: L }) });
      expect([d.batchShape, d.eventShape]).toEqual([[], [3]]);
      // y = L x + b with x ~ N(mu, diag s^2): N(L mu + b, (L D)(L D)^T) with D = diag(s sign(L_jj)),
      // L D lower-triangular with a positive diagonal (flipping a column's sign leaves (L D)(L D)^T alone).
      const locY = L.map((row, i) => row.reduce((acc, v, j) => acc + v * mu[j], shift[i]));
      const scaleTril = L.map((row) => row.map((v, j) => v * s[j] * Math.sign(L[j][j])));
      const ref = new MultivariateNormal({ loc: locY, scaleTril });
      const points = [locY, [0, 0, 0], [10, -20, 30]];
      expectClose(d.logProb(points), ref.logProb(points), { rtol: 2e-6, atol: 1e-5 });
    });
  });

  it('sample mean of exp(Normal) agrees with the log-normal mean (seeded Monte Carlo)', () => {
    const d = new TransformedDistribution({ distribution: new Normal({ loc: 0.5, scale: 0.5 }), bijector: new Exp() });
    const samples = d.sample([4000], 7);
    const { mean, standardError } = summarize(Array.from(samples.dataSync()));
    samples.dispose();
    expectWithinStandardErrors(mean, Math.exp(0.5 + 0.125), standardError, { label: 'E[exp(N(0.5, 0.25))]' });
  });
});

describe('TransformedDistribution shapes, gradients and validation', () => {
  it('follows the library shapes with an event-changing bijector and passes gradients through rsample', () => {
    const loc = tf.variable(
      tf.tensor2d([
        [0, 1],
        [2, -1],
      ]),
    );
    const scale = tf.scalar(0.5);
    const d = new TransformedDistribution({
      distribution: new Independent({ distribution: new Normal({ loc, scale }), reinterpretedBatchNdims: 1 }),
      bijector: new SoftmaxCentered(),
    });
    expect([d.batchShape, d.eventShape]).toEqual([[2], [3]]);
    const y = d.rsample([5], 3);
    expect(y.shape).toEqual([5, 2, 3]);
    expectClose(tf.sum(y, -1), tf.ones([5, 2]), { rtol: 1e-6 });
    expect(d.logProb(y).shape).toEqual([5, 2]);
    const g = tf.grad((l: tf.Tensor) =>
      tf.sum(
        new TransformedDistribution({
          distribution: new Independent({ distribution: new Normal({ loc: l, scale }) }),
          bijector: new SoftmaxCentered(),
        }).rsample([3], 1),
      ),
    )(loc);
    expect(g.shape).toEqual([2, 2]);
    tf.dispose([y, g, loc, scale]);
  });

  it('rsampleAndLogProb scores a flow forward: the values and parameter gradients of rsample + logProb, with shapes', () => {
    // IAF (context-conditioned), planar, radial and Householder steps over a diagonal Gaussian, as
    // a flow posterior stacks them; logProb(rsample) runs the chain backwards (D passes per IAF step,
    // a bisection per planar step), rsampleAndLogProb does not.
    const context = tf.tensor2d([
      [0.3, -1],
      [2, 0.5],
    ]);
    const iaf = new MaskedAutoregressive({ dim: 3, contextDim: 2, seed: 4, outputInitStddev: 0.5 });
    const steps = [
      iaf.condition(context),
      new Planar({ dim: 3, seed: 1 }),
      new Radial({ dim: 3, seed: 2 }),
      new Householder({ dim: 3, seed: 5 }),
    ];
    const loc = tf.variable(
      tf.tensor2d([
        [0, 1, -1],
        [0.5, 0, 2],
      ]),
    );
    const flowOf = (l: tf.Tensor) =>
      new TransformedDistribution({
        distribution: new Independent({ distribution: new Normal({ loc: l, scale: [0.5, 1, 2] }), reinterpretedBatchNdims: 1 }),
        bijector: new Chain(steps),
      });
    tf.tidy(() => {
      const d = flowOf(loc);
      const { sample, logProb } = d.rsampleAndLogProb([4, 5], 7);
      expect([sample.shape, logProb.shape]).toEqual([
        [4, 5, 2, 3],
        [4, 5, 2],
      ]);
      expectClose(sample, d.rsample([4, 5], 7), { rtol: 1e-6, atol: 1e-6 });
      expectClose(logProb, d.logProb(sample), { rtol: 2e-5, atol: 2e-5 });
      expect(new Normal({ loc: 0, scale: 1 }).rsampleAndLogProb(3, 0).logProb.shape).toEqual([3]);
    });
    const variables = [loc, ...steps.flatMap((s) => s.trainableVariables())];
    const viaForward = tf.variableGrads(() => tf.sum(flowOf(loc).rsampleAndLogProb([6], 3).logProb), variables);
    const viaInverse = tf.variableGrads(
      () =>
        tf.tidy(() => {
          const d = flowOf(loc);
          return tf.sum(d.logProb(d.rsample([6], 3)));
        }),
      variables,
    );
    for (const v of variables) {
      expectClose(viaForward.grads[v.name], viaInverse.grads[v.name], { rtol: 2e-3, atol: 2e-4, label: `d/d ${v.name}` });
    }
    expect(() =>
      new TransformedDistribution({ distribution: new Bernoulli({ logits: 0 }), bijector: new Exp() }).rsampleAndLogProb(),
    ).toThrow(/is not reparameterized: it has no rsampleAndLogProb\(\)/);
    tf.dispose([viaForward.value, viaInverse.value, Object.values(viaForward.grads), Object.values(viaInverse.grads), context, loc]);
    steps.slice(1).forEach((s) => s.dispose());
    iaf.dispose();
  });

  it('is memory-neutral', async () => {
    const d = new TransformedDistribution({ distribution: new Normal({ loc: [0, 1], scale: 2 }), bijector: new Exp() });
    await expectMemoryNeutral(() => d.rsampleAndLogProb([3], 1), 'rsampleAndLogProb');
    await expectMemoryNeutral(() => d.sample([3], 1), 'sample');
    await expectMemoryNeutral(() => d.rsample([3], 1), 'rsample');
    await expectMemoryNeutral(() => d.logProb([[1, 2]]), 'logProb');
    d.distribution.dispose();
  });

  it('rejects bad arguments, naming them', () => {
    const normal = new Normal({ loc: 0, scale: 1 });
    expect(() => new TransformedDistribution({ distribution: normal, bijector: new SoftmaxCentered() })).toThrow(
      /TransformedDistribution: distribution must be of event rank >= 1 \(the SoftmaxCentered bijector's forwardMinEventNdims\); wrap it in Independent/,
    );
    expect(() => new TransformedDistribution({ distribution: normal, bijector: 'exp' as never })).toThrow(/bijector must be a Bijector/);
    expect(() => new TransformedDistribution({ distribution: {} as never, bijector: new Exp() })).toThrow(
      /distribution must be a Distribution/,
    );
    const logNormal = new TransformedDistribution({ distribution: normal, bijector: new Exp() });
    expect(() => logNormal.logProb([-1])).toThrow(/TransformedDistribution: value must be in the support: positive/);
    const coin = new TransformedDistribution({ distribution: new Bernoulli({ probs: 0.5 }), bijector: new Shift({ shift: 1 }) });
    expect(coin.reparameterized).toBe(false);
    expect(() => coin.rsample()).toThrow(/not reparameterized/);
  });
});
