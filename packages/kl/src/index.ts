// The public surface of @vae/kl: every export is named here and nowhere else.
export { KLRegistry, createKLRegistry } from './registry.js';
export type { DistributionClass, KLEntry, KLFunction } from './registry.js';
export { defaultKLRegistry, klDivergence } from './kl-divergence.js';
export type { KLDivergenceOptions } from './kl-divergence.js';
export { monteCarloKL } from './monte-carlo.js';
export type { MonteCarloKLOptions } from './monte-carlo.js';
export { builtinKLEntries } from './pairs/index.js';
export { klNormalNormal } from './pairs/normal.js';
