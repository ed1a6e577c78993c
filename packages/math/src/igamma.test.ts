import * as tf from '@tensorflow/tfjs-core';
import gammaln from '@stdlib/math-base-special-gammaln';
import { derivative64, expectClose, expectMemoryNeutral } from '@vae/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { igamma, igammac, logIgamma } from '@vae/math';
import {
  itKeepsBinaryContract,
  itTabulatesOnEachBackend,
  loadFixtures,
  printTable,
  regimeErrorRows,
  take,
} from '../test/special-helpers.js';

const { igamma: fixtures, igammaDensity } = loadFixtures();
// Closed forms of P(a, x) for integer a: 1 - e^-x sum_{k<a} x^k / k! (the Poisson tail).
const poissonForm = (a: number, x: number): number => {
  let term = 1;
  let sum = 1;
  for (let k = 1; k < a; k++) {
    term *= x / k;
    sum += term;
  }
  return a === 1 ? -Math.expm1(-x) : 1 - Math.exp(-x) * sum;
};

describe('accuracy of P(a, x)', () => {
  itTabulatesOnEachBackend(
    'worst errors (pass: |err| <= max(1e-5 |ref|, 1e-30))',
    'against mpmath, a in [0.01, 1e6], x in [1e-4, 2e6] (%s)',
    (backend, table) => {
      const regimes = [
        ['a < 100, x < a + 1 (series)', (a: number, x: number) => a < 100 && x < a + 1],
        ['a < 100, x >= a + 1 (cont. fraction)', (a: number, x: number) => a < 100 && x >= a + 1],
        ['a in [100, 1e6] (Temme expansion)', (a: number) => a >= 100],
      ] as const;
      table.push(...regimeErrorRows('igamma', igamma, backend, fixtures, regimes, 1, { rtol: 1e-5, atol: 1e-30, zeroBand: 1e-30 }));
    },
  );

  it('agrees with closed forms: 1 - e^-x (a = 1) and the Poisson sums (a = 2, 4, 7)', () => {
    const x = [1e-3, 0.3, 1, 2.5, 4, 9, 25];
    expectClose(
      take(igamma(1, x)),
      x.map((v) => poissonForm(1, v)),
      { rtol: 2e-6, atol: 0 },
    );
    for (const a of [2, 4, 7]) {
      const xs = x.filter((v) => v >= a / 2);
      expectClose(
        take(igamma(a, xs)),
        xs.map((v) => poissonForm(a, v)),
        { rtol: 2e-6, atol: 0, label: `P(${a}, x)` },
      );
    }
  });

  it('edges: P(a, 0) = 0, P(a, Infinity) = 1, NaN for a <= 0 or x < 0', () => {
    const got = take(igamma([2, 0.5, 0, -1, 2], [0, Infinity, 1, 1, -0.5]));
    expect(Array.from(got.slice(0, 2))).toEqual([0, 1]);
    expect(Array.from(got.slice(2)).every(Number.isNaN)).toBe(true);
  });
});

describe('gradient', () => {
  it('in x is the Gamma(a, 1) density (mpmath) and matches finite differences of the closed forms', () => {
    const rowsIn = igammaDensity.filter(([a, x]) => x <= 100 && a <= 30);
    const a = tf.tensor(rowsIn.map((r) => r[0]));
    const x = tf.tensor(rowsIn.map((r) => r[1]));
    const [ga, gx] = tf
      .grads((u: tf.Tensor, v: tf.Tensor) => igamma(u, v))([a, x])
      .map(take);
    expectClose(
      gx,
      rowsIn.map((r) => r[2]),
      { rtol: 2e-5, atol: 1e-30 },
    );
    const pts = [
      [1, 0.3],
      [3, 2],
      [10, 12],
    ];
    const fd = pts.map(([pa, px]) => derivative64((t) => poissonForm(pa, t), px));
    const g = take(
      tf.grad((v: tf.Tensor) =>
        igamma(
          pts.map((p) => p[0]),
          v,
        ),
      )(tf.tensor(pts.map((p) => p[1]))),
    );
    expectClose(g, fd, { rtol: 1e-5 });
    // Documented: no gradient in a (zero), left to the implicit-reparameterization samplers.
    expect(Array.from(ga).every((v) => v === 0)).toBe(true);
    tf.dispose([a, x]);
  });
  it('in x stays accurate for large a (Temme region), against exp((a-1) log x - x - lgamma(a)) in float64', () => {
    const pts = [
      [150, 140],
      [1000, 1000],
      [1000, 1040],
      [1e4, 9900],
      [1e6, 1e6],
    ];
    const want = pts.map(([a, x]) => Math.exp((a - 1) * Math.log(x) - x - gammaln(a)));
    const g = take(
      tf.grad((v: tf.Tensor) =>
        igamma(
          pts.map((p) => p[0]),
          v,
        ),
      )(tf.tensor(pts.map((p) => p[1]))),
    );
    expectClose(g, want, { rtol: 2e-5, atol: 0 });
    // ... and agrees with a float32 central difference of P itself (truncation ~4e-7, rounding ~6e-8).
    const [a, x, h] = [1000, 1010, 0.5];
    const diff = take(tf.div(tf.sub(igamma(a, x + h), igamma(a, x - h)), 2 * h))[0];
    expect(Math.abs(diff - Math.exp((a - 1) * Math.log(x) - x - gammaln(a)))).toBeLessThan(1e-6);
  });
  it('at x = 0 is Infinity, 1 or 0 as a <, =, > 1', () => {
    expect(Array.from(take(tf.grad((v: tf.Tensor) => igamma([0.5, 1, 2], v))(tf.zeros([3]))))).toEqual([Infinity, 1, 0]);
  });
});

