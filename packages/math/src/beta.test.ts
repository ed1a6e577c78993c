import * as tf from '@tensorflow/tfjs-core';
import gammaln from '@stdlib/math-base-special-gammaln';
import stdDigamma from '@stdlib/math-base-special-digamma';
import { derivative64, expectClose } from '@vae/testing';
import { logBeta } from '@vae/math';
import { itKeepsBinaryContract, itTabulatesOnEachBackend, loadFixtures, regimeErrorRows, take } from '../test/special-helpers.js';

const fixtures = loadFixtures().logBeta;
const logBeta64 = ([a, b]: number[]): number => gammaln(a) + gammaln(b) - gammaln(a + b);

describe('accuracy against mpmath fixtures (a, b in [1e-6, 1e7] on a log grid)', () => {
  itTabulatesOnEachBackend(
    'worst errors (pass: |err| <= max(1e-5 |ref|, 1e-6))',
    'all regimes: both small, one huge, both huge (%s)',
    (backend, table) => {
      const regimes: [string, (a: number, b: number) => boolean][] = [
        ['max(a, b) < 8 (direct)', (a, b) => Math.max(a, b) < 8],
        ['min < 8 <= max (one huge)', (a, b) => Math.min(a, b) < 8 && Math.max(a, b) >= 8],
        ['min(a, b) >= 8 (both large)', (a, b) => Math.min(a, b) >= 8],
      ];
      table.push(...regimeErrorRows('logBeta', logBeta, backend, fixtures, regimes, 0, { rtol: 1e-5, atol: 1e-6 }));
    },
  );

  it('is exact where one argument is huge: logBeta(1, b) = -log b, symmetric in a and b', () => {
    expectClose(take(logBeta([1, 1, 1e7], [1e7, 1e30, 1])), [-Math.log(1e7), -Math.log(1e30), -Math.log(1e7)], { rtol: 1e-6 });
    const a = [0.3, 7.9, 8.1, 1e3, 1e6];
    const b = [1e6, 50, 8, 2e3, 1e6];
    expectClose(take(logBeta(a, b)), take(logBeta(b, a)), { rtol: 1e-7 });
  });
  it('handles 0 and Infinity: +Infinity at 0, -Infinity at Infinity', () => {
    expect(Array.from(take(logBeta([0, 2, 1e3], [3, Infinity, Infinity])))).toEqual([Infinity, -Infinity, -Infinity]);
  });
});

describe('gradients', () => {
  const pairs = [
    [0.5, 0.5],
    [1, 3],
    [2.5, 1e3],
    [7.5, 9],
    [20, 30],
    [1e4, 1e4],
    [5, 1e6],
    [100, 1e5],
  ];
  it('match float64 finite differences of the log-gamma oracle and psi(a) - psi(a + b)', () => {
    const a = tf.tensor(pairs.map((p) => p[0]));
    const b = tf.tensor(pairs.map((p) => p[1]));
    const [ga, gb] = tf
      .grads((u: tf.Tensor, v: tf.Tensor) => logBeta(u, v))([a, b])
      .map(take);
    pairs.forEach(([pa, pb], i) => {
      // A step relative to each argument: the float64 oracle cancels in log Gamma(1e6) - log Gamma(1e6 + 5).
      const da = derivative64((t) => logBeta64([t, pb]), pa, 1e-3 * pa);
      const db = derivative64((t) => logBeta64([pa, t]), pb, 1e-3 * pb);
      expectClose([ga[i], gb[i]], [da, db], { rtol: 2e-5, atol: 1e-6, label: `grad at (${pa}, ${pb})` });
      expectClose([ga[i], gb[i]], [stdDigamma(pa) - stdDigamma(pa + pb), stdDigamma(pb) - stdDigamma(pa + pb)], { rtol: 1e-5, atol: 1e-6 });
    });
    tf.dispose([a, b]);
  });
});

describe('broadcasting and errors', () => {
  itKeepsBinaryContract(
    logBeta,
    ['a', 'b'],
    { a: [0.5, 20, 4], b: [0.5, 20, 5] },
    { a: [[1], [20]], b: [0.5, 3, 1e5], plain: [2, [3, 4]] },
  );
});
