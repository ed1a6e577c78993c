// Prints matMul throughput on wasm with and without enableFastWasmMatMul, and the training speed
// of a dense 784-256-64-32 network step (forward + backward + Adam) at batch 128 and 512.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { disableFastWasmMatMul, enableFastWasmMatMul } from '../src/index.js';
import { msPerCall } from '../../../tools/bench/timing.js';

function matMulGflops(ta: boolean, tb: boolean): number {
  const [m, k, n] = [128, 784, 256];
  const a = tf.randomNormal(ta ? [k, m] : [m, k]);
  const b = tf.randomNormal(tb ? [n, k] : [k, n]);
  const ms = msPerCall(() => tf.tidy(() => tf.matMul(a, b, ta, tb).dataSync()));
  tf.dispose([a, b]);
  return (2 * m * k * n) / (ms * 1e6);
}

function trainingExamplesPerSecond(batch: number): number {
  const sizes = [784, 256, 64, 32, 4];
  const vars = sizes.slice(1).flatMap((out, i) => [tf.variable(tf.randomNormal([sizes[i], out], 0, 0.05)), tf.variable(tf.zeros([out]))]);
  const x = tf.randomUniform([batch, 784]);
  const opt = tf.train.adam(3e-4);
  const step = () =>
    tf.tidy(() => {
      opt
        .minimize(() => {
          let h: tf.Tensor = x;
          for (let i = 0; i < vars.length; i += 2) {
            h = tf.fused.matMul({
              a: h as tf.Tensor2D,
              b: vars[i] as tf.Tensor2D,
              bias: vars[i + 1],
              activation: i + 2 < vars.length ? 'elu' : 'linear',
            });
          }
          return tf.mean(tf.square(h)) as tf.Scalar;
        }, true)!
        .dataSync();
    });
  const ms = msPerCall(step, 1500);
  tf.dispose([...vars, x]);
  opt.dispose();
  return (batch * 1000) / ms;
}

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  const rows: Record<string, string | number>[] = [];
  for (const fast of [false, true]) {
    if (fast) enableFastWasmMatMul();
    else disableFastWasmMatMul();
    const row: Record<string, string | number> = { 'fast matMul': fast ? 'on' : 'off' };
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
    ] as const) {
      row[`GFLOP/s ${ta ? 'Aᵀ' : 'A'}${tb ? 'Bᵀ' : 'B'}`] = +matMulGflops(ta, tb).toFixed(2);
    }
    for (const batch of [128, 512]) row[`train ex/s @${batch}`] = Math.round(trainingExamplesPerSecond(batch));
    rows.push(row);
  }
  console.log('wasm backend, 128x784 @ 784x256 products; dense 784-256-64-32-4 training step with Adam');
  console.table(rows);
  console.log(JSON.stringify({ backend: 'wasm', rows }));
}

void main();
