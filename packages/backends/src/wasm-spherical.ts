// The `SphericalTerms` kernel of @vae/math for the wasm backend: per element, in float64 on the
// backend's own heap (the wasm backend keeps tensors in host memory, so this reads nothing back
// from a device), the value and kappa-derivative of a von Mises-Fisher or Power Spherical KL to the
// uniform, entropy, log normalizer or mean norm. @vae/math's `sphericalTerm` runs it when it is
// registered: one kernel where the tfjs formulas take thousands (a training step of a vMF VAE ran
// about 8,000 kernels, most of them in the KL and its gradient).
import * as tf from '@tensorflow/tfjs-core';
import { SPHERICAL_TERMS_KERNEL, sphericalTermsHost } from '@vae/math';
import type { SphericalFamily, SphericalQuantity } from '@vae/math';
import { GAMMA_LOG_SAMPLE_GRAD_KERNEL, gammaLogSampleDerivative } from '@vae/samplers';
import { registerWasmKernel, wasmBackendInternals } from './wasm-internals.js';

interface SphericalAttrs {
  family: SphericalFamily;
  quantity: SphericalQuantity;
  dim: number;
}

function sphericalTerms(args: { inputs: Record<string, tf.TensorInfo>; backend: object; attrs: object }): tf.TensorInfo[] {
  const { x } = args.inputs;
  if (x.dtype !== 'float32') throw new Error(`${SPHERICAL_TERMS_KERNEL}: x must be float32, got ${x.dtype}`);
  const { family, quantity, dim } = args.attrs as SphericalAttrs;
  const internals = wasmBackendInternals(args.backend)!;
  const size = tf.util.sizeFromShape(x.shape);
  const value = internals.makeOutput(x.shape.slice());
  const slope = internals.makeOutput(x.shape.slice());
  // Views made after the allocations: an allocation may grow (and so replace) the heap's buffer.
  const view = (t: tf.TensorInfo) => new Float32Array(internals.memory.buffer, internals.address(t), size);
  if (size > 0) sphericalTermsHost(family, quantity, dim, view(x), view(value), view(slope));
  return [value, slope];
}

// The implicit gradient of the Power Spherical sampler's gamma draws (@vae/samplers'
// GammaLogSampleGrad), elementwise in float64 on the heap: without it that gradient reads back.
function gammaLogSampleGrad(args: { inputs: Record<string, tf.TensorInfo>; backend: object }): tf.TensorInfo {
  const { alpha, logValue } = args.inputs;
  const internals = wasmBackendInternals(args.backend)!;
  const size = tf.util.sizeFromShape(alpha.shape);
  const out = internals.makeOutput(alpha.shape.slice());
  const view = (t: tf.TensorInfo) => new Float32Array(internals.memory.buffer, internals.address(t), size);
  const [a, logX, derivative] = [view(alpha), view(logValue), view(out)];
  for (let i = 0; i < size; i++) derivative[i] = gammaLogSampleDerivative(a[i], logX[i]);
  return out;
}

/**
 * Registers @vae/math's `SphericalTerms` kernel and @vae/samplers' `GammaLogSampleGrad` kernel
 * for the wasm backend if `backend` (the initialized wasm backend) is tfjs-backend-wasm 4.x;
 * returns whether they are registered.
 */
export function registerSphericalTermsKernel(backend: object): boolean {
  const terms = registerWasmKernel(SPHERICAL_TERMS_KERNEL, backend, () => true, sphericalTerms);
  return registerWasmKernel(GAMMA_LOG_SAMPLE_GRAD_KERNEL, backend, () => true, gammaLogSampleGrad) && terms;
}

/** Removes the `SphericalTerms` and `GammaLogSampleGrad` kernels (undoes {@link registerSphericalTermsKernel}). */
export function unregisterSphericalTermsKernel(): void {
  for (const name of [SPHERICAL_TERMS_KERNEL, GAMMA_LOG_SAMPLE_GRAD_KERNEL])
    if (tf.getKernel(name, 'wasm')) tf.unregisterKernel(name, 'wasm');
}
