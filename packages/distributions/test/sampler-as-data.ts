// The contract of the shared bases that take a family's sampler as data (LocationScale,
// ConcentrationPair): without a sampler they draw by inverse CDF from the samplers' seeded
// uniforms, with one they hand it the parameters, the draw's shape, the seed and
// `samplerOptions`, and return what it returns.
import * as tf from '@tensorflow/tfjs-core';
import { uniform } from '@vae/samplers';
import type { Distribution } from '@vae/distributions';

/** A sampler of two parameters shaped like `normalSample` and `betaSample`. */
export type TwoParameterSampler = (
  a: tf.Tensor,
  b: tf.Tensor,
  shape: readonly number[],
  seed?: number,
  options?: { validateArgs?: boolean },
) => tf.Tensor;

/** One call a {@link recordingSampler} saw. */
export interface SamplerCall {
  parameters: [tf.Tensor, tf.Tensor];
  shape: number[];
  seed: number | undefined;
  options: unknown;
}

/**
 * `sampler` unchanged, but remembering each call's arguments in `calls`.
 * @param sampler - the real sampler the family gives its base
 * @returns the wrapped sampler and its calls
 */
export function recordingSampler<S extends TwoParameterSampler>(sampler: S): { sampler: S; calls: SamplerCall[] } {
  const calls: SamplerCall[] = [];
  const wrapped = ((a, b, shape, seed, options) => {
    calls.push({ parameters: [a, b], shape: Array.from(shape), seed, options });
    return sampler(a, b, shape, seed, options);
  }) as S;
  return { sampler: wrapped, calls };
}

const flat = (t: tf.Tensor): number[] => Array.from(t.dataSync());

/**
 * `d.sample([n], seed)` is `d.icdf(u)` for the samplers' seeded uniforms u of shape
 * `[n] + batchShape`, bit for bit, for each seed (0 included); equal seeds give equal draws, different
 * seeds different ones.
 * @param d - a distribution on a base that was given no sampler
 * @param n - draws per batch member
 * @param seeds - the seeds to try
 */
export function expectDrawsByInverseCdf(d: Distribution, n: number, seeds: readonly number[]): void {
  const draws = seeds.map((seed) =>
    tf.tidy(() => {
      const x = d.sample([n], seed);
      expect(x.shape).toEqual([n, ...d.batchShape]);
      expect(flat(x)).toEqual(flat(d.icdf(uniform([n, ...d.batchShape], seed))));
      return flat(x);
    }),
  );
  seeds.forEach((a, i) =>
    seeds.forEach((b, j) => {
      if (a === b) expect(draws[j]).toEqual(draws[i]);
      else expect(draws[j]).not.toEqual(draws[i]);
    }),
  );
}

/**
 * `d.sample([n], seed)` is what the family's sampler gives for (`parameters`, `[n] + batchShape`,
 * seed) with `validateArgs: false` (the constructor checked the parameters once), and the sampler is
 * called once per draw with the distribution's own parameter tensors and the seed as given (0 too).
 * @param d - a distribution whose class gives `recorded.sampler` as its sampler
 * @param recorded - the recording wrapper of the real sampler
 * @param sampler - the real sampler
 * @param parameters - the distribution's two parameter tensors, in the sampler's order
 * @param n - draws per batch member
 */
export function expectDrawsBySampler(
  d: Distribution,
  recorded: { calls: SamplerCall[] },
  sampler: TwoParameterSampler,
  parameters: [tf.Tensor, tf.Tensor],
  n: number,
): void {
  for (const seed of [0, 5]) {
    const before = recorded.calls.length;
    tf.tidy(() => {
      const shape = [n, ...d.batchShape];
      expect(flat(d.sample([n], seed))).toEqual(flat(sampler(...parameters, shape, seed, { validateArgs: false })));
      expect(recorded.calls.slice(before)).toEqual([{ parameters, shape, seed, options: { validateArgs: false } }]);
      const [a, b] = recorded.calls[before].parameters;
      expect(a === parameters[0] && b === parameters[1]).toBe(true);
    });
  }
}
