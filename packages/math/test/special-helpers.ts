// Test helpers for the special functions: fixtures, backend loops and the error tables the
// accuracy tests print.
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectMemoryNeutral } from '@vae/testing';
import { InvalidArgumentError } from '@vae/math';
import type { TensorInput } from '@vae/math';

/** Reference values written by test/fixtures/generate_special.py (mpmath, 40 digits). */
export interface SpecialFixtures {
  logBeta: [number, number, number][];
  igamma: [number, number, number][];
  igammaDensity: [number, number, number][];
  logNdtr: [number, number][];
  ndtr: [number, number][];
  ndtri: [number, number][];
}

export function loadFixtures(): SpecialFixtures {
  return JSON.parse(readFileSync(join(__dirname, 'fixtures/special.json'), 'utf8')) as SpecialFixtures;
}

export const BACKENDS = ['cpu', 'wasm'] as const;

/** Runs `fn` with the given backend active and restores the previous one. */
export async function onBackend<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
  const previous = tf.getBackend();
  if (!(await tf.setBackend(name))) throw new Error(`backend ${name} failed to start`);
  try {
    return await fn();
  } finally {
    await tf.setBackend(previous);
  }
}

/**
 * Declares, in the enclosing `describe`, one test per backend of {@link BACKENDS} that runs `body`
 * with that backend active; `body` asserts its rows and adds them to `table`, which is printed
 * under `title` after the tests (also the rows added before a failure).
 */
export function itTabulatesOnEachBackend(title: string, testName: string, body: (backend: string, table: ErrorRow[]) => void): void {
  const table: ErrorRow[] = [];
  afterAll(() => printTable(title, table));
  it.each(BACKENDS)(testName, async (backend) => {
    await onBackend(backend, () => body(backend, table));
  });
}

/** One row of an accuracy table. */
export interface ErrorRow {
  fn: string;
  region: string;
  backend: string;
  points: number;
  worstRelative: number;
  worstRelativeAt: number;
  worstAbsoluteNearZero: number;
  failures: number;
}

/**
 * Compares float32 results with float64 references: a point passes when
 * |got - want| <= max(rtol |want|, atol). Relative errors are reported where |want| >= zeroBand,
 * absolute errors where |want| < zeroBand (next to a zero, relative error means nothing).
 */
export function errorRow(
  fn: string,
  region: string,
  backend: string,
  inputs: ArrayLike<number>,
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  options: { rtol: number; atol: number; zeroBand?: number },
): ErrorRow {
  const zeroBand = options.zeroBand ?? 0.1;
  const row: ErrorRow = {
    fn,
    region,
    backend,
    points: want.length,
    worstRelative: 0,
    worstRelativeAt: NaN,
    worstAbsoluteNearZero: 0,
    failures: 0,
  };
  for (let i = 0; i < want.length; i++) {
    const g = got[i];
    const w = want[i];
    if (g === w) continue;
    const err = Math.abs(g - w);
    if (!(err <= Math.max(options.rtol * Math.abs(w), options.atol))) row.failures++;
    if (Math.abs(w) >= zeroBand) {
      const rel = err / Math.abs(w);
      if (!(rel <= row.worstRelative)) {
        row.worstRelative = rel;
        row.worstRelativeAt = inputs[i];
      }
    } else if (!(err <= row.worstAbsoluteNearZero)) row.worstAbsoluteNearZero = err;
  }
  return row;
}

/** Prints the collected rows as one table (worst errors in exponential notation). */
export function printTable(title: string, rows: ErrorRow[]): void {
  const lines = rows.map((r) =>
    [
      r.fn.padEnd(10),
      r.region.padEnd(44),
      r.backend.padEnd(5),
      String(r.points).padStart(5),
      r.worstRelative.toExponential(2).padStart(10),
      String(Math.fround(r.worstRelativeAt)).slice(0, 12).padStart(13),
      r.worstAbsoluteNearZero.toExponential(2).padStart(12),
      String(r.failures).padStart(4),
    ].join(' '),
  );
  const header = [
    'fn'.padEnd(10),
    'region'.padEnd(44),
    'bknd'.padEnd(5),
    'n'.padStart(5),
    'worst rel'.padStart(10),
    'at x'.padStart(13),
    'abs near 0'.padStart(12),
    'fail'.padStart(4),
  ].join(' ');
  console.log(`${title}\n${header}\n${lines.join('\n')}`);
}

/** n points log-spaced over [lo, hi], rounded to float32. */
export function logspace(lo: number, hi: number, n: number): number[] {
  const a = Math.log10(lo);
  const b = Math.log10(hi);
  return Array.from({ length: n }, (_, i) => Math.fround(10 ** (a + ((b - a) * i) / (n - 1))));
}

/** n points evenly spaced over [lo, hi], rounded to float32. */
export function linspace(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.fround(lo + ((hi - lo) * i) / (n - 1)));
}

/** Reads a tensor back and disposes it. */
export function take(t: tf.Tensor): Float32Array {
  const data = t.dataSync() as Float32Array;
  t.dispose();
  return data;
}

