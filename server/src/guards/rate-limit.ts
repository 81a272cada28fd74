import { ExpiringMap } from './expiring-map.ts';

/**
 * A token bucket: `capacity` tokens, one more every `refillMs`. Each call
 * takes one; an empty bucket says how long until the next token. It starts
 * full unless told how many tokens it holds.
 */
export class TokenBucket {
  #tokens: number;
  #at: number;
  constructor(private readonly capacity: number, private readonly refillMs: number, now: number, tokens = capacity) {
    this.#tokens = Math.min(capacity, Math.max(0, tokens));
    this.#at = now;
  }

  #refill(now: number): void {
    if (now > this.#at) {
      this.#tokens = Math.min(this.capacity, this.#tokens + (now - this.#at) / this.refillMs);
      this.#at = now;
    }
  }

  /** 0 if a token was taken, else the milliseconds to wait. */
  take(now: number): number {
    this.#refill(now);
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - this.#tokens) * this.refillMs);
  }

  /** Like take, without taking. */
  peek(now: number): number {
    this.#refill(now);
    return this.#tokens >= 1 ? 0 : Math.ceil((1 - this.#tokens) * this.refillMs);
  }

  /** The tokens in the bucket now (a fraction while one refills). */
  level(now: number): number {
    this.#refill(now);
    return this.#tokens;
  }

  full(now: number): boolean {
    this.#refill(now);
    return this.#tokens >= this.capacity;
  }
}

/** Bounds the table of addresses, so a spray of addresses cannot grow it without end. */
const MAX_ADDRESSES = 10_000;

/**
 * A budget per client address. Wrong room codes and credentials spend from
 * one (sockets and HTTP share it): past the burst, every attempt from that
 * address, right or wrong, is refused until a token comes back, so guessing
 * codes becomes slow. Creating rooms spends from another.
 */
export class AddressBudget {
  /** A full bucket is the same as none: those expire, and past the bound the oldest go. */
  readonly #buckets = new ExpiringMap<string, TokenBucket>((bucket, now) => bucket.full(now), MAX_ADDRESSES);
  constructor(private readonly burst: number, private readonly refillMs: number, private readonly now: () => number = Date.now) {}

  /** 0 if this address may try, else how long it must wait. */
  retryAfter(address: string): number {
    const now = this.now();
    return this.#buckets.get(address, now)?.peek(now) ?? 0;
  }

  spend(address: string): void {
    const now = this.now();
    let bucket = this.#buckets.get(address, now);
    if (bucket === undefined) {
      bucket = new TokenBucket(this.burst, this.refillMs, now);
      this.#buckets.set(address, bucket, now);
    }
    bucket.take(now);
  }
}
