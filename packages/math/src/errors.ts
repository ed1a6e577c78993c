/**
 * The error every `@vae` package throws for bad input: it names the argument and the constraint it
 * broke, so a message reads like "Normal: scale must be positive (> 0); got -1 at index [2]".
 *
 * @remarks
 * `argument` and `constraint` are kept as fields so callers can react programmatically.
 *
 * @example
 * ```ts
 * import { InvalidArgumentError } from '@vae/math';
 * const error = new InvalidArgumentError('order', 'non-negative (>= 0)', 'got -1', 'logBesselI');
 * console.log(error.message); // 'logBesselI: order must be non-negative (>= 0); got -1'
 * ```
 */
export class InvalidArgumentError extends Error {
  /** The argument's name as the caller knows it. */
  readonly argument: string;
  /** The constraint, in words, e.g. `positive (> 0)`. */
  readonly constraint: string;

  /**
   * @param argument - the argument's name
   * @param constraint - the constraint it must satisfy, in words
   * @param detail - what was found instead (e.g. `got -1 at index [3]`)
   * @param context - who is complaining (a function or distribution name)
   */
  constructor(argument: string, constraint: string, detail?: string, context?: string) {
    const where = context ? `${context}: ` : '';
    super(`${where}${argument} must be ${constraint}${detail ? `; ${detail}` : ''}`);
    this.name = 'InvalidArgumentError';
    this.argument = argument;
    this.constraint = constraint;
  }
}
