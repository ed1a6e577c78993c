// The frame every sampler with scalar (elementwise) parameters shares, so that each sampler file is
// its noise transform and nothing else.
import * as tf from '@tensorflow/tfjs-core';
import type { TensorInput } from '@vae/math';
import { checkShape, scalarParameter } from './internal.js';
import { validates } from './sampler-options.js';
import type { SamplerOptions } from './sampler-options.js';
import { resolveSeed } from './seed.js';

/** Throws an error naming the parameter, the constraint and `context` when `validate` is on and `t` breaks the constraint. */
export type ParameterCheck = (t: tf.Tensor, name: string, context: string, validate: boolean) => void;

/**
 * The frame of every sampler: checks `shape` and resolves `seed` before any work, then runs `draw`
 * inside one `tf.tidy`, so a sampler is memory-neutral and fails fast on a bad shape or seed.
 * @param context - the sampler's name, for messages
 * @param shape - the output shape as given
 * @param seed - the optional seed
 * @param draw - the sampler's work, from the checked shape and the resolved seed
 * @returns what `draw` returns
 */
export function sampleFrame<T extends tf.TensorContainer>(
  context: string,
  shape: readonly number[],
  seed: number | undefined,
  draw: (shape: number[], seed: number) => T,
): T {
  const s = checkShape(shape, context);
  const resolved = resolveSeed(seed);
  return tf.tidy(() => draw(s, resolved));
}

/**
 * Checks `shape` and resolves `seed` before any work; then, inside one `tf.tidy`, converts each
 * `[name, value, check]` to a float32 tensor broadcastable to the shape, runs every check (they
 * read the values back only when `options` asks for validation) and returns what `draw` makes of
 * the tensors, in the order given.
 */
export function sampleWithScalarParameters(
  context: string,
  parameters: readonly (readonly [name: string, value: TensorInput, check: ParameterCheck])[],
  shape: readonly number[],
  seed: number | undefined,
  options: SamplerOptions,
  draw: (tensors: tf.Tensor[], shape: number[], seed: number) => tf.Tensor,
): tf.Tensor {
  return sampleFrame(context, shape, seed, (s, resolved) => {
    const tensors = parameters.map(([name, value]) => scalarParameter(value, name, s, context));
    const validate = validates(options);
    parameters.forEach(([name, , check], i) => check(tensors[i], name, context, validate));
    return draw(tensors, s, resolved);
  });
}

/** One scalar parameter of a sampler: its name (for messages) and its check. */
export type ScalarParameterSpec = readonly [name: string, check: ParameterCheck];

/**
 * A sampler body over scalar parameters, as {@link scalarSampler} returns it: called with the public
 * sampler's name (for messages), one value per parameter spec `P` (in their order), and the public
 * sampler's shape, seed and options.
 */
export type ScalarSamplerBody<P extends readonly ScalarParameterSpec[], O extends SamplerOptions = SamplerOptions> = (
  context: string,
  values: { readonly [K in keyof P]: TensorInput },
  shape: readonly number[],
  seed: number | undefined,
  options: O,
) => tf.Tensor;

/**
 * Defines a sampler over scalar (elementwise) parameters once: the parameters' names and checks, and
 * the draw from their float32 tensors. The result runs {@link sampleWithScalarParameters} (shape and
 * seed checked first, one `tf.tidy`, parameters converted, broadcast-checked and validated in order),
 * so each public sampler is its declaration and one call, and samplers that share a body (a sample
 * and its log-sample) pass their own names. The body takes exactly one value per spec.
 * @param parameters - `[name, check]` per parameter, in the order `draw` receives them
 * @param draw - the sampler's work, from the parameter tensors, the checked shape, the resolved seed
 *   and the caller's options (annotate `options` to take a wider options type)
 * @returns the sampler body
 */
export function scalarSampler<const P extends readonly ScalarParameterSpec[], O extends SamplerOptions = SamplerOptions>(
  parameters: P,
  draw: (tensors: { [K in keyof P]: tf.Tensor }, shape: number[], seed: number, options: O) => tf.Tensor,
): ScalarSamplerBody<P, O> {
  return (context, values, shape, seed, options) => {
    const named = parameters.map(([name, check], i) => [name, (values as readonly TensorInput[])[i], check] as const);
    return sampleWithScalarParameters(context, named, shape, seed, options, (tensors, s, resolved) =>
      draw(tensors as { [K in keyof P]: tf.Tensor }, s, resolved, options),
    );
  };
}

/**
 * The bodies of a sampler drawn in log space and of its sample, over the same parameters: `log`
 * returns `logDraw`'s log x, `value` returns exp(log x) clamped into the open support by `clamp`
 * (`clampPositive`, `clampOpenUnit`), so a log-sample and its sample share one draw and give the
 * same x for the same seed.
 * @param parameters - `[name, check]` per parameter, in the order `logDraw` receives them
 * @param logDraw - log x from the parameter tensors, the checked shape and the resolved seed
 * @param clamp - keeps exp(log x) inside the support where float32 rounds it onto the boundary
 * @returns the two sampler bodies
 */
export function logAndValueSamplers<const P extends readonly ScalarParameterSpec[]>(
  parameters: P,
  logDraw: (tensors: { [K in keyof P]: tf.Tensor }, shape: number[], seed: number) => tf.Tensor,
  clamp: (x: tf.Tensor) => tf.Tensor,
): { log: ScalarSamplerBody<P>; value: ScalarSamplerBody<P> } {
  return {
    log: scalarSampler(parameters, logDraw),
    value: scalarSampler(parameters, (tensors, shape, seed) => clamp(tf.exp(logDraw(tensors, shape, seed)))),
  };
}

/**
 * The public sampler `name` of two scalar parameters, from its {@link scalarSampler} body: it takes
 * the two parameters, the shape, an optional seed and options (default `{}`), and its messages name
 * `name`. Annotate the result with the public sampler type that names the parameters (e.g.
 * `LocationScaleSampler`).
 * @param name - the public sampler's name, for messages
 * @param body - the sampler body over the two parameters
 * @returns the public sampler
 */
export function scalarPairSampler<P extends readonly [ScalarParameterSpec, ScalarParameterSpec], O extends SamplerOptions = SamplerOptions>(
  name: string,
  body: ScalarSamplerBody<P, O>,
): (first: TensorInput, second: TensorInput, shape: readonly number[], seed?: number, options?: O) => tf.Tensor {
  return (first, second, shape, seed, options = {} as O) =>
    body(name, [first, second] as { readonly [K in keyof P]: TensorInput }, shape, seed, options);
}
