type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * The answer to an operation that runs later (held back, or queued for the
 * teacher), handed over the moment it runs. A Promise would hand it over
 * only after the rest of that turn of the event loop, behind whatever the
 * same turn sent the same student: a process blocked and woken in one turn
 * would hear "woke" before its own "blocked". Awaitable, for tests.
 */
export class Later<T> implements PromiseLike<T> {
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

  then<A = T, B = never>(onValue?: ((value: T) => A | PromiseLike<A>) | null, onError?: ((error: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    return new Promise<T>((resolve, reject) => this.whenSettled(resolve, reject)).then(onValue, onError);
  }

  #settle(s: Settled<T>): void {
    if (this.#settled !== undefined) return;
    this.#settled = s;
    const listeners = this.#listeners;
    this.#listeners = [];
    for (const listener of listeners) listener(s);
  }
}
