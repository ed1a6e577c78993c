import * as tf from '@tensorflow/tfjs-core';
import { toFloat32 } from '@vae/math';
import type { TensorInput } from '@vae/math';
import { assertConstraint, constraints } from './constraints.js';
import type { DistributionOptions } from './distribution.js';
import { named } from './family.js';
import { Gamma } from './gamma.js';

/** Parameters of {@link Chi2}. */
export interface Chi2Params extends DistributionOptions {
  /** Degrees of freedom nu, > 0 (need not be an integer). */
  df: TensorInput;
}

/**
 * The chi-squared distribution with nu degrees of freedom: Gamma(nu / 2, rate 1/2), as a subclass
 * of {@link Gamma}, so every Gamma method and KL rule applies to it.
 *
 * @remarks
 * log p(x) = (nu/2 - 1) log x - x/2 - (nu/2) log 2 - lgamma(nu/2); mean nu; variance 2 nu;
 * entropy nu/2 + log 2 + lgamma(nu/2) + (1 - nu/2) psi(nu/2); mode max(nu - 2, 0). Samples are
 * Gamma's implicit-gradient samples, differentiable in nu. `concentration` holds nu / 2 and
 * `rate` 1/2.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Chi2 } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const d = new Chi2({ df: [1, 2, 4] });
 *   console.log(d.logProb(2).arraySync()); // [-2.2655, -1.6931, -1.6931]
 *   console.log(d.mean().arraySync()); // [1, 2, 4]
 *   console.log(d.rsample([5], 1).shape); // [5, 3]
 *   d.dispose();
 * });
 * ```
 */
export class Chi2 extends named(Gamma, 'Chi2') {
  /** Degrees of freedom nu, broadcastable to `batchShape`. */
  readonly df: tf.Tensor;

  /**
   * @param params - `df` (a number, nested array or tensor), and options
   */
  constructor(params: Chi2Params) {
    const { df, ...options } = params;
    const dfTensor = toFloat32(df, 'df', 'Chi2');
    const created = dfTensor !== df;
    if (options.validateArgs ?? true) {
      try {
        assertConstraint(dfTensor, 'df', constraints.positive, 'Chi2');
      } catch (e) {
        if (created) dfTensor.dispose();
        throw e;
      }
    }
    const concentration = tf.mul(dfTensor, 0.5);
    super({ concentration, rate: 0.5, ...options });
    this.own(concentration);
    this.df = created ? this.own(dfTensor) : dfTensor;
  }
}
