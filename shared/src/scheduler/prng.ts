/**
 * A small seeded generator (mulberry32): the same seed gives the same
 * picks, so a random interleaving the board showed can be run again from
 * its seed. Not for anything secret.
 */
export class SeededRandom {
  readonly seed: number;
  #state: number;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`a seed is a whole number from 0 to 4294967295, not ${seed}`);
    this.seed = seed;
    this.#state = seed;
  }

  /** Where the generator is: save it to step back (undo) with `restore`. */
  get state(): number {
    return this.#state;
  }

  restore(state: number): void {
    this.#state = state >>> 0;
  }

  /** The next number in [0, 2^32). */
  nextUint32(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** A whole number in [0, n). */
  below(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`below(${n})`);
    return Math.floor((this.nextUint32() / 0x100000000) * n);
  }
}
