import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { expectMemoryNeutral, useBackend } from '@vae/testing';
import { SPHERICAL_TERMS_KERNEL, sphericalTerm, sphericalTermsHost } from '@vae/math';
import type { SphericalFamily, SphericalQuantity } from '@vae/math';
import { GAMMA_LOG_SAMPLE_GRAD_KERNEL, gammaLogSampleDerivative, powerSphericalSample } from '@vae/samplers';
import { registerSphericalTermsKernel, unregisterSphericalTermsKernel } from './wasm-spherical.js';

const KAPPAS = [0, 1e-30, 1e-6, 0.01, 0.5, 1, 5, 19.99, 20, 100, 1e4, 1e5];
const QUANTITIES: SphericalQuantity[] = ['kl-uniform', 'entropy', 'shifted-log-normalizer', 'mean-norm'];

function expected(family: SphericalFamily, quantity: SphericalQuantity, dim: number, kappas: number[]): [Float32Array, Float32Array] {
  const value = new Float32Array(kappas.length);
  const slope = new Float32Array(kappas.length);
  sphericalTermsHost(family, quantity, dim, Float32Array.from(kappas), value, slope);
  return [value, slope];
}

// Both suites run on wasm with the SphericalTerms kernel registered, and undo both afterwards.
const useSphericalTermsKernel = () =>
  useBackend('wasm', {
    setUp: () => expect(registerSphericalTermsKernel(tf.backend())).toBe(true),
    tearDown: unregisterSphericalTermsKernel,
  });

describe('SphericalTerms (wasm)', () => {
  useSphericalTermsKernel();

  it.each(['von-mises-fisher', 'power-spherical'] as const)(
    '%s: gives exactly the host values and derivatives, for every quantity and d = 2 .. 1000',
    (family) => {
      const kappas = family === 'power-spherical' ? KAPPAS.map((k) => (k > 0 ? k : 1e-3)) : KAPPAS;
      for (const dim of [2, 3, 11, 64, 512, 1000]) {
        for (const quantity of QUANTITIES) {
          const out = tf
            .engine()
            .runKernel(
              SPHERICAL_TERMS_KERNEL,
              { x: tf.tensor2d(kappas, [2, kappas.length / 2]) },
              { family, quantity, dim },
            ) as unknown as tf.Tensor[];
          const [value, slope] = expected(family, quantity, dim, kappas);
          expect(out[0].shape).toEqual([2, kappas.length / 2]);
          expect(out[0].dataSync()).toEqual(value);
          expect(out[1].dataSync()).toEqual(slope);
          expect(Array.from(value).every(Number.isFinite) && Array.from(slope).every(Number.isFinite)).toBe(true);
          tf.dispose(out);
        }
      }
    },
  );

  it('makes sphericalTerm one kernel forward and its gradient one multiply', async () => {
    const kappa = tf.tensor1d([0.5, 3, 50]);
    const forward = await tf.profile(() => sphericalTerm('von-mises-fisher', 'kl-uniform', 11, kappa));
    // 'unnamed scope' and 'Identity' are tf.customGrad's bookkeeping (a scope entry, and a new
    // tensor on the same data), not computation.
    const kernels = (info: { kernels: { name: string }[] }) =>
      info.kernels.map((k) => k.name).filter((name) => name !== 'unnamed scope' && name !== 'Identity');
    expect(kernels(forward)).toEqual([SPHERICAL_TERMS_KERNEL]);
    const g = tf.grad((k: tf.Tensor) => tf.sum(sphericalTerm('von-mises-fisher', 'kl-uniform', 11, k)!));
    const [, slope] = expected('von-mises-fisher', 'kl-uniform', 11, [0.5, 3, 50]);
    expect(g(kappa).dataSync()).toEqual(slope);
    // (tf.profile reuses its result object: names are copied out before the next call.)
    const own = kernels(await tf.profile(() => g(kappa)));
    // Beyond what the gradient of a plain sum runs: the kernel and one multiply.
    const baseline = kernels(await tf.profile(() => tf.grad((k: tf.Tensor) => tf.sum(k))(kappa)));
    for (const name of baseline) {
      const at = own.indexOf(name);
      if (at >= 0) own.splice(at, 1);
    }
    expect(own).toEqual([SPHERICAL_TERMS_KERNEL, 'Multiply']);
    await expectMemoryNeutral(() => sphericalTerm('power-spherical', 'entropy', 3, kappa));
    await expectMemoryNeutral(() => g(kappa));
    kappa.dispose();
  });

  it('handles an empty tensor', () => {
    const out = sphericalTerm('von-mises-fisher', 'entropy', 3, tf.zeros([0]))!;
    expect(out.shape).toEqual([0]);
  });
});

describe('GammaLogSampleGrad (wasm)', () => {
  useSphericalTermsKernel();

  it('gives gammaLogSampleDerivative per element, rounded once to float32', () => {
    const alpha = [1e-3, 0.5, 1, 1.5, 7.3, 100, 1e4];
    const logX = [-500, -1, 0, 0.3, 2, 4.6, 9.2];
    const out = tf
      .engine()
      .runKernel(GAMMA_LOG_SAMPLE_GRAD_KERNEL, { alpha: tf.tensor1d(alpha), logValue: tf.tensor1d(logX) }) as tf.Tensor;
    const expected = Float32Array.from(alpha.map((a, i) => gammaLogSampleDerivative(Math.fround(a), Math.fround(logX[i]))));
    expect(out.dataSync()).toEqual(expected);
    expect(Array.from(expected).every(Number.isFinite)).toBe(true);
    out.dispose();
  });

  it('makes the Power Spherical sampler read nothing back, forward and backward', () => {
    const engine = tf.engine() as unknown as Record<'readSync' | 'read', (...args: unknown[]) => unknown>;
    const originals = { readSync: engine.readSync, read: engine.read };
    let reads = 0;
    const mu = tf.tensor2d([
      [0, 0, 1],
      [1, 0, 0],
    ]);
    const kappa = tf.tensor1d([2, 30]);
    const f = (k: tf.Tensor) => tf.sum(powerSphericalSample(mu, k, [4, 2], 7, { validateArgs: false }));
    f(kappa).dispose(); // one-time backend probes (log1p's accuracy) happen here
    for (const name of ['readSync', 'read'] as const) engine[name] = (...args: unknown[]) => (reads++, originals[name].apply(engine, args));
    let g: tf.Tensor;
    try {
      g = tf.grad(f)(kappa);
    } finally {
      Object.assign(engine, originals);
    }
    expect(reads).toBe(0);
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([mu, kappa, g]);
  });
});
