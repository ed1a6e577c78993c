import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@vae/math';
import type { Independent } from '@vae/distributions';
import { analyticKL } from '../analytic.js';
import type { KLRegistry } from '../registry.js';

/**
 * KL(Independent(p_base) || Independent(q_base)): the base divergence summed over the
 * reinterpreted dimensions.
 *
 * @remarks
 * Coordinates that `Independent` reinterprets as one event are independent, so
 * KL = sum over the last n batch axes of KL(p_base || q_base), n = reinterpretedBatchNdims. The
 * base pair is looked up in the registry the call was dispatched from (so it may be analytic for
 * any pair registered there, including user pairs); the registry is passed in, never imported, so
 * this module does not depend on `klDivergence` or the default registry. Both must reinterpret the same number of dimensions and have bases over
 * the same event shape; otherwise the reinterpreted axes would not line up and this throws.
 *
 * @param p - first Independent
 * @param q - second Independent
 * @param registry - where to look up the base pair (`klDivergence` passes its own)
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Independent, Normal } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const p = new Independent({ distribution: new Normal({ loc: [0, 0], scale: 1 }), reinterpretedBatchNdims: 1 });
 *   const q = new Independent({ distribution: new Normal({ loc: [1, 1], scale: 1 }), reinterpretedBatchNdims: 1 });
 *   console.log(klDivergence(p, q).dataSync()[0]); // 1 = 2 * 0.5
 * });
 * ```
 */
export function klIndependentIndependent(p: Independent, q: Independent, registry?: KLRegistry): tf.Tensor {
  if (registry === undefined) {
    throw new InvalidArgumentError(
      'registry',
      'the registry the pair was dispatched from (klDivergence passes it)',
      'got undefined',
      'klIndependentIndependent',
    );
  }
  const n = p.reinterpretedBatchNdims;
  const pe = p.distribution.eventShape;
  const qe = q.distribution.eventShape;
  if (n !== q.reinterpretedBatchNdims || pe.length !== qe.length || pe.some((d, i) => d !== qe[i])) {
    throw new InvalidArgumentError(
      'p and q',
      'Independent distributions with the same reinterpretedBatchNdims over bases with the same event shape',
      `p reinterprets ${n} dims of a ${p.distribution.name} with eventShape [${pe}], q reinterprets ` +
        `${q.reinterpretedBatchNdims} of a ${q.distribution.name} with eventShape [${qe}]`,
      'klIndependentIndependent',
    );
  }
  return tf.tidy(() => {
    const base = analyticKL(p.distribution, q.distribution, registry);
    if (n === 0) return base;
    return tf.sum(
      base,
      Array.from({ length: n }, (_, i) => base.rank - 1 - i),
    );
  });
}
