// Scoring a flow posterior's own sample, two ways, in one process on alternating rounds (so machine
// load hits both alike): logProb(rsample(...)), which inverts the flow (D sequential passes per IAF
// step, a bisection per planar step), against rsampleAndLogProb(...), which scores log q on the
// sampling path. Each round times loss + gradients of sum(log q) for the reference model's
// posterior at batch 128 with 1 sample; the figure is the median of the rounds.
//   npx nx run-many -t build && node tools/bench/flow-scoring.mjs [--backend cpu|wasm|tensorflow]
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { selectBackend, silenceNodeBackendAdvice } from '@vae/backends';
import { MnistVae } from '@vae/mnist-vae';
import { median } from './median.mjs';

const backendFlag = process.argv.indexOf('--backend');
const backend = backendFlag > 0 ? process.argv[backendFlag + 1] : 'cpu';
await selectBackend(backend);
silenceNodeBackendAdvice();

const batch = 128;
const rounds = 7;
const callsPerRound = 5;
const x = tf.tidy(() => tf.cast(tf.greater(tf.randomUniform([batch, 784], 0, 1, 'float32', 1), 0.7), 'float32'));

function timeCall(fn) {
  const start = performance.now();
  for (let i = 0; i < callsPerRound; i++) {
    const out = fn(i);
    out.value.dataSync();
    tf.dispose([out.value, ...Object.values(out.grads)]);
  }
  return (performance.now() - start) / callsPerRound;
}

const rows = [];
for (const [posterior, flowSteps] of [
  ['iaf', 2],
  ['planar', 4],
  ['householder', 4],
]) {
  const vae = new MnistVae({ latentDim: 10, posterior, flowSteps, seed: 1 });
  const variables = vae.namedWeights().map((w) => w.tensor);
  const inverting = (seed) =>
    tf.variableGrads(
      () =>
        tf.tidy(() => {
          const q = vae.encode(x);
          return tf.sum(q.logProb(q.rsample([1], seed)));
        }),
      variables,
    );
  const forward = (seed) => tf.variableGrads(() => tf.tidy(() => tf.sum(vae.encode(x).rsampleAndLogProb([1], seed).logProb)), variables);
  timeCall(inverting);
  timeCall(forward);
  const a = [];
  const b = [];
  for (let r = 0; r < rounds; r++) {
    a.push(timeCall(inverting));
    b.push(timeCall(forward));
  }
  rows.push({
    posterior: `${posterior} (${flowSteps})`,
    'logProb(rsample) ms': +median(a).toFixed(2),
    'rsampleAndLogProb ms': +median(b).toFixed(2),
    speed_up: +(median(a) / median(b)).toFixed(2),
  });
  vae.dispose();
}
console.log(`log q of the posterior's own sample with gradients, batch ${batch}, latent 10, backend ${tf.getBackend()}`);
console.table(rows);
x.dispose();
