// Internal helpers shared by the discrete and relaxed families (not exported from the package).
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, broadcastShapes, log1p, logSumExp, softplus, withoutGradient } from '@vae/math';
import type { TensorInput } from '@vae/math';
import { constraints } from './constraints.js';
import type { Constraint } from './constraints.js';
import { OnFirstRead } from './family.js';

/** The two ways a Bernoulli-like or categorical family can be parameterized. */
export interface LogitsOrProbs {
  logits?: TensorInput;
  probs?: TensorInput;
}

/**
 * Which of `logits` / `probs` was given; exactly one must be.
 * @param params - the constructor's parameters
 * @param context - the distribution's name
 * @returns `'logits'` or `'probs'`
 */
export function whichParameterization(params: LogitsOrProbs, context: string): 'logits' | 'probs' {
  return exactlyOneOf(params, ['logits', 'probs'], context);
}

/**
 * Which of two alternative parameters was given (`rate` or `logRate`); exactly one must be.
 * @param params - the constructor's parameters
 * @param names - the two alternatives
 * @param context - the distribution's name
 * @returns the name of the one given
 */
export function exactlyOneOf<K extends string>(params: { readonly [P in K]?: unknown }, names: readonly [K, K], context: string): K {
  const [first, second] = names.map((name) => params[name] !== undefined && params[name] !== null);
  if (first === second) {
    throw new InvalidArgumentError(
      `${names[0]} or ${names[1]}`,
      'given (exactly one of them)',
      first ? 'got both' : 'got neither',
      context,
    );
  }
  return first ? names[0] : names[1];
}

/**
 * The parameter table of a Bernoulli-like family: exactly one of `logits` (real) and `probs`.
 * @param probs - the constraint on `probs` ([0, 1] for Bernoulli, (0, 1) for the relaxed families)
 * @returns the table, for `Distribution.parameters`
 */
export function binaryParameters(probs: Constraint) {
  return {
    /** Log-odds log(p / (1 - p)) of a success (or of a 1), any finite real, broadcastable to `batchShape`. */
    logits: { constraint: constraints.real, optional: true },
    /** Probability p of a success (or of a 1), in the range the family's summary gives, broadcastable to `batchShape`. */
    probs: { constraint: probs, optional: true },
  } as const;
}

/** Both halves of a Bernoulli-like family's parameterization, as its instances show them. */
export interface BinaryParameters {
  /** Log-odds of a success (or of a 1), broadcastable to `batchShape`. */
  readonly logits: tf.Tensor;
  /** Probability of a success (or of a 1), broadcastable to `batchShape`. */
  readonly probs: tf.Tensor;
}

/**
 * The half of a logits/probs pair the user did not give, computed from the other: sigmoid(logits)
 * or the accurate log-odds of probs.
 * @param given - the converted parameters, exactly one of them set
 * @param own - records a created tensor with the distribution, which frees it on `dispose()`
 * @returns both halves
 */
export function completeBinary(given: { logits?: tf.Tensor; probs?: tf.Tensor }, own: (t: tf.Tensor) => tf.Tensor): BinaryParameters {
  if (given.probs !== undefined) return { probs: given.probs, logits: own(probsToLogits(given.probs)) };
  const logits = given.logits as tf.Tensor;
  return { logits, probs: own(tf.sigmoid(logits)) };
}

/**
 * The {@link family} traits of a family given exactly one of `logits` and `probs` (its table has
 * {@link binaryParameters}): the check that one is given (the instance keeps which as its
 * `given`), and the other half computed and owned.
 */
export const LOGITS_OR_PROBS = { given: whichParameterization, derive: completeBinary } as const;

/**
 * {@link completeBinary}, except that the probs of a family given logits are computed on first
 * read (an {@link OnFirstRead}) instead of in the constructor.
 * @param given - the converted parameters, exactly one of them set
 * @param own - records a created tensor with the distribution, which frees it on `dispose()`
 * @returns both halves, `probs` as an {@link OnFirstRead} when only logits were given
 */
function completeBinaryProbsOnRead(
  given: { logits?: tf.Tensor; probs?: tf.Tensor },
  own: (t: tf.Tensor) => tf.Tensor,
): { readonly logits: tf.Tensor; readonly probs: tf.Tensor | OnFirstRead } {
  if (given.probs !== undefined) return completeBinary(given, own);
  const logits = given.logits as tf.Tensor;
  return { logits, probs: new OnFirstRead(() => tf.sigmoid(logits)) };
}

/**
 * {@link LOGITS_OR_PROBS} for a family whose hot path reads only `logits` (Bernoulli's likelihood):
 * given logits, its `probs` is sigmoid(logits) computed on first read (see {@link OnFirstRead}).
 */
export const LOGITS_OR_PROBS_ON_READ = { given: whichParameterization, derive: completeBinaryProbsOnRead } as const;

