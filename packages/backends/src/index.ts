// The public surface of @vae/backends: every export is named here and nowhere else.
export { disableFastWasmMatMul, enableFastWasmMatMul, isFastWasmMatMulEnabled } from './wasm-matmul.js';
