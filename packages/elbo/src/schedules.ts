import { InvalidArgumentError } from '@vae/math';

/** A KL weight schedule: a pure function from the training step (0, 1, 2, ...) to the weight beta. */
export type KLSchedule = (step: number) => number;

function finite(value: number, argument: string, context: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidArgumentError(argument, 'a finite number', `got ${String(value)}`, context);
  }
}

function positiveInteger(value: number, argument: string, context: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new InvalidArgumentError(argument, 'an integer >= 1', `got ${String(value)}`, context);
  }
}

/** The schedule `weight` behind the step check every schedule makes. */
function checkedSchedule(context: string, weight: (step: number) => number): KLSchedule {
  return (step) => {
    if (typeof step !== 'number' || !Number.isFinite(step) || step < 0) {
      throw new InvalidArgumentError('step', 'a finite number >= 0', `got ${String(step)}`, context);
    }
    return weight(step);
  };
}

/**
 * The two KL weights an annealing schedule moves between, shared by {@link linearWarmup},
 * {@link sigmoidSchedule} and {@link cyclicalSchedule}: each schedule's formula says where it is at
 * `start` and where at `end`.
 */
export interface KLScheduleEndpoints {
  /** The weight the schedule rises from (default 0), a finite number. */
  start?: number;
  /** The weight it rises to (default 1), a finite number. */
  end?: number;
}

/** The weights a schedule moves between: `start` (default 0) and `end` (default 1), checked finite. */
function endpoints(params: KLScheduleEndpoints, context: string): { start: number; end: number } {
  const { start = 0, end = 1 } = params;
  finite(start, 'start', context);
  finite(end, 'end', context);
  return { start, end };
}

/**
 * A constant KL weight.
 *
 * @remarks
 * beta(t) = value for every step t: 1 is the plain ELBO, another value a beta-VAE.
 *
 * @param value - the weight (default 1)
 * @returns the schedule
 *
 * @example
 * ```ts
 * import { constantSchedule } from '@vae/elbo';
 * console.log(constantSchedule(4)(1000)); // 4
 * ```
 */
export function constantSchedule(value = 1): KLSchedule {
  finite(value, 'value', 'constantSchedule');
  return checkedSchedule('constantSchedule', () => value);
}

/** Parameters of {@link linearWarmup}: the weight is `start` at step 0 and `end` from step `warmupSteps` on. */
export interface LinearWarmupParams extends KLScheduleEndpoints {
  /** Steps over which the weight goes from `start` to `end`, an integer >= 1. */
  warmupSteps: number;
}

/**
 * KL warm-up (Bowman et al. 2016, Sonderby et al. 2016): the weight rises linearly, then stays.
 *
 * @remarks
 * beta(t) = start + (end - start) min(t / warmupSteps, 1).
 *
 * @param params - the warm-up length and the two end values
 * @returns the schedule
 *
 * @example
 * ```ts
 * import { linearWarmup } from '@vae/elbo';
 * const beta = linearWarmup({ warmupSteps: 100 });
 * console.log(beta(0), beta(25), beta(100), beta(500)); // 0 0.25 1 1
 * ```
 */
export function linearWarmup(params: LinearWarmupParams): KLSchedule {
  const context = 'linearWarmup';
  positiveInteger(params?.warmupSteps, 'warmupSteps', context);
  const { start, end } = endpoints(params, context);
  return checkedSchedule(context, (step) => start + (end - start) * Math.min(step / params.warmupSteps, 1));
}

/** Parameters of {@link sigmoidSchedule}: the weight tends to `start` long before the midpoint and to `end` long after it. */
export interface SigmoidScheduleParams extends KLScheduleEndpoints {
  /** The step where the weight is halfway between `start` and `end`. */
  midpoint: number;
  /** The slope: steps^-1, > 0 (the rise takes about 10 / steepness steps). */
  steepness: number;
}

/**
 * A logistic KL annealing curve (as in Bowman et al. 2016).
 *
 * @remarks
 * beta(t) = start + (end - start) / (1 + exp(-steepness (t - midpoint))).
 *
 * @param params - midpoint, steepness and the two asymptotes
 * @returns the schedule
 *
 * @example
 * ```ts
 * import { sigmoidSchedule } from '@vae/elbo';
 * const beta = sigmoidSchedule({ midpoint: 1000, steepness: 0.01 });
 * console.log(beta(1000), beta(0)); // 0.5 0.0000454
 * ```
 */
export function sigmoidSchedule(params: SigmoidScheduleParams): KLSchedule {
  const context = 'sigmoidSchedule';
  finite(params?.midpoint, 'midpoint', context);
  finite(params.steepness, 'steepness', context);
  if (!(params.steepness > 0)) throw new InvalidArgumentError('steepness', '> 0', `got ${params.steepness}`, context);
  const { start, end } = endpoints(params, context);
  return checkedSchedule(context, (step) => start + (end - start) / (1 + Math.exp(-params.steepness * (step - params.midpoint))));
}

/**
 * Parameters of {@link cyclicalSchedule}: each cycle starts at the weight `start`, and the weight
 * stays at `end` from the end of the increase to the end of the cycle.
 */
export interface CyclicalScheduleParams extends KLScheduleEndpoints {
  /** The total number of training steps T, an integer >= 1. */
  totalSteps: number;
  /** The number of cycles M (default 4), an integer >= 1. */
  numCycles?: number;
  /** The fraction R of each cycle spent increasing (default 0.5), in (0, 1]. */
  ratio?: number;
}

/**
 * Cyclical KL annealing (Fu et al. 2019): M cycles, each increasing linearly for a fraction R of
 * it, then constant.
 *
 * @remarks
 * With period P = T / M and tau = (t mod P) / P in [0, 1):
 * beta(t) = start + (end - start) tau / R while tau < R, and `end` for tau >= R. Steps t >= T
 * return `end` (training is over; Fu et al. define the schedule on [0, T)). Steps count from 0.
 *
 * @param params - total steps, cycles, ratio and the two levels
 * @returns the schedule
 *
 * @example
 * ```ts
 * import { cyclicalSchedule } from '@vae/elbo';
 * const beta = cyclicalSchedule({ totalSteps: 1000, numCycles: 4, ratio: 0.5 });
 * console.log(beta(0), beta(50), beta(125), beta(200), beta(250)); // 0 0.4 1 1 0
 * ```
 */
export function cyclicalSchedule(params: CyclicalScheduleParams): KLSchedule {
  const context = 'cyclicalSchedule';
  positiveInteger(params?.totalSteps, 'totalSteps', context);
  const numCycles = params.numCycles ?? 4;
  positiveInteger(numCycles, 'numCycles', context);
  const ratio = params.ratio ?? 0.5;
  if (!(typeof ratio === 'number' && ratio > 0 && ratio <= 1)) {
    throw new InvalidArgumentError('ratio', 'in (0, 1]', `got ${String(ratio)}`, context);
  }
  const { start, end } = endpoints(params, context);
  const period = params.totalSteps / numCycles;
  return checkedSchedule(context, (step) => {
    if (step >= params.totalSteps) return end;
    const tau = (step % period) / period;
    return tau < ratio ? start + ((end - start) * tau) / ratio : end;
  });
}
