import * as tf from '@tensorflow/tfjs-core';
import { broadcastShapes, toFloat32, type TensorInput } from './tensor.js';
import { stirlingCorrection } from './gamma.js';
import { digammaDifference, digammaTail, logBetaForward } from './beta.js';
import { log1pmx } from './igamma.js';
import { expm1, log1p } from './log1p-expm1.js';
import { log1mexpForward } from './logexp.js';
import { HALF_LOG_TWO_PI, sumToShape } from './special-util.js';

/**
 * Partial numerators of the continued fraction evaluated (a fixed depth keeps the op a fixed graph
 * of tfjs ops on every backend). Near x = a / (a + b) the fraction needs O(sqrt(max(a, b))) of
 * them: 128 give float32 accuracy up to a, b = 1e4.
 */
const STEPS = 128;
/** From this on a parameter's log-gamma terms go through Stirling's series (as in logBeta). */
const LARGE = 8;

/**
 * The problem turned so that the continued fraction converges fast: I_x(a, b) = J when
 * x <= (a + 1) / (a + b + 2), else 1 - J, where J = I_X(A, B) with (A, B, X) = (b, a, 1 - x).
 * `logX` and `logY` are log X and log(1 - X), each taken from the caller's x directly (log x or
 * log1p(-x)), so 1 - x is never rounded before its log.
 */
interface Oriented {
  swap: tf.Tensor;
  A: tf.Tensor;
  B: tf.Tensor;
  X: tf.Tensor;
  Y: tf.Tensor;
  logX: tf.Tensor;
  logY: tf.Tensor;
  /** a > 0, b > 0, 0 <= x <= 1 (all false for NaN). */
  valid: tf.Tensor;
  /** X == 0: x = 0, or x = 1 turned round; J = 0 there. */
  atEdge: tf.Tensor;
}

function orient(a: tf.Tensor, b: tf.Tensor, x: tf.Tensor): Oriented {
  const shape = broadcastShapes([a.shape, b.shape, x.shape]);
  const valid = tf.logicalAnd(tf.logicalAnd(tf.greater(a, 0), tf.greater(b, 0)), tf.logicalAnd(tf.greaterEqual(x, 0), tf.lessEqual(x, 1)));
  const ab = tf.where(valid, tf.broadcastTo(a, shape), tf.ones(shape));
  const bb = tf.where(valid, tf.broadcastTo(b, shape), tf.ones(shape));
  const xb = tf.where(valid, tf.broadcastTo(x, shape), tf.fill(shape, 0.5));
  const swap = tf.greater(xb, tf.div(tf.add(ab, 1), tf.add(tf.add(ab, bb), 2)));
  const complement = tf.sub(1, xb);
  const X = tf.where(swap, complement, xb);
  const atEdge = tf.equal(X, 0);
  // Away from the edges; the edge values are set by the callers.
  const xInterior = tf.where(tf.logicalOr(tf.equal(xb, 0), tf.equal(xb, 1)), tf.fill(shape, 0.5), xb);
  const logx = tf.log(xInterior);
  const log1mx = log1p(tf.neg(xInterior));
  return {
    swap,
    A: tf.where(swap, bb, ab),
    B: tf.where(swap, ab, bb),
    X,
    Y: tf.where(swap, xb, complement),
    logX: tf.where(swap, log1mx, logx),
    logY: tf.where(swap, logx, log1mx),
    valid,
    atEdge,
  };
}

/**
 * log(X^A Y^B / (A B(A, B))), the factor in front of the continued fraction. When A and B are both
 * >= 8 it is `A log1pmx(dA) + B log1pmx(dB) - log((A+B)/(A B))/2 - log(2 pi)/2 - c(A) - c(B) + c(A+B) - log A`
 * with dA = X (A+B)/A - 1, dB = Y (A+B)/B - 1 (A dA + B dB = 0 exactly), so the large terms
 * A log X, B log Y and log B(A, B) never cancel in float32.
 */
