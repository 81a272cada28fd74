import { LIMITS } from '@mmap-lab/shared/protocol/limits.ts';
import { Refused } from './refused.ts';
import type { RoomDeps } from './room-deps.ts';
import type { Room } from './room.ts';
import { hashSecret, newSecret } from './secrets.ts';
import type { Session } from './sessions.ts';

/**
 * Students coming and going: a new process for each who joins, the same
 * process on a new socket for one who resumes, a grace period for one whose
 * socket went away, a new process for one whose process died.
 */
export class Members {
  readonly #room: Room;
  readonly #deps: Pick<RoomDeps, 'store' | 'maxStudents' | 'graceMs' | 'reportError'>;

  constructor(room: Room, deps: Pick<RoomDeps, 'store' | 'maxStudents' | 'graceMs' | 'reportError'>) {
    this.#room = room;
    this.#deps = deps;
  }

  /** Did this token ever belong to a student of this room (before a restart or a reboot too)? */
  knewToken(token: string): boolean {
    return this.#room.sessions.byToken(token) !== undefined || this.#deps.store.rosterHas(this.#room.code, hashSecret(token));
  }

  /** Did a join with this key ever get a student into this room (before a restart or a reboot too)? */
  knewJoinKey(key: string): boolean {
    return this.#keptName(hashSecret(key)) !== undefined;
  }

