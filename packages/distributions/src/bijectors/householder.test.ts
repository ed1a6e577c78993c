import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectMemoryNeutral } from '@vae/testing';
import { Householder } from '../index.js';
import { autodiffLogDet, expectForwardMatchesFixture, flowFixture } from '../../test/flow-suite.js';

describe('Householder', () => {
  it('matches the float64 torch fixture, is orthogonal (autodiff log-det 0) and its inverse undoes it', () => {
    const [c] = flowFixture('householder');
    const hh = new Householder({ dim: 3, numReflections: 2, vectors: c.params.vectors as number[][] });
    const x = expectForwardMatchesFixture(hh, c);
    // Orthogonal: exactly zero, tighter than the fixture tolerance.
    expectClose(hh.forwardLogDetJacobian(x), [0, 0, 0, 0]);
    expectClose(hh.inverse(hh.forward(x)), x, { rtol: 1e-5, atol: 1e-5 });
    expect(Math.abs(autodiffLogDet((v) => hh.forward(v), c.points[1].x))).toBeLessThan(1e-5);
    for (const q of c.points) expect(Math.abs(q.ldj)).toBeLessThan(1e-12);
    x.dispose();
    hh.dispose();
  });

  it.each([1, 2])('trains: the gradient in the vectors (%i reflections) matches float64 finite differences', (k) => {
    const vectors = [
      [0.3, -1, 2],
      [1.5, 0.2, -0.7],
    ].slice(0, k);
    const x = [0.4, -2, 1];
    const c = [1, 0.5, -3];
    // f(V) = c . H_k ... H_1 x with H v = I - 2 v v^T / |v|^2, in float64.
    const f = (vs: number[][]) =>
      vs
        .reduce((z, v) => {
          const vv = v.reduce((a, b) => a + b * b, 0);
          const vz = v.reduce((a, b, i) => a + b * z[i], 0);
          return z.map((zi, i) => zi - (2 * vz * v[i]) / vv);
        }, x)
        .reduce((a, zi, i) => a + zi * c[i], 0);
    const h = 1e-6;
    const numeric = vectors.map((row, r) =>
      row.map((_, j) => {
        const shifted = (d: number) => vectors.map((v, rr) => v.map((e, jj) => (rr === r && jj === j ? e + d : e)));
        return (f(shifted(h)) - f(shifted(-h))) / (2 * h);
      }),
    );
    const hh = new Householder({ dim: 3, numReflections: k, vectors });
    const { grads, value } = tf.variableGrads(() => tf.sum(tf.mul(hh.forward([x]), c)), [hh.vectors]);
    expectClose(grads[hh.vectors.name], numeric, { rtol: 1e-4, atol: 1e-5 });
    tf.dispose([value, grads[hh.vectors.name]]);
    hh.dispose();
  });

  it('is seeded, memory-neutral, keeps huge inputs finite and names bad input', async () => {
    const a = new Householder({ dim: 4, numReflections: 3, seed: 0 });
    const b = new Householder({ dim: 4, numReflections: 3, seed: 0 });
    expectClose(a.vectors, b.vectors, { rtol: 0, atol: 0 });
    const x = tf.tensor2d([[1e15, -1e15, 3, 0]]);
    const norm = (t: tf.Tensor) => tf.tidy(() => tf.norm(t).dataSync()[0]);
    expect(norm(a.forward(x)) / norm(x)).toBeCloseTo(1, 5);
    await expectMemoryNeutral(() => a.forward(x), 'forward');
    await expectMemoryNeutral(() => a.inverseLogDetJacobian(x), 'inverseLogDetJacobian');
    expect(() => new Householder({ dim: 2, vectors: [[0, 0]] })).toThrow(/Householder: vectors must be nonzero rows/);
    expect(() => new Householder({ dim: 1 })).toThrow(/Householder: dim must be an integer >= 2/);
    x.dispose();
    a.dispose();
    b.dispose();
  });
});
