import * as tf from '@tensorflow/tfjs-core';
import { WasmGemm } from './wasm-gemm.js';
import { compiledOnce, wasmBackendInternals } from './wasm-internals.js';

type KernelArgs = {
  inputs: Record<string, tf.TensorInfo | undefined>;
  backend: tf.KernelBackend & { disposeData(dataId: object): boolean };
  attrs: Record<string, unknown>;
};

const PATCHED_KERNELS = ['BatchMatMul', '_FusedMatMul'] as const;
const originals = new Map<string, tf.KernelConfig>();

function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return perm;
}

/**
 * Whether A B^T (A: [M, K], B: [N, K]) is cheaper as (B A^T)^T on the wasm backend.
 *
 * The wasm kernel hands its right operand to XNNPACK as the weights of a fully connected operator,
 * which packs them on first use (cached by tensor, so paid again for every fresh tensor) at about
 * the cost of a transpose. Direct: transpose B and pack it, ~2 N K element moves. Swapped: transpose
 * A, pack it, transpose the [N, M] result, ~2 M K + M N. The backward pass of a dense layer whose
 * input is narrower than its output (d(input) = d(output) W^T with W: [in, out]) is the case that
 * wins: for a 256 -> 784 layer at batch 128 it measured 6.1 ms direct against 3.7 ms swapped.
 * Only unbatched (rank-2) products take this path.
 */
function prefersSwappedProduct(a: tf.TensorInfo, b: tf.TensorInfo, attrs: Record<string, unknown>): boolean {
  if (!attrs.transposeB || attrs.transposeA || a.shape.length !== 2 || b.shape.length !== 2) return false;
  const [m, k] = a.shape;
  const n = b.shape[0];
  return 2 * m * k + m * n < 2 * n * k;
}

/** Options of {@link enableFastWasmMatMul}. */
export interface FastWasmMatMulOptions {
  /**
   * Compute products with this package's WebAssembly SIMD kernels, which read their operands in
   * place instead of packing them as XNNPACK does (default true). When false, or for a product the
   * kernels do not cover, the backend's own kernel runs on explicitly transposed operands.
   */
  simdKernels?: boolean;
}

const sizeOf = (shape: number[]) => shape.reduce((product, d) => product * d, 1);

// The activations of _FusedMatMul, applied after the product by the backend's own kernels.
function activationOf(
  attrs: Record<string, unknown>,
  inputs: KernelArgs['inputs'],
): ((x: tf.TensorInfo, backend: KernelArgs['backend']) => tf.TensorInfo) | null | undefined {
  const activation = (attrs.activation as string | undefined) ?? 'linear';
  if (activation === 'linear') return null;
  const kernelName = { relu: 'Relu', relu6: 'Relu6', elu: 'Elu', sigmoid: 'Sigmoid', leakyrelu: 'LeakyRelu', prelu: 'Prelu' }[activation];
  const kernel = kernelName ? tf.getKernel(kernelName, 'wasm') : undefined;
  if (!kernel) return undefined;
  return (x, backend) =>
    kernel.kernelFunc({
      inputs: activation === 'prelu' ? { x, alpha: inputs.preluActivationWeights! } : { x },
      backend,
      attrs: activation === 'leakyrelu' ? { alpha: attrs.leakyreluAlpha as number } : {},
    }) as tf.TensorInfo;
}

/**
 * BatchMatMul or _FusedMatMul by the SIMD kernels of wasm-gemm.ts, or undefined when they do not
 * cover the case (the caller then falls back). Batches broadcast as in tfjs-backend-wasm: equal
 * batch sizes, or one side with a single matrix. A bias that is one row of n values is added inside
 * the kernel; any other bias, and the activation, run as the backend's kernels afterwards.
 */
