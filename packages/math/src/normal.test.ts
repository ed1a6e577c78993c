import * as tf from '@tensorflow/tfjs-core';
import { derivative64, expectClose, expectMemoryNeutral, itWithSubnormals } from '@vae/testing';
import { InvalidArgumentError, logNdtr, ndtr, ndtri } from '@vae/math';
import { errorRow, itTabulatesOnEachBackend, loadFixtures, take } from '../test/special-helpers.js';

const fixtures = loadFixtures();
const column = <T extends number[]>(rows: T[], k: number): number[] => rows.map((r) => r[k]);

// float64 reference of log Phi by the continued fraction of Mills' ratio (independent of the
// Chebyshev fit): valid for x <= -3, used for the finite differences of the gradient in the tail.
function logNdtrTail64(x: number): number {
  const u = -x;
  let f = u;
  for (let k = 200; k >= 1; k--) f = u + k / f;
  return -0.5 * u * u - 0.5 * Math.log(2 * Math.PI) - Math.log(f);
}
const phi64 = (x: number): number => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);

describe('accuracy against mpmath fixtures', () => {
  itTabulatesOnEachBackend(
    'worst errors (pass: |err| <= max(rtol |ref|, atol), per row below)',
    'logNdtr, ndtr, ndtri (%s)',
    (backend, rows) => {
      const check = (fn: string, region: string, xs: number[], got: tf.Tensor, want: number[], rtol: number, atol: number): void => {
        const row = errorRow(fn, region, backend, xs, take(got), want, { rtol, atol, zeroBand: 1.2e-38 });
        rows.push(row);
        expect(row).toMatchObject({ failures: 0 });
      };
      const lx = column(fixtures.logNdtr, 0);
      check('logNdtr', 'x in [-1e3, 20] (rtol 1e-6)', lx, logNdtr(lx), column(fixtures.logNdtr, 1), 1e-6, 0);
      const nx = column(fixtures.ndtr, 0);
      check('ndtr', 'x in [-13, 8] (rtol 1e-6)', nx, ndtr(nx), column(fixtures.ndtr, 1), 1e-6, 0);
      const p = column(fixtures.ndtri, 0);
      check('ndtri', 'p in [1e-37, 1 - 1e-7] (rtol 2e-6)', p, ndtri(p), column(fixtures.ndtri, 1), 2e-6, 1e-7);
    },
  );
});

describe('extremes and special values', () => {
  it('logNdtr(-1e3) and beyond stay finite; the upper tail is -Phi(-x)', () => {
    const got = take(logNdtr([-1e3, -1e4, -1e20, 10, Infinity, -Infinity]));
    expectClose(got.slice(0, 2), [-500007.82669481216, -50000011.9657], { rtol: 1e-6 });
    expect([got[2], got[5]]).toEqual([-Infinity, -Infinity]);
    expectClose([got[3]], [-7.619853024160527e-24], { rtol: 1e-6, atol: 0 });
    expect(got[4] === 0).toBe(true);
  });
  it('ndtr: 0 and 1 at the infinities, 1/2 at 0', () => {
    expect(Array.from(take(ndtr([-Infinity, 0, Infinity, -40])))).toEqual([0, 0.5, 1, 0]);
  });
  it('ndtri: infinities at 0 and 1, NaN outside [0, 1], exact symmetry', () => {
    const got = take(ndtri([0, 1, -0.1, 1.5, NaN, 0.5]));
    expect(Array.from(got.slice(0, 2))).toEqual([-Infinity, Infinity]);
    expect([got[2], got[3], got[4]].every(Number.isNaN)).toBe(true);
    expect(got[5]).toBe(0);
    const p = [0.1, 0.3, 0.4999];
    const lower = take(ndtri(p));
    const upper = take(ndtri(p.map((v) => 1 - v)));
    expectClose(
      upper,
      Array.from(lower).map((v) => -v),
      { rtol: 1e-6 },
    );
  });
  it('ndtri inverts ndtr and logNdtr', () => {
    const x = [-12.9, -10, -3, -0.5, 0.2, 2, 5]; // ndtr(-12.9) = 1.8e-38, a normal float32
    const lowerHalf = x.filter((v) => v <= 0);
    expectClose(take(ndtri(ndtr(lowerHalf))), lowerHalf, { rtol: 2e-6 });
    expectClose(take(ndtri(tf.exp(logNdtr([-12, -5])))), [-12, -5], { rtol: 2e-6 });
  });
  itWithSubnormals('ndtri inverts ndtr at a subnormal probability (cpu, wasm; tensorflow flushes subnormals to zero)', () => {
    // ndtr(-13) = 6.1e-39 and ndtr(-13.5) = 7.7e-42 are subnormal float32 values.
    expectClose(take(ndtri(ndtr([-13, -13.5]))), [-13, -13.5], { rtol: 2e-6 });
  });
  it('rejects non-numeric input', () => {
    expect(() => ndtri('a' as unknown as number)).toThrow(InvalidArgumentError);
    expect(() => logNdtr({} as unknown as number)).toThrow(/logNdtr: x must be/);
  });
});

