import * as tf from '@tensorflow/tfjs-core';
import { derivative64, expectClose, expectMemoryNeutral, gradient64 } from '@vae/testing';
import { InvalidArgumentError, log1mexp, log1pexp, logAddExp, logSigmoid, logSumExp, softplus, softplusInverse } from '@vae/math';
import {
  BACKENDS,
  BROADCAST_CASES,
  errorRow,
  itTabulatesOnEachBackend,
  linspace,
  logspace,
  onBackend,
  take,
} from '../test/special-helpers.js';
import { softplusBySeries } from './logexp.js';

// float64 references, written independently of the float32 formulas where possible.
const softplus64 = (x: number): number => (x > 30 ? x + Math.exp(-x) : Math.log1p(Math.exp(x)));
const logSigmoid64 = (x: number): number => -softplus64(-x);
const log1mexp64 = (x: number): number => {
  const a = Math.abs(x);
  if (a > 20) {
    const e = Math.exp(-a);
    return -e - (e * e) / 2;
  }
  return Math.log(-Math.expm1(-a));
};
const softplusInverse64 = (y: number): number => (y > 30 ? y + log1mexp64(y) : Math.log(Math.expm1(y)));
const logSumExp64 = (xs: number[]): number => {
  const m = Math.max(...xs);
  if (!Number.isFinite(m)) return m;
  // log1p of the sum without the maximum: log(1 + tiny) would lose the tiny part in float64 too.
  const k = xs.indexOf(m);
  return m + Math.log1p(xs.reduce((s, x, i) => (i === k ? s : s + Math.exp(x - m)), 0));
};
const sigmoid64 = (x: number): number => 1 / (1 + Math.exp(-x));

const wide = [...linspace(-100, 100, 2001), -1e4, -1e3, -88, -80, 80, 88, 1e3, 1e4].map(Math.fround);
const positiveWide = [...logspace(1e-30, 1e4, 2000)];

describe('accuracy against float64 references', () => {
  itTabulatesOnEachBackend(
    'worst errors (pass: |err| <= max(2e-6 |ref|, 1e-37); relative over normal floats, absolute over subnormals)',
    'softplus, logSigmoid, log1mexp, softplusInverse, logAddExp, logSumExp (%s)',
    (backend, rows) => {
      const check = (fn: string, region: string, xs: number[], got: tf.Tensor, want: number[]): void => {
        const row = errorRow(fn, region, backend, xs, take(got), want, { rtol: 2e-6, atol: 1e-37, zeroBand: 1.2e-38 });
        rows.push(row);
        expect(row).toMatchObject({ failures: 0 });
      };
      check('softplus', 'x in [-100, 100], +-80, +-1e4', wide, softplus(wide), wide.map(softplus64));
      check('logSigmoid', 'x in [-100, 100], +-80, +-1e4', wide, logSigmoid(wide), wide.map(logSigmoid64));
      check('log1mexp', 'x in [1e-30, 1e4] log-spaced', positiveWide, log1mexp(positiveWide), positiveWide.map(log1mexp64));
      const negated = positiveWide.map((x) => -x);
      check('log1mexp', 'x in [-1e4, -1e-30] (sign ignored)', negated, log1mexp(negated), positiveWide.map(log1mexp64));
      check(
        'softplusInv',
        'y in [1e-30, 1e4] log-spaced',
        positiveWide,
        softplusInverse(positiveWide),
        positiveWide.map(softplusInverse64),
      );
      const a = linspace(-200, 200, 801);
      const b = a.map((v, i) => Math.fround(v * 0.37 + Math.sin(i) * 30));
      check(
        'logAddExp',
        'a, b in [-200, 200]',
        a,
        logAddExp(a, b),
        a.map((v, i) => logSumExp64([v, b[i]])),
      );
      const rowsX = Array.from({ length: 50 }, (_, i) =>
        Array.from({ length: 20 }, (_, j) => Math.fround(Math.sin(i * 20 + j) * 10 ** (i % 4))),
      );
      check(
        'logSumExp',
        '50 rows of 20, scale up to 1e3',
        rowsX.map((r) => r[0]),
        logSumExp(rowsX, 1),
        rowsX.map(logSumExp64),
      );
    },
  );
});

