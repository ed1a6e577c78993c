import * as tf from '@tensorflow/tfjs-core';
import { Bijector } from './bijector.js';
import type { BijectorOptions } from './bijector.js';

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
export class Identity extends Bijector {
  /** The bijector's name in messages, spelled out because minifiers rename classes. */
  static override readonly bijectorName: string = 'Identity';

  /**
   * @param options - validation options (nothing to validate: every real value is in the domain)
   */
  constructor(options: BijectorOptions = {}) {
    super({ forwardMinEventNdims: 0, isConstantJacobian: true }, options);
  }

  // A copy, not the input itself: the caller may dispose the result without losing its input.
  protected _forward(x: tf.Tensor): tf.Tensor {
    return tf.clone(x);
  }

  protected _inverse(y: tf.Tensor): tf.Tensor {
    return tf.clone(y);
  }

  protected override _forwardLogDetJacobian(): tf.Tensor {
    return tf.scalar(0);
  }

  protected override _inverseLogDetJacobian(): tf.Tensor {
    return tf.scalar(0);
  }
}
