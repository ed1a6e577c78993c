import * as tf from '@tensorflow/tfjs-core';
import { expm1, log1mexp, withoutGradient } from '@vae/math';
import type { ContinuousBernoulli, Exponential, Normal, Uniform } from '@vae/distributions';
import { expm1MinusIdentity, guard, guardNot, infiniteWhere, log1pMinusIdentity, logRatioMinusIdentity } from './numerics.js';

/** Below this |eta| the Taylor series of F replaces the closed form (next term ~ 1e-13 there). */
const SERIES_CUT = 0.5;
/** Where both |eta| are below this, KL(p || q) is the Bregman divergence of F's Taylor polynomial. */
const POLYNOMIAL_CUT = 1;
// log(expm1(y) / y) = y/2 + sum_n B_2n y^{2n} / (2n (2n)!) = y/2 + y^2/24 - y^4/2880 + y^6/181440
// - y^8/9676800 + y^10/479001600 + O(y^12).
const SERIES = [0, 0.5, 1 / 24, 0, -1 / 2880, 0, 1 / 181440, 0, -1 / 9676800, 0, 1 / 479001600];

/** Both |logits| at least this (one sign): the large-parameter form of the divergence. */
const LARGE_CUT = 10;

function binomial(n: number, k: number): number {
  let out = 1;
  for (let i = 1; i <= k; i++) out = (out * (n - k + i)) / i;
  return out;
}

/**
 * F(eta) = log((exp(eta) - 1) / eta) = log of the integral of exp(eta x) over [0, 1]: the log
 * partition function of the continuous Bernoulli in its natural parameter (the distributions
 * package keeps its own log normalizer private, so it is recomputed here).
 * @param eta - natural parameters (the logits)
 * @returns F(eta), shape of eta
 */
export function continuousBernoulliLogPartition(eta: tf.Tensor): tf.Tensor {
  const small = withoutGradient((x) => tf.less(tf.abs(x), SERIES_CUT), eta);
  const es = guard(small, eta, 0);
  let series: tf.Tensor = tf.fill(es.shape, SERIES[SERIES.length - 1]);
  for (let k = SERIES.length - 2; k >= 0; k--) series = tf.add(tf.mul(series, es), SERIES[k]);
  // For |eta| >= cut: relu(eta) + log(1 - exp(-|eta|)) - log|eta|, exact for large |eta| too.
  const el = guardNot(small, eta, 1);
  const a = tf.abs(el);
  const closed = tf.sub(tf.add(tf.relu(el), log1mexp(a)), tf.log(a));
  return tf.where(small, series, closed);
}

/**
 * KL between two continuous Bernoulli distributions on [0, 1].
 *
 * @remarks
 * In the natural parameter eta = logit(lambda) the density is exp(eta x - F(eta)) with
 * F(eta) = log((e^eta - 1) / eta), so KL = F(eta_q) - F(eta_p) - F'(eta_p) d with d = eta_q - eta_p
 * and F' the mean: a Bregman divergence of F (torch's `_kl_continuous_bernoulli_continuous_bernoulli`
 * written in eta). Three regimes keep tiny divergences accurate instead of cancelling:
 * - both |eta| < 1: the Bregman divergence of F's Taylor polynomial (to eta^10), expanded in d;
 * - otherwise, |d| < 1: with w = 1 / (1 - e^{-eta_p}), u1 = w expm1(d), u2 = d / eta_p,
 *   KL = [log1p(u1) - u1] - [log1p(u2) - u2] + w (expm1(d) - d), each bracket without cancellation;
 * - otherwise the closed form, with F in log space so extreme logits stay finite.
 *
 * @param p - first continuous Bernoulli
 * @param q - second continuous Bernoulli
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { ContinuousBernoulli } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const p = new ContinuousBernoulli({ probs: 0.2 });
 *   const q = new ContinuousBernoulli({ probs: 0.7 });
 *   console.log(klDivergence(p, q).dataSync()[0]); // 0.2010
 * });
 * ```
 */
