// The options every sampler takes, and the one rule for reading them.
/**
 * Options every sampler accepts as its last argument.
 *
 * @remarks
 * Validation reads parameters back to the host; turning it off skips that and the checks.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { normalSample } from '@vae/samplers';
 * import type { SamplerOptions } from '@vae/samplers';
 *
 * tf.tidy(() => {
 *   const options: SamplerOptions = { validateArgs: false };
 *   console.log(normalSample(0, 1, [2], 1, options).shape); // [2]
 * });
 * ```
 */
export interface SamplerOptions {
  /**
   * Check the parameters' values (positivity, unit norm, ...) and throw an `InvalidArgumentError`
   * on bad ones. Default true. The check reads the parameters back synchronously; callers that have
   * validated already (a distribution's constructor) turn it off.
   */
  validateArgs?: boolean;
}

/** Whether a sampler called with `options` validates its parameters (the default is yes). */
export function validates(options: SamplerOptions): boolean {
  return options.validateArgs !== false;
}