  /** The name the student whose join carried this key had in this room (every session's key is in the roster). */
  #keptName(joinHash: string | undefined): string | undefined {
    return joinHash === undefined ? undefined : this.#deps.store.rosterNameOfJoin(this.#room.code, joinHash);
  }

  /**
   * A new process for a new student. `readmitted` students were in the room
   * before its processes died (restart, reboot): a lock on new joins is
   * meant for newcomers, not for them. A join sent again with the same `key`
   * (its answer never came) is the student the first one made, on this socket.
   */
  join(name: string, socketId: string, key?: string, readmitted = false): Session {
    const joinHash = key === undefined ? undefined : hashSecret(key);
    const earlier = joinHash === undefined ? undefined : this.#room.sessions.byJoinHash(joinHash);
    if (earlier !== undefined) return this.resume(earlier.token, socketId, undefined);
    const kept = this.#keptName(joinHash);
    const returning = readmitted || kept !== undefined;
    if (this.#room.locked && !returning) throw new Refused('ROOM_LOCKED', 'The teacher has locked this room to new students.');
    // Those away past the grace period hold no seat: they come back as returning students.
    if (this.#room.sessions.present().length >= this.#deps.maxStudents) throw new Refused('ROOM_FULL', 'This room is full.');
    const session: Session = {
      token: newSecret(),
      joinHash,
      name: this.#nameFor(name, joinHash, kept),
      pid: this.#room.recorded.spawn(),
      link: { state: 'connected', socketId },
      generation: 0,
    };
    this.#room.sessions.add(session);
    this.#deps.store.addToRoster(this.#room.code, hashSecret(session.token), session.name, session.pid, session.joinHash);
    this.#room.fanout.markArrival(session.pid, session.name, true);
    this.#room.fanout.markProcess(session.pid);
    this.#room.fanout.feed({ pid: session.pid, name: session.name, text: `${session.name} joined as pid ${session.pid}` });
    return session;
  }

  /**
   * A student coming back after a reboot or restart (its join key is in the
   * roster) gets its name back; nobody else may take a name someone had in
   * this room. Quiz answers, groups and partners follow names, so a
   * classmate who rejoined first as "Ada" took Ada's answers and partner.
   */
  #nameFor(asked: string, joinHash: string | undefined, kept: string | undefined): string {
    if (kept !== undefined && !this.#room.sessions.hasName(kept)) return kept;
    const code = this.#room.code;
    return this.#room.sessions.uniqueName(asked, LIMITS.NAME_MAX, (n) => this.#deps.store.rosterNameHeld(code, n, joinHash));
  }

  /**
   * The same process again, on a new socket. The socket it had (another tab,
   * a connection not yet noticed as dead) is told it no longer speaks for it.
   * A page that reconnects by itself names the `generation` it last saw: if
   * another page took the session over since, it is refused, not given the
   * process back. Without one (a page load, a button) this is a takeover,
   * counted, so the page it was taken from cannot take it back by itself.
   */
  resume(token: string, socketId: string, generation: number | undefined): Session {
    const session = this.#room.sessions.byToken(token);
    if (session === undefined) {
      throw new Refused(
        'SESSION_GONE',
        this.knewToken(token)
          ? 'Your process is gone: the room was restarted (a reboot kills every process). Join again for a new process.'
          : 'No process in this room has that token. Join again for a new process.',
      );
    }
    if (generation !== undefined && generation !== session.generation) {
      throw new Refused('REPLACED', 'While this page was away, your process was opened in another tab or on another device: that one has it now.');
    }
    if (generation === undefined) session.generation++;
    const link = session.link;
    if (link.state === 'away') clearTimeout(link.timer);
    if (link.state === 'connected' && link.socketId !== socketId) {
      this.#room.outbox.toSocket(link.socketId, 'session:ended', {
        reason: 'replaced',
        message: 'Your process was resumed from another tab or device; this page no longer controls it.',
      });
    }
    session.link = { state: 'connected', socketId };
    this.#room.fanout.markArrival(session.pid, session.name, false);
    this.#room.fanout.feed({ pid: session.pid, name: session.name, text: `${session.name} is back (pid ${session.pid})` });
    return session;
  }

  /** The student's socket went away: its process waits for the grace period, then dies. */
  leave(session: Session, socketId: string): void {
    if (session.link.state !== 'connected' || session.link.socketId !== socketId) return;
    const timer = setTimeout(() => {
      try {
        this.#expire(session);
      } catch (error) {
        this.#deps.reportError(error, { room: this.#room.code, what: 'grace expiry' });
      }
    }, this.#deps.graceMs);
    session.link = { state: 'away', timer };
    this.#room.fanout.markRoster();
    this.#room.fanout.feed({ pid: session.pid, name: session.name, text: `${session.name} disconnected` });
  }

  #expire(session: Session): void {
    if (session.link.state !== 'away' || this.#room.closed) return;
    session.link = { state: 'expired' };
    // A process that already died is not killed again: the kill would be logged for nothing.
    if (this.#room.kernel.process(session.pid)?.alive === true) {
      session.expiredAfterMs = this.#deps.graceMs;
      this.#room.signal(session.pid, 'SIGKILL', `pid ${session.pid} (${session.name}) killed with SIGKILL: away past the grace period`);
    } else {
      // Nor brought back: an undo past its death would leave it running, holding its locks, with no grace period
      // left to end it. Undo stops at now, as when a student starts a new process.
      this.#room.lesson.ordering.teacher?.forget();
      this.#room.fanout.feed({ pid: session.pid, name: session.name, text: `${session.name} is away past the grace period (pid ${session.pid} had already died)` });
    }
    this.#room.fanout.markRoster();
  }

  /** A new process for a student whose process died (same token, same name). */
  respawn(session: Session): Session {
    const p = this.#room.kernel.process(session.pid);
    if (p !== undefined && p.alive) throw new Refused('FORBIDDEN', 'Your process is still running; it must exit or die before you get a new one.');
    this.#room.sessions.repid(session, this.#room.recorded.spawn());
    // The student has moved on: an undo must not bring the dead process back.
    this.#room.lesson.ordering.teacher?.forget();
    this.#deps.store.addToRoster(this.#room.code, hashSecret(session.token), session.name, session.pid, session.joinHash);
    this.#room.fanout.markArrival(session.pid, session.name, true);
    this.#room.fanout.markProcess(session.pid);
    this.#room.fanout.feed({ pid: session.pid, name: session.name, text: `${session.name} started a new process, pid ${session.pid}` });
    return session;
  }
}
