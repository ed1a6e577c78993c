import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@vae/math';
import type { Dirichlet } from '@vae/distributions';
import { betaKL } from './beta.js';
import { remainderDivergence } from './numerics.js';

/**
 * KL(Dirichlet(alpha) || Dirichlet(beta)) over the same K-simplex, accurate when the two are
 * nearly equal.
 *
 * @remarks
 * The closed form lgamma(A) - lgamma(B) - sum_k [lgamma(alpha_k) - lgamma(beta_k)] +
 * sum_k (alpha_k - beta_k)(psi(alpha_k) - psi(A)), A = sum alpha, B = sum beta (torch's
 * `_kl_dirichlet_dirichlet`), is rewritten exactly as
 * KL = sum_k R(alpha_k, beta_k - alpha_k) - R(A, B - A) with
 * R(x, h) = lgamma(x + h) - lgamma(x) - h psi(x), each evaluated from Stirling's series without
 * cancellation, so tiny divergences between nearly equal Dirichlets keep their relative accuracy.
 * When some beta_k are far below alpha_k, the R terms are about their first arguments and cancel;
 * there the sizes are taken out symbolically (see klBetaBeta) and each element keeps the form with
 * the smaller terms.
 *
 * @param p - first Dirichlet
 * @param q - second Dirichlet
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Dirichlet } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new Dirichlet({ concentration: [1, 1] }), new Dirichlet({ concentration: [2, 1] }));
 *   console.log(kl.dataSync()[0]); // 0.3069 = 1 - log 2
 * });
 * ```
 */
export function klDirichletDirichlet(p: Dirichlet, q: Dirichlet): tf.Tensor {
  const k = p.concentration.shape[p.concentration.rank - 1];
  const kq = q.concentration.shape[q.concentration.rank - 1];
  if (k !== kq) {
    throw new InvalidArgumentError('p and q', 'Dirichlets over the same simplex', `got ${k} and ${kq} categories`, 'klDirichletDirichlet');
  }
  return tf.tidy(() => {
    if (k === 2) {
      // Two categories are a Beta: its divergence also handles one negligible concentration.
      const [pa, pb] = tf.split(p.concentration, 2, -1).map((t) => tf.squeeze(t, [-1]));
      const [qa, qb] = tf.split(q.concentration, 2, -1).map((t) => tf.squeeze(t, [-1]));
      return betaKL(pa, pb, qa, qb);
    }
    return remainderDivergence(p.concentration, q.concentration);
  });
}