/** A two-argument op of the package, on tensors or plain numbers. */
type BinaryOp = (a: TensorInput, b: TensorInput) => tf.Tensor;

/**
 * Asserts that `op(a, b)` has the broadcast shape `out` and that its gradients in `a` and `b` keep
 * the shapes `sa` and `sb`, for arguments drawn uniformly (seeded) from `[low, high, seed]` each.
 */
export function expectBroadcastGradientShapes(
  op: BinaryOp,
  sa: number[],
  sb: number[],
  out: number[],
  draws: { a: [number, number, number]; b: [number, number, number] },
): void {
  const a = tf.randomUniform(sa, draws.a[0], draws.a[1], 'float32', draws.a[2]);
  const b = tf.randomUniform(sb, draws.b[0], draws.b[1], 'float32', draws.b[2]);
  const y = op(a, b);
  expect(y.shape).toEqual(out);
  const [ga, gb] = tf.grads((u: tf.Tensor, v: tf.Tensor) => op(u, v))([a, b]);
  expect(ga.shape).toEqual(sa);
  expect(gb.shape).toEqual(sb);
  tf.dispose([a, b, y, ga, gb]);
}

/**
 * Asserts that `op` is memory-neutral on the tensors `a` and `b` (disposed afterwards), on the
 * plain arguments `plain` where given, and under tf.grads.
 */
export async function expectBinaryMemoryNeutral(op: BinaryOp, a: tf.Tensor, b: tf.Tensor, plain?: [number, number[]]): Promise<void> {
  await expectMemoryNeutral(() => op(a, b));
  if (plain) await expectMemoryNeutral(() => op(plain[0], plain[1]));
  await expectMemoryNeutral(() => tf.grads((u: tf.Tensor, v: tf.Tensor) => op(u, v))([a, b]));
  tf.dispose([a, b]);
}

/**
 * For each `[region, select]` regime, evaluates `op` on the fixture rows `[a, b, expected]` the
 * regime selects and asserts the resulting {@link errorRow} (inputs reported from column
 * `inputColumn`) has no failures; returns the rows for the printed table.
 */
export function regimeErrorRows(
  fn: string,
  op: BinaryOp,
  backend: string,
  fixtures: [number, number, number][],
  regimes: readonly (readonly [string, (a: number, b: number) => boolean])[],
  inputColumn: 0 | 1,
  options: { rtol: number; atol: number; zeroBand?: number },
): ErrorRow[] {
  return regimes.map(([region, select]) => {
    const rowsIn = fixtures.filter(([a, b]) => select(a, b));
    const got = take(
      op(
        rowsIn.map((r) => r[0]),
        rowsIn.map((r) => r[1]),
      ),
    );
    const row = errorRow(
      fn,
      region,
      backend,
      rowsIn.map((r) => r[inputColumn]),
      got,
      rowsIn.map((r) => r[2]),
      options,
    );
    expect(row).toMatchObject({ failures: 0 });
    return row;
  });
}

/** The shapes of `a` and `b` and their broadcast shape `out` that every two-argument op is checked on. */
export const BROADCAST_CASES: { a: number[]; b: number[]; out: number[] }[] = [
  { a: [2, 1], b: [3], out: [2, 3] },
  { a: [], b: [4], out: [4] },
  { a: [3, 1], b: [], out: [3, 1] },
  { a: [2, 3], b: [2, 3], out: [2, 3] },
  { a: [3, 1, 2], b: [1, 5, 1], out: [3, 5, 2] },
  { a: [5, 1, 3], b: [1, 4, 1], out: [5, 4, 3] },
];

/**
 * Declares the tests every two-argument op (named in its errors by its function name) owes: on each of {@link BROADCAST_CASES} the broadcast
 * shape and gradients of the input shapes (arguments drawn from `draws`, see
 * {@link expectBroadcastGradientShapes}); an `InvalidArgumentError` naming both arguments when the
 * shapes do not broadcast; memory neutrality on `memory` (see {@link expectBinaryMemoryNeutral}).
 */
export function itKeepsBinaryContract(
  op: BinaryOp,
  [first, second]: [string, string],
  draws: { a: [number, number, number]; b: [number, number, number] },
  memory: { a: number[][]; b: number[]; plain?: [number, number[]] },
): void {
  it.each(BROADCAST_CASES)('shapes $a and $b give $out; gradients have the input shapes', ({ a, b, out }) => {
    expectBroadcastGradientShapes(op, a, b, out, draws);
  });
  it(`names ${first} and ${second} when the shapes do not broadcast`, () => {
    expect(() => op([1, 2], [1, 2, 3])).toThrow(InvalidArgumentError);
    expect(() => op([1, 2], [1, 2, 3])).toThrow(new RegExp(`${op.name}: ${first} and ${second} must be broadcast-compatible`));
  });
  it('is memory-neutral, also under tf.grads', async () => {
    await expectBinaryMemoryNeutral(op, tf.tensor(memory.a), tf.tensor(memory.b), memory.plain);
  });
}