function logPrefactor(o: Oriented): tf.Tensor {
  const { A, B, X, Y, logX, logY } = o;
  const direct = tf.sub(tf.sub(tf.add(tf.mul(A, logX), tf.mul(B, logY)), logBetaForward(A, B)), tf.log(A));
  const Al = tf.maximum(A, LARGE);
  const Bl = tf.maximum(B, LARGE);
  const sum = tf.add(Al, Bl);
  // X (A + B) - A = X B - A Y, without cancellation.
  const excessA = tf.sub(tf.mul(X, Bl), tf.mul(Al, Y));
  const dA = tf.div(excessA, Al);
  const dB = tf.div(tf.neg(excessA), Bl);
  // The ratios X/p and Y/q directly: 1 + dA would lose X's relative accuracy when X << p.
  const ratioA = tf.div(tf.mul(X, sum), Al);
  const ratioB = tf.div(tf.mul(Y, sum), Bl);
  const powers = tf.add(tf.mul(Al, log1pmx(dA, ratioA)), tf.mul(Bl, log1pmx(dB, ratioB)));
  const corrections = tf.sub(stirlingCorrection(sum), tf.add(stirlingCorrection(Al), stirlingCorrection(Bl)));
  const stirling = tf.sub(
    tf.add(tf.add(powers, tf.mul(0.5, tf.log(tf.div(tf.mul(Al, Bl), sum)))), corrections),
    tf.add(HALF_LOG_TWO_PI, tf.log(Al)),
  );
  return tf.where(tf.logicalAnd(tf.greaterEqual(A, LARGE), tf.greaterEqual(B, LARGE)), stirling, direct);
}

/**
 * The j-th partial numerator d_j of the fraction 1 + d_1 / (1 + d_2 / (1 + ...)); `AB` = A + B and
 * `negX` = -X are passed in so each step costs a few ops.
 */
function partialNumerator(j: number, A: tf.Tensor, AB: tf.Tensor, B: tf.Tensor, X: tf.Tensor, negX: tf.Tensor): tf.Tensor {
  if (j % 2 === 1) {
    const m = (j - 1) / 2;
    // -(A + m)(A + B + m) X / ((A + 2m)(A + 2m + 1))
    return tf.div(tf.mul(tf.mul(tf.add(A, m), tf.add(AB, m)), negX), tf.mul(tf.add(A, 2 * m), tf.add(A, 2 * m + 1)));
  }
  const m = j / 2;
  // m (B - m) X / ((A + 2m - 1)(A + 2m))
  return tf.div(tf.mul(tf.sub(B, m), tf.mul(X, m)), tf.mul(tf.add(A, 2 * m - 1), tf.add(A, 2 * m)));
}

/**
 * log of F = 1 + d_1 / (1 + d_2 / (1 + ... d_N)), evaluated bottom-up (t = 1 + d_j / t from
 * j = N down to 1). At a fixed depth this gives the same N-th convergent as forward modified Lentz
 * (whose only advantage, stopping once converged, a fixed graph cannot use), in a third of the ops,
 * and the backward recurrence is the numerically stable direction.
 */
function logFraction(o: Oriented): tf.Tensor {
  const { A, B, X } = o;
  const AB = tf.add(A, B);
  const negX = tf.neg(X);
  let t: tf.Tensor = tf.onesLike(X);
  for (let j = STEPS; j >= 1; j--) {
    const next = tf.tidy(() => tf.add(1, tf.div(partialNumerator(j, A, AB, B, X, negX), t)));
    t.dispose();
    t = next;
  }
  return tf.log(t);
}

/**
 * d log F / dA and d log F / dB, in forward mode beside the bottom-up recurrence:
 * t' = 1 + d / t gives dt' = (dd - d dt / t) / t, and d log F = dt_1 / t_1.
 */
