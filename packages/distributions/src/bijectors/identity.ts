import * as tf from '@tensorflow/tfjs-core';
import { elementwise } from './elementwise.js';

/**
 * The identity map y = x: the neutral element of chaining and a default for optional flows.
 *
 * @remarks
 * forward(x) = inverse(x) = x and log |det J| = 0 elementwise (`forwardMinEventNdims` = 0).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Identity } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const identity = new Identity();
 *   console.log(identity.inverse([[1, 2], [3, 4]]).arraySync()); // [[1, 2], [3, 4]]
 *   console.log(identity.inverseLogDetJacobian([[1, 2], [3, 4]], 1).arraySync()); // [0, 0]
 * });
 * ```
 */
export class Identity extends elementwise('Identity', {
  isConstantJacobian: true,
  // Copies, not the input itself: the caller may dispose the result without losing its input.
  forward: (x) => tf.clone(x),
  inverse: (y) => tf.clone(y),
  forwardLogDetJacobian: () => tf.scalar(0),
  inverseLogDetJacobian: () => tf.scalar(0),
}) {}
