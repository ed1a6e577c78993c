import * as tf from '@tensorflow/tfjs-core';
import { derivative64, expectClose, expectMemoryNeutral } from '@vae/testing';
import { expm1, InvalidArgumentError, log1p, type TensorInput } from '@vae/math';
import { expm1ByFormula, expm1Formula, kernelIsAccurate, log1pByFormula, log1pFormula, nativeKernelIsAccurate } from './log1p-expm1.js';
import { BACKENDS, errorRow, linspace, logspace, onBackend, printTable, take, type ErrorRow } from '../test/special-helpers.js';

// Two float32 ulps (an ulp is 2^-24 to 2^-23 relative); the naive formulas miss by up to 100%.
const RTOL = 2 ** -22;
const FLOAT32_MIN_NORMAL = 1.1754943508222875e-38;

const negate = (xs: number[]): number[] => xs.map((x) => -x);
const log1pRegions: [string, number[]][] = [
  ['tiny, 1e-38 <= |x| <= 1e-6', [...logspace(1e-38, 1e-6, 400), ...negate(logspace(1e-38, 1e-6, 400))]],
  [
    'moderate, 1e-6 <= |x| <= 1, x > -1',
    [...logspace(1e-6, 10, 600), ...negate(logspace(1e-6, 0.9999999, 600)), ...linspace(-0.999, 10, 1500)],
  ],
  ['next to -1, x = -1 + 2^-24 .. -1/2', logspace(2 ** -24, 0.5, 300).map((d) => Math.fround(-1 + d))],
  ['huge, 10 <= x <= 3e38', logspace(10, 3e38, 400)],
];
const expm1Regions: [string, number[]][] = [
  ['tiny, 1e-38 <= |x| <= 1e-6', [...logspace(1e-38, 1e-6, 400), ...negate(logspace(1e-38, 1e-6, 400))]],
  ['moderate, 1e-6 <= |x| <= 20', [...logspace(1e-6, 20, 600), ...negate(logspace(1e-6, 20, 600)), ...linspace(-20, 20, 4001)]],
  ['huge, 20 <= |x| <= 88.7 and x <= -20', [...linspace(20, 88.72, 400), ...negate(logspace(20, 3e38, 200))]],
];

type Op = (x: tf.Tensor) => tf.Tensor;
const ops: Record<
  'log1p' | 'expm1',
  { public: (x: TensorInput) => tf.Tensor; formula: Op; naive: Op; reference: (x: number) => number; regions: [string, number[]][] }
> = {
  log1p: { public: log1p, formula: log1pByFormula, naive: (x) => tf.log(tf.add(1, x)), reference: Math.log1p, regions: log1pRegions },
  expm1: { public: expm1, formula: expm1ByFormula, naive: (x) => tf.sub(tf.exp(x), 1), reference: Math.expm1, regions: expm1Regions },
};

const run = (op: Op, xs: number[]): Float32Array => take(tf.tidy(() => op(tf.tensor1d(xs))));

// First in the file, so that the kernel check of the first backend runs inside a gradient.
describe('memory', () => {
  it('the first call, inside a gradient of a gradient, is memory-neutral', async () => {
    const t = tf.tensor1d([0.5, 1e-9]);
    await expectMemoryNeutral(() => tf.grad((v: tf.Tensor) => tf.grad((w: tf.Tensor) => tf.add(log1p(w), expm1(w)))(v))(t), 'first call');
    t.dispose();
  });

  it.each(BACKENDS)('every call is memory-neutral, values, gradients and the probe (%s)', async (backend) => {
    await onBackend(backend, async () => {
      const xs = [-0.5, 1e-9, 3];
      const t = tf.tensor1d(xs);
      await expectMemoryNeutral(() => log1p(xs), 'log1p');
      await expectMemoryNeutral(() => expm1(t), 'expm1');
      await expectMemoryNeutral(() => tf.grad((v: tf.Tensor) => log1p(v))(t), 'grad log1p');
      await expectMemoryNeutral(() => tf.grad((v: tf.Tensor) => expm1(v))(t), 'grad expm1');
      await expectMemoryNeutral(() => log1pByFormula(t), 'log1p by formula');
      await expectMemoryNeutral(() => tf.grad(expm1ByFormula)(t), 'grad expm1 by formula');
      await expectMemoryNeutral(() => kernelIsAccurate('expm1', tf.expm1), 'probe');
      t.dispose();
    });
  });
});

