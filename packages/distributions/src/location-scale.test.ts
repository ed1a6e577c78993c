import * as tf from '@tensorflow/tfjs-core';
import { normalSample } from '@vae/samplers';
import { expectClose } from '@vae/testing';
import { expectOwnedParameterMemoryNeutral } from '../test/scalar-family-helpers.js';
import { describeTwoParameterBase, recordingSampler } from '../test/two-parameter-base-suite.js';
import { LocationScale, constraints } from './index.js';
import type { LocationScaleParams } from './index.js';
import { named } from './family.js';

/**
 * The logistic distribution declared the way a family on the base is: its log density and its
 * quantile function, nothing else (no sampler, so the base draws by inverse CDF).
 */
class Toy extends named(LocationScale, 'Toy') {
  protected _logProb(x: tf.Tensor): tf.Tensor {
    const z = this.standardize(x);
    return tf.sub(tf.neg(tf.add(z, tf.mul(2, tf.softplus(tf.neg(z))))), tf.log(this.scale));
  }
  protected override _icdf(p: tf.Tensor): tf.Tensor {
    return tf.add(this.loc, tf.mul(this.scale, tf.sub(tf.log(p), tf.log1p(tf.neg(p)))));
  }
  /** The base's protected standardized value, for the test to read. */
  standardized(x: number[][]): tf.Tensor {
    return tf.tidy(() => this.standardize(tf.tensor(x)));
  }
}

const logisticCdf = (loc: number, scale: number) => (x: number) => 1 / (1 + Math.exp(-(x - loc) / scale));

// A family that names its sampler as data; the recording wrapper lets the test see the call.
const recorded = recordingSampler(normalSample);
class ToyNormal extends named(LocationScale, 'ToyNormal') {
  protected override readonly sampler = recorded.sampler;
  protected _logProb(x: tf.Tensor): tf.Tensor {
    return tf.neg(tf.add(tf.mul(0.5, tf.square(this.standardize(x))), tf.log(this.scale)));
  }
}

describe('LocationScale', () => {
  describeTwoParameterBase(LocationScale, ['loc', 'scale'], constraints.real, {
    families: [Toy, ToyNormal],
    recorded,
    ks: { at: [1, 2], cdf: logisticCdf(1, 2) },
  });

  it.each<[string, LocationScaleParams, string | RegExp]>([
    ['a negative scale', { loc: 0, scale: [1, -1] }, 'Toy: scale must be positive (> 0) and finite; got -1 at index [1]'],
    ['an infinite scale', { loc: 0, scale: Infinity }, /Toy: scale must be positive \(> 0\) and finite; got Infinity/],
    ['a NaN loc', { loc: [0, NaN], scale: 1 }, /Toy: loc must be a real number.*got NaN at index \[1\]/],
    ['a missing scale', { loc: 0 } as LocationScaleParams, /Toy: scale must be given/],
  ])('rejects %s with an error naming the family, the argument and the constraint', (_, params, message) => {
    expect(() => new Toy(params)).toThrow(message);
  });

  it('validates only when asked: validateArgs false keeps a bad scale as given', () => {
    const d = new Toy({ loc: 0, scale: -1, validateArgs: false });
    expect(d.scale.dataSync()[0]).toBe(-1);
    d.dispose();
  });

  it('standardize gives (x - loc) / scale over sample, batch and broadcast axes', () => {
    const d = new Toy({ loc: [1, -2], scale: [2, 0.5] });
    expectClose(
      d.standardized([
        [3, -2],
        [0, -3],
      ]),
      [
        [1, 0],
        [-0.5, -2],
      ],
      { rtol: 0 },
    );
    d.dispose();
  });

  it('mean and mode default to loc, broadcast to the batch shape', () => {
    const d = new Toy({ loc: [[0.5], [-3]], scale: [1, 2] });
    for (const m of [d.mean(), d.mode()]) {
      expect(m.arraySync()).toEqual([
        [0.5, 0.5],
        [-3, -3],
      ]);
      m.dispose();
    }
    d.dispose();
  });

  it('the inverse-CDF draw is reparameterized: d x / d loc = 1 and d x / d scale = (x - loc) / scale', () => {
    const [loc, scale] = [tf.tensor([0.5, -1]), tf.tensor([2, 0.5])];
    const draw = (l: tf.Tensor, s: tf.Tensor) => new Toy({ loc: l, scale: s }).rsample([], 4);
    const x = draw(loc, scale);
    const grads = tf.grads((l: tf.Tensor, s: tf.Tensor) => tf.sum(draw(l, s)))([loc, scale]);
    expectClose(grads[0], [1, 1], { rtol: 1e-6 });
    expectClose(grads[1], tf.div(tf.sub(x, loc), scale), { rtol: 1e-5 });
    tf.dispose([loc, scale, x, ...grads]);
  });

  it('every call is memory-neutral; dispose frees the tensors it made, never the caller’s', async () => {
    const methods = ['sample', 'rsample', 'logProb', 'prob', 'mean', 'mode'] as const;
    await expectOwnedParameterMemoryNeutral(
      (loc) => new Toy({ loc, scale: 2 }),
      methods,
      (loc) => ({
        icdf: () => {
          const d = new Toy({ loc, scale: 2 });
          const x = d.icdf([0.1, 0.9]);
          d.dispose();
          return x;
        },
      }),
    );
    await expectOwnedParameterMemoryNeutral((scale) => new ToyNormal({ loc: 0, scale }), methods);
  });
});
