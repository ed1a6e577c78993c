// Shared plumbing for the samplers: argument checks, broadcasting against the requested shape and a
// few numerically careful tensor identities. Nothing here is exported from the package entry point
// (the public options type lives in sampler-options.ts).
import * as tf from '@tensorflow/tfjs-core';
import { assertElementwise, broadcastShapes, InvalidArgumentError, toFloat32, withoutGradient } from '@vae/math';
import type { TensorInput } from '@vae/math';

/** The smallest value `uniformNoise` returns: the resolution of tfjs's alea generator (2^-32). */
export const UNIFORM_MIN = 2 ** -32;
/** The largest float32 strictly below 1. */
export const UNIFORM_MAX = 1 - 2 ** -24;
/**
 * The smallest normal float32, 2^-126. Draws on (0, inf) or (0, 1) are kept at or above it, as
 * torch clamps to `finfo.tiny`: a sample that rounds to 0 would have an infinite log density, and
 * TensorFlow's kernels flush the subnormals below it to zero.
 */
export const SMALLEST_NORMAL = 2 ** -126;

/** Keeps draws of a distribution on (0, inf) inside it in float32 (see {@link SMALLEST_NORMAL}). */
export function clampPositive(x: tf.Tensor): tf.Tensor {
  return tf.maximum(x, SMALLEST_NORMAL);
}

/** Keeps draws of a distribution on (0, 1) inside it in float32: [2^-126, 1 - 2^-24]. */
export function clampOpenUnit(x: tf.Tensor): tf.Tensor {
  return tf.clipByValue(x, SMALLEST_NORMAL, UNIFORM_MAX);
}

/** Checks a requested output shape: an array of non-negative integers. Returns a copy. */
export function checkShape(shape: readonly number[], context: string): number[] {
  if (!Array.isArray(shape)) throw new InvalidArgumentError('shape', 'an array of non-negative integers', `got ${typeof shape}`, context);
  shape.forEach((d, i) => {
    if (!Number.isInteger(d) || d < 0) {
      throw new InvalidArgumentError('shape', 'an array of non-negative integers', `got ${d} at position ${i}`, context);
    }
  });
  return shape.slice();
}

/** Checks a dimension argument: an integer >= `min`. */
export function checkDimension(dim: number, name: string, min: number, context: string): number {
  if (!Number.isInteger(dim) || dim < min) {
    throw new InvalidArgumentError(name, `an integer >= ${min}`, `got ${dim}`, context);
  }
  return dim;
}

/** Throws unless `actual` broadcasts to exactly `target` (the sampler's output shape). */
export function checkBroadcastsTo(actual: readonly number[], target: readonly number[], name: string, context: string): void {
  let out: number[] | null = null;
  try {
    out = broadcastShapes([target, actual], ['shape', name], context);
  } catch {
    out = null;
  }
  if (out === null || out.length !== target.length || out.some((d, i) => d !== target[i])) {
    throw new InvalidArgumentError(name, `broadcastable to the requested shape [${target}]`, `got shape [${actual}]`, context);
  }
}

/**
 * Converts a scalar-per-element parameter to float32 and checks it broadcasts to `shape`.
 * The returned tensor keeps its own shape (callers broadcast in the arithmetic).
 */
export function scalarParameter(value: TensorInput, name: string, shape: readonly number[], context: string): tf.Tensor {
  const t = toFloat32(value, name, context);
  checkBroadcastsTo(t.shape, shape, name, context);
  return t;
}

/**
 * Converts a vector-valued parameter (last axis = event size) to float32 and checks its leading axes
 * broadcast to `shape`. Returns the tensor and its event size.
 */
export function vectorParameter(
  value: TensorInput,
  name: string,
  shape: readonly number[],
  context: string,
): { tensor: tf.Tensor; size: number } {
  const t = toFloat32(value, name, context);
  if (t.rank < 1)
    throw new InvalidArgumentError(name, 'at least one-dimensional (its last axis is the event axis)', 'got a scalar', context);
  checkBroadcastsTo(t.shape.slice(0, -1), shape, name, context);
  return { tensor: t, size: t.shape[t.rank - 1] };
}

