import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { expectMemoryNeutral, useBackend } from '@vae/testing';
import { disableFastWasmSum, enableFastWasmSum } from './wasm-sum.js';

/** Column sums of a row-major [rows, cols] matrix, accumulated in float32 in row order, as the SIMD pass does. */
function columnSums32(values: Float32Array, rows: number, cols: number): number[] {
  const out = new Array<number>(cols).fill(0);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j] = Math.fround(out[j] + values[i * cols + j]);
  return out;
}

/** The same sums in float64 (the true values, up to the inputs' rounding). */
function columnSums64(values: Float32Array, rows: number, cols: number): number[] {
  const out = new Array<number>(cols).fill(0);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j] += values[i * cols + j];
  return out;
}

// Deterministic values of mixed sign and magnitude, so the order of accumulation shows in the bits.
const data = (n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 10 ** ((i % 5) - 2));

describe('fast wasm Sum over leading axes', () => {
  let original: tf.KernelConfig | undefined;
  useBackend('wasm', {
    setUp: () => {
      original = tf.getKernel('Sum', 'wasm');
      enableFastWasmSum();
    },
    tearDown: disableFastWasmSum,
  });

  it('replaces the Sum kernel while enabled, and enabling twice wraps once', () => {
    expect(tf.getKernel('Sum', 'wasm')!.kernelFunc).not.toBe(original!.kernelFunc);
    const wrapped = tf.getKernel('Sum', 'wasm')!.kernelFunc;
    enableFastWasmSum();
    expect(tf.getKernel('Sum', 'wasm')!.kernelFunc).toBe(wrapped);
  });

  // 37 columns: two 16-column blocks, one 4-column block and a single column; 128 rows (a batch).
  it.each([
    [128, 37],
    [1, 5],
    [3, 1],
    [64, 784],
  ])('sums a [%i, %i] matrix down its columns in row order (the float32 sum, to the bit), close to the float64 sum', (rows, cols) => {
    const values = data(rows * cols);
    const x = tf.tensor2d(values, [rows, cols]);
    const backendSum = jest.spyOn(original!, 'kernelFunc');
    const sum = tf.sum(x, 0);
    expect(backendSum).not.toHaveBeenCalled();
    backendSum.mockRestore();
    expect(sum.shape).toEqual([cols]);
    const got = Array.from(sum.dataSync());
    expect(got).toEqual(columnSums32(values, rows, cols));
    const exact = columnSums64(values, rows, cols);
    got.forEach((s, j) => expect(Math.abs(s - exact[j])).toBeLessThanOrEqual(1e-5 * rows * Math.max(1, Math.abs(exact[j]))));
    tf.dispose([x, sum]);
  });

  it('handles several leading axes and keepDims', () => {
    const values = data(2 * 3 * 6);
    const x = tf.tensor3d(values, [2, 3, 6]);
    const sum = tf.sum(x, [0, 1], true);
    expect(sum.shape).toEqual([1, 1, 6]);
    expect(Array.from(sum.dataSync())).toEqual(columnSums32(values, 6, 6));
    tf.dispose([x, sum]);
  });

  it('leaves other sums to the backend kernel: trailing axes, full reductions, int32', () => {
    const values = data(4 * 6);
    const x = tf.tensor2d(values, [4, 6]);
    const backendSum = jest.spyOn(original!, 'kernelFunc');
    const rows = tf.sum(x, 1);
    expect(backendSum).toHaveBeenCalledTimes(1);
    backendSum.mockRestore();
    const expectedRows = Array.from({ length: 4 }, (_, i) => values.slice(i * 6, i * 6 + 6).reduce((a, b) => a + b, 0));
    Array.from(rows.dataSync()).forEach((s, i) => expect(s).toBeCloseTo(expectedRows[i], 4));
    const all = tf.sum(x);
    expect(all.shape).toEqual([]);
    expect(all.dataSync()[0]).toBeCloseTo(
      expectedRows.reduce((a, b) => a + b, 0),
      4,
    );
    const ints = tf.sum(tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32'), 0);
    expect(ints.dtype).toBe('int32');
    expect(Array.from(ints.dataSync())).toEqual([4, 6]);
    tf.dispose([x, rows, all, ints]);
  });

  it('is memory-neutral, gradients included', async () => {
    const x = tf.tensor2d(data(8 * 5), [8, 5]);
    await expectMemoryNeutral(() => tf.sum(x, 0));
    await expectMemoryNeutral(() => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.sum(t, 0), tf.range(0, 5))))(x));
    x.dispose();
  });

  it('restores the backend kernel when disabled', () => {
    disableFastWasmSum();
    expect(tf.getKernel('Sum', 'wasm')!.kernelFunc).toBe(original!.kernelFunc);
    disableFastWasmSum(); // a no-op the second time
    expect(tf.getKernel('Sum', 'wasm')!.kernelFunc).toBe(original!.kernelFunc);
    enableFastWasmSum();
  });
});
