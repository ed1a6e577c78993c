// Prints GFLOP/s of the generated SIMD kernels (wasm-gemm.ts) on the products of a training step of
// the seeds' VAE at batch 128 (or BATCH=512), beside the wasm backend's XNNPACK kernel on a fresh right operand
// (as in training, where every weight and gradient is a new tensor).
//   npx tsx bench/gemm.ts          BATCH=512 npx tsx bench/gemm.ts
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { disableFastWasmMatMul, enableFastWasmMatMul } from '../src/index.js';
import { msPerCall } from '../../../tools/bench/timing.js';

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  // [m, k, n, transposeA, transposeB]: forward, weight gradient and input gradient of the 784-256
  // and 256-784 layers.
  const batch = Number(process.env.BATCH ?? 128);
  const cases: [number, number, number, boolean, boolean][] = [
    [batch, 784, 256, false, false],
    [batch, 256, 784, false, false],
    [784, batch, 256, true, false],
    [256, batch, 784, true, false],
    [batch, 784, 256, false, true],
    [batch, 256, 64, false, false],
    [256, batch, 64, true, false],
  ];
  const rows = [];
  for (const [m, k, n, ta, tb] of cases) {
    const a = tf.randomNormal(ta ? [k, m] : [m, k]);
    const b = tf.randomNormal(tb ? [n, k] : [k, n]);
    const row: Record<string, string | number> = { product: `${ta ? 'Aᵀ' : 'A'}${tb ? 'Bᵀ' : 'B'} ${m}x${k}x${n}` };
    for (const [label, simdKernels] of [
      ['xnnpack', false],
      ['simd', true],
    ] as const) {
      enableFastWasmMatMul({ simdKernels });
      // A fresh copy of B per call, timed apart and subtracted, so XNNPACK cannot reuse its packing.
      const copy = msPerCall(() => tf.add(b, 0).dispose());
      const ms = msPerCall(() => tf.tidy(() => void tf.matMul(a, tf.add(b, 0), ta, tb))) - copy;
      row[`${label} ms`] = +ms.toFixed(3);
      row[`${label} GFLOP/s`] = +((2 * m * k * n) / (ms * 1e6)).toFixed(1);
    }
    rows.push(row);
    tf.dispose([a, b]);
  }
  disableFastWasmMatMul();
  console.table(rows);
}

void main();
