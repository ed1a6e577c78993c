import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectMemoryNeutral, runOnBackends } from '@vae/testing';
import { disableFastWasmMatMul, enableFastWasmMatMul, isFastWasmMatMulEnabled } from './index.js';
import { WasmGemm } from './wasm-gemm.js';

// Every transposition case, batched and plain, fused (with bias and activation) and unfused, with
// its gradients: the patched wasm kernels must agree with the cpu backend.
function products(): tf.Tensor[] {
  const a = tf.randomNormal([3, 5, 4], 0, 1, 'float32', 1);
  const b = tf.randomNormal([3, 4, 6], 0, 1, 'float32', 2);
  const a2 = tf.randomNormal([7, 9], 0, 1, 'float32', 3);
  const b2 = tf.randomNormal([9, 2], 0, 1, 'float32', 4);
  const bias = tf.randomNormal([2], 0, 1, 'float32', 5);
  const out: tf.Tensor[] = [];
  for (const ta of [false, true]) {
    for (const tb of [false, true]) {
      const A = ta ? tf.transpose(a, [0, 2, 1]) : a;
      const B = tb ? tf.transpose(b, [0, 2, 1]) : b;
      out.push(tf.matMul(A, B, ta, tb));
      const A2 = ta ? tf.transpose(a2) : a2;
      const B2 = tb ? tf.transpose(b2) : b2;
      out.push(tf.fused.matMul({ a: A2, b: B2, transposeA: ta, transposeB: tb, bias, activation: 'elu' }));
    }
  }
  const [ga, gb, gbias] = tf.grads((x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) =>
    tf.sum(tf.square(tf.fused.matMul({ a: x, b: y, bias: z, activation: 'relu' }))),
  )([a2, b2, bias]);
  out.push(ga, gb, gbias, ...tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.sin(tf.matMul(x, y))))([a, b]));
  // A wide, short A B^T (computed as (B A^T)^T on wasm) and the backward pass of a widening
  // dense layer, which asks for one.
  const wideA = tf.randomNormal([6, 40], 0, 1, 'float32', 6);
  const wideB = tf.randomNormal([11, 40], 0, 1, 'float32', 7);
  out.push(tf.matMul(wideA, wideB, false, true));
  const h = tf.randomNormal([6, 11], 0, 1, 'float32', 8);
  out.push(...tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.sin(tf.matMul(x, w))))([h, wideB]));
  return out;
}

// Products the SIMD kernels take (output widths that are multiples of 4), including the edges of
// their tiles, batches that broadcast, every fused activation and biases that are not one row.
function simdProducts(columnBias: boolean): tf.Tensor[] {
  const out: tf.Tensor[] = [];
  let seed = 20;
  const normal = (shape: number[]) => tf.randomNormal(shape, 0, 1, 'float32', seed++);
  for (const [m, k, n] of [
    [1, 1, 4],
    [5, 3, 12],
    [9, 17, 8],
    [6, 40, 20],
  ]) {
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        const a = normal(ta ? [k, m] : [m, k]);
        const b = normal(tb ? [n, k] : [k, n]);
        out.push(tf.matMul(a, b, ta, tb));
        const batchedA = normal(ta ? [3, k, m] : [3, m, k]);
        const batchedB = normal(tb ? [3, n, k] : [3, k, n]);
        out.push(tf.matMul(batchedA, batchedB, ta, tb), tf.matMul(batchedA, b, ta, tb), tf.matMul(a, batchedB, ta, tb));
      }
    }
  }
  const x = normal([7, 9]);
  const w = normal([9, 8]);
  const row = normal([8]);
  const column = normal([7, 1]);
  const prelu = normal([8]);
  for (const activation of ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu', 'prelu'] as const) {
    // tfjs-backend-wasm's own fused kernel takes only rank-1 biases.
    for (const bias of columnBias ? [undefined, row, column] : [undefined, row]) {
      out.push(tf.fused.matMul({ a: x, b: w, bias, activation, preluActivationWeights: prelu, leakyreluAlpha: 0.3 }));
    }
  }
  const grads = tf.grads((p: tf.Tensor, q: tf.Tensor, r: tf.Tensor) =>
    tf.sum(tf.sin(tf.fused.matMul({ a: p, b: q, bias: r, activation: 'elu' }))),
  );
  out.push(...grads([x, w, row]));
  return out;
}

