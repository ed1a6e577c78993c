import * as tf from '@tensorflow/tfjs-core';
import gammaln from '@stdlib/math-base-special-gammaln';
import { expectClose } from '@vae/testing';
import { logBesselI } from '@vae/math';
import { axialVarianceDiagonal, checkAmbientDimension, dotLast, logGammaHalfInteger, logHankel, logSphereArea } from './sphere.js';

describe('logGammaHalfInteger and logSphereArea', () => {
  it('equal log Gamma(n / 2) (stdlib) for n = 1..60', () => {
    for (let n = 1; n <= 60; n++) expect(logGammaHalfInteger(n)).toBeCloseTo(gammaln(n / 2), 10);
  });

  it('give the area of S^{d-1}: 2 pi (circle), 4 pi (sphere), 2 pi^2 (S^3), and 2 pi^{d/2} / Gamma(d/2) beyond', () => {
    expect(logSphereArea(2)).toBeCloseTo(Math.log(2 * Math.PI), 12);
    expect(logSphereArea(3)).toBeCloseTo(Math.log(4 * Math.PI), 12);
    expect(logSphereArea(4)).toBeCloseTo(Math.log(2 * Math.PI ** 2), 12);
    for (const d of [5, 10, 64, 500]) expect(logSphereArea(d)).toBeCloseTo(Math.log(2) + (d / 2) * Math.log(Math.PI) - gammaln(d / 2), 8);
  });
});

describe('checkAmbientDimension', () => {
  it('accepts integers >= 2 and names the argument otherwise', () => {
    expect(() => checkAmbientDimension(2, 'dim', 'F')).not.toThrow();
    for (const bad of [1, 0, 2.5, NaN]) {
      expect(() => checkAmbientDimension(bad, 'dim', 'F')).toThrow(
        `F: dim must be an integer >= 2 (the ambient dimension d of S^{d-1} in R^d); got ${bad}`,
      );
    }
  });
});

describe('dotLast and axialVarianceDiagonal', () => {
  it('dotLast is the dot product over the last axis, broadcasting samples against the batch', () => {
    const mu = tf.tensor2d([
      [1, 0, 0],
      [0, 0.6, 0.8],
    ]); // batch [2], d 3
    const x = tf.tensor3d([
      [
        [0.5, 2, 3],
        [1, 1, 1],
      ],
      [
        [0, 0, 1],
        [0, 1, 0],
      ],
    ]); // sample [2], batch [2]
    const dots = dotLast(mu, x);
    expect(dots.shape).toEqual([2, 2]);
    expectClose(dots, [
      [0.5, 1.4],
      [0, 0.6],
    ]);
  });

  it('axialVarianceDiagonal is var_t mu_i^2 + var_perp (1 - mu_i^2), the diagonal of var_t mu mu^T + var_perp (I - mu mu^T)', () => {
    const mu = tf.tensor2d([[0.6, 0.8]]);
    const out = axialVarianceDiagonal(mu, tf.tensor1d([2]), tf.tensor1d([0.5]));
    expectClose(out, [[2 * 0.36 + 0.5 * 0.64, 2 * 0.64 + 0.5 * 0.36]]);
  });
});

describe('logHankel', () => {
  it('equals log(sqrt(2 pi k) e^-k I_v(k)) from logBesselI for v = 0, 1, 1.5 at k = 60 and 400', () => {
    tf.tidy(() => {
      for (const v of [0, 1, 1.5]) {
        const k = tf.tensor([60, 400]);
        const reference = tf.add(tf.sub(logBesselI(v, k), k), tf.mul(0.5, tf.log(tf.mul(2 * Math.PI, k))));
        // The reference subtracts k in float32: its own error is a few ulps of k.
        expectClose(logHankel(v, k), reference, { atol: 1e-4 });
      }
    });
  });
});
