import * as tf from '@tensorflow/tfjs-core';
import { besselIRatio, broadcastShapes, logBesselI, withoutGradient } from '@vae/math';
import { VonMises } from '@vae/distributions';

/**
 * Below this concentration (both p's and q's) the divergence is formed from log I_0 and I_1 / I_0
 * themselves, whose float32 values are accurate relative to their size there.
 */
const DIRECT_BELOW = 50;
/** Below this concentration (both) the series to fourth order in kappa (relative error ~kappa^2 / 8). */
const SERIES_BELOW = 1e-2;
/** Concentrations within this fraction of each other take the Bregman integral (nearly equal laws). */
const NEAR_FRACTION = 0.25;
/** 6-point Gauss-Legendre nodes and weights on [-1, 1]. */
const GAUSS_NODES = [
  -0.9324695142031521, -0.6612093864662645, -0.2386191860831969, 0.2386191860831969, 0.6612093864662645, 0.9324695142031521,
];
const GAUSS_WEIGHTS = [
  0.1713244923791704, 0.3607615730481386, 0.467913934572691, 0.467913934572691, 0.3607615730481386, 0.1713244923791704,
];

/**
 * KL(VonMises(mu_p, kappa_p) || VonMises(mu_q, kappa_q)), TFP's pair (torch has none).
 *
 * @remarks
 * KL = log(I_0(kappa_q) / I_0(kappa_p)) + A(kappa_p) (kappa_p - kappa_q cos(mu_p - mu_q)), A = I_1 / I_0.
 * Where both concentrations are below 50 it is evaluated as written, with `logBesselI(0, .)` and
 * `besselIRatio(0, .)` from `@vae/math` (both accurate relative to their size, so the divergence
 * between two nearly uniform laws, of order kappa^2, keeps its digits). Above, log I_0 is of order
 * kappa and the difference would cancel, so it is written as -H(p) - E_p[log q] with
 * E_p[cos(x - mu_q)] = A_p cos(mu_p - mu_q):
 * KL = -H(p) - log q(mu_q) + kappa_q (V_p + 2 (1 - V_p) sin^2((mu_p - mu_q) / 2)), where
 * V_p = 1 - A_p is p's circular variance and log q(mu_q) = -log(2 pi e^-kappa_q I_0(kappa_q)):
 * terms the family computes without cancellation up to kappa = 1e6 and beyond. Each regime is fed
 * only safe values, so the gradient of the other is never NaN.
 *
 * @param p - the first von Mises distribution
 * @param q - the second
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { VonMises } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new VonMises({ loc: 0, concentration: 1 }), new VonMises({ loc: 1, concentration: 2 }));
 *   console.log(kl.dataSync()[0]); // 0.5521
 * });
 * ```
 */
