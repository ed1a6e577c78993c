import * as tf from '@tensorflow/tfjs-core';
import { Independent, Normal } from '@vae/distributions';
import { ksTest } from '@vae/testing';
import normalDist from '@stdlib/stats-base-dists-normal';
import { disposableDistribution, seededNormal, softplusInverse64, trainableVariable } from './parameters.js';

describe('softplusInverse64', () => {
  it('inverts softplus(x) = log(1 + e^x) in float64, small and large', () => {
    for (const x of [-30, -5, -0.5, 0, 0.5, 3, 19.9, 20.1, 40, 700]) {
      const y = Math.log1p(Math.exp(x));
      expect(softplusInverse64(y)).toBeCloseTo(x, 8);
    }
    expect(softplusInverse64(1)).toBeCloseTo(Math.log(Math.E - 1), 14);
  });
});

describe('trainableVariable and seededNormal', () => {
  it('makes a trainable float32 variable and frees the initial value', () => {
    const before = tf.memory().numTensors;
    const v = trainableVariable(() => tf.fill([2, 3], 0.5), 'w-test');
    expect([v.trainable, v.dtype, v.shape, v.name]).toEqual([true, 'float32', [2, 3], 'w-test']);
    expect(tf.memory().numTensors - before).toBe(1);
    v.dispose();
  });

  it('draws N(mean, stddev) reproducibly from a seed, and leaves only the draw', () => {
    const before = tf.memory().numTensors;
    const a = seededNormal([4000], 2, 0.5, 11);
    expect(tf.memory().numTensors - before).toBe(1);
    const b = seededNormal([4000], 2, 0.5, 11);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(ksTest(a.dataSync(), (x) => normalDist.cdf(x, 2, 0.5)).pValue).toBeGreaterThan(1e-3);
    tf.dispose([a, b]);
  });
});

describe('disposableDistribution', () => {
  it("frees the tensors made while building the distribution, and not the caller's", async () => {
    const callerLoc = tf.zeros([3]);
    const before = tf.memory().numTensors;
    const d = disposableDistribution(
      () => new Independent({ distribution: new Normal({ loc: callerLoc, scale: tf.exp(tf.zeros([3])) }), reinterpretedBatchNdims: 1 }),
    );
    expect(d.eventShape).toEqual([3]);
    expect(tf.tidy(() => d.logProb(tf.zeros([3])).dataSync()[0])).toBeCloseTo(-1.5 * Math.log(2 * Math.PI), 5);
    expect(tf.memory().numTensors).toBeGreaterThan(before);
    d.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(callerLoc.isDisposed).toBe(false);
    callerLoc.dispose();
  });
});