describe('the series form of softplus (what backends without an accurate log1p run)', () => {
  it.each(BACKENDS)('is within 3 float32 ulps of float64 from -100 to 100 (%s)', async (backend) => {
    const x = [...linspace(-100, 100, 2001), -1e-7, 1e-7, 0, -87, 87, 1e4, -1e4];
    const got = await onBackend(backend, () => take(softplusBySeries(tf.tensor(x))));
    const want = x.map((v) => {
      const f = Math.fround(v);
      return Math.max(f, 0) + Math.log1p(Math.exp(-Math.abs(f)));
    });
    // Below the smallest normal float32 (1.2e-38, x < -87.3) wasm's sigmoid flushes to zero.
    expectClose(got, want, { rtol: 3e-7, atol: 1.2e-38, label: `softplusBySeries on ${backend}` });
  });
});

describe('extreme inputs', () => {
  it('softplus and logSigmoid at +-80 and +-1e4 are finite and right', () => {
    // Within 3 float32 ulps (wasm's vectorized sigmoid carries about one).
    expectClose(take(softplus([-1e4, -80, 80, 1e4])), [0, Math.exp(-80), 80, 1e4], { rtol: 3e-7, atol: 0 });
    expectClose(take(logSigmoid([-1e4, -80, 80, 1e4])), [-1e4, -80, -Math.exp(-80), 0], { rtol: 3e-7, atol: 0 });
    expect(Array.from(take(log1pexp([-1e4, 1e4])))).toEqual([0, 1e4]);
  });
  it('logSumExp and logAddExp handle infinities without NaN', () => {
    expect(take(logSumExp([-Infinity, -Infinity]))[0]).toBe(-Infinity);
    expect(take(logSumExp([Infinity, 1]))[0]).toBe(Infinity);
    expect(take(logSumExp([Infinity, Infinity]))[0]).toBe(Infinity);
    expect(take(logSumExp([-Infinity, 3]))[0]).toBeCloseTo(3, 6);
    expect(Array.from(take(logAddExp([-Infinity, Infinity, Infinity, -Infinity], [-Infinity, Infinity, 1, 2])))).toEqual([
      -Infinity,
      Infinity,
      Infinity,
      2,
    ]);
    expect(take(logSumExp(NaN))[0]).toBeNaN();
  });
  it('log1mexp near 0, at 1e-30, at log 2 and for large x', () => {
    const got = take(log1mexp([0, 1e-30, 1e-7, Math.LN2, 30, 100, 1e4]));
    expect(got[0]).toBe(-Infinity);
    expectClose(got.slice(1), [Math.log(1e-30), log1mexp64(1e-7), Math.log(0.5), -Math.exp(-30), -Math.exp(-100), -0], {
      rtol: 1e-6,
      atol: 1e-40,
    });
  });
  it('softplusInverse: log(y) for tiny y, y for huge y, -Infinity at 0 and NaN below', () => {
    const got = take(softplusInverse([1e-30, 1e-10, 50, 1e4, 0, -1]));
    expectClose(got.slice(0, 4), [Math.log(1e-30), Math.log(1e-10), 50, 1e4], { rtol: 1e-6 });
    expect(got[4]).toBe(-Infinity);
    expect(got[5]).toBeNaN();
    expectClose(take(softplus(softplusInverse([1e-6, 0.5, 3, 40]))), [1e-6, 0.5, 3, 40], { rtol: 1e-6 });
  });
});

