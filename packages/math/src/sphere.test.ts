import * as tf from '@tensorflow/tfjs-core';
import gammaln from '@stdlib/math-base-special-gammaln';
import { derivative64, expectClose, expectMemoryNeutral } from '@vae/testing';
import { InvalidArgumentError, logSphereSurfaceArea } from '@vae/math';
import { take } from '../test/special-helpers.js';

const logArea64 = (d: number): number => Math.LN2 + (d / 2) * Math.log(Math.PI) - gammaln(d / 2);

describe('logSphereSurfaceArea', () => {
  it('is log 2, log 2pi, log 4pi, log 2pi^2 for d = 1..4 (two points, circle, sphere, 3-sphere)', () => {
    expectClose(
      take(logSphereSurfaceArea([1, 2, 3, 4])),
      [Math.LN2, Math.log(2 * Math.PI), Math.log(4 * Math.PI), Math.log(2 * Math.PI ** 2)],
      {
        rtol: 1e-6,
      },
    );
  });
  it('matches the @stdlib formula up to d = 1e6, where the area underflows any float', () => {
    const d = [5, 10, 17, 18, 19, 20, 50, 100, 1e3, 1e4, 1e6];
    expectClose(take(logSphereSurfaceArea(d)), d.map(logArea64), { rtol: 1e-5, atol: 1e-5 });
  });
  it('accepts a number, an array or an int32 tensor and keeps the shape', () => {
    const d = tf.tensor(
      [
        [2, 3],
        [4, 5],
      ],
      undefined,
      'int32',
    );
    const y = logSphereSurfaceArea(d);
    expect(y.shape).toEqual([2, 2]);
    expect(y.dtype).toBe('float32');
    expect(logSphereSurfaceArea(3).shape).toEqual([]);
    tf.dispose([d, y]);
  });
  it.each([0, -3, 2.5, NaN, Infinity])('rejects d = %p with an InvalidArgumentError', (d) => {
    expect(() => logSphereSurfaceArea(d)).toThrow(InvalidArgumentError);
    expect(() => logSphereSurfaceArea(d)).toThrow(/logSphereSurfaceArea: d must be a positive integer/);
  });
  it('names the bad element of a tensor', () => {
    expect(() => logSphereSurfaceArea([3, 0.5])).toThrow(/got 0.5 at index \[1\]/);
  });
  it('is differentiable in d (through lgamma) and memory-neutral', async () => {
    const d = tf.tensor([3, 10]);
    const g = take(tf.grad((t: tf.Tensor) => logSphereSurfaceArea(t))(d));
    expectClose(
      g,
      [3, 10].map((v) => derivative64(logArea64, v)),
      { rtol: 1e-5 },
    );
    await expectMemoryNeutral(() => logSphereSurfaceArea(d));
    await expectMemoryNeutral(() => tf.grad((t: tf.Tensor) => logSphereSurfaceArea(t))(d));
    await expectMemoryNeutral(() => {
      try {
        return logSphereSurfaceArea([1, -1]);
      } catch {
        return undefined;
      }
    }, 'a rejected call');
    d.dispose();
  });
});
