import * as tf from '@tensorflow/tfjs-core';
import { betaSample } from '@vae/samplers';
import { expectClose, expectMemoryNeutral } from '@vae/testing';
import { expectOwnedParameterMemoryNeutral } from '../test/scalar-family-helpers.js';
import { describeTwoParameterBase, recordingSampler } from '../test/two-parameter-base-suite.js';
import { positiveParameterErrors } from '../test/shape-rows.js';
import { ConcentrationPair, constraints } from './index.js';
import type { ConcentrationPairParams } from './index.js';
import { named } from './family.js';

/**
 * The Kumaraswamy distribution declared the way a family on the base is: log density, quantile and
 * mode, nothing else (no sampler, so the base draws by inverse CDF). It keeps the masks the base
 * hands its mode, for the test to read.
 */
class Toy extends named(ConcentrationPair, 'Toy') {
  readonly masks: boolean[][] = [];
  protected _logProb(x: tf.Tensor): tf.Tensor {
    const [a, b] = [this.concentration1, this.concentration0];
    const rest = tf.add(tf.mul(tf.sub(a, 1), tf.log(x)), tf.mul(tf.sub(b, 1), tf.log1p(tf.neg(tf.pow(x, a)))));
    return tf.add(tf.add(tf.log(a), tf.log(b)), rest);
  }
  protected override _icdf(p: tf.Tensor): tf.Tensor {
    const w = tf.sub(1, tf.pow(tf.sub(1, p), tf.reciprocal(this.concentration0)));
    return tf.pow(w, tf.reciprocal(this.concentration1));
  }
  protected override _mode(): tf.Tensor {
    return this.modeWhereDefined(
      (a, b) =>
        tf.logicalAnd(tf.logicalAnd(tf.greaterEqual(a, 1), tf.greaterEqual(b, 1)), tf.logicalOr(tf.greater(a, 1), tf.greater(b, 1))),
      (a, b, defined) => {
        this.masks.push((defined.arraySync() as number[]).map(Boolean));
        return tf.pow(tf.div(tf.sub(a, 1), tf.sub(tf.mul(a, b), 1)), tf.reciprocal(a));
      },
    );
  }
}

/** Kumaraswamy's CDF 1 - (1 - x^a)^b in float64. */
const kumaraswamyCdf = (a: number, b: number) => (x: number) => 1 - (1 - x ** a) ** b;

// A family that names its sampler as data; the recording wrapper lets the test see the call.
const recorded = recordingSampler(betaSample);
class ToyBeta extends named(ConcentrationPair, 'ToyBeta') {
  protected override readonly sampler = recorded.sampler;
  protected _logProb(x: tf.Tensor): tf.Tensor {
    return tf.add(tf.mul(tf.sub(this.concentration1, 1), tf.log(x)), tf.mul(tf.sub(this.concentration0, 1), tf.log1p(tf.neg(x))));
  }
}

describe('ConcentrationPair', () => {
  describeTwoParameterBase(ConcentrationPair, ['concentration1', 'concentration0'], constraints.unitInterval, {
    families: [Toy, ToyBeta],
    recorded,
    ks: { at: [2, 5], cdf: kumaraswamyCdf(2, 5) },
  });

  it.each([
    ...positiveParameterErrors<ConcentrationPairParams>('Toy', 'concentration1', 'concentration0'),
    [{ concentration1: 1 } as ConcentrationPairParams, /Toy: concentration0 must be given/],
  ])('rejects %j with an error naming the family, the argument and the constraint', (params, message) => {
    expect(() => new Toy(params)).toThrow(message);
  });

  it('mode() is the family’s mode where both concentrations are >= 1 and not both 1, broadcast to the batch shape', () => {
    const d = new Toy({ concentration1: [[2], [1], [3]], concentration0: [2, 3] });
    // ((a - 1) / (a b - 1))^(1 / a)
    expectClose(
      d.mode(),
      [
        [Math.sqrt(1 / 3), Math.sqrt(1 / 5)],
        [0, 0],
        [(2 / 5) ** (1 / 3), (2 / 8) ** (1 / 3)],
      ],
      { rtol: 1e-6 },
    );
    d.dispose();
  });

  it('with validation, mode() throws naming both concentrations and leaves no tensor behind', async () => {
    const d = new Toy({ concentration1: [2, 1, 0.5], concentration0: [2, 1, 3] });
    await expectMemoryNeutral(() =>
      expect(() => d.mode()).toThrow(
        /Toy: concentration1 and concentration0 must be both >= 1 and not both 1 for mode\(\) to be defined; got \[1, 1\] at index \[1\]/,
      ),
    );
    d.dispose();
  });

  it('without validation, mode() is NaN where undefined, and the family’s mode sees the mask of where it is defined', () => {
    const d = new Toy({ concentration1: [2, 1, 0.5, 3], concentration0: 1, validateArgs: false });
    expectClose(d.mode(), [1, NaN, NaN, 1], { rtol: 1e-6 });
    expect(d.masks).toEqual([[true, false, false, true]]);
    d.dispose();
  });

  it('the inverse-CDF draw is reparameterized: its gradients are -(dF/dtheta) / p at the draw', () => {
    const [a, b] = [tf.tensor([0.7, 2]), tf.tensor([3, 1.5])];
    const draw = (c1: tf.Tensor, c0: tf.Tensor) => new Toy({ concentration1: c1, concentration0: c0 }).rsample([], 4);
    const x = draw(a, b);
    const [da, db] = tf.grads((c1: tf.Tensor, c0: tf.Tensor) => tf.sum(draw(c1, c0)))([a, b]);
    // x = (1 - (1 - u)^(1/b))^(1/a): dx/da = -x log(x) / a, dx/db = x (1 - x^a) log(1 - x^a) / (a b x^a).
    const [xs, as, bs] = [x, a, b].map((t) => Array.from(t.dataSync()));
    const xa = xs.map((v, i) => v ** as[i]);
    expectClose(
      da,
      xs.map((v, i) => (-v * Math.log(v)) / as[i]),
      { rtol: 1e-4 },
    );
    expectClose(
      db,
      xs.map((v, i) => (v * (1 - xa[i]) * Math.log(1 - xa[i])) / (as[i] * bs[i] * xa[i])),
      { rtol: 1e-4 },
    );
    tf.dispose([a, b, x, da, db]);
  });

  it('every call is memory-neutral; dispose frees the tensors it made, never the caller’s', async () => {
    const methods = ['sample', 'rsample', 'logProb', 'prob', 'mode'] as const;
    await expectOwnedParameterMemoryNeutral((concentration1) => new Toy({ concentration1, concentration0: 2 }), methods);
    await expectOwnedParameterMemoryNeutral((concentration0) => new ToyBeta({ concentration1: 2, concentration0 }), methods.slice(0, 4));
  });
});
