// The public surface of @vae/priors: every export is named here and nowhere else.
export { isPrior, resolvePrior } from './prior.js';
export type { Prior } from './prior.js';
export { StandardNormalPrior } from './standard-normal.js';
export type { StandardNormalPriorParams } from './standard-normal.js';
export { LearnedNormalPrior } from './learned-normal.js';
export type { LearnedNormalPriorParams } from './learned-normal.js';
export { MixtureOfGaussiansPrior } from './mixture-of-gaussians.js';
export type { MixtureOfGaussiansPriorParams } from './mixture-of-gaussians.js';
export { VampPrior } from './vamp.js';
export type { PseudoInputInit, VampPriorParams } from './vamp.js';
export { HypersphericalUniformPrior } from './hyperspherical-uniform.js';
export type { HypersphericalUniformPriorParams } from './hyperspherical-uniform.js';
export { FlowPrior } from './flow-prior.js';
export type { FlowPriorParams } from './flow-prior.js';
