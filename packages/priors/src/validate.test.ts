import * as tf from '@tensorflow/tfjs-core';
import { Independent, Normal } from '@vae/distributions';
import { ksTest } from '@vae/testing';
import normalDist from '@stdlib/stats-base-dists-normal';
import {
  checkInteger,
  checkPositive,
  checkSeed,
  disposableDistribution,
  seededNormal,
  softplusInverse64,
  trainableVariable,
} from './validate.js';

describe('argument checks', () => {
  it('accept good values and name the argument, the constraint and the value otherwise', () => {
    expect(() => checkInteger(3, 'latentDim', 1, 'P')).not.toThrow();
    expect(() => checkInteger(0, 'latentDim', 1, 'P')).toThrow('P: latentDim must be an integer >= 1; got 0');
    expect(() => checkInteger(2.5, 'numComponents', 1, 'P')).toThrow('P: numComponents must be an integer >= 1; got 2.5');
    expect(() => checkPositive(0.1, 'initScale', 'P')).not.toThrow();
    for (const bad of [0, -1, Infinity, NaN])
      expect(() => checkPositive(bad, 'initScale', 'P')).toThrow(`P: initScale must be a finite number > 0; got ${bad}`);
    expect(() => checkPositive('1' as never, 'initScale', 'P')).toThrow(/got 1$/);
    expect(() => checkSeed(undefined, 'P')).not.toThrow();
    expect(() => checkSeed(0, 'P')).not.toThrow();
    expect(() => checkSeed(1.5, 'P')).toThrow('P: seed must be an integer; got 1.5');
  });
});

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
