// The Bernoulli likelihood of a training step on its own, forward and gradient in the logits, the
// way the reference model runs it (Independent(Bernoulli({ logits })).logProb(x), summed), against
// the textbook chain it replaced (the constructor's sigmoid for probs, -softplus((1 - 2x) l) as
// separate ops, the sum and the support mask, all differentiated by tfjs), alternating in one
// process so load hits both alike. Median of rounds of 20 calls, ms per call.
//   TF_NUM_INTRAOP_THREADS=1 node tools/bench/native-bernoulli.mjs [batch=512] [backend=tensorflow]
import * as tf from '@tensorflow/tfjs';
import { selectBackend, silenceNodeBackendAdvice } from '@vae/backends';
import { Bernoulli, Independent } from '@vae/distributions';
import { softplus } from '@vae/math';
import { median } from './median.mjs';

const batch = Number(process.argv[2] ?? 512);
const chosen = await selectBackend(process.argv[3] ?? 'tensorflow');
silenceNodeBackendAdvice();
const logits = tf.randomNormal([batch, 784], 0, 3, 'float32', 1);
const x = tf.tidy(() => tf.cast(tf.less(tf.randomUniform([batch, 784], 0, 1, 'float32', 2), 0.13), 'float32'));

const current = (l) =>
  new Independent({ distribution: new Bernoulli({ logits: l, validateArgs: false }), reinterpretedBatchNdims: 1 }).logProb(x);
const chain = (l) => {
  tf.sigmoid(l); // the probs the constructor used to compute
  const lp = tf.sum(tf.neg(softplus(tf.mul(tf.sub(1, tf.mul(2, x)), l))), -1);
  const inside = tf.equal(tf.sum(tf.abs(tf.mul(x, tf.sub(1, x))), -1), 0);
  return tf.where(inside, lp, tf.fill(lp.shape, -Infinity));
};
const variants = { current, 'textbook chain': chain };
const gradOf = (f) => tf.grad((l) => tf.sum(f(l)));
const check = tf.tidy(() => tf.max(tf.abs(tf.sub(gradOf(current)(logits), gradOf(chain)(logits)))).dataSync()[0]);
const times = Object.fromEntries(Object.keys(variants).map((k) => [k, { forward: [], gradient: [] }]));
for (let round = 0; round < 15; round++) {
  for (const [name, f] of Object.entries(variants)) {
    for (const [what, g] of [
      ['forward', f],
      ['gradient', gradOf(f)],
    ]) {
      const start = performance.now();
      for (let i = 0; i < 20; i++)
        tf.tidy(() => {
          g(logits).dataSync();
        });
      times[name][what].push((performance.now() - start) / 20);
    }
  }
}
console.log(`${chosen.reason}; [${batch}, 784]; largest gradient difference between the two: ${check}`);
for (const [name, t] of Object.entries(times))
  console.log(`${name.padEnd(16)} forward ${median(t.forward).toFixed(3)} ms, forward + gradient ${median(t.gradient).toFixed(3)} ms`);
tf.dispose([logits, x]);