/**
 * log p and log(1 - p) of a Bernoulli-like family, from whichever parameter was given: log p and
 * `@vae/math`'s log1p(-p) (accurate for tiny p on every backend) from probs, -softplus(-l) and
 * -softplus(l) from logits.
 * @param given - which parameter the family was given (its `given`, see {@link LOGITS_OR_PROBS})
 * @param parameters - the family's `logits` and `probs`
 * @returns log p and log(1 - p)
 */
export function binaryLogProbs(given: 'logits' | 'probs', parameters: BinaryParameters): [tf.Tensor, tf.Tensor] {
  if (given === 'probs') return [tf.log(parameters.probs), log1p(tf.neg(parameters.probs))];
  return [tf.neg(softplus(tf.neg(parameters.logits))), tf.neg(softplus(parameters.logits))];
}

/**
 * log(p / (1 - p)), accurate near p = 1/2 (where the naive difference of logs cancels) and at the
 * ends (where 2p - 1 would lose p's low bits): `log1p(t) - log1p(-t)` with t = 2p - 1 in the middle.
 * @param p - probabilities in [0, 1]
 * @returns logits (+-Infinity at 1 and 0)
 */
export function probsToLogits(p: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const middle = withoutGradient((q) => tf.less(tf.abs(tf.sub(q, 0.5)), 0.25), p);
    const pMid = tf.where(middle, p, tf.fill(p.shape, 0.5));
    const pEnd = tf.where(middle, tf.fill(p.shape, 0.1), p);
    const t = tf.sub(tf.mul(pMid, 2), 1);
    const mid = tf.sub(log1p(t), log1p(tf.neg(t)));
    // Here p <= 1/4, where log(1 - p) is off by at most 4e-8 beside |log p| >= 1.38, or p >= 3/4,
    // where 1 - p is exact: the plain kernel (log(1 + x) on wasm) will do.
    const end = tf.sub(tf.log(pEnd), tf.log1p(tf.neg(pEnd)));
    return tf.where(middle, mid, end);
  });
}

/**
 * `c * logValue`, taken as 0 where `c` is 0 (so 0 * log 0 = 0), with no NaN in value or gradient
 * there: the convention of xlogy applied to a logarithm computed elsewhere.
 * @param c - the coefficient
 * @param logValue - the logarithm it multiplies (may be -Infinity)
 * @returns the product, shape broadcast(c, logValue)
 */
export function mulLog(c: tf.Tensor, logValue: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const shape = broadcastShapes([c.shape, logValue.shape]);
    const zero = withoutGradient((t) => tf.equal(t, 0), c);
    const safe = tf.where(zero, tf.zeros(shape), logValue);
    return tf.where(zero, tf.zeros(shape), tf.mul(c, safe));
  });
}

/**
 * Normalized log probabilities along the last axis: `logits - logSumExp(logits)`.
 * @param logits - unnormalized log probabilities, shape `[..., K]`
 * @returns the same shape, with logSumExp 0 along the last axis
 */
export function normalizeLogits(logits: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sub(logits, logSumExp(logits, -1, true)));
}

/**
 * Evaluates `f` on `x` where `useF(x)` holds and `g` elsewhere, feeding each branch a harmless
 * stand-in value where it is not used, so neither the value nor the gradient picks up NaN or
 * Infinity from the branch that is thrown away.
 * @param useF - where to take `f` (a predicate, evaluated off the gradient tape)
 * @param x - the argument
 * @param f - the first branch
 * @param fSafe - an argument value at which `f` is finite with a finite gradient
 * @param g - the second branch
 * @param gSafe - an argument value at which `g` is finite with a finite gradient
 * @returns `where(useF(x), f(x), g(x))`
 */
export function safeWhere(
  useF: (x: tf.Tensor) => tf.Tensor,
  x: tf.Tensor,
  f: (x: tf.Tensor) => tf.Tensor,
  fSafe: number,
  g: (x: tf.Tensor) => tf.Tensor,
  gSafe: number,
): tf.Tensor {
  return tf.tidy(() => {
    const cond = withoutGradient(useF, x);
    const xb = x;
    const xf = tf.where(cond, xb, tf.fill(cond.shape, fSafe));
    const xg = tf.where(cond, tf.fill(cond.shape, gSafe), xb);
    return tf.where(cond, f(xf), g(xg));
  });
}

/**
 * Evaluates a polynomial sum_k c_k t^k by Horner's rule.
 * @param coefficients - c_0, c_1, ...
 * @param t - the argument
 * @returns the polynomial's value, shape of `t`
 */
export function polynomial(coefficients: readonly number[], t: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    let acc: tf.Tensor = tf.fill(t.shape, coefficients[coefficients.length - 1]);
    for (let k = coefficients.length - 2; k >= 0; k--) acc = tf.add(tf.mul(acc, t), coefficients[k]);
    return acc;
  });
}
