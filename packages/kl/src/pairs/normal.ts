import * as tf from '@tensorflow/tfjs-core';
import type { Laplace, Normal } from '@vae/distributions';
import { polyval, sumToShape } from '@vae/math';

/**
 * KL(N(mu_p, s_p^2) || N(mu_q, s_q^2)), accurate even when the two are nearly equal.
 *
 * @remarks
 * KL = [ (rho^2 - 1 - 2 log rho) + ((mu_p - mu_q) / s_q)^2 ] / 2 with rho = s_p / s_q. For rho in
 * (0.5, 1.5) the scale term is summed as a series in s = (rho - 1) / (rho + 1) whose
 * terms do not cancel, so tiny divergences keep float32 relative accuracy; elsewhere it is computed
 * directly from the log-scales (rho^2 = exp(2 (log s_p - log s_q))), so scales 1e-30 and 1e30
 * give the exact 137.66 rather than overflowing. The divergence is +Infinity only where it exceeds
 * float32's range (rho or |mu_p - mu_q| / s_q beyond about 2.6e19). The gradient is the closed
 * form, through a custom-gradient op.
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
 * The Normal-Normal divergence from parameter tensors (shared with the LogNormal pair).
 * @param locP - mean of p
 * @param scaleP - standard deviation of p
 * @param locQ - mean of q
 * @param scaleQ - standard deviation of q
 * @returns KL, shape broadcast of the four
 */
export function normalKL(locP: tf.Tensor, scaleP: tf.Tensor, locQ: tf.Tensor, scaleQ: tf.Tensor): tf.Tensor {
  return normalKLOp(locP, scaleP, locQ, scaleQ) as tf.Tensor;
}

// (atanh(s) - s) / s^3 = 1/3 + s^2/5 + s^4/7 + ..., in powers of s^2: seven terms leave a
// relative error below 1e-8 for |s| <= 1/3.
const ATANH_TAIL = [1 / 3, 1 / 5, 1 / 7, 1 / 9, 1 / 11, 1 / 13, 1 / 15];

/**
 * f(rho) / 2 with f(rho) = rho^2 - 1 - 2 log(rho) for rho = s_p / s_q, accurate when rho is near 1, in about forty
 * kernels (this runs inside a custom-gradient op, so none of them is taped).
 *
 * Near 1 (d = rho - 1 = (s_p - s_q) / s_q in (-1/2, 1/2)) the two terms cancel to ~2 d^2. With
 * s = d / (2 + d), rho = (1 + s) / (1 - s) and log(rho) = 2 atanh(s), so
 * f = 4 s^2 [(2 - s) / (1 - s)^2 - s (atanh(s) - s) / s^3], a sum of terms of one sign at leading
 * order, with |s| <= 1/3. Elsewhere |log rho| > 0.4 and the direct formula loses nothing.
 */
function scaleTerm(scaleP: tf.Tensor, scaleQ: tf.Tensor, d: tf.Tensor): tf.Tensor {
  const near = tf.less(tf.abs(d), 0.5);
  // Far elements get d = 0 here: the series branch stays finite where it is thrown away.
  const dNear = tf.mul(d, tf.cast(near, 'float32'));
  const s = tf.div(dNear, tf.add(dNear, 2));
  const s2 = tf.square(s);
  const tail = polyval(ATANH_TAIL, s2);
  const oneMinusS = tf.sub(1, s);
  const series = tf.mul(tf.mul(4, s2), tf.sub(tf.div(tf.sub(2, s), tf.square(oneMinusS)), tf.mul(s, tail)));
  // Far from 1, from the log-scales: s_p / s_q itself under- or overflows once the scales are
  // more than ~1e38 apart (s_p = 1e-30, s_q = 1e30 gave +Infinity for a divergence of 137.66).
  // Halved here (the caller does not halve again) so rho^2 / 2 overflows only past float32's range.
  const logRho = tf.sub(tf.log(scaleP), tf.log(scaleQ));
  const direct = tf.sub(tf.sub(tf.exp(tf.sub(tf.mul(2, logRho), Math.LN2)), 0.5), logRho);
  return tf.where(near, tf.mul(0.5, series), direct);
}

/** The value, with z = (mu_p - mu_q) / s_q and d = (s_p - s_q) / s_q, which the gradient reuses. */
function normalKLValue(
  locP: tf.Tensor,
  scaleP: tf.Tensor,
  locQ: tf.Tensor,
  scaleQ: tf.Tensor,
): { value: tf.Tensor; z: tf.Tensor; d: tf.Tensor } {
  const z = tf.div(tf.sub(locP, locQ), scaleQ);
  // (z / sqrt 2)^2 rather than z^2 / 2: z^2 overflows for |z| > 1.8e19 while z^2 / 2 is finite to 2.6e19.
  const halfMeanTerm = tf.square(tf.mul(z, Math.SQRT1_2));
  const d = tf.div(tf.sub(scaleP, scaleQ), scaleQ);
  return { value: tf.add(scaleTerm(scaleP, scaleQ, d), halfMeanTerm), z, d };
}

// The value takes about seventy small kernels (the branches that keep nearly equal normals
// accurate); differentiating through them would put each on the tape and double the count, and
// this pair runs in every step of a Gaussian VAE. Its gradient is short in closed form: with
// z = (mu_p - mu_q) / s_q and d = s_p / s_q - 1 (so (s_p / s_q)^2 - 1 = d (d + 2) without
// cancellation), dKL/dmu_p = z / s_q = -dKL/dmu_q, dKL/ds_p = d (d + 2) / s_p and
// dKL/ds_q = -(d (d + 2) + z^2) / s_q.
const normalKLOp = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [locP, scaleP, locQ, scaleQ] = args as tf.Tensor[];
  const save = args[4] as tf.GradSaveFunc;
  const { value, z, d } = normalKLValue(locP, scaleP, locQ, scaleQ);
  // z and d as the value computed them: the gradient needs both, and recomputing is four kernels.
  save([locP, scaleP, locQ, scaleQ, z, d]);
  return {
    value,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [mp, sp, mq, sq, z, d] = saved;
      const varianceRatioMinusOne = tf.mul(d, tf.add(d, 2));
      const dLocP = tf.mul(dy, tf.div(z, sq));
      return [
        sumToShape(dLocP, mp.shape),
        sumToShape(tf.mul(dy, tf.div(varianceRatioMinusOne, sp)), sp.shape),
        sumToShape(tf.neg(dLocP), mq.shape),
        sumToShape(tf.mul(dy, tf.neg(tf.div(tf.add(varianceRatioMinusOne, tf.square(z)), sq))), sq.shape),
      ];
    },
  };
});

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
