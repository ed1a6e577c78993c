// The reference model (@vae/mnist-vae's MnistVae with its defaults: the seeds' architecture, a 2-d
// Gaussian posterior, N(0, I) prior, Bernoulli likelihood, @vae/elbo's analytic-KL ELBO), stepped
// by `trainingStep` with `fusedAdam`, the same function and optimizer `vae train` runs: gradients,
// the Adam update and one read-back of the loss and ELBO terms per batch.
// The union package registers the ops' gradients and the backends the model trains on.
import '@tensorflow/tfjs';
import { fusedAdam } from '@vae/backends';
import { MnistVae, trainingStep } from '@vae/mnist-vae';

export async function createReferenceTrainer() {
  const model = new MnistVae({});
  const optimizer = fusedAdam(3e-4);
  let step = 0;
  return {
    trainStep(x) {
      trainingStep(model, optimizer, x, { seed: step++ });
    },
    model,
    dispose() {
      model.dispose();
      optimizer.dispose();
    },
  };
}
