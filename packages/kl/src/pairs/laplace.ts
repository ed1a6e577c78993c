import * as tf from '@tensorflow/tfjs-core';
import type { Laplace, Normal } from '@vae/distributions';
import { expm1MinusIdentity, logRatio } from './numerics.js';

/**
 * KL(Laplace(mu_p, b_p) || Laplace(mu_q, b_q)), accurate when the two are nearly equal.
 *
 * @remarks
 * With s = b_p / b_q and D = |mu_p - mu_q| / b_p, the closed form
 * -log s + s D + s exp(-D) - 1 (torch's `_kl_laplace_laplace`) is rearranged into
 * s (expm1(-D) + D) + (expm1(u) - u), u = log s = log1p((b_p - b_q) / b_q): two non-negative
 * terms, each evaluated without cancellation, so tiny divergences keep their relative accuracy.
 *
 * @param p - first Laplace distribution
 * @param q - second Laplace distribution
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Laplace } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new Laplace({ loc: 0, scale: 1 }), new Laplace({ loc: 1, scale: 1 }));
 *   console.log(kl.dataSync()[0]); // 0.3679 = exp(-1)
 * });
 * ```
 */
export function klLaplaceLaplace(p: Laplace, q: Laplace): tf.Tensor {
  return tf.tidy(() => {
    const u = logRatio(p.scale, q.scale);
    const d = tf.div(tf.abs(tf.sub(p.loc, q.loc)), p.scale);
    return tf.add(tf.mul(tf.exp(u), expm1MinusIdentity(tf.neg(d))), expm1MinusIdentity(u));
  });
}

/**
 * KL(Laplace(mu_p, b) || N(mu_q, s^2)).
 *
 * @remarks
 * KL = -(1 + log(2 b)) + log(s sqrt(2 pi)) + (2 b^2 + (mu_p - mu_q)^2) / (2 s^2): minus the
 * Laplace entropy plus the expected normal negative log density (torch's `_kl_laplace_normal`).
 *
 * @param p - the Laplace distribution
 * @param q - the normal
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Laplace, Normal } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new Laplace({ loc: 0, scale: 1 }), new Normal({ loc: 0, scale: 1 }));
 *   console.log(kl.dataSync()[0]); // 0.2258 = log(sqrt(2 pi) / 2)
 * });
 * ```
 */
export function klLaplaceNormal(p: Laplace, q: Normal): tf.Tensor {
  return tf.tidy(() => {
    const second = tf.add(tf.mul(2, tf.square(p.scale)), tf.square(tf.sub(p.loc, q.loc)));
    const logScales = tf.log(tf.div(q.scale, tf.mul(2, p.scale)));
    return tf.add(tf.add(logScales, 0.5 * Math.log(2 * Math.PI) - 1), tf.div(second, tf.mul(2, tf.square(q.scale))));
  });
}
