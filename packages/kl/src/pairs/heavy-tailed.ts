import * as tf from '@tensorflow/tfjs-core';
import { log1p, withoutGradient } from '@vae/math';
import type { Cauchy, HalfNormal, Pareto } from '@vae/distributions';
import { expm1MinusIdentity, infiniteWhere, logRatio } from './numerics.js';

/**
 * KL(HalfNormal(sigma_p) || HalfNormal(sigma_q)), accurate when the scales are nearly equal.
 *
 * @remarks
 * The halving of both normals cancels, leaving torch's `_kl_halfnormal_halfnormal` (the normal
 * pair at loc 0): (r^2 - 1) / 2 - log r with r = sigma_p / sigma_q, written
 * (expm1(2u) - 2u) / 2 with u = log r (taken as log1p near 1), so a tiny divergence keeps its
 * relative accuracy.
 *
 * @param p - first half-normal
 * @param q - second half-normal
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { HalfNormal } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new HalfNormal({ scale: 1 }), new HalfNormal({ scale: 2 }));
 *   console.log(kl.dataSync()[0]); // 0.3181 = log 2 - 3/8
 * });
 * ```
 */
export function klHalfNormalHalfNormal(p: HalfNormal, q: HalfNormal): tf.Tensor {
  return tf.tidy(() => tf.mul(0.5, expm1MinusIdentity(tf.mul(2, logRatio(p.scale, q.scale)))));
}

/**
 * KL(Cauchy(mu_p, gamma_p) || Cauchy(mu_q, gamma_q)), which is symmetric.
 *
 * @remarks
 * torch's `_kl_cauchy_cauchy`, log(((gamma_p + gamma_q)^2 + (mu_p - mu_q)^2) / (4 gamma_p gamma_q)),
 * written log1p(((gamma_p - gamma_q)^2 + (mu_p - mu_q)^2) / (4 gamma_p gamma_q)): the argument is
 * the small excess itself, so nearly equal distributions keep a relative accuracy.
 *
 * @param p - first Cauchy distribution
 * @param q - second Cauchy distribution
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Cauchy } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new Cauchy({ loc: 0, scale: 1 }), new Cauchy({ loc: 2, scale: 1 }));
 *   console.log(kl.dataSync()[0]); // 0.6931 = log 2
 * });
 * ```
 */
export function klCauchyCauchy(p: Cauchy, q: Cauchy): tf.Tensor {
  return tf.tidy(() => {
    // Each term divided by 4 gamma_p gamma_q separately: the squares alone overflow float32 at scale 1e19.
    const ds = tf.sub(p.scale, q.scale);
    const scaleTerm = tf.div(tf.mul(tf.div(ds, p.scale), tf.div(ds, q.scale)), 4);
    const d = tf.sub(p.loc, q.loc);
    const locTerm = tf.div(tf.mul(tf.div(d, p.scale), tf.div(d, q.scale)), 4);
    return log1p(tf.add(scaleTerm, locTerm));
  });
}

/**
 * KL(Pareto(x_p, alpha_p) || Pareto(x_q, alpha_q)); +Infinity where x_p < x_q (p's support starts
 * below q's).
 *
 * @remarks
 * torch's `_kl_pareto_pareto`: alpha_q log(x_p / x_q) - log(alpha_q / alpha_p) + alpha_q / alpha_p - 1,
 * the last two as expm1(v) - v with v = log(alpha_q / alpha_p), so equal shapes give exactly 0
 * and nearly equal ones keep their relative accuracy.
 *
 * @param p - first Pareto distribution
 * @param q - second Pareto distribution
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Pareto } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const p = new Pareto({ scale: 2, alpha: 3 });
 *   const q = new Pareto({ scale: 1, alpha: 3 });
 *   console.log(klDivergence(p, q).dataSync()[0], klDivergence(q, p).dataSync()[0]); // 2.0794 Infinity
 * });
 * ```
 */
export function klParetoPareto(p: Pareto, q: Pareto): tf.Tensor {
  return tf.tidy(() => {
    const outside = withoutGradient((a, b) => tf.less(a, b), p.scale, q.scale);
    const scaleTerm = tf.mul(q.alpha, tf.relu(logRatio(p.scale, q.scale)));
    const shapeTerm = expm1MinusIdentity(logRatio(q.alpha, p.alpha));
    return infiniteWhere(outside, tf.add(scaleTerm, shapeTerm));
  });
}