function productBySimdKernels(args: KernelArgs, transpose: tf.KernelConfig): tf.TensorInfo | undefined {
  const { inputs, attrs, backend } = args;
  const internals = wasmBackendInternals(backend);
  const gemm = internals && compiledOnce('gemm', internals.memory, () => WasmGemm.compile(internals.memory));
  const [a, b, bias] = [inputs.a!, inputs.b!, inputs.bias];
  if (!gemm || a.dtype !== 'float32' || b.dtype !== 'float32' || (bias && bias.dtype !== 'float32')) return undefined;
  const transposeA = Boolean(attrs.transposeA);
  const transposeB = Boolean(attrs.transposeB);
  const [rankA, rankB] = [a.shape.length, b.shape.length];
  const m = a.shape[transposeA ? rankA - 1 : rankA - 2];
  const k = a.shape[transposeA ? rankA - 2 : rankA - 1];
  const n = b.shape[transposeB ? rankB - 2 : rankB - 1];
  if (k !== b.shape[transposeB ? rankB - 1 : rankB - 2] || !WasmGemm.supports(m, n, k)) return undefined;
  const [batchA, batchB] = [sizeOf(a.shape.slice(0, -2)), sizeOf(b.shape.slice(0, -2))];
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) return undefined;
  const activate = activationOf(attrs, inputs);
  const add = tf.getKernel('Add', 'wasm');
  const biasIsRow = bias !== undefined && sizeOf(bias.shape) === n && bias.shape.slice(0, -1).every((d) => d === 1);
  if (activate === undefined || (bias && !biasIsRow && !add)) return undefined;

  const { address } = internals;
  const outerShape = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const temporaries: tf.TensorInfo[] = [];
  let result: tf.TensorInfo | undefined;
  try {
    // A B^T reads A along k; a transposed A is materialized first (rare: no gradient asks for it).
    let left = a;
    if (transposeA && transposeB) {
      left = transpose.kernelFunc({ inputs: { x: a }, backend, attrs: { perm: swapLastTwo(rankA) } }) as tf.TensorInfo;
      temporaries.push(left);
    }
    const leftTransposed = transposeA && !transposeB;
    const product = internals.makeOutput([...outerShape, m, n]);
    temporaries.push(product);
    const [aStart, bStart, cStart] = [address(left), address(b), address(product)];
    const biasStart = bias && biasIsRow ? address(bias) : 0;
    for (let t = 0; t < Math.max(batchA, batchB); t++) {
      gemm.multiply({
        a: aStart + (batchA > 1 ? 4 * t * m * k : 0),
        aRowStride: leftTransposed ? 1 : k,
        aColStride: leftTransposed ? m : 1,
        b: bStart + (batchB > 1 ? 4 * t * k * n : 0),
        bTransposed: transposeB,
        c: cStart + 4 * t * m * n,
        m,
        n,
        k,
        bias: biasStart,
      });
    }
    result = product;
    if (bias && !biasIsRow) {
      result = add!.kernelFunc({ inputs: { a: result, b: bias }, backend, attrs: {} }) as tf.TensorInfo;
      temporaries.push(result);
    }
    if (activate) {
      result = activate(result, backend);
      temporaries.push(result);
    }
    return result;
  } finally {
    for (const t of temporaries) if (t !== result) backend.disposeData(t.dataId);
  }
}

/**
 * Makes matrix products on the wasm backend fast: by default they run on this package's
 * WebAssembly SIMD kernels, and otherwise on the backend's untransposed kernel. Opt-in; undo with
 * {@link disableFastWasmMatMul}.
 *
 * @remarks
 * tfjs-backend-wasm 4.x computes `BatchMatMul` and `_FusedMatMul` with XNNPACK, which costs a
 * training loop twice:
 *
 * - With `transposeA` or `transposeB` the product runs about 10x slower (on 128x784 operands:
 *   ~2 vs ~20 GFLOP/s), and the gradient of every matMul asks for a transposed product.
 * - The right operand is packed (copied into XNNPACK's layout) before the arithmetic, and the
 *   packing is cached per tensor; in training every weight and gradient is a fresh tensor, so
 *   every product pays it: about 2 of 4.6 ms for [128, 784] x [784, 256].
 *
 * This wraps both kernels through tfjs's public `unregisterKernel`/`registerKernel`. With
 * `simdKernels` (the default), products whose output has a multiple of 4 columns run on kernels
 * generated at first use as WebAssembly SIMD code over the backend's own memory: C = A B and
 * C = A^T B broadcast one element of A against 8 columns of B and sum over k in order (the same
 * order as XNNPACK, so the same float32 results), and C = A B^T takes dot products of rows, with no
 * copy of either operand. For the rest, and with `simdKernels: false`, a transposed operand is
 * first materialized by the wasm `Transpose` kernel and the backend's kernel runs untransposed;
 * a product A B^T whose B is the larger operand is computed as (B A^T)^T. Temporaries are freed
 * before the kernel returns. Calling it again replaces the options; it throws if the wasm
 * backend's kernels are not registered (import `@tensorflow/tfjs-backend-wasm` first).
 *
 * @param options - see {@link FastWasmMatMulOptions}
 * @returns nothing
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-wasm';
 * import { enableFastWasmMatMul, disableFastWasmMatMul, isFastWasmMatMulEnabled } from '@vae/backends';
 * enableFastWasmMatMul();
 * console.log(isFastWasmMatMulEnabled()); // true
 * disableFastWasmMatMul();
 * ```
 */