export function klContinuousBernoulliContinuousBernoulli(p: ContinuousBernoulli, q: ContinuousBernoulli): tf.Tensor {
  return tf.tidy(() => {
    const ep = p.logits;
    const eq = q.logits;
    const diff = tf.sub(eq, ep);
    const shape = diff.shape;
    const [isPolynomial, isRatio] = [
      withoutGradient((a, b) => tf.logicalAnd(tf.less(tf.abs(a), POLYNOMIAL_CUT), tf.less(tf.abs(b), POLYNOMIAL_CUT)), ep, eq),
      // (Not where the large-parameter form below applies: there 1 / expm1(-eta_p) can overflow.)
      withoutGradient(
        (a, b) =>
          tf.logicalAnd(
            tf.logicalAnd(
              tf.logicalOr(tf.greaterEqual(tf.abs(a), POLYNOMIAL_CUT), tf.greaterEqual(tf.abs(b), POLYNOMIAL_CUT)),
              tf.less(tf.abs(tf.sub(b, a)), 1),
            ),
            tf.logicalNot(
              tf.logicalAnd(
                tf.logicalAnd(tf.greaterEqual(tf.abs(a), LARGE_CUT), tf.greaterEqual(tf.abs(b), LARGE_CUT)),
                tf.greater(tf.mul(a, b), 0),
              ),
            ),
          ),
        ep,
        eq,
      ),
    ];
    // Both natural parameters small: the Bregman divergence of the Taylor polynomial of F, exactly,
    // sum_k c_k sum_{j >= 2} C(k, j) eta_p^{k-j} d^j: no term cancels.
    const e = guard(isPolynomial, tf.broadcastTo(ep, shape), 0);
    const d = guard(isPolynomial, diff, 0);
    const ePow = [tf.onesLike(e)];
    const dPow = [tf.onesLike(d)];
    for (let k = 1; k <= 10; k++) {
      ePow.push(tf.mul(ePow[k - 1], e));
      dPow.push(tf.mul(dPow[k - 1], d));
    }
    let polynomial: tf.Tensor = tf.zerosLike(e);
    SERIES.forEach((c, k) => {
      if (k < 2 || c === 0) return;
      for (let j = 2; j <= k; j++) polynomial = tf.add(polynomial, tf.mul(c * binomial(k, j), tf.mul(ePow[k - j], dPow[j])));
    });
    // Close but not small (same sign, |d| < 1): with w = 1 / (1 - exp(-eta_p)), u1 = w expm1(d) and
    // u2 = d / eta_p, KL = [log1p(u1) - u1] - [log1p(u2) - u2] + w (expm1(d) - d), each exact.
    const er = guard(isRatio, tf.broadcastTo(ep, shape), 1);
    const dr = guard(isRatio, diff, 0);
    const w = tf.div(-1, expm1(tf.neg(er)));
    const ratio = tf.add(
      tf.sub(log1pMinusIdentity(tf.mul(w, expm1(dr))), log1pMinusIdentity(tf.div(dr, er))),
      tf.mul(w, expm1MinusIdentity(dr)),
    );
    // Both large with one sign: KL is even under (eta_p, eta_q) -> (-eta_p, -eta_q), and for
    // a = |eta_p|, b = |eta_q| >= 10, with u = (b - a) / a, exactly
    // KL = -(log1p(u) - u) - (b - a) e^{-a} / (1 - e^{-a}) + log1mexp(b) - log1mexp(a)
    // the log-partitions' terms of size a cancel symbolically (the closed form lost 3e-3 relative
    // at logits 80 and 83, and 1 / expm1(-eta) overflowed into NaN gradients at logits -99).
    const isLarge = withoutGradient(
      (a, b) =>
        tf.logicalAnd(
          tf.logicalAnd(tf.greaterEqual(tf.abs(a), LARGE_CUT), tf.greaterEqual(tf.abs(b), LARGE_CUT)),
          tf.greater(tf.mul(a, b), 0),
        ),
      ep,
      eq,
    );
    const sign = withoutGradient((a) => tf.sign(a), tf.broadcastTo(ep, shape));
    const aL = guard(isLarge, tf.mul(sign, tf.broadcastTo(ep, shape)), LARGE_CUT);
    const dL = guard(isLarge, tf.mul(sign, diff), 0);
    // The last three terms are -c dd + log1p(y) with c = e^{-a} / (1 - e^{-a}) and
    // y = -c expm1(-dd), dd = b - a: summed as (log1p(y) - y) - c (expm1(-dd) + dd), no cancellation.
    const eA = tf.exp(tf.neg(aL));
    const c = tf.div(eA, tf.sub(1, eA));
    const y = tf.neg(tf.mul(c, expm1(tf.neg(dL))));
    const large = tf.sub(
      tf.add(tf.neg(log1pMinusIdentity(tf.div(dL, aL))), log1pMinusIdentity(y)),
      tf.mul(c, expm1MinusIdentity(tf.neg(dL))),
    );
    // Far apart: the closed form.
    const bregman = tf.sub(continuousBernoulliLogPartition(eq), continuousBernoulliLogPartition(ep));
    const direct = tf.sub(bregman, tf.mul(p.mean(), diff));
    return tf.where(isLarge, large, tf.where(isPolynomial, polynomial, tf.where(isRatio, ratio, direct)));
  });
}