export function klVonMisesVonMises(p: VonMises, q: VonMises): tf.Tensor {
  return tf.tidy(() => {
    const shape = broadcastShapes([p.loc.shape, p.concentration.shape, q.loc.shape, q.concentration.shape]);
    const kp = tf.broadcastTo(p.concentration, shape);
    const kq = tf.broadcastTo(q.concentration, shape);
    const direct = withoutGradient((a, b) => tf.logicalAnd(tf.less(a, DIRECT_BELOW), tf.less(b, DIRECT_BELOW)), kp, kq);
    const safe = (k: tf.Tensor, useDirect: boolean) =>
      useDirect ? tf.where(direct, k, tf.onesLike(k)) : tf.where(direct, tf.fill(shape, DIRECT_BELOW), k);
    const cosine = tf.cos(tf.sub(p.loc, q.loc));
    // Direct: log I_0(kq) - log I_0(kp) + A_p (kp - kq cos).
    const kpD = safe(kp, true);
    const kqD = safe(kq, true);
    const options = { validateArgs: false };
    const aD = besselIRatio(0, kpD, options);
    const directKL = tf.add(tf.sub(logBesselI(0, kqD, options), logBesselI(0, kpD, options)), tf.mul(aD, tf.sub(kpD, tf.mul(kqD, cosine))));
    // Large: -H(p) - log q(mu_q) + kq (V_p + 2 (1 - V_p) sin^2(delta / 2)), from centred copies of
    // the families (loc may be any angle, and validation would read values back).
    const kpL = safe(kp, false);
    const kqL = safe(kq, false);
    const pL = new VonMises({ loc: 0, concentration: kpL, validateArgs: false });
    const qL = new VonMises({ loc: 0, concentration: kqL, validateArgs: false });
    const circularVariance = pL.variance();
    const halfSine = tf.sin(tf.mul(0.5, tf.sub(p.loc, q.loc)));
    const spread = tf.add(circularVariance, tf.mul(tf.mul(2, tf.sub(1, circularVariance)), tf.square(halfSine)));
    const largeKL = tf.add(tf.neg(tf.add(pL.entropy(), qL.logProb(0))), tf.mul(kqL, spread));
    // Nearly equal concentrations: KL = B + 2 A_p kq sin^2(delta / 2) with the Bregman term
    // B = log I_0(kq) - log I_0(kp) - A_p (kq - kp) = int_kp^kq (A(t) - A(kp)) dt, of order (kq - kp)^2,
    // by Gauss-Legendre, with A(t) - A(kp) = V(kp) - V(t) from the family's circular variance.
    const near = withoutGradient((a, b) => tf.lessEqual(tf.abs(tf.sub(a, b)), tf.mul(NEAR_FRACTION, tf.minimum(a, b))), kp, kq);
    const kpN = tf.where(near, kp, tf.onesLike(kp));
    const kqN = tf.where(near, kq, tf.onesLike(kq));
    const halfWidth = tf.mul(0.5, tf.sub(kqN, kpN));
    const nodes = tf.stack(GAUSS_NODES.map((x) => tf.add(kpN, tf.mul(halfWidth, 1 + x))));
    const variances = new VonMises({ loc: 0, concentration: tf.concat([tf.expandDims(kpN, 0), nodes]), validateArgs: false }).variance();
    const [vp, ...vNodes] = tf.unstack(variances);
    const bregman = tf.mul(halfWidth, tf.addN(vNodes.map((v, i) => tf.mul(GAUSS_WEIGHTS[i], tf.sub(vp, v)))));
    const nearKL = tf.add(bregman, tf.mul(tf.mul(2, tf.mul(tf.sub(1, vp), kqN)), tf.square(halfSine)));
    // Both tiny: KL = (|kp e^(i mu_p) - kq e^(i mu_q)|^2) / 4 - (kq^4 - kp^4) / 64 - kp^3 (kp - kq cos) / 16 + O(kappa^6),
    // from log I_0(k) = k^2 / 4 - k^4 / 64 + ... and A(k) = k / 2 - k^3 / 16 + ...
    const tiny = withoutGradient((a, b) => tf.logicalAnd(tf.less(a, SERIES_BELOW), tf.less(b, SERIES_BELOW)), kp, kq);
    const kpT = tf.where(tiny, kp, tf.zerosLike(kp));
    const kqT = tf.where(tiny, kq, tf.zerosLike(kq));
    const leading = tf.mul(0.25, tf.add(tf.square(tf.sub(kpT, kqT)), tf.mul(tf.mul(4, tf.mul(kpT, kqT)), tf.square(halfSine))));
    const quartic = tf.add(
      tf.div(tf.sub(tf.pow(kpT, 4), tf.pow(kqT, 4)), 64),
      tf.mul(tf.div(tf.pow(kpT, 3), -16), tf.sub(kpT, tf.mul(kqT, cosine))),
    );
    const tinyKL = tf.add(leading, quartic);
    return tf.where(tiny, tinyKL, tf.where(near, nearKL, tf.where(direct, directKL, largeKL)));
  });
}
