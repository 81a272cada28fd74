import { SeededRandom } from '@mmap-lab/shared/scheduler/prng.ts';

/**
 * The tests' seeded generator: the scheduler's mulberry32 (the same seed gives
 * the same traces and fault schedules on every machine), with the picks tests need.
 */
export class Random {
  readonly #gen: SeededRandom;
  constructor(readonly seed: number) {
    this.#gen = new SeededRandom(seed >>> 0);
  }

  /** A uniform number in [0, 1). */
  next(): number {
    return this.#gen.nextUint32() / 4294967296;
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One of `weights`' keys, with probability proportional to its weight. */
  weighted<K extends string>(weights: Record<K, number>): K {
    const entries = Object.entries(weights) as [K, number][];
    let x = this.next() * entries.reduce((sum, [, w]) => sum + w, 0);
    for (const [key, w] of entries) if ((x -= w) < 0) return key;
    return entries[entries.length - 1][0];
  }

  /** An independent generator for one actor, so actors do not share a sequence. */
  fork(): Random {
    return new Random(this.#gen.nextUint32());
  }
}
