// A small counter-based random source for everything the training loop draws on the host
// (shuffles, binarization, initial weights): its whole state is two integers, so a checkpoint can
// store it and a resumed run draws exactly what the uninterrupted run would have drawn. Seeds for
// it are derived with @vae/samplers' mixSeed, the packages' one seed mixer.

/**
 * A seeded uniform generator (mulberry32). `state` is a plain number, so it can be saved and
 * restored.
 */
export class Rng {
  /** The generator's whole state (a 32-bit unsigned integer). */
  state: number;

  /** @param seed - any integer */
  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A uniform draw in [0, 1) with 32 random bits. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A standard normal draw (Box-Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
  permutation(n: number): Uint32Array {
    const out = new Uint32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = out[i];
      out[i] = out[j];
      out[j] = t;
    }
    return out;
  }
}
