// The seeds' MNIST VAE hand-written in plain tfjs, as a careful user would write it without our
// packages: fused dense layers, the reparameterization trick, binary cross-entropy from logits and
// the analytic Gaussian KL. The harness times it beside the reference model, so the cost of our
// abstractions shows as a ratio.
import * as tf from '@tensorflow/tfjs';

function dense(inputs, outputs, seed) {
  const limit = Math.sqrt(6 / (inputs + outputs));
  return { w: tf.variable(tf.randomUniform([inputs, outputs], -limit, limit, 'float32', seed)), b: tf.variable(tf.zeros([outputs])) };
}

/**
 * Builds the model and returns a function that runs one training step (forward, backward, Adam)
 * on a [batch, 784] binary tensor, plus a dispose function.
 */
export function createPlainVae({ latentDim = 2, learningRate = 3e-4, seed = 1 } = {}) {
  const enc = [dense(784, 256, seed), dense(256, 64, seed + 1), dense(64, 32, seed + 2), dense(32, 2 * latentDim, seed + 3)];
  const dec = [dense(latentDim, 32, seed + 4), dense(32, 64, seed + 5), dense(64, 256, seed + 6), dense(256, 784, seed + 7)];
  // The seeds' decoder has no activation after its first layer.
  const encAct = ['elu', 'elu', 'elu', 'linear'];
  const decAct = ['linear', 'elu', 'elu', 'linear'];
  const optimizer = tf.train.adam(learningRate);
  let step = 0;
  const forward = (layers, acts, h) => layers.reduce((x, l, i) => tf.fused.matMul({ a: x, b: l.w, bias: l.b, activation: acts[i] }), h);

  function trainStep(x) {
    step++;
    return tf.tidy(() => {
      const loss = optimizer.minimize(() => {
        const stats = forward(enc, encAct, x);
        const [mu, logVar] = tf.split(stats, 2, 1);
        const eps = tf.randomNormal(mu.shape, 0, 1, 'float32', step);
        const z = tf.add(mu, tf.mul(tf.exp(tf.mul(0.5, logVar)), eps));
        const logits = forward(dec, decAct, z);
        // BCE from logits: softplus(l) - x l, summed over pixels.
        const rec = tf.sum(tf.sub(tf.softplus(logits), tf.mul(x, logits)));
        const kl = tf.mul(-0.5, tf.sum(tf.sub(tf.add(1, logVar), tf.add(tf.square(mu), tf.exp(logVar)))));
        return tf.div(tf.add(rec, kl), x.shape[0]);
      }, true);
      return loss.dataSync()[0];
    });
  }
  function dispose() {
    tf.dispose([...enc, ...dec].flatMap((l) => [l.w, l.b]));
    optimizer.dispose();
  }
  return { trainStep, dispose };
}
