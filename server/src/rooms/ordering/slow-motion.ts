import { LIMITS } from '@mmap-lab/shared/protocol/limits.ts';
import { Refused } from '../refused.ts';
import { Later } from './later.ts';

/** The answer to a held operation whose process died before it ran. */
export const DIED_WHILE_HELD = 'Your process died before this ran.';

interface Held {
  pid: number;
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
  readonly #perPid = new Map<number, number>();
  #timer: NodeJS.Timeout | null = null;
  /** While a held operation runs: what its deaths cancelled, answered after it (see died). */
  #dying: Held[] | null = null;

  constructor(delayMs: number) {
    this.#delayMs = delayMs;
  }

  get size(): number {
    return this.#held.length;
  }

  /** Apply `apply` (an operation of process `pid`) after the delay; the answer settles with what it returned or threw. */
  submit<T>(pid: number, apply: () => T): Later<T> {
    const held = this.#perPid.get(pid) ?? 0;
    if (held >= LIMITS.QUEUED_PER_PROCESS) {
      return Later.failed(new Refused('RATE_LIMITED', `You already have ${held} operations on their way; wait for their answers.`));
    }
    this.#perPid.set(pid, held + 1);
    const answer = new Later<T>();
    this.#held.push({
      pid,
      due: Date.now() + this.#delayMs,
      apply: () => {
        let value: T;
        try {
          value = apply();
        } catch (error) {
          answer.reject(error);
          return;
        }
        answer.resolve(value);
      },
      cancel: (error) => answer.reject(error),
    });
    if (this.#timer === null) this.#arm();
    return answer;
  }

  /** Apply everything held, now, in arrival order (slow motion ends). */
  flush(): void {
    this.#disarm();
    // One at a time from #held: one that kills its process takes that process's later ones with it (died).
    while (this.#held.length > 0) this.#run(this.#held.shift()!);
  }

  /**
   * A process died (killed, crashed, exited): what it still had held back
   * never runs; each is answered CANCELLED. When a held operation killed its
   * own process, it is answered first: its SIGSEGV, then what it took with it.
   */
  died(pid: number): void {
    if (!this.#held.some((h) => h.pid === pid)) return;
    const gone = this.#held.filter((h) => h.pid === pid);
    this.#held = this.#held.filter((h) => h.pid !== pid);
    this.#perPid.delete(pid);
    if (this.#dying !== null) this.#dying.push(...gone);
    else this.#cancelDead(gone);
  }

  #cancelDead(gone: readonly Held[]): void {
    for (const h of gone) h.cancel(new Refused('CANCELLED', DIED_WHILE_HELD));
  }

  /** Drop everything held, answering each with `message` (the room was rebooted or closed). */
  cancel(message: string): void {
    this.#disarm();
    const held = this.#held;
    this.#held = [];
    this.#perPid.clear();
    for (const h of held) h.cancel(new Refused('CANCELLED', message));
  }

  #run(h: Held): void {
    const left = (this.#perPid.get(h.pid) ?? 1) - 1;
    if (left > 0) this.#perPid.set(h.pid, left);
    else this.#perPid.delete(h.pid);
    const dying: Held[] = [];
    this.#dying = dying;
    try {
      h.apply();
    } finally {
      this.#dying = null;
    }
    this.#cancelDead(dying);
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
    while (this.#held.length > 0 && this.#held[0].due <= now) this.#run(this.#held.shift()!);
    this.#arm();
  }
}