/**
 * KL(ContinuousBernoulli || Normal).
 *
 * @remarks
 * KL = -H(p) + log(s sqrt(2 pi)) + (Var_p + (E_p[x] - mu)^2) / (2 s^2) (torch's
 * `_kl_continuous_bernoulli_normal`).
 *
 * @param p - the continuous Bernoulli
 * @param q - the normal N(mu, s^2)
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { ContinuousBernoulli, Normal } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new ContinuousBernoulli({ probs: 0.5 }), new Normal({ loc: 0.5, scale: 1 }));
 *   console.log(kl.dataSync()[0]); // 0.9606 = log(sqrt(2 pi)) + 1/24
 * });
 * ```
 */
export function klContinuousBernoulliNormal(p: ContinuousBernoulli, q: Normal): tf.Tensor {
  return tf.tidy(() => {
    const second = tf.add(p.variance(), tf.square(tf.sub(p.mean(), q.loc)));
    const quadratic = tf.div(second, tf.mul(2, tf.square(q.scale)));
    return tf.add(tf.sub(tf.add(tf.log(q.scale), 0.5 * Math.log(2 * Math.PI)), p.entropy()), quadratic);
  });
}

/**
 * KL(ContinuousBernoulli || Exponential).
 *
 * @remarks
 * KL = -H(p) - log(rate) + rate E_p[x] (torch's `_kl_continuous_bernoulli_exponential`); the
 * support [0, 1] lies inside [0, inf). For logits eta < -1, p is an exponential of rate
 * lambda = -eta truncated to [0, 1], and the same divergence is, exactly,
 * (rho - 1 - log rho) + (lambda - rate) c - log(1 - e^{-lambda}) with rho = rate / lambda and
 * c = e^{-lambda} / (1 - e^{-lambda}): the first term is Exponential || Exponential's, taken from
 * log1p(u) - u with u = (rate - lambda) / lambda (log(rate) - log(lambda) once rho < 1/2), so a rate close to lambda no longer cancels terms
 * of size log lambda against each other (logits -94 beside rate 92 lost 5e-4).
 *
 * @param p - the continuous Bernoulli
 * @param q - the exponential
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { ContinuousBernoulli, Exponential } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new ContinuousBernoulli({ probs: 0.5 }), new Exponential({ rate: 1 }));
 *   console.log(kl.dataSync()[0]); // 0.5
 * });
 * ```
 */
export function klContinuousBernoulliExponential(p: ContinuousBernoulli, q: Exponential): tf.Tensor {
  return tf.tidy(() => {
    const direct = tf.sub(tf.sub(tf.mul(q.rate, p.mean()), tf.log(q.rate)), p.entropy());
    const shape = direct.shape;
    const rate = tf.broadcastTo(q.rate, shape);
    const truncated = withoutGradient((eta) => tf.less(eta, -1), tf.broadcastTo(p.logits, shape));
    const lambda = tf.neg(guard(truncated, tf.broadcastTo(p.logits, shape), -2));
    const r = guard(truncated, rate, 2);
    const u = tf.div(tf.sub(r, lambda), lambda);
    const tailOdds = tf.div(tf.exp(tf.neg(lambda)), tf.neg(expm1(tf.neg(lambda))));
    const byExponential = tf.addN([
      tf.neg(logRatioMinusIdentity(u, r, lambda)),
      tf.mul(tf.sub(lambda, r), tailOdds),
      tf.neg(log1mexp(lambda)),
    ]);
    return tf.where(truncated, byExponential, direct);
  });
}

/**
 * KL(ContinuousBernoulli || Uniform(low, high)): finite only when [0, 1] lies inside [low, high].
 *
 * @remarks
 * KL = -H(p) + log(high - low) when low <= 0 and high >= 1, +Infinity otherwise. (torch 1.13's
 * `_kl_continuous_bernoulli_uniform` tests the bounds the wrong way round and returns +Infinity
 * for q = Uniform(0, 1); this follows the mathematics.)
 *
 * @param p - the continuous Bernoulli
 * @param q - the uniform
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { ContinuousBernoulli, Uniform } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const p = new ContinuousBernoulli({ probs: 0.5 });
 *   console.log(klDivergence(p, new Uniform({ low: [0, 0.5], high: [2, 2] })).arraySync()); // [0.6931, Infinity]
 * });
 * ```
 */
export function klContinuousBernoulliUniform(p: ContinuousBernoulli, q: Uniform): tf.Tensor {
  return tf.tidy(() => {
    const outside = withoutGradient((low, high) => tf.logicalOr(tf.greater(low, 0), tf.less(high, 1)), q.low, q.high);
    return infiniteWhere(outside, tf.sub(tf.log(tf.sub(q.high, q.low)), p.entropy()));
  });
}
