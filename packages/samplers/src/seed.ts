import { InvalidArgumentError } from '@vae/math';

const TWO_POW_32 = 4294967296;

// tfjs-core's normal and gamma generators read a seed of 0 as "no seed" (`seed ? seed : Math.random()`)
// and seed alea with the seed's decimal string. 2^53 is not a safe integer, so no seed a caller can
// pass (nor any child of splitSeed) maps to it: seed 0 gets a stream of its own.
const TFJS_SEED_FOR_ZERO = 2 ** 53;

// MurmurHash3's 32-bit finalizer: a bijection on 32-bit integers with full avalanche, so nearby
// inputs (seed, seed + 1, child 0, child 1) give unrelated outputs.
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Checks an optional seed argument: absent, or a safe integer. The one seed check of the packages;
 * functions that take a seed call it before any work, with their own name as `context`.
 *
 * @remarks
 * A seed is any integer of magnitude at most 2^53 - 1 (`Number.isSafeInteger`): {@link splitSeed}
 * folds all 53 bits, so distinct seeds give distinct streams. `undefined` means "draw a fresh
 * random seed" ({@link resolveSeed}).
 *
 * @param seed - the seed argument as given (`undefined` is allowed)
 * @param context - the public function that received it, for the error message
 * @returns nothing; throws `InvalidArgumentError` naming `seed` when it is not a safe integer
 *
 * @example
 * ```ts
 * import { checkSeed } from '@vae/samplers';
 * checkSeed(42, 'myFunction'); // fine
 * checkSeed(undefined, 'myFunction'); // fine: a random seed will be drawn
 * try {
 *   checkSeed(0.5, 'myFunction');
 * } catch (e) {
 *   console.log((e as Error).message); // 'myFunction: seed must be a safe integer; got 0.5'
 * }
 * ```
 */
export function checkSeed(seed: number | undefined, context: string): void {
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isSafeInteger(seed))) {
    throw new InvalidArgumentError('seed', 'a safe integer', `got ${String(seed)}`, context);
  }
}

/**
 * Returns the seed to use: the given one (validated), or a fresh random 32-bit integer.
 *
 * @remarks
 * Samplers call this once and derive every stream they need with {@link splitSeed}, so a call
 * with an explicit seed is reproducible and a call without one is random.
 *
 * @param seed - an optional safe integer
 * @returns `seed` itself when given, else a random integer in [0, 2^32)
 *
 * @example
 * ```ts
 * import { resolveSeed } from '@vae/samplers';
 * console.log(resolveSeed(42)); // 42
 * const fresh = resolveSeed(); // some integer in [0, 2^32)
 * console.log(Number.isInteger(fresh)); // true
 * ```
 */
export function resolveSeed(seed?: number): number {
  if (seed === undefined) return Math.floor(Math.random() * TWO_POW_32);
  checkSeed(seed, 'resolveSeed');
  return seed;
}

/**
 * The seed handed to tfjs's generators for a resolved seed: the seed itself, except 0.
 *
 * @remarks
 * tfjs-core treats a seed of 0 as "no seed" in `randomNormal` and `randomGamma`, so seed 0 would
 * give different numbers on every call. Every sampler passes its seeds through here, the one place
 * that turns a seed into a tfjs seed: 0 becomes 2^53, which no safe-integer seed equals, so the map
 * is one-to-one and every other seed keeps the stream it always had.
 *
 * @param seed - a safe integer (an already resolved seed or a child of {@link splitSeed})
 * @returns a non-zero number for tfjs's `seed` argument
 */
export function tfjsSeed(seed: number): number {
  checkSeed(seed, 'tfjsSeed');
  return seed === 0 ? TFJS_SEED_FOR_ZERO : seed;
}

/**
 * Derives `count` independent child seeds from one seed.
 *
 * @remarks
 * The seed is folded to 32 bits (low word XOR the hashed high word) and hashed with the MurmurHash3
 * finalizer; child i is the finalizer of (state + (i + 1) * 0x9e3779b9) mod 2^32, the splitmix
 * construction. The finalizer is a bijection, so the children of one seed are distinct, and its
 * avalanche makes the streams they seed (tfjs's alea generator, seeded by the decimal string)
 * unrelated to each other and to the parent's.
 *
 * @param seed - a safe integer
 * @param count - how many child seeds (a non-negative integer)
 * @returns an array of `count` integers in [0, 2^32)
 *
 * @example
 * ```ts
 * import { splitSeed } from '@vae/samplers';
 * const [a, b] = splitSeed(7, 2);
 * console.log(a !== b); // true
 * console.log(splitSeed(7, 2)[0] === a); // true: deterministic
 * ```
 */
export function splitSeed(seed: number, count: number): number[] {
  checkSeed(seed, 'splitSeed');
  if (!Number.isInteger(count) || count < 0) throw new InvalidArgumentError('count', 'a non-negative integer', `got ${count}`, 'splitSeed');
  const low = ((seed % TWO_POW_32) + TWO_POW_32) % TWO_POW_32;
  const high = Math.floor(seed / TWO_POW_32) >>> 0;
  const state = fmix32((low ^ fmix32((high + 0x632be5ab) >>> 0)) >>> 0);
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(fmix32((state + Math.imul(i + 1, 0x9e3779b9)) >>> 0));
  return out;
}

/**
 * Mixes a list of integers into one 32-bit seed: the way to derive a seed from a run's seed and the
 * coordinates of a draw (epoch, step, purpose), so each draw is a pure function of them.
 *
 * @remarks
 * MurmurHash3's x86_32 block loop over the parts (each taken as a 32-bit integer, `p | 0`), then
 * its finalizer, the same avalanche {@link splitSeed} uses: nearby inputs (step 1 and step 2)
 * give unrelated outputs. Use {@link splitSeed} for `count` children of one seed, and this when
 * the seed is addressed by several coordinates. The numbers are part of the contract: checkpoints
 * and the reference model's resumed runs depend on them.
 *
 * @param parts - integers (each folded to 32 bits)
 * @returns an integer in [0, 2^32)
 *
 * @example
 * ```ts
 * import { mixSeed } from '@vae/samplers';
 * console.log(mixSeed(0, 1, 2) === mixSeed(0, 1, 2)); // true: deterministic
 * console.log(mixSeed(0, 1, 2) !== mixSeed(0, 2, 1)); // true: the order matters
 * ```
 */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    let k = Math.imul((p | 0) ^ 0x85ebca6b, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h = Math.imul(h ^ k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  return fmix32(h >>> 0);
}
