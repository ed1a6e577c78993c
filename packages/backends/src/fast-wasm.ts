import * as tf from '@tensorflow/tfjs-core';
import { tfjsInternalsSupported } from './wasm-internals.js';
import { disableFastWasmMatMul, enableFastWasmMatMul, type FastWasmMatMulOptions } from './wasm-matmul.js';
import { registerAccurateSoftplusKernel, unregisterAccurateSoftplusKernel } from './wasm-softplus.js';
import { registerSphericalTermsKernel, unregisterSphericalTermsKernel } from './wasm-spherical.js';
import { disableFastWasmSum, enableFastWasmSum } from './wasm-sum.js';

/**
 * Turns on every wasm speed-up of this package: {@link enableFastWasmMatMul}'s matrix products,
 * sums over leading axes in one pass, and a one-pass softplus that `@vae/math` uses.
 *
 * @remarks
 * The softplus is a WebAssembly SIMD kernel registered for the wasm backend as `AccurateSoftplus`:
 * `max(x, 0) + log1p(exp(-|x|))` with exp(-|x|) = 2^-n exp(-r) (Cody-Waite reduction, Cephes'
 * polynomial) and log1p(e) = 2 atanh(e / (2 + e)) as a series, within 3 float32 ulps of float64
 * softplus over the whole range, subnormal results included. `@vae/math`'s `softplus` (and so
 * every Bernoulli likelihood from logits) runs it instead of about twenty tfjs kernels: 1.5 ms to
 * about 0.1 ms per 100,000 elements. Sums over leading axes (the bias gradient of a dense layer
 * sums over the batch) run down the columns in place as a SIMD pass instead of the backend's
 * transpose and row sums. Call it after the wasm backend is initialized (after
 * `tf.setBackend('wasm')`); {@link selectBackend} does so when it picks wasm. `fusedAdam` needs no
 * switch: it uses its kernel whenever the backend is wasm. It also registers `@vae/math`'s
 * `SphericalTerms` kernel (see `sphericalTerm` there): the von Mises-Fisher and Power Spherical KL
 * to the uniform, entropy and log normalizer with their gradients, one kernel each, evaluated in
 * float64 on the wasm heap. Under a tfjs-core version outside `TFJS_INTERNALS_VERSIONS` (the
 * kernels read private fields of tfjs-backend-wasm) it warns on the console, naming the version,
 * and changes nothing.
 *
 * @param options - passed to {@link enableFastWasmMatMul}
 * @returns nothing
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-wasm';
 * import { disableFastWasmKernels, enableFastWasmKernels } from '@vae/backends';
 * await tf.setBackend('wasm');
 * enableFastWasmKernels();
 * console.log(tf.getKernel('AccurateSoftplus', 'wasm') !== undefined); // true
 * disableFastWasmKernels();
 * await tf.setBackend('cpu');
 * ```
 */
export function enableFastWasmKernels(options: FastWasmMatMulOptions = {}): void {
  // Under a tfjs version whose internals we do not know, tfjsInternalsSupported warns and the
  // backend keeps every kernel of its own.
  if (!tfjsInternalsSupported()) return;
  enableFastWasmMatMul(options);
  enableFastWasmSum();
  const wasm = tf.findBackend('wasm');
  if (wasm) {
    registerAccurateSoftplusKernel(wasm);
    registerSphericalTermsKernel(wasm);
  }
}

/**
 * Undoes {@link enableFastWasmKernels}: the backend's own matMul kernels, and no
 * `AccurateSoftplus` or `SphericalTerms` kernel.
 *
 * @returns nothing
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-wasm';
 * import { disableFastWasmKernels } from '@vae/backends';
 * disableFastWasmKernels(); // a no-op when they are not on
 * ```
 */
export function disableFastWasmKernels(): void {
  disableFastWasmMatMul();
  disableFastWasmSum();
  unregisterAccurateSoftplusKernel();
  unregisterSphericalTermsKernel();
}
