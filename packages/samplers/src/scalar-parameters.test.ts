import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectMemoryNeutral } from '@vae/testing';
import { checkFiniteValues, checkPositive, clampPositive } from './internal.js';
import { logAndValueSamplers, sampleFrame, sampleWithScalarParameters, scalarPairSampler, scalarSampler } from './scalar-parameters.js';
import { uniformNoise } from './noise.js';

// A toy sampler on the frame: loc + scale * u.
const toy = (loc: number | number[], scale: number | number[], shape: number[], seed?: number, validateArgs?: boolean) =>
  sampleWithScalarParameters(
    'toySample',
    [
      ['loc', loc, checkFiniteValues],
      ['scale', scale, checkPositive],
    ],
    shape,
    seed,
    { validateArgs },
    ([l, s], fullShape, resolved) => tf.add(l, tf.mul(s, uniformNoise(fullShape, resolved))),
  );

describe('sampleWithScalarParameters', () => {
  it('hands draw the parameters in order, the checked shape and the resolved seed', () => {
    const x = toy([0, 10], 2, [3, 2], 5);
    const u = uniformNoise([3, 2], 5);
    expectClose(x, tf.add(tf.tensor([0, 10]), tf.mul(2, u)), { rtol: 1e-6 });
    tf.dispose([x, u]);
  });

  it('checks each parameter by name and context when validating, and not otherwise', () => {
    expect(() => toy(0, [1, -1], [2], 1)).toThrow(/toySample: scale must be positive \(> 0\); got -1 at index \[1\]/);
    expect(() => toy(NaN, 1, [2], 1)).toThrow(/toySample: loc must be/);
    const unchecked = toy(0, -1, [2], 1, false);
    expect(unchecked.shape).toEqual([2]);
    unchecked.dispose();
  });

  it('rejects a bad shape and a parameter that does not broadcast to it before any work', () => {
    expect(() => toy(0, 1, [-1], 1)).toThrow(/toySample/);
    expect(() => toy([0, 1, 2], 1, [2], 1)).toThrow(/toySample: loc/);
  });

  it('is memory-neutral', async () => {
    await expectMemoryNeutral(() => toy([0, 1], 2, [4, 2], 3), 'sampleWithScalarParameters');
  });
});

describe('sampleFrame', () => {
  it('checks the shape before calling draw, passes the checked shape and resolved seed, and frees what draw made', async () => {
    let calls = 0;
    expect(() =>
      sampleFrame('frameSample', [2, -1], 0, () => {
        calls++;
        return tf.zeros([1]);
      }),
    ).toThrow(/frameSample.*shape/s);
    expect(calls).toBe(0);
    await expectMemoryNeutral(() =>
      sampleFrame('frameSample', [2, 3], 7, (shape, seed) => {
        expect(shape).toEqual([2, 3]);
        expect(Number.isInteger(seed)).toBe(true);
        tf.ones([5]); // an intermediate the tidy frees
        return uniformNoise(shape, seed);
      }),
    );
  });
});

describe('scalarSampler', () => {
  // The toy sampler again, defined once and called under two names; the options reach the draw.
  const body = scalarSampler(
    [
      ['loc', checkFiniteValues],
      ['scale', checkPositive],
    ],
    ([l, s], fullShape, resolved, options: { validateArgs?: boolean; shift?: number }) =>
      tf.add(tf.add(l, tf.mul(s, uniformNoise(fullShape, resolved))), options.shift ?? 0),
  );

  it('gives the same numbers as sampleWithScalarParameters and names the caller in messages', () => {
    const x = body('toySample', [[0, 10], 2], [3, 2], 5, {});
    const y = toy([0, 10], 2, [3, 2], 5);
    expect(Array.from(x.dataSync())).toEqual(Array.from(y.dataSync()));
    expect(() => body('otherSample', [0, -1], [2], 1, {})).toThrow(/otherSample: scale must be positive/);
    const shifted = body('toySample', [0, 1], [2], 1, { shift: 100 });
    expect(Math.min(...shifted.dataSync())).toBeGreaterThanOrEqual(100);
    tf.dispose([x, y, shifted]);
  });

  it('is memory-neutral', async () => {
    await expectMemoryNeutral(() => body('toySample', [[0, 1], 2], [4, 2], 3, {}), 'scalarSampler');
  });

  describe('scalarPairSampler', () => {
    // The public form of the same body: two parameters, then shape, seed and options.
    const toySample = scalarPairSampler('toySample', body);

    it('calls the body under its name, with the options defaulting to {}', () => {
      const x = toySample([0, 10], 2, [3, 2], 5);
      const y = body('toySample', [[0, 10], 2], [3, 2], 5, {});
      expect(Array.from(x.dataSync())).toEqual(Array.from(y.dataSync()));
      expect(() => toySample(0, -1, [2], 1)).toThrow(/^toySample: scale must be positive/);
      expect(() => tf.dispose(toySample(0, -1, [2], 1, { validateArgs: false }))).not.toThrow();
      const shifted = toySample(0, 1, [2], 1, { shift: 100 });
      expect(Math.min(...shifted.dataSync())).toBeGreaterThanOrEqual(100);
      tf.dispose([x, y, shifted]);
    });

    it('is memory-neutral', async () => {
      await expectMemoryNeutral(() => toySample([0, 1], 2, [4, 2], 3), 'scalarPairSampler');
    });
  });
});

describe('logAndValueSamplers', () => {
  // A toy log-space draw, log x = log(rate) + log u, whose exp underflows for a tiny rate.
  const { log, value } = logAndValueSamplers(
    [
      ['rate', checkPositive],
      ['unused', checkPositive],
    ],
    ([rate], s, seed) => tf.add(tf.log(rate), tf.log(uniformNoise(s, seed))),
    clampPositive,
  );

  it('gives log x and exp(log x) clamped into the support from one draw, under the caller name', () => {
    const logX = log('toyLogSample', [1e-3, 1], [4], 2, {});
    const x = value('toySample', [1e-3, 1], [4], 2, {});
    expect(Array.from(x.dataSync())).toEqual(tf.tidy(() => Array.from(tf.exp(logX).dataSync())));
    const tiny = value('toySample', [1e-40, 1], [2], 2, {});
    expect(Math.min(...tiny.dataSync())).toBe(2 ** -126);
    expect(() => log('toyLogSample', [-1, 1], [2], 1, {})).toThrow(/^toyLogSample: rate must be positive/);
    expect(() => value('toySample', [1, -1], [2], 1, {})).toThrow(/^toySample: unused must be positive/);
    tf.dispose([logX, x, tiny]);
  });

  it('is memory-neutral', async () => {
    await expectMemoryNeutral(() => value('toySample', [[1, 2], 3], [4, 2], 3, {}), 'logAndValueSamplers');
  });
});
