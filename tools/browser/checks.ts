// The cross-backend checks `npm run test:browser` runs in Chromium on every backend and in Node on
// cpu (the reference). A check is a name and a function returning named tensors (compared within
// the backend's float32 tolerance) or strings (compared exactly); to add one, append to CHECKS.
import * as tf from '@tensorflow/tfjs-core';
import { fusedAdam } from '@vae/backends';
import { Beta, Dirichlet, Gamma, HypersphericalUniform, Normal, PowerSpherical, VonMisesFisher } from '@vae/distributions';
import { klDivergence } from '@vae/kl';
import { digamma, lgamma, logBesselI } from '@vae/math';
import { gammaSample, normalSample, powerSphericalSample, vonMisesFisherSample } from '@vae/samplers';
// Deep imports of the browser-safe modules: the package's entry point also exports the CLI and
// file-system helpers.
import { MnistVae } from '../../packages/mnist-vae/src/model.js';
import { trainingStep } from '../../packages/mnist-vae/src/train.js';
import { Rng } from '../../packages/mnist-vae/src/rng.js';

/** What a check returns: tensors (disposed by the harness) and exact strings. */
export type CheckOutput = Record<string, tf.Tensor | string>;

/** One named check. */
export interface Check {
  name: string;
  /** Multiplies the backend's tolerance (iterated computations drift further). */
  toleranceScale?: number;
  /** Synchronous, so the harness can run it inside `tf.tidy`. */
  run(): CheckOutput;
}

const unitRows = (rows: number[][]): tf.Tensor2D => {
  const t = tf.tensor2d(rows);
  return tf.tidy(() => tf.div(t, tf.norm(t, 'euclidean', -1, true))) as tf.Tensor2D;
};

function errorMessage(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
  return 'no error';
}

// A 20-step training run of the reference model (784-256-64-32 encoder, fused Adam) on seeded
// binary images: the losses of every step and a slice of the final decoder weights.
function trainTwentySteps(posterior: 'normal' | 'vmf'): CheckOutput {
  const batch = 8;
  const rng = new Rng(7);
  const pixels = new Float32Array(batch * 784);
  for (let i = 0; i < pixels.length; i++) pixels[i] = rng.next() < 0.2 + 0.6 * ((i % 784) / 784) ? 1 : 0;
  const model = new MnistVae({ posterior, latentDim: posterior === 'vmf' ? 3 : 2, seed: 3 });
  const optimizer = fusedAdam(1e-3);
  const x = tf.tensor2d(pixels, [batch, 784]);
  const losses: number[] = [];
  for (let step = 0; step < 20; step++) losses.push(trainingStep(model, optimizer, x, { seed: step }).loss);
  const last = model.namedWeights().at(-1)!;
  const weights = tf.slice(tf.reshape(last.tensor, [-1]), 0, 64);
  x.dispose();
  optimizer.dispose();
  model.dispose();
  return { losses: tf.tensor1d(losses), lastWeights: weights };
}

