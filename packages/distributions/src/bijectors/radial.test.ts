import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectFinite, expectMemoryNeutral } from '@vae/testing';
import { Radial } from '../index.js';
import { autodiffLogDet, expectForwardMatchesFixture, flowFixture } from '../../test/flow-suite.js';

describe('Radial', () => {
  it('matches the float64 torch fixture, round-trips in closed form, and agrees with autodiff', () => {
    for (const c of flowFixture('radial')) {
      const p = c.params as { center: number[]; rawAlpha: number; rawBeta: number };
      const radial = new Radial({ dim: 3, center: p.center, rawAlpha: p.rawAlpha, rawBeta: p.rawBeta });
      const x = expectForwardMatchesFixture(radial, c);
      expectClose(radial.inverse(c.points.map((q) => q.y)), x, { rtol: 1e-5, atol: 1e-5 });
      const x0 = c.points[1].x;
      const ldj = tf.tidy(() => radial.forwardLogDetJacobian([x0]).dataSync()[0]);
      expect(Math.abs(ldj - autodiffLogDet((v) => radial.forward(v), x0))).toBeLessThan(1e-4);
      x.dispose();
      radial.dispose();
    }
  });

  it('is finite at the centre, far away and with beta near -alpha; memory-neutral; names bad input', async () => {
    // beta = -alpha + softplus(-20): the contraction is nearly total near the centre.
    const radial = new Radial({ dim: 2, center: [1, -1], rawAlpha: 0, rawBeta: -20 });
    const x = tf.tensor2d([
      [1, -1],
      [1e6, 1e6],
      [1.001, -1],
    ]);
    expectFinite(radial.forwardLogDetJacobian(x));
    expectClose(radial.inverse(radial.forward(x)), x, { rtol: 1e-5, atol: 1e-4 });
    const grads = tf.variableGrads(() => tf.sum(radial.forwardLogDetJacobian(x)) as tf.Scalar);
    for (const g of Object.values(grads.grads)) expectFinite(g);
    tf.dispose([grads.value, ...Object.values(grads.grads)]);
    await expectMemoryNeutral(() => radial.forward(x), 'forward');
    await expectMemoryNeutral(() => radial.inverse(x), 'inverse');
    await expectMemoryNeutral(() => radial.forwardLogDetJacobian(x), 'forwardLogDetJacobian');
    expect(() => radial.inverse([[1, 2, 3]])).toThrow(/Radial: y must be of shape batch \+ \[2\]/);
    expect(() => new Radial({ dim: 2, center: [1] })).toThrow(/Radial: center must be of shape \[2\]/);
    expect(radial.trainableVariables()).toHaveLength(3);
    x.dispose();
    radial.dispose();
  });
});
