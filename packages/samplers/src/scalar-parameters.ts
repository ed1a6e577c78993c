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
