// Analytic dispatch: look a pair up in a registry and evaluate it with the shape checks every
// analytic KL shares. Pairs that delegate to other pairs (Independent) call this with the registry
// they were called from, so no pair imports `klDivergence` (and the default registry built from the
// pairs) back: the module graph stays acyclic.
import * as tf from '@tensorflow/tfjs-core';
import { broadcastShapes } from '@vae/math';
import type { Distribution } from '@vae/distributions';
import { assertSameEvent } from './monte-carlo.js';
import type { KLRegistry } from './registry.js';

/**
 * Package-internal: KL(p || q) from the nearest pair in `registry`, broadcast to
 * broadcast(p.batchShape, q.batchShape); an error listing the related pairs when none applies.
 */
export function analyticKL(p: Distribution, q: Distribution, registry: KLRegistry): tf.Tensor {
  const kl = registry.find(p, q);
  if (!kl && registry.lookup(p.constructor as never, q.constructor as never)) {
    throw new Error(
      `The analytic KL(${p.name} || ${q.name}) registered does not hold for these two (its condition declined them, ` +
        `e.g. two TransformedDistributions with different bijectors). Pass { fallback: 'monteCarlo' } for an estimate.`,
    );
  }
  if (!kl) {
    const related = registry.related(p.constructor as never, q.constructor as never);
    const listed = related.length ? related.map(([a, b]) => `(${a}, ${b})`).join(', ') : 'none';
    throw new Error(
      `No analytic KL(${p.name} || ${q.name}) is registered. Pairs registered for ${p.name} or ${q.name}: ${listed}. ` +
        `Pass { fallback: 'monteCarlo' } for an estimate, or register one with registry.register(${p.name}, ${q.name}, fn).`,
    );
  }
  assertSameEvent(p, q, 'klDivergence');
  const batchShape = broadcastShapes([p.batchShape, q.batchShape], ['p.batchShape', 'q.batchShape'], 'klDivergence');
  return tf.tidy(() => tf.broadcastTo(kl(p, q, registry), batchShape));
}