describe('gradients against float64 finite differences', () => {
  const xs = [-1e4, -80, -20, -3, -0.5, 0, 0.5, 3, 20, 80, 1e4];
  it('softplus and log1pexp: sigmoid', () => {
    const g = take(tf.grad((x: tf.Tensor) => softplus(x))(tf.tensor(xs)));
    expectClose(g, xs.map(sigmoid64), { rtol: 1e-6, atol: 1e-30 });
    const fd = [-3, -0.5, 0.5, 3].map((x) => derivative64(softplus64, x));
    expectClose(take(tf.grad((x: tf.Tensor) => log1pexp(x))(tf.tensor([-3, -0.5, 0.5, 3]))), fd, { rtol: 1e-6 });
  });
  it('logSigmoid: sigmoid(-x)', () => {
    const g = take(tf.grad((x: tf.Tensor) => logSigmoid(x))(tf.tensor(xs)));
    expectClose(
      g,
      xs.map((x) => sigmoid64(-x)),
      { rtol: 1e-6, atol: 1e-30 },
    );
    expectClose(
      g.slice(3, 8),
      xs.slice(3, 8).map((x) => derivative64(logSigmoid64, x)),
      { rtol: 1e-6 },
    );
  });
  it('log1mexp', () => {
    const pts = [1e-6, 0.01, 0.5, Math.LN2, 1, 5, 30, -0.3, -4];
    const g = take(tf.grad((x: tf.Tensor) => log1mexp(x))(tf.tensor(pts)));
    expectClose(
      g,
      pts.map((p) => derivative64(log1mexp64, Math.fround(p), 1e-3 * Math.abs(p))),
      { rtol: 1e-5 },
    );
  });
  it('softplusInverse', () => {
    const pts = [1e-6, 0.01, 0.5, 1, 5, 30, 200];
    const g = take(tf.grad((y: tf.Tensor) => softplusInverse(y))(tf.tensor(pts)));
    expectClose(
      g,
      pts.map((p) => derivative64(softplusInverse64, Math.fround(p), 1e-3 * p)),
      { rtol: 1e-5 },
    );
  });
  it('logAddExp: softmax weights, 1/2 each when both are -Infinity', () => {
    const a = [0, 3, -50, 100, -Infinity, -Infinity];
    const b = [0, -1, -49, 99, 2, -Infinity];
    const [ga, gb] = tf
      .grads((x: tf.Tensor, y: tf.Tensor) => logAddExp(x, y))([tf.tensor(a), tf.tensor(b)])
      .map(take);
    a.slice(0, 4).forEach((ai, i) => {
      const [da, db] = gradient64(([u, v]) => logSumExp64([u, v]), [ai, b[i]]);
      expect(ga[i]).toBeCloseTo(da, 6);
      expect(gb[i]).toBeCloseTo(db, 6);
    });
    expect([ga[4], gb[4], ga[5], gb[5]]).toEqual([0, 1, 0.5, 0.5]);
  });
  it('logSumExp: softmax along the axis; uniform when all are -Infinity; +Infinity takes the weight', () => {
    const x = [
      [1, 2, 3],
      [-Infinity, -Infinity, -Infinity],
      [Infinity, 0, -Infinity],
    ];
    const g = take(tf.grad((t: tf.Tensor) => logSumExp(t, -1))(tf.tensor(x)));
    const fd = gradient64(logSumExp64, x[0]);
    expectClose(g.slice(0, 3), fd, { rtol: 1e-6 });
    expectClose(g.slice(3), [1 / 3, 1 / 3, 1 / 3, 1, 0, 0], { rtol: 1e-6 });
    // An upstream gradient other than ones is applied per row.
    const weighted = take(tf.grad((t: tf.Tensor) => tf.sum(tf.mul(logSumExp(t, 1, true), tf.tensor([[2], [3], [4]]))))(tf.tensor(x)));
    expectClose(weighted.slice(3, 6), [1, 1, 1], { rtol: 1e-6 });
  });
});

