import * as tf from '@tensorflow/tfjs-core';
import {
  Exp,
  Independent,
  Logistic,
  MixtureSameFamily,
  MultivariateNormal,
  Normal,
  TransformedDistribution,
  Uniform,
} from '@vae/distributions';
import { expectClose, expectMemoryNeutral, expectWithinStandardErrors, summarize } from '@vae/testing';
import { klDivergence, klVariationalApproximation } from './index.js';

const f32 = Math.fround;
const klNormal64 = (m1: number, s1: number, m2: number, s2: number) => Math.log(s2 / s1) + (s1 * s1 + (m1 - m2) ** 2) / (2 * s2 * s2) - 0.5;

/** Hershey and Olsen's D_var between 1-D normal mixtures, in float64. */
function variational64(w: number[], m: number[], s: number[], v: number[], n: number[], t: number[]): number {
  const pw = w.map(Math.exp);
  const zp = pw.reduce((a, b) => a + b);
  const qw = v.map(Math.exp);
  const zq = qw.reduce((a, b) => a + b);
  let out = 0;
  for (let a = 0; a < w.length; a++) {
    let num = 0;
    for (let b = 0; b < w.length; b++) num += (pw[b] / zp) * Math.exp(-klNormal64(m[a], s[a], m[b], s[b]));
    let den = 0;
    for (let b = 0; b < v.length; b++) den += (qw[b] / zq) * Math.exp(-klNormal64(m[a], s[a], n[b], t[b]));
    out += (pw[a] / zp) * Math.log(num / den);
  }
  return out;
}

describe('klVariationalApproximation (Hershey and Olsen 2007)', () => {
  const w = [0.3, -0.5, 1];
  const m = [-1, 0.5, 2];
  const s = [0.5, 1, 0.3];
  const v = [0, 0.7];
  const n = [0, 1.5];
  const t = [1, 2];
  let p: MixtureSameFamily;
  let q: MixtureSameFamily;
  beforeAll(() => {
    p = new MixtureSameFamily({ mixtureLogits: w, components: new Normal({ loc: m, scale: s }) });
    q = new MixtureSameFamily({ mixtureLogits: v, components: new Normal({ loc: n, scale: t }) });
  });

  it('matches a float64 implementation of the formula, against a mixture and a single distribution', () => {
    const r = (a: number[]) => a.map(f32);
    expectClose(klVariationalApproximation(p, q), variational64(r(w), r(m), r(s), r(v), r(n), r(t)), { rtol: 1e-5 });
    expectClose(
      klVariationalApproximation(p, new Normal({ loc: 0.2, scale: 1.3 })),
      variational64(r(w), r(m), r(s), [0], [f32(0.2)], [f32(1.3)]),
      {
        rtol: 1e-5,
      },
    );
  });

  it('is exact for one component each, and 0 for p = q', () => {
    const single = (loc: number, scale: number) =>
      new MixtureSameFamily({ mixtureLogits: [0], components: new Normal({ loc: [loc], scale: [scale] }) });
    expectClose(
      klVariationalApproximation(single(1, 0.5), single(-1, 2)),
      klDivergence(new Normal({ loc: 1, scale: 0.5 }), new Normal({ loc: -1, scale: 2 })),
      {
        rtol: 1e-6,
      },
    );
    expect(Math.abs(klVariationalApproximation(p, p).dataSync()[0])).toBeLessThan(1e-6);
  });

  it('is close to (but not the same as) a Monte Carlo estimate of the true divergence', () => {
    const approx = klVariationalApproximation(p, q).dataSync()[0];
    const z = p.sample([20000], 3);
    const s = summarize(tf.sub(p.logProb(z), q.logProb(z)).dataSync());
    // An approximation, not an estimate: only the same order of magnitude is guaranteed.
    expect(Math.abs(approx - s.mean)).toBeLessThan(0.5 * s.mean);
    expectWithinStandardErrors(s.mean, s.mean, s.standardError); // the estimate itself is well defined
  });

  it('works with batches, vector components and gradients, and is memory-neutral', async () => {
    const components = new Independent({
      distribution: new Normal({ loc: tf.randomNormal([2, 3, 4], 0, 1, 'float32', 1), scale: 0.7 }),
      reinterpretedBatchNdims: 1,
    });
    const mix = new MixtureSameFamily({ mixtureLogits: tf.zeros([2, 3]), components });
    const prior = new MultivariateNormal({ loc: tf.zeros([4]), scaleTril: tf.eye(4) });
    expect(klVariationalApproximation(mix, prior).shape).toEqual([2]);
    const g = tf.grad((logits: tf.Tensor) =>
      klVariationalApproximation(new MixtureSameFamily({ mixtureLogits: logits, components }), prior),
    )(tf.zeros([2, 3]));
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    await expectMemoryNeutral(() => klVariationalApproximation(p, q), 'klVariationalApproximation');
  });

  it('rejects a non-mixture p and components it cannot re-batch, and re-batches subclasses of known families', () => {
    // Logistic re-batches (its parameters are declared), and then the registry has no pair for it.
    const logistic = new MixtureSameFamily({ mixtureLogits: [0, 0], components: new Logistic({ loc: [0, 1], scale: 1 }) });
    expect(() => klVariationalApproximation(logistic, new Logistic({ loc: 0, scale: 1 }))).toThrow(
      /No analytic KL\(Logistic \|\| Logistic\)/,
    );
    const transformed = new TransformedDistribution({ distribution: new Normal({ loc: [0, 1], scale: 1 }), bijector: new Exp() });
    const lognormals = new MixtureSameFamily({ mixtureLogits: [0, 0], components: transformed });
    expect(() => klVariationalApproximation(lognormals, q)).toThrow(
      'klVariationalApproximation: components must be of a family whose batch can be reshaped',
    );
    expect(() => klVariationalApproximation(new Normal({ loc: 0, scale: 1 }) as unknown as MixtureSameFamily, q)).toThrow(
      /a MixtureSameFamily/,
    );
    class Custom extends Uniform {}
    const mix = new MixtureSameFamily({ mixtureLogits: [0, 0], components: new Custom({ low: [0, 1], high: [1, 2] }) });
    expect(() => klVariationalApproximation(mix, new Uniform({ low: -1, high: 3 }))).not.toThrow();
  });
});
