import * as tf from '@tensorflow/tfjs-core';
import type { LogNormal } from '@vae/distributions';
import { normalKL } from '@vae/math';

/**
 * KL(LogNormal(mu_p, s_p) || LogNormal(mu_q, s_q)): the divergence of the underlying normals.
 *
 * @remarks
 * KL is invariant under the bijection x = exp(z), so it equals KL(N(mu_p, s_p^2) || N(mu_q, s_q^2))
 * = [(r - 1 - log r) + ((mu_p - mu_q) / s_q)^2] / 2 with r = (s_p / s_q)^2, computed as in
 * {@link klNormalNormal} (no cancellation when the two are nearly equal).
 *
 * @param p - first log-normal
 * @param q - second log-normal
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { LogNormal } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new LogNormal({ loc: 0, scale: 1 }), new LogNormal({ loc: 1, scale: 1 }));
 *   console.log(kl.dataSync()[0]); // 0.5
 * });
 * ```
 */
export function klLogNormalLogNormal(p: LogNormal, q: LogNormal): tf.Tensor {
  return tf.tidy(() => normalKL(p.loc, p.scale, q.loc, q.scale));
}
