import * as tf from '@tensorflow/tfjs-core';
import type { Constraint } from '../constraints.js';

// The bijectors' own sets; the shared table in ../constraints.ts holds the distributions' supports.

/** Non-zero finite reals: an invertible scale or exponent. */
export const NON_ZERO: Constraint = {
  description: 'non-zero and finite',
  eventRank: 0,
  check: (x) => tf.tidy(() => tf.logicalAnd(tf.notEqual(x, 0), tf.less(tf.abs(x), Infinity))),
};

/** [-1, 1], the closure of tanh's range. */
export const SYMMETRIC_UNIT_INTERVAL: Constraint = {
  description: 'in [-1, 1]',
  eventRank: 0,
  check: (x) => tf.tidy(() => tf.logicalAnd(tf.greaterEqual(x, -1), tf.lessEqual(x, 1))),
};

/** Lower-triangular matrices with a non-zero finite diagonal (the part above the diagonal is ignored). */
export const INVERTIBLE_LOWER_TRIANGULAR: Constraint = {
  description: 'lower-triangular with a non-zero finite diagonal',
  eventRank: 2,
  check: (x) =>
    tf.tidy(() => {
      const lower = tf.linalg.bandPart(x, -1, 0);
      const finite = tf.all(tf.less(tf.abs(lower), Infinity), [-2, -1]);
      const diagonal = tf.sum(tf.mul(x, tf.eye(x.shape[x.rank - 1])), -1);
      return tf.logicalAnd(finite, tf.all(tf.notEqual(diagonal, 0), -1));
    }),
};
