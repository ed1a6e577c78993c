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

const cases: [string, () => tf.Tensor[]][] = [
  ['lgamma', () => [lgamma(x), tf.grad((t: tf.Tensor) => lgamma(t))(tf.tensor(x))]],
  ['digamma', () => [digamma(x), tf.grad((t: tf.Tensor) => digamma(t))(tf.tensor(x))]],
  ['trigamma', () => [trigamma(x), tf.grad((t: tf.Tensor) => trigamma(t))(tf.tensor(x))]],
  [
    'logBeta',
    () => [
      logBeta(positive, [...positive].reverse()),
      ...tf.grads((a: tf.Tensor, b: tf.Tensor) => logBeta(a, b))([tf.tensor(positive), tf.tensor([...positive].reverse())]),
    ],
  ],
  ['softplus', () => [softplus(x), tf.grad((t: tf.Tensor) => softplus(t))(tf.tensor(x))]],
  ['logSigmoid', () => [logSigmoid(x), tf.grad((t: tf.Tensor) => logSigmoid(t))(tf.tensor(x))]],
  ['log1mexp', () => [log1mexp(positive), tf.grad((t: tf.Tensor) => log1mexp(t))(tf.tensor(positive))]],
  ['softplusInverse', () => [softplusInverse(positive), tf.grad((t: tf.Tensor) => softplusInverse(t))(tf.tensor(positive))]],
  [
    'logAddExp',
    () => [
      logAddExp(x, [...x].reverse()),
      ...tf.grads((a: tf.Tensor, b: tf.Tensor) => logAddExp(a, b))([tf.tensor(x), tf.tensor([...x].reverse())]),
    ],
  ],
  ['logSumExp', () => [logSumExp(tf.reshape(x, [3, 4]), 1), tf.grad((t: tf.Tensor) => logSumExp(t, 1))(tf.tensor(x, [3, 4]))]],
  ['ndtr', () => [ndtr(x), tf.grad((t: tf.Tensor) => ndtr(t))(tf.tensor(x))]],
  ['logNdtr', () => [logNdtr(x.map((v) => -v * 3)), tf.grad((t: tf.Tensor) => logNdtr(t))(tf.tensor(x.map((v) => -v * 3)))]],
  ['ndtri', () => [ndtri(unit), tf.grad((t: tf.Tensor) => ndtri(t))(tf.tensor(unit))]],
  ['xlogy', () => [xlogy(x, positive), ...tf.grads((a: tf.Tensor, b: tf.Tensor) => xlogy(a, b))([tf.tensor(x), tf.tensor(positive)])]],
  [
    'xlog1py',
    () => [xlog1py(x, positive), ...tf.grads((a: tf.Tensor, b: tf.Tensor) => xlog1py(a, b))([tf.tensor(x), tf.tensor(positive)])],
  ],
  [
    'igamma',
    () => [igamma(positive, [...positive].reverse()), tf.grad((t: tf.Tensor) => igamma(positive, t))(tf.tensor([...positive].reverse()))],
  ],
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