describe('gradients against float64 finite differences', () => {
  it('ndtr: the density', () => {
    const xs = [-8, -3, -1, 0, 0.7, 2, 6];
    expectClose(take(tf.grad((x: tf.Tensor) => ndtr(x))(tf.tensor(xs))), xs.map(phi64), { rtol: 2e-6, atol: 1e-30 });
  });
  it('logNdtr: phi / Phi, finite far in the tail (about -x)', () => {
    const xs = [-1e3, -100, -37, -12, -4];
    const got = take(tf.grad((x: tf.Tensor) => logNdtr(x))(tf.tensor(xs)));
    expectClose(
      got,
      xs.map((x) => derivative64(logNdtrTail64, x, 1e-4)),
      { rtol: 2e-6 },
    );
    const central = [-2, -0.5, 0, 1, 3, 8];
    const want = central.map((x) => phi64(x) / (0.5 * (1 + erf64(x / Math.SQRT2))));
    expectClose(take(tf.grad((x: tf.Tensor) => logNdtr(x))(tf.tensor(central))), want, { rtol: 2e-6, atol: 1e-20 });
  });
  it('ndtri: 1 / phi(ndtri(p)), checked against the inverse-function rule on fixtures', () => {
    const rows = fixtures.ndtri.filter((_, i) => i % 10 === 0);
    const p = column(rows, 0);
    const z = column(rows, 1);
    const got = take(tf.grad((t: tf.Tensor) => ndtri(t))(tf.tensor(p)));
    // float32 z carries a relative error ~1e-7, which exp(z^2/2) multiplies by z^2 (164 at p = 1e-37).
    expectClose(
      got,
      z.map((v) => 1 / phi64(v)),
      { rtol: 5e-5 },
    );
  });
});

// erf in float64 (Abramowitz-Stegun 7.1.26 is too coarse; use the series / continued fraction).
function erf64(x: number): number {
  if (Math.abs(x) > 3) return Math.sign(x) * (1 - Math.exp(logNdtrTail64(-Math.abs(x) * Math.SQRT2)) * 2);
  let sum = 0;
  let term = x;
  for (let n = 0; n < 100; n++) {
    sum += term / (2 * n + 1);
    term *= (-x * x) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

describe('memory', () => {
  it.each([
    ['ndtr', ndtr],
    ['logNdtr', logNdtr],
    ['ndtri', ndtri],
  ] as const)('%s is memory-neutral, also under tf.grad', async (name, op) => {
    const x = tf.tensor([0.01, 0.3, 0.5, 0.99]);
    await expectMemoryNeutral(() => op(x), name);
    await expectMemoryNeutral(() => tf.grad((t: tf.Tensor) => op(t))(x), `grad ${name}`);
    x.dispose();
  });
});
