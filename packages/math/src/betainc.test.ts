import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { derivative64, expectClose, expectMemoryNeutral } from '@vae/testing';
import { InvalidArgumentError, betainc, logBetainc } from '@vae/math';
import { errorRow, itTabulatesOnEachBackend, take } from '../test/special-helpers.js';

/** Rows [a, b, x, I, log I, dI/da, dI/db, dI/dx] from test/fixtures/generate_betainc.py (mpmath). */
const rows: number[][] = (JSON.parse(readFileSync(join(__dirname, '../test/fixtures/betainc.json'), 'utf8')) as { rows: number[][] }).rows;
const column = (k: number, subset = rows): number[] => subset.map((r) => r[k]);
const moderate = (r: number[]): boolean => Math.max(r[0], r[1]) <= 100;
const REGIONS = [
  ['a, b in [1e-3, 100]', moderate],
  ['a or b in (100, 1e4]', (r: number[]) => !moderate(r)],
] as const;

describe('accuracy against mpmath (a, b from 1e-3 to 1e4, x from 1e-6 to 1 - 1e-6)', () => {
  itTabulatesOnEachBackend('betainc / logBetainc worst errors', 'values of I and log I (%s)', (backend, table) => {
    const [a, b, x] = [0, 1, 2].map((k) => tf.tensor(column(k)));
    // I itself: relative 4e-4 (cancellation in 1 - J where the symmetry gives a small I), or
    // absolute 1e-30 below float32's normal range. log I down to -1.4e5 (where I underflows): error
    // relative to max(1, |log I|).
    const outputs = [
      { fn: 'betainc', got: take(betainc(a, b, x)), column: 3, tolerance: { rtol: 4e-4, atol: 1e-30, zeroBand: 1e-30 } },
      { fn: 'logBetainc', got: take(logBetainc(a, b, x)), column: 4, tolerance: { rtol: 2e-5, atol: 4e-4, zeroBand: 1 } },
    ];
    tf.dispose([a, b, x]);
    for (const [name, select] of REGIONS) {
      const idx = rows.map((r, i) => (select(r) ? i : -1)).filter((i) => i >= 0);
      const regionRows = outputs.map(({ fn, got, column: k, tolerance }) =>
        errorRow(
          fn,
          name,
          backend,
          idx.map((i) => rows[i][2]),
          idx.map((i) => got[i]),
          idx.map((i) => rows[i][k]),
          tolerance,
        ),
      );
      table.push(...regionRows);
      for (const row of regionRows) expect(row).toMatchObject({ failures: 0 });
    }
  });

  it('gradients in a, b and x of I and of log I', () => {
    const [a, b, x] = [0, 1, 2].map((k) => tf.tensor(column(k)));
    const g = tf
      .grads((u: tf.Tensor, v: tf.Tensor, w: tf.Tensor) => betainc(u, v, w))([a, b, x])
      .map(take);
    // log I only where I is a float32 number, so the reference dI/I is meaningful.
    const keep = rows.map((r, i) => (r[3] > 1e-30 ? i : -1)).filter((i) => i >= 0);
    const sub = keep.map((i) => rows[i]);
    const [la, lb, lx] = [0, 1, 2].map((k) => tf.tensor(column(k, sub)));
    const lg = tf
      .grads((u: tf.Tensor, v: tf.Tensor, w: tf.Tensor) => logBetainc(u, v, w))([la, lb, lx])
      .map(take);
    tf.dispose([a, b, x, la, lb, lx]);
    for (const [name, select] of REGIONS) {
      const idx = rows.map((r, i) => (select(r) ? i : -1)).filter((i) => i >= 0);
      const lidx = sub.map((r, i) => (select(r) ? i : -1)).filter((i) => i >= 0);
      for (const [label, k, rtol] of [
        // 4e-4 in a and b: on TensorFlow (its own lgamma/digamma rounding) dI/da reaches 3.1e-4 at
        // x near 1, where I = 1 - J; cpu and wasm stay within 2e-4.
        ['dI/da', 0, 4e-4],
        ['dI/db', 1, 4e-4],
        ['dI/dx', 2, 3e-5],
      ] as const) {
        const row = errorRow(
          label,
          name,
          'cpu',
          idx.map((i) => rows[i][2]),
          idx.map((i) => g[k][i]),
          idx.map((i) => rows[i][5 + k]),
          {
            rtol,
            atol: 1e-30,
            zeroBand: 1e-30,
          },
        );
        const logRow = errorRow(
          `dlogI/d${'abx'[k]}`,
          name,
          'cpu',
          lidx.map((i) => sub[i][2]),
          lidx.map((i) => lg[k][i]),
          lidx.map((i) => sub[i][5 + k] / sub[i][3]),
          { rtol: 4e-4, atol: 1e-30, zeroBand: 1e-30 },
        );
        expect(row).toMatchObject({ failures: 0 });
        expect(logRow).toMatchObject({ failures: 0 });
      }
    }
  });
});

