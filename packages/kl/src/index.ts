// The public surface of @vae/kl: every export is named here and nowhere else. The analytic pairs
// are reached through the registry (`klDivergence`, `builtinKLEntries`), as in TFP and torch, not
// exported one by one.
export { KLRegistry, createKLRegistry } from './registry.js';
export type { DistributionClass, KLCondition, KLEntry, KLFunction } from './registry.js';
export { defaultKLRegistry, klDivergence } from './kl-divergence.js';
export type { KLDivergenceOptions } from './kl-divergence.js';
export { monteCarloKL } from './monte-carlo.js';
export type { MonteCarloKLOptions } from './monte-carlo.js';
export { builtinKLEntries } from './pairs/index.js';
export { klVariationalApproximation } from './variational-approximation.js';
export type { VariationalApproximationOptions } from './variational-approximation.js';
