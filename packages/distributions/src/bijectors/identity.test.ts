import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectMemoryNeutral } from '@vae/testing';
import { Identity } from '../index.js';

describe('Identity', () => {
  it('maps x to itself with zero log-Jacobian, and returns a copy the caller may dispose', async () => {
    const b = new Identity();
    const x = tf.tensor2d([
      [1, -2],
      [3e30, -1e-30],
    ]);
    expectClose(b.forward(x), x);
    expectClose(b.inverse(x), x);
    expectClose(b.forwardLogDetJacobian(x), tf.zeros([2, 2]));
    expectClose(b.inverseLogDetJacobian(x, 2), 0);
    expect(b.isConstantJacobian).toBe(true);
    await expectMemoryNeutral(() => b.forward(x), 'forward');
    await expectMemoryNeutral(() => b.inverseLogDetJacobian(x, 1), 'inverseLogDetJacobian');
    expect(x.isDisposed).toBe(false);
    x.dispose();
  });
});
