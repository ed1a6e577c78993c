import * as tf from '@tensorflow/tfjs-core';
import gammaln from '@stdlib/math-base-special-gammaln';
import stdDigamma from '@stdlib/math-base-special-digamma';
import stdTrigamma from '@stdlib/math-base-special-trigamma';
import { derivative64, expectClose, expectMemoryNeutral } from '@vae/testing';
import { InvalidArgumentError, digamma, lgamma, trigamma } from '@vae/math';
import { errorRow, itTabulatesOnEachBackend, linspace, logspace, take } from '../test/special-helpers.js';

const DIGAMMA_ROOT = 1.4616321449683622;

// Negative non-integers in [-50, 0): a shifted grid never lands on an integer.
const negatives = linspace(-50 + 0.0123, -0.0077, 3000);
const nearPoles = [-1, -2, -3, -10, -49].flatMap((n) => [n - 1e-3, n - 1e-5, n + 1e-5, n + 1e-3]).map(Math.fround);

const regions: { name: string; xs: number[] }[] = [
  { name: 'x in [1e-6, 1e6], log-spaced', xs: logspace(1e-6, 1e6, 3000) },
  { name: 'negative non-integers [-50, 0)', xs: negatives },
  { name: 'next to negative poles', xs: nearPoles },
  { name: 'near zeros of lgamma (1, 2)', xs: [...linspace(0.9, 1.1, 401), ...linspace(1.9, 2.1, 401)] },
  { name: 'near the root of digamma 1.4616', xs: linspace(DIGAMMA_ROOT - 0.02, DIGAMMA_ROOT + 0.02, 801) },
];

const cases = [
  { name: 'lgamma', op: lgamma, oracle: gammaln },
  { name: 'digamma', op: digamma, oracle: stdDigamma },
  { name: 'trigamma', op: trigamma, oracle: stdTrigamma },
] as const;

describe('lgamma, digamma, trigamma accuracy against @stdlib (float64 at the float32 input)', () => {
  itTabulatesOnEachBackend(
    'worst errors (pass: |err| <= max(1e-5 |ref|, 1e-6))',
    'meets 1e-5 relative / 1e-6 absolute on every region (%s)',
    (backend, rows) => {
      for (const { name, op, oracle } of cases) {
        for (const region of regions) {
          const got = take(op(region.xs));
          const want = region.xs.map((x) => oracle(x));
          const row = errorRow(name, region.name, backend, region.xs, got, want, { rtol: 1e-5, atol: 1e-6 });
          rows.push(row);
          expect(row).toMatchObject({ failures: 0 });
        }
      }
    },
  );
});

describe('special values', () => {
  it('lgamma: +Infinity at the poles and at +Infinity, exact zeros at 1 and 2', () => {
    expect(Array.from(take(lgamma([0, -1, -2, -50, -1e38, Infinity, 1, 2])))).toEqual([
      Infinity,
      Infinity,
      Infinity,
      Infinity,
      Infinity,
      Infinity,
      0,
      0,
    ]);
    expect(take(lgamma(NaN))[0]).toBeNaN();
    // Overflow only where the true value exceeds float32 (lgamma(1e37) = 8.4e38 > 3.4e38).
    expectClose(take(lgamma(1e36)), [gammaln(Math.fround(1e36))], { rtol: 1e-6 });
    expect(take(lgamma(1e37))[0]).toBe(Infinity);
  });
  it('digamma: NaN at the poles (the one-sided limits are -inf and +inf), +Infinity at +Infinity', () => {
    const d = take(digamma([0, -1, -7, Infinity]));
    expect(Number.isNaN(d[0]) && Number.isNaN(d[1]) && Number.isNaN(d[2])).toBe(true);
    expect(d[3]).toBe(Infinity);
    expectClose(take(digamma([1e-30])), [-1e30], { rtol: 1e-6 });
  });
  it('trigamma: +Infinity at the poles, 0 at +Infinity', () => {
    expect(Array.from(take(trigamma([0, -1, -30, Infinity])))).toEqual([Infinity, Infinity, Infinity, 0]);
  });
  it('keeps the shape and accepts int32 tensors, returning float32', () => {
    const x = tf.tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      undefined,
      'int32',
    );
    const y = lgamma(x);
    expect(y.shape).toEqual([2, 3]);
    expect(y.dtype).toBe('float32');
    expectClose(y, [0, 0, Math.log(2), Math.log(6), Math.log(24), Math.log(120)], { rtol: 1e-6 });
    tf.dispose([x, y]);
  });
  it('rejects non-numeric input with an InvalidArgumentError naming x', () => {
    expect(() => lgamma('3' as unknown as number)).toThrow(InvalidArgumentError);
    expect(() => digamma({} as unknown as number)).toThrow(/digamma: x must be/);
    expect(() => trigamma(tf.tensor(['a']) as tf.Tensor)).toThrow(/trigamma: x must be a real-valued tensor/);
  });
});

describe('gradients against float64 finite differences of the @stdlib oracle', () => {
  const points = [1e-3, 0.1, 0.5, 1, DIGAMMA_ROOT, 2, 3.7, 7.9, 8.1, 42, 1e3, 1e5, -0.5, -2.3, -10.7, -33.25].map(Math.fround);
  it.each(cases.map((c) => [c.name, c] as const))('d/dx %s', (_name, { op, oracle }) => {
    const x = tf.tensor(points);
    const g = take(tf.grad((t: tf.Tensor) => op(t))(x));
    x.dispose();
    const want = points.map((p) => derivative64(oracle, p, 1e-4 * Math.max(Math.min(Math.abs(p), Math.abs(p - Math.round(p)) || 1), 1e-6)));
    expectClose(g, want, { rtol: 2e-5, atol: 1e-6, label: 'gradient' });
  });
  it('second derivative of lgamma is trigamma (higher-order gradients flow through the custom ops)', () => {
    const x = tf.tensor([0.3, 1, 2.5, 20, -1.5]);
    const g2 = take(tf.grad((t: tf.Tensor) => tf.grad((s: tf.Tensor) => lgamma(s))(t))(x));
    expectClose(g2, take(trigamma(x)), { rtol: 1e-6 });
    x.dispose();
  });
});

describe('memory', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s is memory-neutral, also under tf.grad', async (name, { op }) => {
    const x = tf.tensor([0.5, 3, 12, -2.5]);
    await expectMemoryNeutral(() => op(x), name);
    await expectMemoryNeutral(() => op([1, 2]), `${name}(array)`);
    await expectMemoryNeutral(() => tf.grad((t: tf.Tensor) => op(t))(x), `grad ${name}`);
    x.dispose();
  });
});