describe('broadcasting and shapes', () => {
  it.each(BROADCAST_CASES)('logAddExp of shapes $a and $b has shape $out, and gradients of the input shapes', ({ a: sa, b: sb, out }) => {
    const a = tf.randomUniform(sa, -5, 5, 'float32', 1);
    const b = tf.randomUniform(sb, -5, 5, 'float32', 2);
    const y = logAddExp(a, b);
    expect(y.shape).toEqual(out);
    const ref = tf.tidy(() => tf.log(tf.add(tf.exp(a), tf.exp(b))));
    expectClose(y, ref, { rtol: 1e-6 });
    const [ga, gb] = tf.grads((u: tf.Tensor, v: tf.Tensor) => logAddExp(u, v))([a, b]);
    expect(ga.shape).toEqual(sa);
    expect(gb.shape).toEqual(sb);
    // Weights sum to one per output element, so the summed gradients total the output size.
    expect(take(tf.add(tf.sum(ga), tf.sum(gb)))[0]).toBeCloseTo(
      out.reduce((p, d) => p * d, 1),
      4,
    );
    tf.dispose([a, b, y, ref, ga, gb]);
  });
  it.each([
    [undefined, false, []],
    [0, false, [3, 4]],
    [-1, false, [2, 3]],
    [[0, 2], false, [3]],
    [[0, 2], true, [1, 3, 1]],
    [1, true, [2, 1, 4]],
  ] as const)('logSumExp over axis %j (keepDims %s) has shape %j', (axis, keepDims, shape) => {
    const x = tf.randomNormal([2, 3, 4], 0, 3, 'float32', 3);
    const y = logSumExp(x, axis as number | number[] | undefined, keepDims);
    expect(y.shape).toEqual(shape);
    const ref = tf.tidy(() => tf.log(tf.sum(tf.exp(x), axis as number | number[] | undefined, keepDims)));
    expectClose(y, ref, { rtol: 1e-6 });
    tf.dispose([x, y, ref]);
  });
});

describe('errors', () => {
  it('logAddExp names both arguments when shapes do not broadcast', () => {
    expect(() => logAddExp([1, 2], [1, 2, 3])).toThrow(InvalidArgumentError);
    expect(() => logAddExp([1, 2], [1, 2, 3])).toThrow(/logAddExp: a and b must be broadcast-compatible/);
  });
  it('logSumExp rejects bad axes', () => {
    expect(() => logSumExp([[1, 2]], 2)).toThrow(/logSumExp: axis must be an integer in \[-2, 2\); got 2/);
    expect(() => logSumExp([[1, 2]], 0.5)).toThrow(InvalidArgumentError);
    expect(() => logSumExp([[1, 2]], [1, -1])).toThrow(/repeated/);
  });
  it('non-numeric input is rejected with the argument name', () => {
    expect(() => softplus('x' as unknown as number)).toThrow(/softplus: x must be/);
    expect(() => softplusInverse('x' as unknown as number)).toThrow(/softplusInverse: y must be/);
  });
});

describe('memory', () => {
  const unary = { softplus, log1pexp, logSigmoid, log1mexp, softplusInverse, logSumExp: (x: tf.Tensor) => logSumExp(x, 0) };
  it.each(Object.entries(unary))('%s is memory-neutral, also under tf.grad', async (name, op) => {
    const x = tf.tensor([0.5, 3, 12, 0.01]);
    await expectMemoryNeutral(() => op(x), name);
    await expectMemoryNeutral(() => tf.grad((t: tf.Tensor) => op(t))(x), `grad ${name}`);
    x.dispose();
  });
  it('logAddExp is memory-neutral, also under tf.grads', async () => {
    const a = tf.tensor([[1], [2]]);
    const b = tf.tensor([0, -Infinity, 5]);
    await expectMemoryNeutral(() => logAddExp(a, b));
    await expectMemoryNeutral(() => logAddExp(1, [2, 3]));
    await expectMemoryNeutral(() => tf.grads((u: tf.Tensor, v: tf.Tensor) => logAddExp(u, v))([a, b]));
    tf.dispose([a, b]);
  });
});