export const CHECKS: Check[] = [
  {
    name: 'math: lgamma, digamma, log Bessel I from tiny to large arguments',
    run: () => {
      const x = tf.tensor1d([1e-6, 0.01, 0.5, 1, 2.5, 10, 150, 3e4]);
      const v = tf.tensor1d([0, 0.5, 1, 2.5, 15, 30, 100, 500]);
      const out = {
        lgamma: lgamma(x),
        digamma: digamma(x),
        logBesselI: logBesselI(v, x),
        gradLogBesselI: tf.grad((z: tf.Tensor) => tf.sum(logBesselI(v, z)))(x),
      };
      tf.dispose([x, v]);
      return out;
    },
  },
  {
    name: 'kl: Normal || Normal, values and gradients',
    run: () => {
      const loc = tf.tensor1d([0, 1.5, -3, 10]);
      const scale = tf.tensor1d([1, 0.1, 5, 1e-3]);
      const f = (l: tf.Tensor, s: tf.Tensor) => klDivergence(new Normal({ loc: l, scale: s }), new Normal({ loc: 0.5, scale: 2 }));
      const value = f(loc, scale);
      const [dLoc, dScale] = tf.grads((l: tf.Tensor, s: tf.Tensor) => tf.sum(f(l, s)))([loc, scale]);
      tf.dispose([loc, scale]);
      return { value, dLoc: dLoc!, dScale: dScale! };
    },
  },
  {
    name: 'kl: von Mises-Fisher || uniform on the sphere, values and gradients in kappa',
    run: () => {
      const mu = unitRows([
        [1, 0, 0],
        [0, 1, 0],
        [1, 1, 1],
        [0, 0, 1],
        [3, -1, 2],
      ]);
      const kappa = tf.tensor1d([0.01, 1, 10, 100, 1000]);
      const f = (k: tf.Tensor) =>
        klDivergence(new VonMisesFisher({ meanDirection: mu, concentration: k }), new HypersphericalUniform({ dim: 3 }));
      const value = f(kappa);
      const dKappa = tf.grad((k: tf.Tensor) => tf.sum(f(k)))(kappa);
      const mu16 = unitRows([Array.from({ length: 16 }, (_, i) => i - 7)]);
      const value16 = klDivergence(
        new VonMisesFisher({ meanDirection: mu16, concentration: [50] }),
        new HypersphericalUniform({ dim: 16 }),
      );
      tf.dispose([mu, kappa, mu16]);
      return { value, dKappa, value16 };
    },
  },
  {
    name: 'samplers: seeded draws (seed 0 and 42) equal on every backend',
    run: () => {
      const mu = unitRows([
        [1, 2, 2],
        [0, 0, 1],
      ]);
      const out = {
        normalSeed0: normalSample([0, 1], [1, 2], [3, 2], 0),
        normalSeed42: normalSample([0, 1], [1, 2], [3, 2], 42),
        vmfSeed0: vonMisesFisherSample(mu, [5, 50], [4, 2], 0),
        vmfSeed42: vonMisesFisherSample(mu, [5, 50], [4, 2], 42),
        powerSphericalSeed0: powerSphericalSample(mu, [5, 50], [4, 2], 0),
        gammaSeed0: gammaSample([0.3, 1, 7], 1.5, [5, 3], 0),
      };
      mu.dispose();
      return out;
    },
  },
  {
    name: 'distributions: logProb and its gradients (Gamma, Beta, Dirichlet, vMF, Power Spherical)',
    run: () => {
      const a = tf.tensor1d([0.5, 2, 30]);
      const x = tf.tensor1d([0.2, 1.5, 25]);
      const gammaGrad = tf.grads((c: tf.Tensor, v: tf.Tensor) => tf.sum(new Gamma({ concentration: c, rate: 1.3 }).logProb(v)))([a, x]);
      const p = tf.tensor1d([0.1, 0.5, 0.999]);
      const betaGrad = tf.grads((c: tf.Tensor, v: tf.Tensor) => tf.sum(new Beta({ concentration1: c, concentration0: 2 }).logProb(v)))([
        a,
        p,
      ]);
      const conc = tf.tensor2d([
        [0.5, 1, 2],
        [10, 20, 30],
      ]);
      const simplex = tf.tensor2d([
        [0.2, 0.3, 0.5],
        [0.01, 0.09, 0.9],
      ]);
      const dirGrad = tf.grad((c: tf.Tensor) => tf.sum(new Dirichlet({ concentration: c }).logProb(simplex)))(conc);
      const mu = unitRows([
        [1, 0, 0],
        [1, 2, 3],
      ]);
      const z = unitRows([
        [0, 1, 0],
        [1, 2, 2.5],
      ]);
      const k = tf.tensor1d([3, 300]);
      const vmfGrad = tf.grad((c: tf.Tensor) => tf.sum(new VonMisesFisher({ meanDirection: mu, concentration: c }).logProb(z)))(k);
      const psGrad = tf.grad((c: tf.Tensor) => tf.sum(new PowerSpherical({ meanDirection: mu, concentration: c }).logProb(z)))(k);
      const out = {
        gamma: new Gamma({ concentration: a, rate: 1.3 }).logProb(x),
        gammaDConcentration: gammaGrad[0]!,
        gammaDValue: gammaGrad[1]!,
        beta: new Beta({ concentration1: a, concentration0: 2 }).logProb(p),
        betaDConcentration: betaGrad[0]!,
        betaDValue: betaGrad[1]!,
        dirichlet: new Dirichlet({ concentration: conc }).logProb(simplex),
        dirichletDConcentration: dirGrad,
        vmf: new VonMisesFisher({ meanDirection: mu, concentration: k }).logProb(z),
        vmfDConcentration: vmfGrad,
        powerSpherical: new PowerSpherical({ meanDirection: mu, concentration: k }).logProb(z),
        powerSphericalDConcentration: psGrad,
      };
      tf.dispose([a, x, p, conc, simplex, mu, z, k]);
      return out;
    },
  },
  {
    name: 'errors: messages name the family and the argument in a minified bundle',
    run: () => ({
      normalScale: errorMessage(() => new Normal({ loc: 0, scale: -1 })),
      vmfKappa: errorMessage(() => new VonMisesFisher({ meanDirection: [1, 0, 0], concentration: -2 })),
      noKL: errorMessage(() =>
        klDivergence(new Gamma({ concentration: 1, rate: 1 }), new VonMisesFisher({ meanDirection: [1, 0], concentration: 1 })),
      ),
    }),
  },
  { name: 'training: 20 steps of the Gaussian VAE (784-256-64-32, fused Adam)', toleranceScale: 10, run: () => trainTwentySteps('normal') },
  { name: 'training: 20 steps of the vMF VAE (S^2 latent)', toleranceScale: 10, run: () => trainTwentySteps('vmf') },
];
