// The public surface of @vae/math: every export is named here and nowhere else.
export { InvalidArgumentError } from './errors.js';
export { broadcastShapes, stopGradient, toFloat32 } from './tensor.js';
export type { TensorInput } from './tensor.js';
export { assertElementwise, assertFinite, assertNotNaN } from './validate.js';