export function enableFastWasmMatMul(options: FastWasmMatMulOptions = {}): void {
  const simdKernels = options.simdKernels ?? true;
  const transpose = tf.getKernel('Transpose', 'wasm');
  const found = PATCHED_KERNELS.map((name) => originals.get(name) ?? tf.getKernel(name, 'wasm'));
  if (!transpose || found.some((k) => !k)) {
    throw new Error('enableFastWasmMatMul: the wasm backend is not registered; import @tensorflow/tfjs-backend-wasm first');
  }
  disableFastWasmMatMul();
  PATCHED_KERNELS.forEach((name, i) => {
    const original = found[i]!;
    originals.set(name, original);
    const kernelFunc = (args: KernelArgs) => {
      const bySimd = simdKernels ? productBySimdKernels(args, transpose) : undefined;
      if (bySimd) return bySimd;
      const { inputs, backend, attrs } = args;
      const temporaries: tf.TensorInfo[] = [];
      const materialize = (x: tf.TensorInfo) => {
        const t = transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm: swapLastTwo(x.shape.length) } }) as tf.TensorInfo;
        temporaries.push(t);
        return t;
      };
      const untransposed = { ...attrs, transposeA: false, transposeB: false };
      try {
        if (name === 'BatchMatMul' && prefersSwappedProduct(inputs.a!, inputs.b!, attrs)) {
          // A B^T computed as (B A^T)^T: see prefersSwappedProduct.
          const swapped = original.kernelFunc({
            inputs: { a: inputs.b, b: materialize(inputs.a!) },
            backend,
            attrs: untransposed,
          }) as tf.TensorInfo;
          temporaries.push(swapped);
          return transpose.kernelFunc({ inputs: { x: swapped }, backend, attrs: { perm: [1, 0] } });
        }
        const a = attrs.transposeA ? materialize(inputs.a!) : inputs.a;
        const b = attrs.transposeB ? materialize(inputs.b!) : inputs.b;
        return original.kernelFunc({ inputs: { ...inputs, a, b }, backend, attrs: untransposed });
      } finally {
        for (const t of temporaries) backend.disposeData(t.dataId);
      }
    };
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ ...original, kernelFunc: kernelFunc as unknown as tf.KernelFunc });
  });
}

/**
 * Restores the wasm backend's own matMul kernels (undoes {@link enableFastWasmMatMul}).
 *
 * @returns nothing
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-wasm';
 * import { disableFastWasmMatMul } from '@vae/backends';
 * disableFastWasmMatMul(); // a no-op when the fix is not on
 * ```
 */
export function disableFastWasmMatMul(): void {
  for (const [name, original] of originals) {
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(original);
  }
  originals.clear();
}

/**
 * Whether {@link enableFastWasmMatMul} is in effect.
 *
 * @returns true while the wasm matMul kernels are wrapped
 *
 * @example
 * ```ts
 * import { isFastWasmMatMulEnabled } from '@vae/backends';
 * console.log(isFastWasmMatMulEnabled()); // false unless enabled
 * ```
 */
export function isFastWasmMatMulEnabled(): boolean {
  return originals.size > 0;
}