function logFractionPartials(o: Oriented): [tf.Tensor, tf.Tensor] {
  const { A, B, X } = o;
  const AB = tf.add(A, B);
  const negX = tf.neg(X);
  let state: tf.Tensor[] = [tf.onesLike(X), tf.zerosLike(X), tf.zerosLike(X)];
  for (let j = STEPS; j >= 1; j--) {
    const next = tf.tidy(() => {
      const [t, ta, tb] = state;
      const d = partialNumerator(j, A, AB, B, X, negX);
      let dda: tf.Tensor;
      let ddb: tf.Tensor;
      if (j % 2 === 1) {
        const m = (j - 1) / 2;
        const s = tf.sub(
          tf.add(tf.reciprocal(tf.add(A, m)), tf.reciprocal(tf.add(AB, m))),
          tf.add(tf.reciprocal(tf.add(A, 2 * m)), tf.reciprocal(tf.add(A, 2 * m + 1))),
        );
        dda = tf.mul(d, s);
        ddb = tf.div(d, tf.add(AB, m));
      } else {
        const m = j / 2;
        const p = tf.add(A, 2 * m - 1);
        const q = tf.add(A, 2 * m);
        dda = tf.neg(tf.mul(d, tf.add(tf.reciprocal(p), tf.reciprocal(q))));
        ddb = tf.div(tf.mul(X, m), tf.mul(p, q));
      }
      const r = tf.reciprocal(t);
      const dr = tf.mul(d, r);
      return [tf.add(1, dr), tf.mul(tf.sub(dda, tf.mul(dr, ta)), r), tf.mul(tf.sub(ddb, tf.mul(dr, tb)), r)];
    });
    tf.dispose(state);
    state = next;
  }
  const [t, ta, tb] = state;
  const out: [tf.Tensor, tf.Tensor] = [tf.div(ta, t), tf.div(tb, t)];
  tf.dispose(state);
  return out;
}

/**
 * d log J / dA and d log J / dB for J = I_X(A, B): the prefactor's partials minus the fraction's.
 * For A >= 8, log X + psi(A+B) - psi(A) = log1p(dA) + 1/(2A) - 1/(2(A+B)) + t(A) - t(A+B) (t the
 * digamma series tail), free of the cancellation between log X and the digammas.
 */
function logJPartials(o: Oriented): [tf.Tensor, tf.Tensor] {
  const { A, B, X, Y, logX, logY } = o;
  const [fa, fb] = logFractionPartials(o);
  const excessA = tf.sub(tf.mul(X, B), tf.mul(A, Y));
  const near = (P: tf.Tensor, excess: tf.Tensor, logP: tf.Tensor, Q: tf.Tensor): tf.Tensor => {
    const Pl = tf.maximum(P, LARGE);
    const sum = tf.add(Pl, Q);
    const asymptotic = tf.add(
      tf.sub(log1p(tf.div(excess, Pl)), tf.div(0.5, sum)),
      tf.add(tf.div(0.5, Pl), tf.sub(digammaTail(Pl), digammaTail(sum))),
    );
    return tf.where(tf.less(P, LARGE), tf.sub(logP, digammaDifference(P, Q)), asymptotic);
  };
  const ga = tf.sub(tf.sub(near(A, excessA, logX, B), tf.reciprocal(A)), fa);
  const gb = tf.sub(near(B, tf.neg(excessA), logY, A), fb);
  return [ga, gb];
}

/** log J and the orientation: everything both public ops start from. */
function logJForward(a: tf.Tensor, b: tf.Tensor, x: tf.Tensor): { o: Oriented; prefactor: tf.Tensor; logJ: tf.Tensor } {
  const o = orient(a, b, x);
  const prefactor = logPrefactor(o);
  const logJ = tf.sub(prefactor, logFraction(o));
  return { o, prefactor, logJ: tf.where(o.atEdge, tf.fill(logJ.shape, -Infinity), logJ) };
}

/**
 * log x^(a-1) (1-x)^(b-1) / B(a, b), the x-derivative of I_x(a, b), from the oriented problem as
 * prefactor * A / (X Y), so it inherits the prefactor's cancellation-free form for huge A and B.
 */
