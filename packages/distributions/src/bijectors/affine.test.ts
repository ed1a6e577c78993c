import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '@vae/testing';
import { Affine, Scale, Shift } from '../index.js';
import { bijectorBattery, bijectorFixture } from '../../test/bijector-battery.js';

const affine = bijectorFixture('Affine');
const scaleTril = affine.params.scaleTril as number[][];
const shift = affine.params.shift as number[];

describe('affine bijectors', () => {
  bijectorBattery('Shift', () => new Shift({ shift: 2.5 }), { xs: [-3, 0, 7] });
  bijectorBattery('Scale', () => new Scale({ scale: -3.5 }), { xs: [-3, 0, 7] });
  bijectorBattery('Affine', () => new Affine({ shift, scaleTril }), {
    xs: [
      [1, -1, 2],
      [0.5, 3, -4],
    ],
    rtol: 1e-5,
    atol: 2e-5,
    // L_33 = 1e-3: the inverse divides float32 rounding of y by it.
    roundTripAtol: 2e-3,
  });

  it('Affine: batches of matrices broadcast against sample axes, and above-diagonal entries are ignored', () => {
    tf.tidy(() => {
      const L = tf.tensor3d([
        [
          [2, 99],
          [1, 4],
        ],
        [
          [-1, 0],
          [3, 0.5],
        ],
      ]);
      const b = new Affine({ scaleTril: L });
      const x = tf.tensor3d([
        [
          [1, 1],
          [2, -1],
        ],
      ]); // [1, 2, 2]: a sample axis over the batch of 2
      expectClose(b.forward(x), [
        [
          [2, 5],
          [-2, 5.5],
        ],
      ]);
      expectClose(b.forwardLogDetJacobian(x), [[Math.log(8), Math.log(0.5)]], { rtol: 1e-6 });
      expectClose(b.inverse(b.forward(x)), x, { rtol: 1e-6 });
    });
  });

  it('rejects singular or malformed scales, naming the argument', () => {
    expect(() => new Scale({ scale: [1, 0] })).toThrow(/Scale: scale must be non-zero and finite/);
    expect(() => new Affine({ scaleTril: [1, 2] })).toThrow(/Affine: scaleTril must be a batch of square matrices/);
    expect(
      () =>
        new Affine({
          scaleTril: [
            [1, 0],
            [2, 0],
          ],
        }),
    ).toThrow(/scaleTril must be lower-triangular with a non-zero finite diagonal/);
    expect(
      () =>
        new Affine({
          scaleTril: [
            [1, 0],
            [2, 1],
          ],
          shift: [1, 2, 3],
        }),
    ).toThrow(/Affine: shift must be shaped B \+ \[2\]/);
    expect(() =>
      new Affine({
        scaleTril: [
          [1, 0],
          [2, 1],
        ],
      }).forward([1, 2, 3]),
    ).toThrow(/Affine: x must be shaped batch \+ \[2\]/);
  });

  it('Affine: every public call names a wrongly sized input as x or y (the log-Jacobians too)', () => {
    const b = new Affine({
      scaleTril: [
        [2, 0],
        [1, 4],
      ],
    });
    expect(() => b.forwardLogDetJacobian([1, 2, 3])).toThrow(/Affine: x must be shaped batch \+ \[2\] \(scaleTril is 2 x 2\)/);
    expect(() => b.inverse([1, 2, 3])).toThrow(/Affine: y must be shaped batch \+ \[2\]/);
    expect(() => b.inverseLogDetJacobian([1, 2, 3])).toThrow(/Affine: y must be shaped batch \+ \[2\]/);
    b.dispose();
  });
});