describe('accuracy against float64 references at float32 arguments', () => {
  const rows: ErrorRow[] = [];
  afterAll(() =>
    printTable(
      `worst errors (fn* = the formula alone; pass: |err| <= ${RTOL.toExponential(
        2,
      )} |ref|; relative over normal floats, absolute over subnormal results)`,
      rows,
    ),
  );

  it.each(BACKENDS)('log1p and expm1, as exported and by formula alone (%s)', async (backend) => {
    await onBackend(backend, () => {
      for (const [name, op] of Object.entries(ops)) {
        for (const [region, xs] of op.regions) {
          const want = xs.map(op.reference);
          const variants: [string, Op][] = [
            [name, (t) => op.public(t)],
            [`${name}*`, op.formula],
          ];
          for (const [label, fn] of variants) {
            const row = errorRow(label, region, backend, xs, run(fn, xs), want, {
              rtol: RTOL,
              atol: 1.5e-45,
              zeroBand: FLOAT32_MIN_NORMAL,
            });
            rows.push(row);
            expect(row).toMatchObject({ failures: 0 });
          }
        }
      }
    });
  });

  it.each(BACKENDS)('the naive formulas fail where these pass, so the test can tell (%s)', async (backend) => {
    await onBackend(backend, () => {
      for (const op of Object.values(ops)) {
        const xs = op.regions[0][1];
        const row = errorRow('naive', '', backend, xs, run(op.naive, xs), xs.map(op.reference), {
          rtol: RTOL,
          atol: 1.5e-45,
          zeroBand: FLOAT32_MIN_NORMAL,
        });
        expect(row.failures).toBeGreaterThan(xs.length / 2);
      }
    });
  });
});

describe('limits and special values', () => {
  it.each(BACKENDS)('log1p: -1, +-Infinity, below -1, NaN, 0 and subnormals (%s)', async (backend) => {
    await onBackend(backend, () => {
      const xs = [-1, Infinity, -Infinity, -2, NaN, 0, 1e-40, -1e-42, 1.4e-45, 3.4028234663852886e38];
      const want = [-Infinity, Infinity, NaN, NaN, NaN, 0, 1e-40, -1e-42, 1.4e-45, Math.log1p(3.4028234663852886e38)];
      for (const fn of [(t: tf.Tensor) => log1p(t), log1pByFormula]) {
        const got = Array.from(run(fn, xs));
        expect(got.slice(0, 6)).toEqual(want.slice(0, 6));
        expectClose(got.slice(6), want.slice(6), { rtol: 1e-6, atol: 1.5e-45 });
      }
    });
  });

  it.each(BACKENDS)('expm1: +-Infinity, overflow, NaN, 0, subnormals, never below -1 (%s)', async (backend) => {
    await onBackend(backend, () => {
      const xs = [Infinity, -Infinity, 88.8, 1e4, NaN, 0, -1e4, -103.5, -88, -40, -17.3, 1e-40, -1e-42, 1.4e-45, 88.72];
      const want = [
        Infinity,
        -1,
        Infinity,
        Infinity,
        NaN,
        0,
        -1,
        -1,
        -1,
        -1,
        Math.expm1(Math.fround(-17.3)),
        1e-40,
        -1e-42,
        1.4e-45,
        Math.expm1(Math.fround(88.72)),
      ];
      for (const fn of [(t: tf.Tensor) => expm1(t), expm1ByFormula]) {
        const got = Array.from(run(fn, xs));
        expect(got.slice(0, 10)).toEqual(want.slice(0, 10));
        expectClose(got.slice(10), want.slice(10), { rtol: 1e-6, atol: 1.5e-45 });
        expect(Math.min(...run(fn, linspace(-30, -10, 2001)))).toBeGreaterThanOrEqual(-1);
      }
    });
  });

  it('names the argument on bad input', () => {
    expect(() => log1p('a' as unknown as number)).toThrow(InvalidArgumentError);
    expect(() => expm1('a' as unknown as number)).toThrow(/expm1: x must be/);
  });

  it('keeps the shape and accepts numbers, arrays and integer tensors', () => {
    const t = log1p(
      tf.tensor(
        [
          [0, 1],
          [2, 3],
        ],
        undefined,
        'int32',
      ),
    );
    expect(t.shape).toEqual([2, 2]);
    expect(t.dtype).toBe('float32');
    expectClose(take(t), [0, Math.LN2, Math.log(3), Math.log(4)], { rtol: 1e-7 });
    expect(expm1(0).shape).toEqual([]);
  });
});

