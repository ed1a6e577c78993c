// The priors' trainable parameters and the distributions built from them, shared by the priors
// (internal: not exported from the package): initial values, variables, and distributions that
// free what their build made.
import * as tf from '@tensorflow/tfjs-core';
import { Normal } from '@vae/distributions';
import type { Distribution } from '@vae/distributions';

/** log(exp(y) - 1) in float64 for y > 0, the inverse of softplus (for initial values). */
export function softplusInverse64(y: number): number {
  return y < 20 ? Math.log(Math.expm1(y)) : y + Math.log(-Math.expm1(-y));
}

/** A trainable float32 variable initialized from a tensor built by `init` (which is then freed). */
export function trainableVariable(init: () => tf.Tensor, name?: string): tf.Variable {
  const value = tf.tidy(init);
  const variable = tf.variable(value, true, name, 'float32');
  value.dispose();
  return variable;
}

/**
 * N(mean, stddev^2) initial values of `shape`, seeded through the samplers (so seed 0 is a seed:
 * tfjs's own randomNormal reads 0 as "no seed"); call inside `tf.tidy`.
 */
export function seededNormal(shape: number[], mean: number, stddev: number, seed: number | undefined): tf.Tensor {
  const normal = new Normal({ loc: mean, scale: stddev, validateArgs: false });
  const draw = normal.sample(shape, seed);
  normal.dispose();
  return draw;
}

function collectTensors(value: unknown, out: Set<tf.Tensor>, seen: Set<unknown>): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (value instanceof tf.Tensor) {
    out.add(value);
    return;
  }
  for (const item of Array.isArray(value) ? value : Object.values(value as Record<string, unknown>)) collectTensors(item, out, seen);
}

/**
 * Builds a prior's distribution so that its `dispose()` frees every tensor the build created.
 *
 * @remarks
 * A prior's distribution is made of tensors derived from its variables (softplus of the raw
 * scales, the encoder's posteriors of the pseudo-inputs); a distribution frees only the tensors it
 * made from numbers, so outside `tf.tidy` those were left behind even after `dispose()`. The build
 * runs in a `tf.tidy` (its intermediates go at once); the tensors the distribution holds that are
 * newer than the call (never the variables, the encoder's weights or the prior's constants) are
 * kept and handed to the distribution's `dispose()`. Inside a training step's `tf.tidy` nothing
 * changes: that tidy frees them as before.
 */
export function disposableDistribution(build: () => Distribution): Distribution {
  const marker = tf.scalar(0);
  const firstNewId = marker.id;
  marker.dispose();
  let built: Distribution | undefined;
  const created = tf.tidy(() => {
    built = build();
    const held = new Set<tf.Tensor>();
    collectTensors(built, held, new Set());
    return Array.from(held).filter((t) => t.id > firstNewId);
  });
  const distribution = built as Distribution;
  const disposeOwn = distribution.dispose.bind(distribution);
  distribution.dispose = () => {
    disposeOwn();
    tf.dispose(created);
  };
  return distribution;
}
