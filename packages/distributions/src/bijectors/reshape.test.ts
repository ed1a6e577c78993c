import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '@vae/testing';
import { Reshape, SoftmaxCentered } from '../index.js';
import { bijectorBattery } from '../../test/bijector-battery.js';

describe('Reshape and SoftmaxCentered', () => {
  bijectorBattery('Reshape', () => new Reshape({ eventShapeIn: [4], eventShapeOut: [2, 2] }), {
    xs: [
      [1, 2, 3, 4],
      [-1, 0, 0.5, 1e6],
    ],
    fixture: null,
    extremeXs: [[1e30, -1e30, 0, 1]],
    extremeYs: [
      [
        [1e30, -1e30],
        [0, 1],
      ],
    ],
  });
  bijectorBattery('SoftmaxCentered', () => new SoftmaxCentered(), {
    xs: [
      [0, 0],
      [1, -2],
      [3, 0.5],
    ],
    dropLastOutput: true,
    rtol: 1e-5,
    atol: 1e-5,
  });

  it('SoftmaxCentered: lands on the simplex, with finite log-Jacobians for logits far apart', () => {
    tf.tidy(() => {
      const y = new SoftmaxCentered().forward([
        [-80, 5],
        [100, -100],
      ]);
      expectClose(tf.sum(y, -1), [1, 1], { rtol: 1e-6 });
      expectClose(new SoftmaxCentered().forwardLogDetJacobian([[100, -100]]), [-300], { rtol: 1e-6 });
    });
  });

  it('rejects shapes that do not match, naming the argument', () => {
    expect(() => new Reshape({ eventShapeIn: [4], eventShapeOut: [3] })).toThrow(
      /Reshape: eventShapeOut must be of as many elements as eventShapeIn \[4\]/,
    );
    expect(() => new Reshape({ eventShapeIn: [0], eventShapeOut: [0] })).toThrow(/eventShapeIn must be an array of positive integers/);
    expect(() => new Reshape({ eventShapeIn: [4], eventShapeOut: [2, 2] }).forward([[1, 2, 3]])).toThrow(
      /Reshape: x must be shaped batch \+ \[4\]/,
    );
    expect(() => new SoftmaxCentered().inverse([0.5, 0.6])).toThrow(/SoftmaxCentered: y must be in the codomain/);
  });
});
