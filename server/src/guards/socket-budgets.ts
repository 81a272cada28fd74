import { ExpiringMap } from './expiring-map.ts';
import { TokenBucket } from './rate-limit.ts';

/** A safety net on each table: past it the oldest entries go, so nothing grows without end. */
const MAX_ENTRIES = 50_000;

/** What a socket may still send: its bucket, and the messages refused since it was last cut (past a threshold it is a flood). */
export interface Budget {
  readonly bucket: TokenBucket;
  overLimit: number;
  /** Connected sockets spending from this budget. */
  holders: number;
}

/**
 * The per-socket message budgets (SOCKET_RATE, SOCKET_BURST), kept so that
 * reconnecting does not refill them:
 *
 * - A student's budget belongs to its session (room code and resume token),
 *   not to the connection: `student:resume` (and a respawn, same token)
 *   continues the bucket and the refused count where the last socket left
 *   them, and so does a second tab that takes the process over.
 * - A student socket cut for flooding marks its address for as long as its
 *   bucket would take to refill (SOCKET_BURST / SOCKET_RATE seconds). A
 *   student who *joins* from that address meanwhile (the flooder again,
 *   without its token) starts with what the cut bucket would hold by now,
 *   not with a full burst.
 *
 * A whole class may share one NAT address, so nothing here is shared per
 * address: sockets already connected keep their own buckets, a student
 * resuming gets its own session's, every connection's first messages (the
 * join itself) come from a fresh bucket, and a student joining during a
 * classmate's flood only goes without its burst for a second or two (it
 * still gets the full sustained rate, far more than a person clicks).
 * Unjoined sockets are not tracked: their messages never reach a room.
 * Entries expire once their bucket is full again and no socket holds them
 * (a fresh one would be the same), so the tables follow the live sessions.
 */
export class SocketBudgets {
  readonly #refillMs: number;
  readonly #sessions: ExpiringMap<string, Budget>;
  /** Addresses with a student socket recently cut for flooding: its bucket's tokens then, and when. */
  readonly #flooded: ExpiringMap<string, { tokens: number; at: number }>;

  constructor(private readonly burst: number, ratePerS: number, private readonly now: () => number = Date.now) {
    this.#refillMs = 1000 / ratePerS;
    this.#sessions = new ExpiringMap((b, t) => b.holders === 0 && b.bucket.full(t), MAX_ENTRIES);
    this.#flooded = new ExpiringMap((f, t) => this.#refilled(f, t) >= this.burst, MAX_ENTRIES);
  }

  /** Entries held, for tests. */
  get sizes(): { sessions: number; flooded: number } {
    return { sessions: this.#sessions.size, flooded: this.#flooded.size };
  }

  #refilled(f: { tokens: number; at: number }, now: number): number {
    return Math.min(this.burst, f.tokens + (now - f.at) / this.#refillMs);
  }

  /** A new connection's budget: a full bucket. */
  connection(): Budget {
    return { bucket: new TokenBucket(this.burst, this.#refillMs, this.now()), overLimit: 0, holders: 1 };
  }

  /**
   * The budget of a socket (now spending `current`) that has just joined
   * (`joined`) or resumed the student session `token` of room `code`.
   */
  student(current: Budget, code: string, token: string, address: string, joined: boolean): Budget {
    const now = this.now();
    const key = `${code}/${token}`;
    let budget = this.#sessions.get(key, now);
    if (budget === undefined) {
      // A new session, or one idle long enough to be full again: go on from the connection's bucket.
      let tokens = current.bucket.level(now);
      const flood = joined ? this.#flooded.get(address, now) : undefined;
      if (flood !== undefined) tokens = Math.min(tokens, this.#refilled(flood, now));
      budget = { bucket: new TokenBucket(this.burst, this.#refillMs, now, tokens), overLimit: current.overLimit, holders: 0 };
      this.#sessions.set(key, budget, now);
    }
    if (budget !== current) {
      this.release(current);
      budget.holders++;
    }
    return budget;
  }

  /**
   * A socket spending `budget` is cut for flooding. It starts counting
   * refusals again (keeping the count would cut a resumed flooder at its
   * first refusal and turn the flood into a storm of reconnections, each a
   * roster change for the room); its bucket stays as empty as it is.
   */
  cut(budget: Budget, address: string, student: boolean): void {
    budget.overLimit = 0;
    if (!student) return;
    const now = this.now();
    const tokens = budget.bucket.level(now);
    const before = this.#flooded.get(address, now);
    this.#flooded.set(address, { tokens: before === undefined ? tokens : Math.min(tokens, this.#refilled(before, now)), at: now }, now);
  }

  /** A socket stopped spending `budget` (it disconnected, or moved to its session's). */
  release(budget: Budget): void {
    budget.holders = Math.max(0, budget.holders - 1);
  }
}
