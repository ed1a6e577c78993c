import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectMemoryNeutral, runOnBackends } from '@vae/testing';
import { disableFastWasmMatMul, enableFastWasmMatMul, isFastWasmMatMulEnabled } from './index.js';

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

describe('enableFastWasmMatMul', () => {
  afterEach(() => disableFastWasmMatMul());

  it('matches the cpu backend for every transposition, fused or not, and for gradients', async () => {
    enableFastWasmMatMul();
    expect(isFastWasmMatMulEnabled()).toBe(true);
    const r = await runOnBackends(products, ['cpu', 'wasm']);
    r.cpu.forEach((expected, i) => expectClose(r.wasm[i], expected, { rtol: 1e-5, atol: 1e-5, label: `product ${i}` }));
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
      const dataIds = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
      tf.dispose(tf.matMul(wide, weights, false, true));
      expect((tf.backend() as unknown as { numDataIds(): number }).numDataIds()).toBe(dataIds);
      tf.dispose([wide, weights]);
      await expectMemoryNeutral(() => tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.matMul(x, y, true, false)))([a, b]), 'matMul grads');
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
