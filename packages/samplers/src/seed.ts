import { InvalidArgumentError } from '@vae/math';

const TWO_POW_32 = 4294967296;

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

function checkSeed(seed: number, context: string): void {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
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
