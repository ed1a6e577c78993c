// The Gaussian KL of a training step on its own, forward and gradient in the posterior's loc and
// scale, the way the reference model runs it (Independent(Normal) against the N(0, I) prior,
// klDivergence, summed over the latent axis), against the custom-gradient op it replaced (the same
// series, with its 14 scalar constants, every op through the tfjs engine, and a gradient that also
// computes the prior's), alternating in one process so load hits all alike. Median of rounds of
// 50 calls, ms per call; also the TensorFlow calls per call of each.
//   TF_NUM_INTRAOP_THREADS=1 node tools/bench/native-normal-kl.mjs [batch=128] [backend=tensorflow]   (after a build)
import * as tf from '@tensorflow/tfjs';
import { selectBackend, silenceNodeBackendAdvice } from '@vae/backends';
import { Independent, Normal } from '@vae/distributions';
import { klDivergence } from '@vae/kl';
import { normalKL, polyval, sumToShape } from '@vae/math';
import { median } from './median.mjs';

const batch = Number(process.argv[2] ?? 128);
const chosen = await selectBackend(process.argv[3] ?? 'tensorflow');
silenceNodeBackendAdvice();
const loc = tf.randomNormal([batch, 2], 0, 1, 'float32', 1);
const scale = tf.exp(tf.randomNormal([batch, 2], 0, 0.5, 'float32', 2));
const prior = new Independent({ distribution: new Normal({ loc: tf.zeros([2]), scale: tf.ones([2]) }), reinterpretedBatchNdims: 1 });

// The op before the fifth pass (packages/kl/src/pairs/normal.ts at e2c0898), kept here to compare.
const ATANH_TAIL = [1 / 3, 1 / 5, 1 / 7, 1 / 9, 1 / 11, 1 / 13, 1 / 15];
function scaleTerm(scaleP, scaleQ, d) {
  const near = tf.less(tf.abs(d), 0.5);
  const dNear = tf.mul(d, tf.cast(near, 'float32'));
  const s = tf.div(dNear, tf.add(dNear, 2));
  const s2 = tf.square(s);
  const tail = polyval(ATANH_TAIL, s2);
  const oneMinusS = tf.sub(1, s);
  const series = tf.mul(tf.mul(4, s2), tf.sub(tf.div(tf.sub(2, s), tf.square(oneMinusS)), tf.mul(s, tail)));
  const logRho = tf.sub(tf.log(scaleP), tf.log(scaleQ));
  const direct = tf.sub(tf.sub(tf.exp(tf.sub(tf.mul(2, logRho), Math.LN2)), 0.5), logRho);
  return tf.where(near, tf.mul(0.5, series), direct);
}
const previousOp = tf.customGrad((locP, scaleP, locQ, scaleQ, save) => {
  const z = tf.div(tf.sub(locP, locQ), scaleQ);
  const d = tf.div(tf.sub(scaleP, scaleQ), scaleQ);
  const value = tf.add(scaleTerm(scaleP, scaleQ, d), tf.square(tf.mul(z, Math.SQRT1_2)));
  save([locP, scaleP, locQ, scaleQ, z, d]);
  return {
    value,
    gradFunc: (dy, [mp, sp, mq, sq, z, d]) => {
      const w = tf.mul(d, tf.add(d, 2));
      const dLocP = tf.mul(dy, tf.div(z, sq));
      return [
        sumToShape(dLocP, mp.shape),
        sumToShape(tf.mul(dy, tf.div(w, sp)), sp.shape),
        sumToShape(tf.neg(dLocP), mq.shape),
        sumToShape(tf.mul(dy, tf.neg(tf.div(tf.add(w, tf.square(z)), sq))), sq.shape),
      ];
    },
  };
});

const current = (m, s) =>
  klDivergence(new Independent({ distribution: new Normal({ loc: m, scale: s, validateArgs: false }), reinterpretedBatchNdims: 1 }), prior);
const kernel = (m, s) => tf.sum(normalKL(m, s, prior.distribution.loc, prior.distribution.scale), -1);
const previous = (m, s) => tf.sum(previousOp(m, s, prior.distribution.loc, prior.distribution.scale), -1);
// 'klDivergence' adds what the model's call adds around the op: two distributions and the registry's dispatch.
const variants = { klDivergence: current, 'normalKL op': kernel, 'previous op': previous };
const gradOf = (f) => tf.grads((m, s) => tf.sum(f(m, s)));
const check = tf.tidy(() => {
  const [a, b] = [gradOf(current)([loc, scale]), gradOf(previous)([loc, scale])];
  const value = tf.max(tf.abs(tf.div(tf.sub(current(loc, scale), previous(loc, scale)), previous(loc, scale)))).dataSync()[0];
  return [value, ...a.map((g, i) => tf.max(tf.abs(tf.sub(g, b[i]))).dataSync()[0])];
});
const backend = tf.backend();
let calls = 0;
if (typeof backend.executeSingleOutput === 'function') {
  for (const method of ['executeSingleOutput', 'executeMultipleOutputs']) {
    const original = backend[method].bind(backend);
    backend[method] = (...args) => {
      calls++;
      return original(...args);
    };
  }
}
const callCount = {};
for (const [name, f] of Object.entries(variants)) {
  calls = 0;
  tf.tidy(() => gradOf(f)([loc, scale]));
  callCount[name] = calls;
}
const times = Object.fromEntries(Object.keys(variants).map((k) => [k, { forward: [], gradient: [] }]));
for (let round = 0; round < 15; round++) {
  for (const [name, f] of Object.entries(variants)) {
    for (const [what, g] of [
      ['forward', () => f(loc, scale)],
      ['gradient', () => gradOf(f)([loc, scale])],
    ]) {
      const start = performance.now();
      for (let i = 0; i < 50; i++) tf.tidy(g);
      times[name][what].push((performance.now() - start) / 50);
    }
  }
}
console.log(
  `${chosen.reason}; [${batch}, 2]; largest relative value difference ${check[0].toExponential(1)}, gradient differences ${check
    .slice(1)
    .map((v) => v.toExponential(1))
    .join(', ')}`,
);
for (const [name, t] of Object.entries(times))
  console.log(
    `${name.padEnd(13)} forward ${median(t.forward).toFixed(3)} ms, forward + gradient ${median(t.gradient).toFixed(3)} ms, ${callCount[name]} TensorFlow calls (forward + gradient)`,
  );
tf.dispose([loc, scale]);
prior.dispose();
