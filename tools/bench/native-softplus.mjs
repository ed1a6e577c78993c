// Times @vae/math's softplus (forward, and with its gradient) on the native TensorFlow backend, two ways in the
// same process and in alternating rounds (so machine load hits both alike): the AccurateSoftplus
// kernel as registered by enableNativeKernels (six vectorized TensorFlow ops in one tfjs kernel)
// and the same kernel calling TensorFlow's own Softplus (what it called before).
//   TF_NUM_INTRAOP_THREADS=1 node tools/bench/native-softplus.mjs      (after a build and npm run setup:tfjs-node)
import * as tf from '@tensorflow/tfjs';
import { selectBackend, silenceNodeBackendAdvice } from '@vae/backends';
import { ACCURATE_SOFTPLUS_KERNEL, softplus } from '@vae/math';
import { median } from './median.mjs';

await selectBackend('tensorflow');
silenceNodeBackendAdvice();
const registered = tf.getKernel(ACCURATE_SOFTPLUS_KERNEL, 'tensorflow');
const tfSoftplus = {
  ...registered,
  kernelFunc: ({ inputs, backend }) => {
    const T = { name: 'T', type: backend.binding.TF_ATTR_TYPE, value: backend.binding.TF_FLOAT };
    return backend.executeSingleOutput('Softplus', [T], [inputs.x]);
  },
};
const use = (config) => {
  tf.unregisterKernel(ACCURATE_SOFTPLUS_KERNEL, 'tensorflow');
  tf.registerKernel(config);
};
const variants = { 'six ops (now)': registered, 'TensorFlow Softplus (before)': tfSoftplus };
const lossGrad = tf.grad((l) => tf.sum(softplus(l)));
for (const shape of [
  [128, 784],
  [512, 784],
]) {
  const x = tf.tidy(() => tf.mul(tf.randomNormal(shape, 0, 1, 'float32', 7), 6));
  for (const [what, f] of [
    ['softplus', () => softplus(x).dispose()],
    ['sum of softplus, gradient', () => lossGrad(x).dispose()],
  ]) {
    const ms = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
    for (let round = 0; round < 15; round++) {
      for (const [name, config] of Object.entries(variants)) {
        use(config);
        const reps = 20;
        f();
        const start = performance.now();
        for (let i = 0; i < reps; i++) f();
        ms[name].push((performance.now() - start) / reps);
      }
    }
    use(registered);
    const row = Object.entries(ms).map(([name, xs]) => `${name} ${median(xs).toFixed(3)} ms`);
    console.log(`${what} on [${shape}], median of 15 rounds: ${row.join(', ')}`);
  }
  x.dispose();
}
