// Seeded samplers give the same numbers on the cpu and wasm backends: the noise is drawn in
// JavaScript by tfjs whatever the backend, and only float32 rounding of the transforms may differ.
import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '@vae/testing';
import {
  betaSample,
  categoricalSample,
  gammaSample,
  kumaraswamySample,
  normalSample,
  powerSphericalSample,
  relaxedOneHotSample,
  vonMisesFisherSample,
} from '@vae/samplers';

const draws: [string, () => tf.Tensor][] = [
  ['normalSample', () => normalSample(1, 2, [200], 1)],
  ['kumaraswamySample', () => kumaraswamySample(2, 3, [200], 2)],
  ['categoricalSample', () => categoricalSample([0.1, 2, -1], [200], 3)],
  ['relaxedOneHotSample', () => relaxedOneHotSample([0.1, 2, -1], 0.5, [200], 4)],
  ['gammaSample', () => gammaSample([0.3, 4], 1, [100, 2], 5)],
  ['betaSample', () => betaSample(2, 0.5, [200], 6)],
  ['vonMisesFisherSample d=3', () => vonMisesFisherSample([0, 0.6, 0.8], 10, [200], 7)],
  ['vonMisesFisherSample d=6', () => vonMisesFisherSample([0, 0, 0, 0, 0.6, 0.8], 10, [200], 8)],
  ['powerSphericalSample', () => powerSphericalSample([0.6, 0.8, 0, 0], 10, [200], 9)],
];

const gradients: [string, () => tf.Tensor[]][] = [
  [
    'vonMisesFisherSample d=3',
    () =>
      tf.grads((m: tf.Tensor, k: tf.Tensor) => tf.sum(tf.mul(vonMisesFisherSample(m, k, [50], 10), tf.tensor([1, 2, 3]))))([
        tf.tensor([0, 0.6, 0.8]),
        tf.scalar(4),
      ]),
  ],
  [
    'vonMisesFisherSample d=5',
    () =>
      tf.grads((m: tf.Tensor, k: tf.Tensor) => tf.sum(tf.mul(vonMisesFisherSample(m, k, [50], 11), tf.tensor([1, 2, 3, -1, 0.5]))))([
        tf.tensor([0.6, 0, 0.8, 0, 0]),
        tf.scalar(4),
      ]),
  ],
  [
    'powerSphericalSample d=4',
    () =>
      tf.grads((m: tf.Tensor, k: tf.Tensor) => tf.sum(tf.mul(powerSphericalSample(m, k, [50], 12), tf.tensor([1, 2, 3, -1]))))([
        tf.tensor([0, 0.6, 0, 0.8]),
        tf.scalar(4),
      ]),
  ],
  ['gammaSample', () => [tf.grad((a: tf.Tensor) => tf.sum(gammaSample(a, 1, [50, 2], 13)))(tf.tensor([0.3, 4]))]],
];

it('gradients agree between the cpu and wasm backends (to float32 rounding)', async () => {
  const previous = tf.getBackend();
  await tf.setBackend('cpu');
  const cpu = gradients.map(([, f]) => f().map((g) => Array.from(g.dataSync())));
  await tf.setBackend('wasm');
  try {
    gradients.forEach(([name, f], i) =>
      f().forEach((g, j) => expectClose(Array.from(g.dataSync()), cpu[i][j], { rtol: 1e-3, atol: 1e-4, label: `${name} gradient ${j}` })),
    );
  } finally {
    await tf.setBackend(previous);
  }
});

it('seeded samples agree between the cpu and wasm backends (to float32 rounding)', async () => {
  const previous = tf.getBackend();
  await tf.setBackend('cpu');
  const cpu = draws.map(([, f]) => Array.from(f().dataSync()));
  await tf.setBackend('wasm');
  try {
    draws.forEach(([name, f], i) => expectClose(Array.from(f().dataSync()), cpu[i], { rtol: 1e-4, atol: 1e-5, label: name }));
  } finally {
    await tf.setBackend(previous);
  }
});
