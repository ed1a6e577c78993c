// The harness's spherical section: training examples per second of the reference model with a
// von Mises-Fisher and a Power Spherical posterior (uniform prior on the sphere) beside the Gaussian
// one (N(0, I) prior) at the same latent size d = 3 and 11, batch 128, wasm with the fast kernels,
// stepped by `trainingStep` with `fusedAdam` (what `vae train` runs) in interleaved rounds; and the
// same three models in PyTorch 1.13 on one thread, the von Mises-Fisher one with s-vae's algorithm
// (Wood's rejection sampler, KL to the uniform) as written in torch_vae.py.
//   node tools/bench/run.mjs --only=Spherical [--quick]        (after a build; npm run bench runs it too)
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fusedAdam } from '@vae/backends';
import { MnistVae, trainingStep } from '@vae/mnist-vae';

const POSTERIORS = { gaussian: 'normal', vmf: 'vmf', 'power-spherical': 'power-spherical' };

function trainer(tf, posterior, latentDim) {
  const model = new MnistVae({ posterior, latentDim });
  const optimizer = fusedAdam(3e-4);
  let seed = 0;
  return {
    trainStep(x) {
      trainingStep(model, optimizer, x, { seed: seed++ });
    },
    dispose() {
      model.dispose();
      optimizer.dispose();
    },
  };
}

// Debian's interpreter first (the harness's PyTorch 1.13), then whichever python3 has torch and scipy.
function torchSpherical(dims, quick) {
  for (const python of ['/usr/bin/python3', 'python3']) {
    try {
      const args = [join(import.meta.dirname, 'torch_vae.py'), '--spherical', dims.join(','), ...(quick ? ['--quick'] : [])];
      const out = execFileSync(python, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      return JSON.parse(out.trim().split('\n').pop());
    } catch {
      // try the next interpreter
    }
  }
  return null;
}

export const sphericalSections = {
  'Spherical latents: training examples per second (batch 128, wasm with the fast kernels, interleaved) and PyTorch (1 thread)': async ({
    tf,
    onBackend,
    interleavedRates,
    randomBinaryBatches,
    quick,
  }) => {
    await onBackend('wasm', true);
    const batch = 128;
    const dims = [3, 11];
    const data = randomBinaryBatches(batch, 4);
    const rows = [];
    for (const d of dims) {
      const trainers = Object.fromEntries(Object.entries(POSTERIORS).map(([name, posterior]) => [name, trainer(tf, posterior, d)]));
      const r = interleavedRates(trainers, batch, data);
      Object.values(trainers).forEach((t) => t.dispose());
      for (const name of Object.keys(POSTERIORS)) {
        rows.push({ d, posterior: name, 'ours ex/s': Math.round(r[name]), 'ours / our Gaussian': +(r[name] / r.gaussian).toFixed(2) });
      }
    }
    const torch = torchSpherical(dims, quick);
    if (torch) {
      for (const row of rows) {
        const t = torch.examplesPerSecond[`${row.posterior}-${row.d}`];
        const g = torch.examplesPerSecond[`gaussian-${row.d}`];
        row['pytorch ex/s'] = t;
        row['pytorch / pytorch Gaussian'] = +(t / g).toFixed(2);
        row['ours / pytorch'] = +(row['ours ex/s'] / t).toFixed(2);
        row.pytorch = torch.version;
      }
    }
    return rows;
  },
};