describe('gradients against float64 finite differences', () => {
  const log1pPoints = [-0.999, -0.5, -1e-3, -1e-8, 0, 1e-8, 1e-3, 0.5, 3, 1e4];
  const expm1Points = [-80, -20, -3, -0.5, -1e-3, -1e-8, 0, 1e-8, 1e-3, 0.5, 3, 20, 80];
  // Central differences with a step relative to the distance to the pole at -1 (log1p) or to 1.
  const dLog1p = (x: number): number => derivative64(Math.log1p, x, 1e-4 * (1 + x));
  // For x < -3 a difference of expm1 values next to -1 cancels in float64 too; there the check is
  // against exp(x) alone.
  const dExpm1 = (x: number): number => (x < -3 ? Math.exp(x) : derivative64(Math.expm1, x, 1e-4));
  const d2Log1p = (x: number): number => derivative64((t) => 1 / (1 + t), x, 1e-4 * (1 + x));
  const d2Expm1 = (x: number): number => derivative64(Math.exp, x, 1e-4 * Math.max(1, Math.abs(x)));

  it.each(BACKENDS)('first derivatives 1 / (1 + x) and exp(x), as exported and by formula (%s)', async (backend) => {
    await onBackend(backend, () => {
      for (const fn of [(t: tf.Tensor) => log1p(t), log1pByFormula]) {
        const g = take(tf.grad(fn)(tf.tensor1d(log1pPoints)));
        expectClose(
          g,
          log1pPoints.map((x) => dLog1p(Math.fround(x))),
          { rtol: 2e-6 },
        );
        expectClose(
          g,
          log1pPoints.map((x) => 1 / (1 + Math.fround(x))),
          { rtol: 2e-7 },
        );
      }
      for (const fn of [(t: tf.Tensor) => expm1(t), expm1ByFormula]) {
        const g = take(tf.grad(fn)(tf.tensor1d(expm1Points)));
        expectClose(
          g,
          expm1Points.map((x) => dExpm1(Math.fround(x))),
          { rtol: 2e-6, atol: 1e-40 },
        );
        expectClose(
          g,
          expm1Points.map((x) => Math.exp(Math.fround(x))),
          { rtol: 2e-7, atol: 1e-40 },
        );
      }
    });
  });

  it.each(BACKENDS)('second derivatives -1 / (1 + x)^2 and exp(x) (%s)', async (backend) => {
    await onBackend(backend, () => {
      for (const fn of [(t: tf.Tensor) => log1p(t), log1pByFormula]) {
        const g2 = take(tf.grad((t: tf.Tensor) => tf.grad(fn)(t))(tf.tensor1d(log1pPoints)));
        expectClose(
          g2,
          log1pPoints.map((x) => d2Log1p(Math.fround(x))),
          { rtol: 2e-5 },
        );
      }
      for (const fn of [(t: tf.Tensor) => expm1(t), expm1ByFormula]) {
        const g2 = take(tf.grad((t: tf.Tensor) => tf.grad(fn)(t))(tf.tensor1d(expm1Points)));
        expectClose(
          g2,
          expm1Points.map((x) => d2Expm1(Math.fround(x))),
          { rtol: 2e-5, atol: 1e-40 },
        );
      }
    });
  });
});

describe('choosing the backend kernel', () => {
  it.each(BACKENDS)('the probe rejects the naive formulas and accepts ours (%s)', async (backend) => {
    await onBackend(backend, () => {
      expect(kernelIsAccurate('log1p', ops.log1p.naive)).toBe(false);
      expect(kernelIsAccurate('expm1', ops.expm1.naive)).toBe(false);
      expect(kernelIsAccurate('log1p', log1pFormula)).toBe(true);
      expect(kernelIsAccurate('expm1', expm1Formula)).toBe(true);
      // A kernel that throws (as a webgpu read-back would) counts as inaccurate.
      expect(
        kernelIsAccurate('log1p', () => {
          throw new Error('no synchronous read-back');
        }),
      ).toBe(false);
    });
  });

  it.each(BACKENDS)('the verdict on the backend kernel holds over the whole accuracy grid, and is what is used (%s)', async (backend) => {
    await onBackend(backend, () => {
      for (const [name, op] of Object.entries(ops) as ['log1p' | 'expm1', (typeof ops)['log1p']][]) {
        const native: Op = name === 'log1p' ? tf.log1p : tf.expm1;
        const xs = op.regions.flatMap(([, r]) => r);
        const row = errorRow(name, 'all', backend, xs, run(native, xs), xs.map(op.reference), {
          rtol: RTOL,
          atol: 1.5e-45,
          zeroBand: FLOAT32_MIN_NORMAL,
        });
        const accurate = nativeKernelIsAccurate(name);
        expect(row.failures === 0).toBe(accurate);
        const used = accurate ? native : op.formula;
        expect(Array.from(run((t) => op.public(t), xs))).toEqual(Array.from(run(used, xs)));
      }
    });
  });
});
