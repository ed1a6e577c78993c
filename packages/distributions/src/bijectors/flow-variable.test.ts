import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '@vae/testing';
import { checkDimension, flowVariable } from './flow-variable.js';

describe('flowVariable', () => {
  it('copies a given value, draws seeded noise otherwise, and names a bad argument', () => {
    const given = flowVariable([1, 2], [2], 1, undefined, 'u', 'Planar');
    expectClose(given, [1, 2]);
    const a = flowVariable(undefined, [3], 0.5, 0, 'w', 'Planar');
    const b = flowVariable(undefined, [3], 0.5, 0, 'w', 'Planar');
    expectClose(a, b, { rtol: 0, atol: 0 });
    expect(tf.tidy(() => tf.max(tf.abs(a)).dataSync()[0])).toBeGreaterThan(0);
    expect(() => flowVariable([1, 2, 3], [2], 1, undefined, 'u', 'Planar')).toThrow(/Planar: u must be of shape \[2\]/);
    expect(() => flowVariable([1, NaN], [2], 1, undefined, 'u', 'Planar')).toThrow(/u must be finite/);
    expect(() => checkDimension(1.5, 'dim', 1, 'Radial')).toThrow(/Radial: dim must be an integer >= 1/);
    tf.dispose([given, a, b]);
  });
});