describe('broadcasting, errors, memory', () => {
  itKeepsBinaryContract(igamma, ['a', 'x'], { a: [0.5, 10, 8], b: [0, 10, 9] }, { a: [[1], [20]], b: [0.5, 3, 30], plain: [2, [3, 4]] });
});

describe('igammac: Q(a, x) = 1 - P(a, x) computed directly', () => {
  const rows = (JSON.parse(readFileSync(join(__dirname, '../test/fixtures/igammac.json'), 'utf8')) as { rows: number[][] }).rows;
  it('matches mpmath from Q near 1 down to 1e-30 (a from 0.01 to 1e6), where 1 - igamma is all rounding', () => {
    const regimes = [
      ['a < 100', (a: number) => a < 100],
      ['a >= 100 (Temme)', (a: number) => a >= 100],
    ] as const;
    const table = regimeErrorRows('igammac', igammac, 'cpu', rows as [number, number, number][], regimes, 1, {
      rtol: 2e-5,
      atol: 0,
      zeroBand: 0,
    });
    printTable('igammac worst errors', table);
    // The complement of igamma cannot resolve the tail at all.
    expect(take(tf.sub(1, igamma(3, 60)))[0]).toBe(0);
  });

  it('agrees with 1 - igamma where Q is not small, and has gradient -(Gamma(a, 1) density) in x', () => {
    const a = [0.5, 4, 30, 200];
    const x = [0.2, 3, 31, 190];
    expectClose(take(igammac(a, x)), take(tf.sub(1, igamma(a, x))), { rtol: 1e-6, atol: 1e-7 });
    const gx = take(tf.grad((v: tf.Tensor) => igammac(a, v))(tf.tensor(x)));
    const want = a.map((ai, i) => -Math.exp((ai - 1) * Math.log(x[i]) - x[i] - gammaln(ai)));
    expectClose(gx, want, { rtol: 2e-5, atol: 0 });
    expect(Array.from(take(igammac([2, 2], [0, Infinity])))).toEqual([1, 0]);
  });

  it('is memory-neutral, also under tf.grads, and names its arguments', async () => {
    const a = tf.tensor([[1], [20]]);
    const x = tf.tensor([0.5, 3, 30]);
    await expectMemoryNeutral(() => tf.grads((u: tf.Tensor, v: tf.Tensor) => igammac(u, v))([a, x]));
    tf.dispose([a, x]);
    expect(() => igammac([1, 2], [1, 2, 3])).toThrow(/igammac: a and x must be broadcast-compatible/);
  });
});

describe('logIgamma: log P(a, x), finite where P underflows', () => {
  it('is log igamma where P is not tiny, and a log x - x - lgamma(a + 1) + log(1 + x / (a + 1)) for tiny x, where igamma is 0', () => {
    const a = [0.5, 3, 30];
    const x = [0.3, 1, 25];
    expectClose(take(logIgamma(a, x)), take(tf.log(igamma(a, x))), { rtol: 1e-6, atol: 0 });
    // For x = 1e-15 the next term of the series, x^2 / ((a + 1)(a + 2)), is below float64's resolution.
    const tinyA = [3, 2, 0.5];
    const tinyX = [1e-15, 1e-20, 1e-30];
    const want = tinyA.map((ai, i) => ai * Math.log(tinyX[i]) - tinyX[i] - gammaln(ai + 1) + Math.log1p(tinyX[i] / (ai + 1)));
    expectClose(take(logIgamma(tinyA, tinyX)), want, { rtol: 1e-6, atol: 0 });
    expect(take(tf.log(igamma(3, 1e-15)))[0]).toBe(-Infinity);
    // mpmath: log gammainc(50, 0, 1, regularized=True) = -149.457972005...
    expectClose(take(logIgamma(50, 1)), [-149.457972005], { rtol: 1e-6, atol: 0 });
    expect(Array.from(take(logIgamma([2, 2], [0, Infinity])))).toEqual([-Infinity, 0]);
  });

  it('has gradient density / P in x: a / x - a / (a + 1) + O(x) in the tail, the ratio of igamma and its gradient elsewhere', () => {
    const tail = take(tf.grad((v: tf.Tensor) => logIgamma(3, v))(tf.tensor([1e-15, 1e-10])));
    expectClose(tail, [3e15 - 0.75, 3e10 - 0.75], { rtol: 1e-6, atol: 0 });
    const x = tf.tensor([0.3, 2, 40]);
    const a = [0.5, 3, 30];
    const want = tf.div(tf.grad((v: tf.Tensor) => igamma(a, v))(x), igamma(a, x));
    expectClose(take(tf.grad((v: tf.Tensor) => logIgamma(a, v))(x)), take(want), { rtol: 1e-5, atol: 0 });
    x.dispose();
  });

  it('is memory-neutral, also under tf.grads, and names its arguments', async () => {
    const a = tf.tensor([[1], [20]]);
    const x = tf.tensor([1e-20, 3, 30]);
    await expectMemoryNeutral(() => tf.grads((u: tf.Tensor, v: tf.Tensor) => logIgamma(u, v))([a, x]));
    tf.dispose([a, x]);
    expect(() => logIgamma([1, 2], [1, 2, 3])).toThrow(/logIgamma: a and x must be broadcast-compatible/);
  });
});
