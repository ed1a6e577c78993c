import * as tf from '@tensorflow/tfjs-core';
import { compareClose, expectClose } from '@vae/testing';
import { loadFixture } from '../../test/pair-suite.js';
import { lgammaRemainder, log1pMinusIdentity } from './numerics.js';

describe('lgammaRemainder R(a, h) = lgamma(a + h) - lgamma(a) - h psi(a)', () => {
  it('matches mpmath, including |h| << a where the direct formula cancels', () => {
    const cases = loadFixture().lgammaRemainder;
    const r = lgammaRemainder(tf.tensor(cases.map((c) => c.a)), tf.tensor(cases.map((c) => c.h)));
    const truth = cases.map((c) => c.r);
    const report = compareClose(r, truth, { rtol: 2e-5, atol: 0 });
    console.log(`[lgammaRemainder] worst rel err vs mpmath over ${cases.length} cases: ${report.maxRelativeError.toExponential(2)}`);
    expectClose(r, truth, { rtol: 2e-5, atol: 1e-30 });
  });
});

describe('log1pMinusIdentity', () => {
  it('matches float64 log1p(u) - u on both sides of the series cut', () => {
    const u = [-0.9, -0.3, -0.2499, -0.1, -1e-3, -1e-7, 0, 1e-7, 1e-3, 0.1, 0.2499, 0.3, 5];
    const f32 = u.map(Math.fround);
    expectClose(
      log1pMinusIdentity(tf.tensor(f32)),
      f32.map((x) => Math.log1p(x) - x),
      { rtol: 2e-6, atol: 1e-30 },
    );
  });
});