/** Elementwise `x > 0` check, skipped when validation is off. */
export function checkPositive(t: tf.Tensor, name: string, context: string, validate: boolean): void {
  if (validate) assertElementwise(t, name, 'positive (> 0)', (x) => x > 0, context);
}

/** Elementwise finiteness check, skipped when validation is off. */
export function checkFiniteValues(t: tf.Tensor, name: string, context: string, validate: boolean): void {
  if (validate) assertElementwise(t, name, 'finite', Number.isFinite, context);
}

/**
 * The selection step of the vectorized rejection samplers, which draw all their proposals at once
 * along a new leading axis: per element, the value of the first accepted proposal; where none is
 * accepted, `fallback` (by default the last proposal).
 *
 * @remarks
 * A backward chain of selects, one per proposal: the cpu backend's cumsum along the leading axis
 * costs about thirty times as much. Values are passed through untouched (no arithmetic), so the
 * result is exactly one of the proposals (or the fallback). No read-back.
 */
export function firstAccepted(accept: tf.Tensor, value: tf.Tensor, fallback?: tf.Tensor): tf.Tensor {
  const accepts = tf.unstack(accept);
  const values = tf.unstack(value);
  const n = values.length;
  let chosen = fallback ?? values[n - 1];
  // Without a fallback the last proposal is the default, so the chain starts one proposal earlier.
  for (let i = fallback === undefined ? n - 2 : n - 1; i >= 0; i--) chosen = tf.where(accepts[i], values[i], chosen);
  return chosen;
}

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Makes a one-hot float tensor (last axis K) from integer indices. */
export function oneHotFloat(indices: tf.Tensor, depth: number): tf.Tensor {
  return tf.tidy(() => tf.cast(tf.oneHot(tf.cast(indices, 'int32'), depth), 'float32'));
}

/**
 * Straight-through estimator: returns `hard` in the forward pass (exactly, no rounding residue)
 * and passes the incoming gradient to `soft` unchanged in the backward pass.
 */
export function straightThrough(hard: tf.Tensor, soft: tf.Tensor): tf.Tensor {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    void args[0];
    return { value: tf.clone(hard), gradFunc: (dy: tf.Tensor) => tf.clone(dy) };
  });
  return op(soft);
}

/**
 * Applies a Householder-type orthogonal map M with M e1 = mu to the last axis of `y`.
 *
 * @remarks
 * The reflection about u = e1 - mu maps e1 to mu, but |u| -> 0 as mu -> e1 and the map loses all
 * precision there. We reflect about u = e1 + s mu instead, with s = sign(mu_1) (s = 1 at 0), so
 * |u|^2 = 2 (1 + |mu_1|) >= 2 always; that reflection maps e1 to -s mu, and M = -s H maps e1 to mu.
 * M is orthogonal, so applied to a sample whose tangential part is rotation invariant it gives
 * exactly the intended distribution.
 */
export function householderToMean(y: tf.Tensor, mu: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const d = mu.shape[mu.rank - 1];
    const mu1 = tf.slice(mu, new Array(mu.rank).fill(0), [...mu.shape.slice(0, -1), 1]);
    // The branch sign is piecewise constant in mu: no gradient flows through it.
    const s = withoutGradient((m) => tf.where(tf.less(m, 0), tf.fill(m.shape, -1), tf.fill(m.shape, 1)), mu1);
    const e1 = tf.concat([tf.ones([1]), tf.zeros([d - 1])]);
    const u = tf.add(tf.mul(s, mu), e1);
    const uu = tf.sum(tf.square(u), -1, true);
    // M y = -s (y - 2 u (u.y) / |u|^2) = -s y + (2 s (u.y) / |u|^2) u. Work on mu's own shape where
    // possible: the tfjs cpu backend is slow at broadcasting over large [n, d] tensors.
    let uy: tf.Tensor;
    if (mu.rank === 1) {
      uy = tf.reshape(tf.matMul(tf.reshape(y, [-1, d]), tf.reshape(u, [d, 1])), [...y.shape.slice(0, -1), 1]);
    } else {
      uy = tf.sum(tf.mul(u, y), -1, true);
    }
    const coefficient = tf.mul(uy, tf.div(tf.mul(2, s), uu));
    return tf.add(tf.mul(tf.neg(s), y), tf.mul(coefficient, u));
  });
}

