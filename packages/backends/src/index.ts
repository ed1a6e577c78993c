// The public surface of @vae/backends: every export is named here and nowhere else.
export { disableFastWasmMatMul, enableFastWasmMatMul, isFastWasmMatMulEnabled } from './wasm-matmul.js';
export type { FastWasmMatMulOptions } from './wasm-matmul.js';
export { NATIVE_BACKEND_PACKAGES, nativeIntraOpThreads, selectBackend } from './select-backend.js';
export type { BackendEnvironment, BackendPreference, NativeThreads, SelectBackendOptions, SelectedBackend } from './select-backend.js';
export { FusedAdamOptimizer, fusedAdam } from './fused-adam.js';
// Re-exported from its owner, @vae/math, for the scripts that already import it from here.
export { silenceNodeBackendAdvice } from '@vae/math';
export { disableFastWasmKernels, enableFastWasmKernels } from './fast-wasm.js';
export { disableNativeKernels, enableNativeKernels, isNativeDenseActive, nativeDense } from './native-dense.js';
export type { NativeDenseActivation } from './native-dense.js';
