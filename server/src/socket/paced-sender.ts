/** Sends one event to many sockets; Socket.IO encodes it once per call. */
export type Emit = (socketIds: string[], event: string, payload: unknown) => void;

interface Broadcast {
  ids: string[];
  /** When it was queued (performance.now()). */
  since: number;
  /** Next index of `ids` to send. */
  at: number;
  /** Ids not sent yet (a reply can pull one forward). */
  waiting: Set<string>;
  event: string;
  payload: unknown;
  sent: (() => void) | undefined;
}

/**
 * Writes a big broadcast in slices, one slice per turn of the event loop.
 * Writing a tick to 500 sockets takes 15–50 ms; in one piece, every
 * operation that arrives meanwhile waits for all of it. In slices, it waits
 * for one.
 *
 * Order per socket is kept: queued broadcasts go out first in, first out,
 * and anything sent to a socket directly (an answer, a direct event)
 * first releases what is still queued for it. So a student never gets a
 * tick made before its store after the store's answer, which would show
 * the byte going back.
 */
export class PacedSender {
  readonly #emit: Emit;
  readonly #slice: number;
  readonly #budgetMs: number;
  readonly #queue: Broadcast[] = [];
  #scheduled = false;

  constructor(emit: Emit, slice: number, budgetMs: number) {
    this.#emit = emit;
    this.#slice = Math.max(1, slice);
    this.#budgetMs = budgetMs;
  }

  /** Send a small broadcast now; queue a big one, whose first slice goes now. `sent` runs once all have it. */
  broadcast(ids: string[], event: string, payload: unknown, sent?: () => void): void {
    if (ids.length <= this.#slice) {
      this.release(ids);
      this.#emit(ids, event, payload);
      sent?.();
      return;
    }
    this.#queue.push({ ids, since: performance.now(), at: 0, waiting: new Set(ids), event, payload, sent });
    if (this.#queue.length === 1) this.#drainSlice();
  }

  /** Before anything else is sent to these sockets: what is queued for them goes first. */
  release(socketIds: readonly string[]): void {
    if (this.#queue.length === 0) return; // the usual case: called before every answer
    for (const b of this.#queue) {
      const now = socketIds.filter((id) => b.waiting.delete(id));
      if (now.length > 0) this.#emit(now, b.event, b.payload);
    }
  }

  /** Queued slices still to send (for tests and diagnostics). */
  get queued(): number {
    return this.#queue.length;
  }

  #drainSlice(): void {
    const b = this.#queue[0];
    // A burst of operations between two turns can stretch a broadcast over tens of
    // ms; past its budget, the rest goes at once, so the last student is not late.
    const limit = performance.now() - b.since > this.#budgetMs ? Infinity : this.#slice;
    const slice: string[] = [];
    while (b.at < b.ids.length && slice.length < limit) {
      const id = b.ids[b.at++];
      if (b.waiting.delete(id)) slice.push(id);
    }
    if (slice.length > 0) this.#emit(slice, b.event, b.payload);
    if (b.at >= b.ids.length) {
      this.#queue.shift();
      b.sent?.();
    }
    if (this.#queue.length > 0 && !this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => {
        this.#scheduled = false;
        if (this.#queue.length > 0) this.#drainSlice();
      });
    }
  }
}