function logDensity(o: Oriented, prefactor: tf.Tensor): tf.Tensor {
  const { A, B, logX, logY } = o;
  const interior = tf.sub(tf.add(prefactor, tf.log(A)), tf.add(logX, logY));
  // At X = 0 the density tends to Infinity, 1 / B(1, B) = B or 0 as A <, =, > 1.
  const edge = tf.where(tf.less(A, 1), tf.fill(A.shape, Infinity), tf.where(tf.equal(A, 1), tf.log(B), tf.fill(A.shape, -Infinity)));
  return tf.where(o.atEdge, edge, interior);
}

function makeOp(logarithm: boolean) {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [a, b, x] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    const { o, logJ } = logJForward(a, b, x);
    const value = logarithm ? tf.where(o.swap, log1mexpForward(tf.neg(logJ)), logJ) : tf.where(o.swap, tf.neg(expm1(logJ)), tf.exp(logJ));
    const nan = tf.fill(value.shape, NaN);
    const result = tf.where(o.valid, value, nan);
    save([a, b, x]);
    return {
      value: result,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sa, sb, sx] = saved;
        const { o: so, prefactor, logJ: sLogJ } = logJForward(sa, sb, sx);
        const logI = tf.where(so.swap, log1mexpForward(tf.neg(sLogJ)), sLogJ);
        // Divided by I for the log variant, all in logs.
        const scale = logarithm ? logI : tf.zerosLike(logI);
        const gx = tf.exp(tf.sub(logDensity(so, prefactor), scale));
        const [gA, gB] = logJPartials(so);
        const weight = tf.exp(tf.sub(sLogJ, scale));
        const inside = tf.logicalNot(so.atEdge);
        const zero = tf.zerosLike(gA);
        // Not turned: dI/da = J dlogJ/dA; turned (I = 1 - J, A = b, B = a): dI/da = -J dlogJ/dB.
        const ga = tf.where(inside, tf.mul(weight, tf.where(so.swap, tf.neg(gB), gA)), zero);
        const gb = tf.where(inside, tf.mul(weight, tf.where(so.swap, tf.neg(gA), gB)), zero);
        const masked = (g: tf.Tensor): tf.Tensor => tf.where(so.valid, g, tf.fill(g.shape, NaN));
        return [
          sumToShape(tf.mul(dy, masked(ga)), sa.shape),
          sumToShape(tf.mul(dy, masked(gb)), sb.shape),
          sumToShape(tf.mul(dy, masked(gx)), sx.shape),
        ];
      },
    };
  });
}

const betaincOp = makeOp(false);
const logBetaincOp = makeOp(true);

function prepare(a: TensorInput, b: TensorInput, x: TensorInput, context: string): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const ta = toFloat32(a, 'a', context);
  const tb = toFloat32(b, 'b', context);
  const tx = toFloat32(x, 'x', context);
  broadcastShapes([ta.shape, tb.shape, tx.shape], ['a', 'b', 'x'], context);
  return [ta, tb, tx];
}

