// The kernels of one training step of the reference model, as tf.profile lists them: the count,
// the count by kernel, and each kernel that reads or writes a full-size [batch, 784] tensor with
// its input shapes (the likelihood's passes and the last layer's). Counts do not depend on load.
//   TF_NUM_INTRAOP_THREADS=1 node tools/bench/trace-step.mjs [batch=128] [backend=tensorflow]   (after a build)
import * as tf from '@tensorflow/tfjs';
import { selectBackend, silenceNodeBackendAdvice } from '@vae/backends';
import { createReferenceTrainer } from './reference.mjs';

const batch = Number(process.argv[2] ?? 128);
const chosen = await selectBackend(process.argv[3] ?? 'tensorflow');
silenceNodeBackendAdvice();
const x = tf.tidy(() => tf.cast(tf.less(tf.randomUniform([batch, 784], 0, 1, 'float32', 1), 0.13), 'float32'));
const trainer = await createReferenceTrainer();
for (let i = 0; i < 2; i++) trainer.trainStep(x);
// Calls into TensorFlow per step (tfjs-node only): every op any kernel runs goes through one of
// these two methods; an Identity (and a same-dtype Cast once enableNativeKernels wraps it) does not.
const backend = tf.backend();
let calls;
if (typeof backend.executeSingleOutput === 'function') {
  calls = 0;
  for (const method of ['executeSingleOutput', 'executeMultipleOutputs']) {
    const original = backend[method].bind(backend);
    backend[method] = (...args) => {
      calls++;
      return original(...args);
    };
  }
  trainer.trainStep(x);
  calls = 0;
  trainer.trainStep(x);
}
const callsPerStep = calls;
const info = await tf.profile(() => trainer.trainStep(x));
const counts = {};
for (const k of info.kernels) counts[k.name] = (counts[k.name] ?? 0) + 1;
console.log(
  `${chosen.reason}; batch ${batch}: ${info.kernels.length} kernels per step${callsPerStep === undefined ? '' : `, ${callsPerStep} calls into TensorFlow`}`,
);
console.log(
  Object.entries(counts)
    .map(([name, n]) => `${name} x${n}`)
    .join(', '),
);
console.log(`\nkernels with a [${batch}, 784] input or output, in order:`);
const wide = (shapes) => shapes.some((s) => s && s.includes(784) && s.includes(batch));
for (const k of info.kernels) if (wide(k.outputShapes) || wide(k.inputShapes)) console.log(`  ${k.name} ${JSON.stringify(k.inputShapes)}`);
trainer.dispose();
x.dispose();
