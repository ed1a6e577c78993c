import * as tf from '@tensorflow/tfjs-core';
import type { Laplace, Normal } from '@vae/distributions';
import { normalKL } from '@vae/math';

/**
 * KL(N(mu_p, s_p^2) || N(mu_q, s_q^2)), accurate even when the two are nearly equal.
 *
 * @remarks
 * KL = [ (rho^2 - 1 - 2 log rho) + ((mu_p - mu_q) / s_q)^2 ] / 2 with rho = s_p / s_q, computed by
 * `@vae/math`'s `normalKL`: for rho in (1/2, 2) the scale term is summed as a series in
 * s = (rho - 1) / (rho + 1) whose terms do not cancel, so tiny divergences keep float32 relative
 * accuracy; elsewhere it is computed directly from the log-scales (rho^2 = exp(2 (log s_p - log s_q))),
 * so scales 1e-30 and 1e30 give the exact 137.66 rather than overflowing. The divergence is
 * +Infinity only where it exceeds float32's range (rho or |mu_p - mu_q| / s_q beyond about 2.6e19).
 * One kernel; the gradient is the closed form, computed only for the parameters that need one (a
 * fixed prior's cost nothing).
 *
 * @param p - first normal
 * @param q - second normal
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Normal } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new Normal({ loc: 0, scale: 1 }), new Normal({ loc: 0, scale: 1.001 }));
 *   console.log(kl.dataSync()[0]); // 9.98e-7, no cancellation
 * });
 * ```
 */
export function klNormalNormal(p: Normal, q: Normal): tf.Tensor {
  return tf.tidy(() => normalKL(p.loc, p.scale, q.loc, q.scale));
}

/**
 * KL(N(mu_p, s_p^2) || Laplace(mu_q, b_q)).
 *
 * @remarks
 * With D = mu_p - mu_q: KL = -log(s_p / b_q) + [sqrt(2/pi) s_p exp(-D^2 / (2 s_p^2)) +
 * D erf(D / (sqrt(2) s_p))] / b_q - (1 + log(pi/2)) / 2, the bracket being E|x - mu_q| under p
 * (torch.distributions' `_kl_normal_laplace`).
 *
 * @param p - the normal
 * @param q - the Laplace distribution
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Laplace, Normal } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new Normal({ loc: 0, scale: 1 }), new Laplace({ loc: 0, scale: 1 }));
 *   console.log(kl.dataSync()[0]); // 0.0721 = sqrt(2/pi) - (1 + log(pi/2))/2
 * });
 * ```
 */
export function klNormalLaplace(p: Normal, q: Laplace): tf.Tensor {
  return tf.tidy(() => {
    const diff = tf.sub(p.loc, q.loc);
    const z = tf.div(diff, p.scale);
    const meanAbs = tf.add(
      tf.mul(tf.mul(Math.sqrt(2 / Math.PI), p.scale), tf.exp(tf.mul(-0.5, tf.square(z)))),
      tf.mul(diff, tf.erf(tf.mul(Math.SQRT1_2, z))),
    );
    const logScaleRatio = tf.log(tf.div(p.scale, q.scale));
    return tf.sub(tf.sub(tf.div(meanAbs, q.scale), logScaleRatio), 0.5 * (1 + Math.log(Math.PI / 2)));
  });
}
