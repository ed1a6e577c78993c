import * as tf from '@tensorflow/tfjs-core';
import type { Laplace, Normal } from '@vae/distributions';
import { sumToShape } from '@vae/math';
import { expm1MinusIdentity, logRatio } from './numerics.js';

/**
 * KL(N(mu_p, s_p^2) || N(mu_q, s_q^2)), accurate even when the two are nearly equal.
 *
 * @remarks
 * KL = [ (r - 1 - log r) + ((mu_p - mu_q) / s_q)^2 ] / 2 with r = (s_p / s_q)^2. Writing
 * log r = 2 log1p((s_p - s_q) / s_q) (2 log(s_p / s_q) when the scales differ by more than a factor
 * 2) and r - 1 - log r = expm1(log r) - log r (by series for small log r) keeps tiny divergences
 * accurate to float32 relative precision instead of cancelling.
 *
 * @param p - first normal
 * @param q - second normal
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import { Normal } from '@vae/distributions';
 * import { klNormalNormal } from '@vae/kl';
 * const kl = klNormalNormal(new Normal({ loc: 0, scale: 1 }), new Normal({ loc: 0, scale: 1.001 }));
 * console.log(kl.dataSync()[0]); // 9.98e-7, no cancellation
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

function normalKLValue(locP: tf.Tensor, scaleP: tf.Tensor, locQ: tf.Tensor, scaleQ: tf.Tensor): tf.Tensor {
  const logVarianceRatio = tf.mul(2, logRatio(scaleP, scaleQ));
  const meanTerm = tf.square(tf.div(tf.sub(locP, locQ), scaleQ));
  return tf.mul(0.5, tf.add(expm1MinusIdentity(logVarianceRatio), meanTerm));
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
  save([locP, scaleP, locQ, scaleQ]);
  return {
    value: normalKLValue(locP, scaleP, locQ, scaleQ),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [mp, sp, mq, sq] = saved;
      const z = tf.div(tf.sub(mp, mq), sq);
      const d = tf.div(tf.sub(sp, sq), sq);
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
 * import { Laplace, Normal } from '@vae/distributions';
 * import { klNormalLaplace } from '@vae/kl';
 * const kl = klNormalLaplace(new Normal({ loc: 0, scale: 1 }), new Laplace({ loc: 0, scale: 1 }));
 * console.log(kl.dataSync()[0]); // 0.0721 = sqrt(2/pi) - (1 + log(pi/2))/2
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