/**
 * x[i, :] * g[i] for x of shape [n, m] and g of shape [n, 1], as a batch of 1x1-by-1xm matrix
 * products: several times faster on the tfjs cpu backend than the broadcasting multiply.
 */
export function scaleRows(x: tf.Tensor, g: tf.Tensor): tf.Tensor {
  const [n, m] = x.shape;
  return tf.reshape(tf.matMul(tf.reshape(g, [n, 1, 1]), tf.reshape(x, [n, 1, m])), [n, m]);
}

/**
 * Builds points on S^(d-1) around mu: y = [w, radial * x / |x|] with x ~ N(0, I_(d-1)) (so the
 * tangential direction is uniform on S^(d-2)), then maps e1 to mu with {@link householderToMean}.
 * `w` and `radial` have the output's leading shape; the result has that shape + [d].
 */
export function assembleOnSphere(w: tf.Tensor, radial: tf.Tensor, mu: tf.Tensor, tangentNoise: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    // A Gaussian vector is 0 with probability 0, but float32 can round a short one to a tiny norm.
    const norm = tf.maximum(tf.sqrt(tf.sum(tf.square(tangentNoise), -1, true)), 1e-30);
    const scale = tf.div(tf.expandDims(radial, -1), norm);
    if (mu.rank !== 1) {
      const m = tangentNoise.shape[tangentNoise.rank - 1];
      const tangent = tf.reshape(scaleRows(tf.reshape(tangentNoise, [-1, m]), tf.reshape(scale, [-1, 1])), tangentNoise.shape);
      const y = tf.concat([tf.expandDims(w, -1), tangent], -1);
      return householderToMean(y, mu);
    }
    // One mean direction for every sample: the same map as householderToMean, arranged so the only
    // elementwise op over the [n, d - 1] noise that broadcasts is one scaling; the rest are matrix
    // products (the tfjs cpu backend broadcasts slowly).
    const d = mu.shape[0];
    const lead = w.shape;
    const n = sizeOf(lead);
    const x = tf.reshape(tangentNoise, [n, d - 1]);
    const mu1 = tf.slice(mu, [0], [1]);
    const s = withoutGradient((m) => tf.where(tf.less(m, 0), tf.fill(m.shape, -1), tf.fill(m.shape, 1)), mu1);
    const u1 = tf.add(tf.mul(s, mu1), 1); // [1]
    // Two separately computed copies of u's tail for the two matrix products: the wasm backend's
    // matMul caches its packed right operand by tensor id, so one tensor reshaped two ways and used
    // as the right operand twice gives wrong products there.
    const uTail = tf.mul(s, tf.slice(mu, [1], [d - 1])); // [d - 1]
    const uTailRow = tf.reshape(tf.mul(s, tf.slice(mu, [1], [d - 1])), [1, d - 1]);
    const uu = tf.add(tf.square(u1), tf.sum(tf.square(uTail)));
    const w2 = tf.reshape(w, [n, 1]);
    const scale2 = tf.reshape(scale, [n, 1]);
    // u.y = u1 w + scale (x . uTail)
    const uy = tf.add(tf.mul(u1, w2), tf.mul(scale2, tf.matMul(x, tf.reshape(uTail, [d - 1, 1]))));
    const coefficient = tf.mul(uy, tf.div(tf.mul(2, s), uu)); // [n, 1]
    const minusS = tf.neg(s);
    const head = tf.add(tf.mul(minusS, w2), tf.mul(coefficient, u1));
    const tail = tf.add(scaleRows(x, tf.mul(minusS, scale2)), tf.matMul(coefficient, uTailRow));
    return tf.reshape(tf.concat([head, tail], 1), [...lead, d]);
  });
}

/** Throws unless every vector along the last axis has unit norm within a relative tolerance. */
export function checkUnitVectors(mu: tf.Tensor, name: string, context: string, validate: boolean, tolerance = 1e-3): void {
  if (!validate) return;
  const norms = tf.tidy(() => tf.sqrt(tf.sum(tf.square(mu), -1)));
  try {
    assertElementwise(
      norms,
      `${name} (its norm)`,
      `a unit vector (norm 1 within ${tolerance})`,
      (n) => Math.abs(n - 1) <= tolerance,
      context,
    );
  } finally {
    norms.dispose();
  }
}
