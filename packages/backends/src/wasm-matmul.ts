import * as tf from '@tensorflow/tfjs-core';

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

/**
 * Makes matrix products on the wasm backend use only the untransposed kernel, by transposing
 * operands explicitly first. Opt-in; undo with {@link disableFastWasmMatMul}.
 *
 * @remarks
 * On tfjs-backend-wasm 4.x, `BatchMatMul` and `_FusedMatMul` with `transposeA` or `transposeB`
 * run about 10x slower than without (on 128x784 operands: ~2 vs ~25 GFLOP/s), and the gradient of
 * every matMul asks for a transposed product, so a dense network's training step spends most of its
 * time there. This wraps both kernels through tfjs's public `unregisterKernel`/`registerKernel`:
 * a transposed operand is first materialized by the wasm `Transpose` kernel (a memory-bound copy),
 * then the fast kernel runs with both flags off and the temporary is freed. Results equal the
 * unpatched kernels' to float32 rounding (the sums are accumulated in the same order).
 * Calling it twice is harmless; it throws if the wasm backend's kernels are not registered
 * (import `@tensorflow/tfjs-backend-wasm` first).
 *
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
export function enableFastWasmMatMul(): void {
  if (originals.size) return;
  const transpose = tf.getKernel('Transpose', 'wasm');
  const found = PATCHED_KERNELS.map((name) => tf.getKernel(name, 'wasm'));
  if (!transpose || found.some((k) => !k)) {
    throw new Error('enableFastWasmMatMul: the wasm backend is not registered; import @tensorflow/tfjs-backend-wasm first');
  }
  PATCHED_KERNELS.forEach((name, i) => {
    const original = found[i]!;
    originals.set(name, original);
    const kernelFunc = (args: KernelArgs) => {
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
          const swapped = original.kernelFunc({ inputs: { a: inputs.b, b: materialize(inputs.a!) }, backend, attrs: untransposed }) as tf.TensorInfo;
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
