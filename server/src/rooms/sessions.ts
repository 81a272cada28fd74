import type { Pid } from '@mmap-lab/shared';
import type { WireOutcome } from '@mmap-lab/shared/protocol/results.ts';

/**
 * Where a student's connection is. `away` holds the timer that kills the
 * process when the grace period ends; `expired` means it did.
 */
export type SessionLink =
  | { state: 'connected'; socketId: string }
  | { state: 'away'; timer: NodeJS.Timeout }
  | { state: 'expired' };

/** One student: a name, a resume token and the process it speaks for. Kept small: a lecture has hundreds. */
export interface Session {
  readonly token: string;
  /** The hash of the key its join carried, if any: the same join sent again finds this session. */
  readonly joinHash?: string;
  readonly name: string;
  pid: Pid;
  link: SessionLink;
  /** How many times a page took this session over (see Members.resume). */
  generation: number;
  /**
   * What its process's latest F_SETLKW wait returned, until it blocks again:
   * a page whose op:woke went to a socket already dead (a phone asleep, not
   * yet noticed) learns it from its next Joined.
   */
  lastWake?: WireOutcome;
  /** Set when the grace period's end killed its process: no page of it came back within this many ms. */
  expiredAfterMs?: number;
}

/** The students of one room, by token, by join key and by pid, with names kept unique. */
export class SessionTable {
  readonly #byToken = new Map<string, Session>();
  readonly #byJoinHash = new Map<string, Session>();
  readonly #byPid = new Map<Pid, Session>();
  readonly #names = new Set<string>();

  get size(): number {
    return this.#byToken.size;
  }

  byToken(token: string): Session | undefined {
    return this.#byToken.get(token);
  }

  byJoinHash(joinHash: string): Session | undefined {
    return this.#byJoinHash.get(joinHash);
  }

  byPid(pid: Pid): Session | undefined {
    return this.#byPid.get(pid);
  }

  values(): IterableIterator<Session> {
    return this.#byToken.values();
  }

  /** The students in the room now: not those away past the grace period (their process was killed), unless they come back. */
  present(): Session[] {
    return [...this.#byToken.values()].filter((s) => s.link.state !== 'expired');
  }

  hasName(name: string): boolean {
    return this.#names.has(name);
  }

  /** `Ada`, then `Ada 2`, `Ada 3`... trimmed so the suffix still fits in 24 characters; `heldElsewhere` names are taken too. */
  uniqueName(name: string, max: number, heldElsewhere: (name: string) => boolean = () => false): string {
    const free = (n: string) => !this.#names.has(n) && !heldElsewhere(n);
    if (free(name)) return name;
    for (let n = 2; ; n++) {
      const suffix = ` ${n}`;
      const chars = [...name];
      const candidate = chars.slice(0, max - suffix.length).join('').trimEnd() + suffix;
      if (free(candidate)) return candidate;
    }
  }

  add(session: Session): void {
    this.#byToken.set(session.token, session);
    if (session.joinHash !== undefined) this.#byJoinHash.set(session.joinHash, session);
    this.#byPid.set(session.pid, session);
    this.#names.add(session.name);
  }

  /** A respawned student keeps its token and name under a new pid. */
  repid(session: Session, pid: Pid): void {
    this.#byPid.delete(session.pid);
    session.pid = pid;
    // The old process's wait and death are no concern of the new one.
    session.lastWake = undefined;
    session.expiredAfterMs = undefined;
    this.#byPid.set(pid, session);
  }

  /** Drop everyone (kernel reboot, room closed), stopping their grace timers. */
  clear(): Session[] {
    const all = [...this.#byToken.values()];
    for (const s of all) if (s.link.state === 'away') clearTimeout(s.link.timer);
    this.#byToken.clear();
    this.#byJoinHash.clear();
    this.#byPid.clear();
    this.#names.clear();
    return all;
  }
}
