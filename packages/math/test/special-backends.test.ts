// Backend parity of the special functions: values and gradients on wasm agree with cpu.
import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '@vae/testing';
import {
  digamma,
  igamma,
  lgamma,
  log1mexp,
  logAddExp,
  logBeta,
  logNdtr,
  logSigmoid,
  logSphereSurfaceArea,
  logSumExp,
  ndtr,
  ndtri,
  softplus,
  softplusInverse,
  trigamma,
  xlog1py,
  xlogy,
} from '@vae/math';
import { onBackend } from './special-helpers.js';

const x = [-7.3, -2.5, -0.4, 1e-4, 0.3, 1, 1.4616, 2, 3.7, 9, 55, 1e4];
const positive = [1e-6, 1e-3, 0.05, 0.3, 0.69, 0.7, 1, 2.5, 9, 55, 300, 1e4];
const unit = [1e-30, 1e-9, 0.001, 0.02, 0.1, 0.3, 0.5, 0.7, 0.9, 0.98, 0.999, 0.9999999];

/** The op's value at `at` and its gradient there. */
const unary = (op: (t: tf.Tensor | number[]) => tf.Tensor, at: number[]) => (): tf.Tensor[] => [
  op(at),
  tf.grad((t: tf.Tensor) => op(t))(tf.tensor(at)),
];
/** The op's value at (a, b) and its gradients in both arguments there. */
const binary = (op: (u: tf.Tensor | number[], v: tf.Tensor | number[]) => tf.Tensor, a: number[], b: number[]) => (): tf.Tensor[] => [
  op(a, b),
  ...tf.grads((u: tf.Tensor, v: tf.Tensor) => op(u, v))([tf.tensor(a), tf.tensor(b)]),
];
const reversed = (v: number[]) => [...v].reverse();

const cases: [string, () => tf.Tensor[]][] = [
  ['lgamma', unary(lgamma, x)],
  ['digamma', unary(digamma, x)],
  ['trigamma', unary(trigamma, x)],
  ['logBeta', binary(logBeta, positive, reversed(positive))],
  ['softplus', unary(softplus, x)],
  ['logSigmoid', unary(logSigmoid, x)],
  ['log1mexp', unary(log1mexp, positive)],
  ['softplusInverse', unary(softplusInverse, positive)],
  ['logAddExp', binary(logAddExp, x, reversed(x))],
  ['logSumExp', () => [logSumExp(tf.reshape(x, [3, 4]), 1), tf.grad((t: tf.Tensor) => logSumExp(t, 1))(tf.tensor(x, [3, 4]))]],
  ['ndtr', unary(ndtr, x)],
  [
    'logNdtr',
    unary(
      logNdtr,
      x.map((v) => -v * 3),
    ),
  ],
  ['ndtri', unary(ndtri, unit)],
  ['xlogy', binary(xlogy, x, positive)],
  ['xlog1py', binary(xlog1py, x, positive)],
  // The gradient in x only: igamma gives none in a (zero, documented).
  ['igamma', unary((t) => igamma(positive, t), reversed(positive))],
  ['logSphereSurfaceArea', () => [logSphereSurfaceArea([1, 2, 3, 10, 100, 1e4])]],
];

it.each(cases)('%s: wasm agrees with cpu (values and gradients)', async (_name, fn) => {
  const run = (): Float32Array[] =>
    tf
      .tidy(() => fn())
      .map((t) => {
        const data = t.dataSync() as Float32Array;
        t.dispose();
        return data;
      });
  const cpu = await onBackend('cpu', run);
  const wasm = await onBackend('wasm', run);
  cpu.forEach((c, i) => expectClose(wasm[i], c, { rtol: 1e-5, atol: 1e-30, label: `output ${i}` }));
});