describe('closed forms and finite differences', () => {
  // I_x(a, 1) = x^a, I_x(1, b) = 1 - (1 - x)^b, I_x(2, 3) = 6x^2 - 8x^3 + 3x^4.
  const cases: [number, number, number, (a: number, b: number, x: number) => number][] = [
    [3.5, 1, 0.7, (a, _b, x) => x ** a],
    [1, 0.25, 0.3, (_a, b, x) => -Math.expm1(b * Math.log1p(-x))],
    [2, 3, 0.45, (_a, _b, x) => 6 * x ** 2 - 8 * x ** 3 + 3 * x ** 4],
    [0.5, 1, 2e-5, (a, _b, x) => x ** a],
  ];
  it('values and all three gradients agree with float64 central differences of the closed forms', () => {
    const a = tf.tensor(cases.map((c) => c[0]));
    const b = tf.tensor(cases.map((c) => c[1]));
    const x = tf.tensor(cases.map((c) => c[2]));
    expectClose(
      take(betainc(a, b, x)),
      cases.map(([ca, cb, cx, f]) => f(ca, cb, cx)),
      { rtol: 2e-6, atol: 0 },
    );
    const [ga, gb, gx] = tf
      .grads((u: tf.Tensor, v: tf.Tensor, w: tf.Tensor) => betainc(u, v, w))([a, b, x])
      .map(take);
    expectClose(
      gx,
      cases.map(([ca, cb, cx, f]) => derivative64((t) => f(ca, cb, t), cx, cx * 1e-3)),
      { rtol: 2e-5, atol: 0, label: 'd/dx' },
    );
    // x^a depends on a only (cases 0 and 3), 1 - (1 - x)^b on b only (case 1).
    const pick = (g: Float32Array, ks: number[]): number[] => ks.map((k) => g[k]);
    expectClose(
      pick(ga, [0, 3]),
      [0, 3].map((k) => derivative64((t) => cases[k][3](t, 1, cases[k][2]), cases[k][0])),
      { rtol: 1e-4, atol: 0, label: 'd/da' },
    );
    expectClose(pick(gb, [1]), [derivative64((t) => cases[1][3](1, t, cases[1][2]), cases[1][1])], { rtol: 1e-4, atol: 0, label: 'd/db' });
    tf.dispose([a, b, x]);
  });

  it('the x-gradient matches a float32 central difference of betainc itself at huge a, b', () => {
    const [a, b, x, h] = [3000, 5000, 0.375, 2e-4];
    const diff = take(tf.div(tf.sub(betainc(a, b, x + h), betainc(a, b, x - h)), 2 * h))[0];
    const g = take(tf.grad((v: tf.Tensor) => betainc(a, b, v))(tf.scalar(x)))[0];
    expect(Math.abs(diff - g) / g).toBeLessThan(2e-3);
  });
});

describe('edges, errors, memory', () => {
  it('I_0 = 0 and I_1 = 1 with finite gradients; x-gradient at the edges is Infinity, b or 0 as a <, =, > 1', () => {
    const a = tf.tensor([0.5, 1, 2, 2, 2, 0.5]);
    const b = tf.tensor([3, 3, 3, 0.5, 1, 3]);
    const x = tf.tensor([0, 0, 0, 1, 1, 1]);
    expect(Array.from(take(betainc(a, b, x)))).toEqual([0, 0, 0, 1, 1, 1]);
    expect(Array.from(take(logBetainc(a, b, x))).map((v) => v + 0)).toEqual([-Infinity, -Infinity, -Infinity, 0, 0, 0]);
    const [ga, gb, gx] = tf
      .grads((u: tf.Tensor, v: tf.Tensor, w: tf.Tensor) => betainc(u, v, w))([a, b, x])
      .map(take);
    expect(Array.from(gx)).toEqual([Infinity, 3, 0, Infinity, 2, 0]);
    expect(Array.from(ga).every((v) => v === 0) && Array.from(gb).every((v) => v === 0)).toBe(true);
    tf.dispose([a, b, x]);
  });

  it('log I stays finite where I underflows, and agrees with log(I) where I does not', () => {
    const got = take(logBetainc([50, 50, 1e4], [2, 2, 1e4], [1e-3, 0.5, 0.3]));
    expect(Array.from(take(betainc([50, 1e4], [2, 1e4], [1e-3, 0.3])))).toEqual([0, 0]);
    expect(got.every(Number.isFinite)).toBe(true);
    expect(Math.abs(got[1] - Math.log(take(betainc(50, 2, 0.5))[0]))).toBeLessThan(1e-5 * Math.abs(got[1]));
    // mpmath (generate_betainc.py's betainc): -341.4569168 and -1748.488311, the lower tail of a Beta(1e4, 1e4).
    expectClose([got[0], got[2]], [-341.4569168, -1748.488311], { rtol: 2e-6, atol: 0 });
    const g = take(tf.grad((v: tf.Tensor) => logBetainc(50, 2, v))(tf.tensor([1e-3])));
    expect(Number.isFinite(g[0]) && g[0] > 0).toBe(true);
  });

  it('NaN outside a > 0, b > 0, 0 <= x <= 1 (documented: no data check)', () => {
    expect(Array.from(take(betainc([0, 1, 1, 1, NaN], [1, -1, 1, 1, 1], [0.5, 0.5, -0.1, 1.1, 0.5]))).every(Number.isNaN)).toBe(true);
  });

  it('names the arguments on a shape mismatch', () => {
    expect(() => betainc([1, 2], 1, [0.1, 0.2, 0.3])).toThrow(InvalidArgumentError);
    expect(() => betainc([1, 2], 1, [0.1, 0.2, 0.3])).toThrow(/betainc: a and x must be broadcast-compatible/);
  });

  it('broadcasts, gives gradients of the input shapes, and is memory-neutral, also under tf.grads', async () => {
    const a = tf.tensor([[0.5], [20]]);
    const b = tf.scalar(3);
    const x = tf.tensor([0.1, 0.6, 0.9]);
    await expectMemoryNeutral(() => {
      const y = betainc(a, b, x);
      expect(y.shape).toEqual([2, 3]);
      return y;
    });
    await expectMemoryNeutral(() => {
      const grads = tf.grads((u: tf.Tensor, v: tf.Tensor, w: tf.Tensor) => logBetainc(u, v, w))([a, b, x]);
      expect(grads.map((t) => t.shape)).toEqual([[2, 1], [], [3]]);
      return grads;
    });
    tf.dispose([a, b, x]);
  });
});
