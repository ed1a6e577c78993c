import type * as tf from '@tensorflow/tfjs-core';
import type { Distribution } from '@vae/distributions';
import { analyticKL } from './analytic.js';
import { builtinKLEntries } from './pairs/index.js';
import { monteCarloKL } from './monte-carlo.js';
import type { MonteCarloKLOptions } from './monte-carlo.js';
import { createKLRegistry } from './registry.js';
import type { KLRegistry } from './registry.js';

/**
 * The registry `klDivergence` uses unless told otherwise: every built-in pair. Add your own pairs
 * with `defaultKLRegistry.register(P, Q, fn)`, or build a separate one with `createKLRegistry`.
 */
export const defaultKLRegistry: KLRegistry = createKLRegistry(builtinKLEntries);

/** Options of {@link klDivergence}. */
export interface KLDivergenceOptions extends MonteCarloKLOptions {
  /** The registry to look the pair up in (default {@link defaultKLRegistry}). */
  registry?: KLRegistry;
  /** What to do when no analytic pair applies: throw (default) or estimate by Monte Carlo. */
  fallback?: 'none' | 'monteCarlo';
}

/**
 * KL(p || q): analytic when the registry has a pair for the two families, otherwise a Monte Carlo
 * estimate if `fallback: 'monteCarlo'` is given, otherwise an error that lists what is registered.
 *
 * @remarks
 * KL(p || q) = E_p[log p(z) - log q(z)] >= 0. Dispatch walks both class hierarchies (see
 * {@link KLRegistry}). Where p's support is not inside q's the analytic result is +Infinity.
 *
 * @param p - the first distribution
 * @param q - the second distribution
 * @param options - registry, fallback and Monte Carlo options
 * @returns KL(p || q), of shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Normal } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const q = new Normal({ loc: [0, 1], scale: [1, 0.5] });
 *   const prior = new Normal({ loc: 0, scale: 1 });
 *   console.log(klDivergence(q, prior).arraySync()); // [0, 0.8181]: log 2 + (0.25 + 1) / 2 - 1/2
 * });
 * ```
 */
export function klDivergence(p: Distribution, q: Distribution, options: KLDivergenceOptions = {}): tf.Tensor {
  const registry = options.registry ?? defaultKLRegistry;
  if (options.fallback === 'monteCarlo' && !registry.find(p, q)) return monteCarloKL(p, q, options);
  return analyticKL(p, q, registry);
}
