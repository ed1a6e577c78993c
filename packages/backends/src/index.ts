// The public surface of @vae/backends: every export is named here and nowhere else.
export { disableFastWasmMatMul, enableFastWasmMatMul, isFastWasmMatMulEnabled } from './wasm-matmul.js';
export type { FastWasmMatMulOptions } from './wasm-matmul.js';
export { NATIVE_BACKEND_PACKAGES, selectBackend } from './select-backend.js';
export type { BackendEnvironment, BackendPreference, SelectBackendOptions, SelectedBackend } from './select-backend.js';
export { FusedAdamOptimizer, fusedAdam } from './fused-adam.js';
export { disableFastWasmKernels, enableFastWasmKernels } from './fast-wasm.js';
