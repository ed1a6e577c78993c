// The contract of the shared bases of two parameters that take a family's sampler as data
// (LocationScale, ConcentrationPair), checked through minimal families declared on them: the
// parameters are converted, broadcast and named in messages; without a sampler a family draws by
// inverse CDF from the samplers' seeded uniforms, with one the base hands it the parameters, the
// draw's shape, the seed and `samplerOptions`, and returns what it returns.
import * as tf from '@tensorflow/tfjs-core';
import { uniform } from '@vae/samplers';
import type { Constraint, Distribution } from '@vae/distributions';
import { expectSamplesPassKS } from './scalar-family-helpers.js';

/** A sampler of two parameters shaped like `normalSample` and `betaSample`. */
export type TwoParameterSampler = (
  a: tf.Tensor,
  b: tf.Tensor,
  shape: readonly number[],
  seed?: number,
  options?: { validateArgs?: boolean },
) => tf.Tensor;

/** One call a {@link recordingSampler} saw: the parameters' values as they were then. */
export interface SamplerCall {
  parameters: unknown[];
  shape: number[];
  seed: number | undefined;
  options: unknown;
}

/** A real sampler, and the same sampler remembering each call's arguments. */
export interface RecordingSampler<S extends TwoParameterSampler> {
  /** The sampler to give the family: `original`, recording its calls. */
  sampler: S;
  /** The calls so far, oldest first. */
  calls: SamplerCall[];
  /** The real sampler. */
  original: S;
}

/**
 * `sampler` unchanged, but remembering each call's arguments in `calls`.
 * @param sampler - the real sampler the family gives its base
 * @returns the wrapped sampler, its calls and the real one
 */
export function recordingSampler<S extends TwoParameterSampler>(sampler: S): RecordingSampler<S> {
  const calls: SamplerCall[] = [];
  const wrapped = ((a, b, shape, seed, options) => {
    calls.push({ parameters: [a.arraySync(), b.arraySync()], shape: Array.from(shape), seed, options });
    return sampler(a, b, shape, seed, options);
  }) as S;
  return { sampler: wrapped, calls, original: sampler };
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
 * called once per draw with the distribution's parameters and the seed as given (0 too).
 * @param d - a distribution whose class gives `recorded.sampler` as its sampler
 * @param recorded - the recording wrapper of the real sampler
 * @param parameters - the distribution's two parameter tensors, in the sampler's order
 * @param n - draws per batch member
 */
export function expectDrawsBySampler(
  d: Distribution,
  recorded: RecordingSampler<TwoParameterSampler>,
  parameters: [tf.Tensor, tf.Tensor],
  n: number,
): void {
  for (const seed of [0, 5]) {
    const before = recorded.calls.length;
    tf.tidy(() => {
      const shape = [n, ...d.batchShape];
      expect(flat(d.sample([n], seed))).toEqual(flat(recorded.original(...parameters, shape, seed, { validateArgs: false })));
      const values = parameters.map((t) => t.arraySync());
      expect(recorded.calls.slice(before)).toEqual([{ parameters: values, shape, seed, options: { validateArgs: false } }]);
    });
  }
}

/** The two minimal families on a base that {@link describeTwoParameterBase} checks it through. */
export interface ToyFamilies<P> {
  /** The family called 'Toy', which names no sampler (it draws by inverse CDF), and one that names `recorded.sampler`. */
  families: [new (params: P) => Distribution, new (params: P) => Distribution];
  /** The recording sampler the second family names. */
  recorded: RecordingSampler<TwoParameterSampler>;
  /** For the Kolmogorov-Smirnov check: values (first, second) of the two parameters, and the float64 CDF of the first family there. */
  ks: { at: [number, number]; cdf: (x: number) => number };
}

/**
 * The tests of a shared base of two parameters that takes its family's sampler as data: the
 * parameters become float32 tensors broadcast to the batch shape (shapes that do not broadcast are
 * an error naming the family and both); without a sampler a family draws the inverse CDF of the
 * seeded uniforms (seed 0 is a seed; 4000 draws pass Kolmogorov-Smirnov against the float64 CDF,
 * and those of the two parameter values swapped do not); with one it draws by it.
 * @param base - the shared base class
 * @param names - its two parameters, in the order its samplers take them
 * @param support - the support of every family on the base
 * @param toys - two minimal families on the base, and where the CDF of the first is known
 */
export function describeTwoParameterBase<P>(
  base: abstract new (...args: never[]) => Distribution,
  names: [string, string],
  support: Constraint,
  toys: ToyFamilies<P>,
): void {
  const [first, second] = names;
  const params = (a: unknown, b: unknown) => ({ [first]: a, [second]: b }) as P;
  const parameters = (d: Distribution) => names.map((name) => (d as unknown as Record<string, tf.Tensor>)[name]) as [tf.Tensor, tf.Tensor];
  const [Toy, ToyWithSampler] = toys.families;
  const [a, b] = toys.ks.at;

  it(`converts ${first} and ${second} to float32 tensors, broadcasts them to the batch shape, and names the family`, () => {
    const d = new Toy(params([[1], [2]], [1, 2, 3]));
    expect(d).toBeInstanceOf(base);
    expect(d.name).toBe('Toy');
    const [p1, p2] = parameters(d);
    expect([p1.dtype, p2.dtype]).toEqual(['float32', 'float32']);
    expect([p1.shape, p2.shape, d.batchShape, d.eventShape]).toEqual([[2, 1], [3], [2, 3], []]);
    expect(d.support).toBe(support);
    expect(d.reparameterized).toBe(true);
    d.dispose();
    expect(() => new Toy(params([1, 2], [1, 2, 3]))).toThrow(new RegExp(`Toy.*${first}.*${second}`, 's'));
  });

  it('without a sampler, draws the inverse CDF of the seeded uniforms: same seed same numbers (seed 0 too)', () => {
    const d = new Toy(params([a, b], [b, a]));
    expectDrawsByInverseCdf(d, 7, [0, 0, 11]);
    d.dispose();
  });

  it('the inverse-CDF draw has the right distribution: 4000 draws pass Kolmogorov-Smirnov, and the same seed repeats', () => {
    const d = new Toy(params(a, b));
    expectSamplesPassKS(d, toys.ks.cdf);
    d.dispose();
    // The check can fail: draws with the two values swapped are far from this CDF.
    const swapped = new Toy(params(b, a));
    expect(() => expectSamplesPassKS(swapped, toys.ks.cdf)).toThrow(/Kolmogorov-Smirnov/);
    swapped.dispose();
  });

  it('with a sampler as data, draws by it: its parameters, the shape [n] + batchShape, the seed as given and samplerOptions', () => {
    const d = new ToyWithSampler(params([[a], [b]], [b, a, b]));
    expectDrawsBySampler(d, toys.recorded, parameters(d), 4);
    d.dispose();
  });
}
