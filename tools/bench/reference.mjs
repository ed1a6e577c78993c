// The reference model (@vae/mnist-vae's MnistVae with its defaults: the seeds' architecture, a 2-d
// Gaussian posterior, N(0, I) prior, Bernoulli likelihood, @vae/elbo's analytic-KL ELBO), stepped
// the way the harness steps the hand-written model: one Adam step per call on a prepared batch.
import * as tf from '@tensorflow/tfjs';
import { MnistVae } from '@vae/mnist-vae';

export async function createReferenceTrainer() {
  const model = new MnistVae({});
  const optimizer = tf.train.adam(3e-4);
  let step = 0;
  return {
    trainStep(x) {
      tf.tidy(() => {
        const loss = optimizer.minimize(() => model.loss(x, { seed: step++ }).loss, true, model.trainableVariables);
        loss.dataSync();
      });
    },
    model,
    dispose() {
      model.dispose();
      optimizer.dispose();
    },
  };
}
