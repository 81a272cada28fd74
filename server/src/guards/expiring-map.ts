/** A table is swept of expired entries each time it has doubled since the last sweep (and at this size at the least). */
const FIRST_SWEEP = 64;

/** A map whose entries expire: expired entries read as absent and are swept out as it grows; past `max` the oldest go. */
export class ExpiringMap<K, V> {
  readonly #map = new Map<K, V>();
  #sweepAt = FIRST_SWEEP;
  constructor(private readonly expired: (value: V, now: number) => boolean, private readonly max: number) {}

  get size(): number {
    return this.#map.size;
  }

  get(key: K, now: number): V | undefined {
    const value = this.#map.get(key);
    if (value === undefined || !this.expired(value, now)) return value;
    this.#map.delete(key);
    return undefined;
  }

  set(key: K, value: V, now: number): void {
    this.#map.delete(key);
    if (this.#map.size >= this.#sweepAt) {
      for (const [k, v] of this.#map) if (this.expired(v, now)) this.#map.delete(k);
      while (this.#map.size >= this.max) this.#map.delete(this.#map.keys().next().value!);
      this.#sweepAt = Math.min(this.max, Math.max(FIRST_SWEEP, this.#map.size * 2));
    }
    this.#map.set(key, value);
  }
}
