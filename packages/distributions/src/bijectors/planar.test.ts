import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectFinite, expectMemoryNeutral } from '@vae/testing';
import { Planar } from '../index.js';
import { autodiffLogDet, expectForwardMatchesFixture, flowFixture } from '../../test/flow-suite.js';

describe('Planar', () => {
  it('matches the float64 torch fixture (values and autograd log-determinants) and round-trips', () => {
    for (const c of flowFixture('planar')) {
      const p = c.params as { u: number[]; w: number[]; b: number };
      const planar = new Planar({ dim: 3, u: p.u, w: p.w, b: p.b });
      const x = expectForwardMatchesFixture(planar, c);
      expectClose(planar.inverse(planar.forward(x)), x, { rtol: 1e-5, atol: 1e-4 });
      expectClose(
        planar.inverseLogDetJacobian(planar.forward(x)),
        c.points.map((q) => -q.ldj),
        { rtol: 1e-4, atol: 1e-4 },
      );
      planar.dispose();
    }
  });

  it('log-Jacobian equals the float32 autodiff Jacobian log-determinant with seeded parameters', () => {
    const planar = new Planar({ dim: 4, seed: 0, b: 0.3 });
    tf.tidy(() => {
      planar.u.assign(tf.tensor1d([1.5, -2, 0.5, 3]));
      planar.w.assign(tf.tensor1d([-1, 0.7, 2, -0.4]));
    });
    for (const x of [
      [0.2, -0.3, 0.5, 1],
      [-3, 2, 0.1, 0],
    ]) {
      const ldj = tf.tidy(() => planar.forwardLogDetJacobian([x]).dataSync()[0]);
      expect(Math.abs(ldj - autodiffLogDet((v) => planar.forward(v), x))).toBeLessThan(2e-4);
    }
    planar.dispose();
  });

  it('stays invertible and finite where w.u << 0 and tanh saturates, with finite gradients', async () => {
    const planar = new Planar({ dim: 2, u: [-50, 0], w: [1, 0], b: 0 });
    const x = tf.tensor2d([
      [0, 1],
      [1e4, -1e4],
      [-30, 0],
    ]);
    expectFinite(planar.forwardLogDetJacobian(x));
    expectClose(planar.inverse(planar.forward(x)), x, { rtol: 1e-5, atol: 1e-3 });
    const grads = tf.variableGrads(
      () => tf.sum(tf.add(planar.forward(x), tf.expandDims(planar.forwardLogDetJacobian(x), -1))) as tf.Scalar,
    );
    for (const g of Object.values(grads.grads)) expectFinite(g);
    tf.dispose(grads.grads);
    tf.dispose(grads.value);
    expect(planar.trainableVariables()).toEqual([planar.u, planar.w, planar.b]);
    await expectMemoryNeutral(() => planar.forward(x), 'forward');
    await expectMemoryNeutral(() => planar.inverse(x), 'inverse');
    await expectMemoryNeutral(() => planar.forwardLogDetJacobian(x), 'forwardLogDetJacobian');
    expect(() => new Planar({ dim: 0 })).toThrow(/Planar: dim must be an integer >= 1/);
    expect(() => planar.forward([1, 2, 3])).toThrow(/Planar: x must be of shape batch \+ \[2\]/);
    expect(() => planar.forward(5)).toThrow(/x must be at least 1-dimensional/);
    x.dispose();
    planar.dispose();
  });
});
