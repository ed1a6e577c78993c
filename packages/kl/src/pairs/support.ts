import * as tf from '@tensorflow/tfjs-core';
import { broadcastShapes } from '@vae/math';
import type { Distribution } from '@vae/distributions';

/**
 * KL(p || q) = +Infinity for families whose supports never nest: p puts mass where q has none.
 *
 * @remarks
 * Registered for every pair where p's support is never contained in q's, whatever the parameters
 * (as torch.distributions does): Normal, Laplace -> Exponential, Gamma, Beta, Uniform,
 * ContinuousBernoulli; Exponential, Gamma -> Beta, Uniform, ContinuousBernoulli. Pairs whose
 * supports nest only for some parameters (e.g. Uniform -> Uniform) return +Infinity elementwise
 * from their own functions instead.
 *
 * @param p - the first distribution
 * @param q - the second distribution
 * @returns +Infinity, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Exponential, Normal } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new Normal({ loc: [0, 1], scale: 1 }), new Exponential({ rate: 1 }));
 *   console.log(kl.arraySync()); // [Infinity, Infinity]
 * });
 * ```
 */
export function klSupportNotContained(p: Distribution, q: Distribution): tf.Tensor {
  return tf.fill(broadcastShapes([p.batchShape, q.batchShape], ['p.batchShape', 'q.batchShape'], 'klSupportNotContained'), Infinity);
}
