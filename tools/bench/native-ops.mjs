// Per-op times of one training step's large kernels at batch 512 on the native TensorFlow backend,
// called straight through tfjs-node's binding (no tape, no read-back): the products of the first
// and last dense layers and their gradients, and elementwise passes over a [512, 784] tensor.
// torch_ops.py times the same shapes in PyTorch; run both alternately and compare medians.
//   TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1 node tools/bench/native-ops.mjs
//   /path/to/python tools/bench/torch_ops.py
import * as tf from '@tensorflow/tfjs';
import { selectBackend, silenceNodeBackendAdvice } from '@vae/backends';
import { median } from './median.mjs';

await selectBackend('tensorflow');
silenceNodeBackendAdvice();
const b = tf.backend();
const T = { name: 'T', type: b.binding.TF_ATTR_TYPE, value: b.binding.TF_FLOAT };
const bool = (name, value) => ({ name, type: b.binding.TF_ATTR_BOOL, value });
const matMul = (x, w, ta, tb) => b.executeSingleOutput('MatMul', [bool('transpose_a', ta), bool('transpose_b', tb), T], [x, w]);
const op = (name, inputs) => b.executeSingleOutput(name, [T], inputs);
const msPerCallMedian = (f, n = 30) => {
  for (let i = 0; i < 3; i++) f();
  const ts = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    f();
    ts.push(performance.now() - start);
  }
  return median(ts);
};
const rows = [];
for (const [name, sa, sb, ta, tb] of [
  ['x W, 512x784 . 784x256', [512, 784], [784, 256], false, false],
  ['x W, 512x256 . 256x784', [512, 256], [256, 784], false, false],
  ['dz W^T, 512x784 . (256x784)^T', [512, 784], [256, 784], false, true],
  ['x^T dz, (512x784)^T . 512x256', [512, 784], [512, 256], true, false],
  ['x^T dz, (512x256)^T . 512x784', [512, 256], [512, 784], true, false],
]) {
  const [x, w] = [tf.randomNormal(sa), tf.randomNormal(sb)];
  rows.push([name, msPerCallMedian(() => matMul(x, w, ta, tb).dispose())]);
  tf.dispose([x, w]);
}
const big = tf.randomNormal([512, 784]);
const bias = tf.randomNormal([784]);
rows.push(['BiasAdd [512, 784]', msPerCallMedian(() => op('BiasAdd', [big, bias]).dispose())]);
for (const name of ['Elu', 'Sigmoid', 'Softplus', 'Exp', 'Log1p', 'Abs', 'Neg', 'Relu'])
  rows.push([`${name} [512, 784]`, msPerCallMedian(() => op(name, [big]).dispose())]);
for (const name of ['Mul', 'Sub']) rows.push([`${name} [512, 784]`, msPerCallMedian(() => op(name, [big, big]).dispose())]);
const s = tf.scalar(1);
rows.push(['AddV2 of scalars (the fixed cost)', msPerCallMedian(() => op('AddV2', [s, s]).dispose(), 1000)]);
for (const [name, ms] of rows) console.log(`${name.padEnd(36)} ${ms.toFixed(3)} ms`);
