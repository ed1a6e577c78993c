// Sums over the leading axes of a tensor (the bias gradients of dense layers: d(bias) is d(output)
// summed over the batch) as a WebAssembly SIMD pass, wrapped around the wasm backend's `Sum`
// kernel. The backend transposes its input so that the reduced axes come last and then sums rows:
// for a [128, 784] gradient that is about 0.4 ms, most of it the transpose; summing down the
// columns in place reads the input once.
import * as tf from '@tensorflow/tfjs-core';
import { encodeModule, FunctionBuilder, ValueType } from './wasm-assembler.js';
import { compiledOnce, instantiateWithMemory, wasmBackendInternals, type WasmMemory } from './wasm-internals.js';

/**
 * columns_<vectors>(x, out, rows, rowBytes): out[j] = sum over i of x[i][j] for 4 * vectors
 * columns starting at x and out (or one column with `vectors` 0), rows summed in order.
 */
function columnSumKernel(vectors: number): FunctionBuilder {
  const { i32, v128 } = ValueType;
  const f = new FunctionBuilder(`columns_${vectors}`, [i32, i32, i32, i32]);
  const [x, out, rows, rowBytes] = [0, 1, 2, 3];
  const remaining = f.local(i32);
  const lanes = Math.max(vectors, 1);
  const acc = Array.from({ length: lanes }, () => f.local(v128));
  const load = (offset: number) => (vectors ? f.v128Load(offset) : f.v128Load32Zero(offset));
  for (const a of acc) f.v128Zero().set(a);
  f.repeat(
    remaining,
    () => f.get(rows),
    () => {
      acc.forEach((a, v) => {
        f.get(a).get(x);
        load(16 * v);
        f.f32x4('add').set(a);
      });
      f.increment(x, rowBytes);
    },
  );
  acc.forEach((a, v) => {
    f.get(out).get(a);
    if (vectors) f.v128Store(16 * v);
    else f.v128Store32Lane(0);
  });
  return f;
}

type ColumnKernel = (x: number, out: number, rows: number, rowBytes: number) => void;
type ColumnKernels = Record<'columns_4' | 'columns_1' | 'columns_0', ColumnKernel>;
function kernelsFor(memory: WasmMemory): ColumnKernels | null {
  return compiledOnce('column sums', memory, () =>
    instantiateWithMemory<ColumnKernels>(encodeModule([4, 1, 0].map(columnSumKernel)), memory),
  );
}

/** Sums a row-major [rows, cols] float32 matrix at `x` down its columns into `out` (cols floats). */
function sumColumns(kernels: ColumnKernels, x: number, out: number, rows: number, cols: number): void {
  const rowBytes = 4 * cols;
  let c = 0;
  for (; c + 16 <= cols; c += 16) kernels.columns_4(x + 4 * c, out + 4 * c, rows, rowBytes);
  for (; c + 4 <= cols; c += 4) kernels.columns_1(x + 4 * c, out + 4 * c, rows, rowBytes);
  for (; c < cols; c++) kernels.columns_0(x + 4 * c, out + 4 * c, rows, rowBytes);
}

let original: tf.KernelConfig | undefined;

/**
 * Wraps the wasm `Sum` kernel so that float32 sums over leading axes (axes 0..k-1 of a rank > k
 * tensor) run down the columns in place; every other sum goes to the backend's kernel.
 */
export function enableFastWasmSum(): void {
  if (original) return;
  const sum = tf.getKernel('Sum', 'wasm');
  if (!sum) throw new Error('enableFastWasmKernels: the wasm backend is not registered; import @tensorflow/tfjs-backend-wasm first');
  original = sum;
  const kernelFunc = (args: { inputs: Record<string, tf.TensorInfo>; backend: object; attrs: Record<string, unknown> }) => {
    const { x } = args.inputs;
    const axes = tf.util.parseAxisParam(args.attrs.axis as number | number[], x.shape).sort((a, b) => a - b);
    const leading = axes.every((axis, i) => axis === i) && axes.length > 0 && axes.length < x.shape.length;
    const internals = leading && x.dtype === 'float32' ? wasmBackendInternals(args.backend) : undefined;
    const kernels = internals && kernelsFor(internals.memory);
    if (!internals || !kernels) return sum.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]);
    const kept = x.shape.slice(axes.length);
    const outShape = args.attrs.keepDims ? [...axes.map(() => 1), ...kept] : kept;
    const out = internals.makeOutput(outShape);
    sumColumns(
      kernels,
      internals.address(x),
      internals.address(out),
      tf.util.sizeFromShape(x.shape.slice(0, axes.length)),
      tf.util.sizeFromShape(kept),
    );
    return out;
  };
  tf.unregisterKernel('Sum', 'wasm');
  tf.registerKernel({ ...sum, kernelFunc: kernelFunc as unknown as tf.KernelFunc });
}

/** Restores the wasm backend's own `Sum` kernel. */
export function disableFastWasmSum(): void {
  if (!original) return;
  tf.unregisterKernel('Sum', 'wasm');
  tf.registerKernel(original);
  original = undefined;
}