/**
 * The regularized incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b), the Beta(a, b)
 * distribution function, elementwise with broadcasting; differentiable in a, b and x.
 *
 * @remarks
 * `I_x(a, b) = x^a (1-x)^b / (a B(a, b)) * 1 / (1 + d1 / (1 + d2 / (1 + ...)))` with
 * `d(2m+1) = -(a+m)(a+b+m) x / ((a+2m)(a+2m+1))` and `d(2m) = m (b-m) x / ((a+2m-1)(a+2m))`,
 * evaluated at a fixed depth of 128 partial numerators (a fixed graph of tfjs ops on every
 * backend; bottom-up, which at a fixed depth equals forward modified Lentz's convergent in fewer ops). Where
 * x > (a+1)/(a+b+2) the symmetry `I_x(a, b) = 1 - I_(1-x)(b, a)` is used, where the fraction
 * converges fast. The prefactor is taken in logs, and when a and b are both >= 8 as
 * `a log1pmx(x/p - 1) + b log1pmx((1-x)/q - 1)` plus Stirling corrections (p = a/(a+b), q = 1 - p),
 * so huge parameters do not cancel in float32. Worst relative error against mpmath over a, b in
 * [1e-3, 1e4], x in [1e-6, 1 - 1e-6]: 3e-4 (where the symmetry gives a small I as 1 - J, so the
 * error is J's rounding), 7e-5 for a or b above 100; log I to 4e-5 (see the test's printed
 * table). Defined for a > 0, b > 0, 0 <= x <= 1: I_0 = 0, I_1 = 1; other arguments (and NaN) give
 * NaN, without a data check (as {@link igamma}).
 *
 * Gradients: in x exactly the Beta density `x^(a-1) (1-x)^(b-1) / B(a, b)` (from logs; at x = 0 it
 * is Infinity, b or 0 as a <, =, > 1, and likewise at x = 1). In a and b the derivative of the
 * truncated fraction, computed in forward mode beside its recurrence, plus the prefactor's
 * `log x - 1/a + psi(a+b) - psi(a)` and `log(1-x) + psi(a+b) - psi(b)` (relative error about
 * 2e-4 worst against mpmath over the same grid); zero at x = 0 and x = 1, where I is constant.
 * Memory: the a, b gradient re-runs the fraction with its partials (about 3x the forward's ops).
 *
 * @param a - first shape parameter, positive, a tensor or number
 * @param b - second shape parameter, positive, broadcast-compatible with `a`
 * @param x - the point, in [0, 1], broadcast-compatible with `a` and `b`
 * @returns a float32 tensor of the broadcast shape of `a`, `b` and `x`, values in [0, 1]
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { betainc } from '@vae/math';
 *
 * tf.tidy(() => {
 *   console.log(betainc(2, 3, [0, 0.4, 1]).arraySync()); // [0, 0.5248, 1]
 *   const dx = tf.grad((x: tf.Tensor) => betainc(2, 3, x))(tf.scalar(0.4));
 *   console.log(dx.arraySync()); // 1.728 (12 x (1 - x)^2, the Beta(2, 3) density)
 * });
 * ```
 */
export function betainc(a: TensorInput, b: TensorInput, x: TensorInput): tf.Tensor {
  return tf.tidy(() => betaincOp(...prepare(a, b, x, 'betainc')) as tf.Tensor);
}

/**
 * log I_x(a, b), the log of the regularized incomplete beta function, accurate where I_x is tiny
 * (the lower tail) and where it is close to 1; differentiable in a, b and x.
 *
 * @remarks
 * The same continued fraction as {@link betainc}, kept in logs: where the fraction is evaluated
 * directly, `log I = log prefactor - log F`; where the symmetry is used,
 * `log I = log1mexp(-log J)` with J = I_(1-x)(b, a). So log I_x(a, b) stays finite and accurate
 * down to about -1e30 where betainc itself underflows to 0. The gradients are betainc's divided
 * by I, formed in logs (the x-gradient is `exp(log density - log I)`); at x = 0 (log I = -Infinity)
 * the x-gradient is Infinity and the a, b gradients are zero. Same domain as {@link betainc}; NaN
 * outside it.
 *
 * @param a - first shape parameter, positive, a tensor or number
 * @param b - second shape parameter, positive, broadcast-compatible with `a`
 * @param x - the point, in [0, 1], broadcast-compatible with `a` and `b`
 * @returns a float32 tensor of the broadcast shape, values <= 0
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { logBetainc } from '@vae/math';
 *
 * tf.tidy(() => {
 *   console.log(logBetainc(50, 2, [1e-3, 0.5]).arraySync()); // [-341.4569, -31.3993] (betainc gives [0, 2.3e-14])
 * });
 * ```
 */
export function logBetainc(a: TensorInput, b: TensorInput, x: TensorInput): tf.Tensor {
  return tf.tidy(() => logBetaincOp(...prepare(a, b, x, 'logBetainc')) as tf.Tensor);
}
