import { Refused } from '../refused.ts';

interface Held {
  due: number;
  apply: () => void;
  cancel: (error: Refused) => void;
}

/**
 * Slow motion: each student operation is held back `delayMs` before it is
 * applied, then answered. Every operation waits the same time, so they are
 * still applied in the order they arrived; what grows is the time between a
 * student's load and their store, and with it the window in which someone
 * else's load lands: races happen even in a class of three.
 */
export class SlowMotionQueue {
  readonly #delayMs: number;
  #held: Held[] = [];
  #timer: NodeJS.Timeout | null = null;

  constructor(delayMs: number) {
    this.#delayMs = delayMs;
  }

  get size(): number {
    return this.#held.length;
  }

  /** Apply `apply` after the delay; the promise settles with what it returned or threw. */
  submit<T>(apply: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#held.push({
        due: Date.now() + this.#delayMs,
        apply: () => {
          try {
            resolve(apply());
          } catch (error) {
            reject(error);
          }
        },
        cancel: reject,
      });
      if (this.#timer === null) this.#arm();
    });
  }

  /** Apply everything held, now, in arrival order (slow motion ends). */
  flush(): void {
    this.#disarm();
    const held = this.#held;
    this.#held = [];
    for (const h of held) h.apply();
  }

  /** Drop everything held, answering each with `message` (the room was rebooted or closed). */
  cancel(message: string): void {
    this.#disarm();
    const held = this.#held;
    this.#held = [];
    for (const h of held) h.cancel(new Refused('CANCELLED', message));
  }

  #arm(): void {
    const head = this.#held[0];
    if (head === undefined) return;
    this.#timer = setTimeout(() => this.#due(), Math.max(0, head.due - Date.now()));
  }

  #disarm(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #due(): void {
    this.#timer = null;
    const now = Date.now();
    while (this.#held.length > 0 && this.#held[0].due <= now) this.#held.shift()!.apply();
    this.#arm();
  }
}
