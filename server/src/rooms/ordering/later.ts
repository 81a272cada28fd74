type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * The answer to an operation that runs later (held back, or queued for the
 * teacher), handed over the moment it runs. A Promise would hand it over
 * only after the rest of that turn of the event loop, behind whatever the
 * same turn sent the same student: a process blocked and woken in one turn
 * would hear "woke" before its own "blocked".
 */
export class Later<T> {
  #settled: Settled<T> | undefined;
  #listeners: ((s: Settled<T>) => void)[] = [];

  static failed<T>(error: unknown): Later<T> {
    const later = new Later<T>();
    later.reject(error);
    return later;
  }

  resolve(value: T): void {
    this.#settle({ ok: true, value });
  }

  reject(error: unknown): void {
    this.#settle({ ok: false, error });
  }

  /** Call one of these as soon as it settles (now, if it has). */
  whenSettled(onValue: (value: T) => void, onError: (error: unknown) => void): void {
    const listener = (s: Settled<T>) => (s.ok ? onValue(s.value) : onError(s.error));
    if (this.#settled !== undefined) listener(this.#settled);
    else this.#listeners.push(listener);
  }

  #settle(s: Settled<T>): void {
    if (this.#settled !== undefined) return;
    this.#settled = s;
    const listeners = this.#listeners;
    this.#listeners = [];
    for (const listener of listeners) listener(s);
  }
}