describe('enableFastWasmMatMul', () => {
  afterEach(() => disableFastWasmMatMul());

  it('matches the cpu backend for every transposition, fused or not, and for gradients', async () => {
    enableFastWasmMatMul();
    expect(isFastWasmMatMulEnabled()).toBe(true);
    const r = await runOnBackends(products, ['cpu', 'wasm']);
    r.cpu.forEach((expected, i) => expectClose(r.wasm[i], expected, { rtol: 1e-5, atol: 1e-5, label: `product ${i}` }));
  });

  it('runs the SIMD kernels to float32 rounding of the cpu backend, and so does the transposition fix alone', async () => {
    const multiply = jest.spyOn(WasmGemm.prototype, 'multiply');
    for (const simdKernels of [true, false]) {
      enableFastWasmMatMul({ simdKernels });
      multiply.mockClear();
      const r = await runOnBackends(() => simdProducts(simdKernels), ['cpu', 'wasm']);
      // Every product of simdProducts is one the kernels cover: 3 batches or 1 matrix per product.
      if (simdKernels) expect(multiply.mock.calls.length).toBeGreaterThanOrEqual(r.wasm.length);
      else expect(multiply).not.toHaveBeenCalled();
      r.cpu.forEach((expected, i) =>
        expectClose(r.wasm[i], expected, { rtol: 1e-5, atol: 1e-5, label: `simdKernels ${simdKernels}, product ${i}` }),
      );
    }
  });

  it('leaks nothing on wasm and can be undone', async () => {
    enableFastWasmMatMul();
    enableFastWasmMatMul(); // idempotent
    await tf.setBackend('wasm');
    try {
      const a = tf.randomNormal([16, 8]);
      const b = tf.randomNormal([16, 8]);
      await expectMemoryNeutral(() => tf.matMul(a, b, false, true), 'matMul');
      const [wide, weights] = [tf.randomNormal([2, 40]), tf.randomNormal([11, 40])];
      await expectMemoryNeutral(() => tf.matMul(wide, weights, false, true), 'swapped matMul');
      // The SIMD path with each of its temporaries: a transposed A for A^T B^T, a bias that is not a
      // row (added afterwards) and an activation.
      const [x3, w3] = [tf.randomNormal([3, 8, 5]), tf.randomNormal([3, 4, 8])];
      const simdCalls = [
        () => tf.matMul(x3, w3, true, true),
        () =>
          tf.fused.matMul({
            a: tf.reshape(x3, [24, 5]) as tf.Tensor2D,
            b: tf.randomNormal([5, 8]) as tf.Tensor2D,
            bias: tf.randomNormal([24, 1]),
            activation: 'elu',
          }),
        () => tf.matMul(x3, tf.randomNormal([8, 4]), true, false),
      ];
      for (const [i, call] of simdCalls.entries()) {
        await expectMemoryNeutral(() => tf.tidy(call), `SIMD product ${i}`);
        const ids = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
        tf.dispose(tf.tidy(call));
        expect((tf.backend() as unknown as { numDataIds(): number }).numDataIds()).toBe(ids);
      }
      tf.dispose([x3, w3]);
      const dataIds = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
      tf.dispose(tf.matMul(wide, weights, false, true));
      expect((tf.backend() as unknown as { numDataIds(): number }).numDataIds()).toBe(dataIds);
      tf.dispose([wide, weights]);
      await expectMemoryNeutral(
        () => tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.matMul(x, y, true, false)))([a, b]),
        'matMul grads',
      );
      const before = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
      tf.dispose(tf.matMul(a, b, true, false));
      expect((tf.backend() as unknown as { numDataIds(): number }).numDataIds()).toBe(before);
      tf.dispose([a, b]);
    } finally {
      await tf.setBackend('cpu');
    }
    disableFastWasmMatMul();
    expect(isFastWasmMatMulEnabled()).toBe(false);
    expect(tf.getKernel('BatchMatMul', 'wasm')).toBeDefined();
  });
});
