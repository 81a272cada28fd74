import { processView, type Kernel, type KernelEvent, type Op, type Outcome, type Pid, type Signal } from '@mmap-lab/shared';
import { cLine, DEATH_EXPLANATIONS, templateBytes, type TemplateId } from '@mmap-lab/shared/content/index.ts';
import type { RecordedKernel } from '@mmap-lab/shared/oplog/index.ts';
import { LIMITS } from '@mmap-lab/shared/protocol/limits.ts';
import type { ServerEventName, ServerPayload } from '@mmap-lab/shared/protocol/events.ts';
import type { OpReply, RoomSummary } from '@mmap-lab/shared/protocol/replies.ts';
import type { TeacherRebootRequest } from '@mmap-lab/shared/protocol/requests.ts';
import { toWireOutcome } from '@mmap-lab/shared/protocol/results.ts';
import type { InitialFile, PageCache } from '@mmap-lab/shared/kernel/page-cache.ts';
import type { KernelState } from '@mmap-lab/shared/kernel/state.ts';
import { DirtyPages } from '../persistence/dirty-pages.ts';
import { allPages, readPages } from '../persistence/file-image.ts';
import { boardProcess, boardSnapshot, rosterOf } from './board-views.ts';
import { Fanout, PROCESS_EVENTS } from './fanout.ts';
import { RoomLesson } from './lesson/room-lesson.ts';
import type { ExerciseRun } from './lesson/exercise-run.ts';
import { memoryView } from '@mmap-lab/shared/protocol/memory-view.ts';
import type { RoomOutbox } from './outbox.ts';
import { InvalidPayload } from './invalid-payload.ts';
import { Refused } from './refused.ts';
import { RoomLog, type SegmentReason } from './room-log.ts';
import { changedPages } from './changed-pages.ts';
import { Members } from './members.ts';
import { Later } from './ordering/later.ts';
import type { RoomDeps, RoomInit } from './room-deps.ts';
import { SessionTable, type Session } from './sessions.ts';

export type { RoomDeps, RoomInit } from './room-deps.ts';

const SHUTTING_DOWN = 'The server is shutting down; this operation did not run.';

/** Kernel events after which a process may run where it could not, or the other way round. */
const RUNNABLE_CHANGES: ReadonlySet<KernelEvent['type']> = new Set(['stopped', 'continued', 'blocked', 'woke', 'died']);

/**
 * One classroom: one kernel (recorded: every operation and signal goes into
 * the room's log), its students (sessions), settings and lesson. Every
 * method runs to completion synchronously, so operations apply in the order
 * they arrive and nothing interleaves with a kernel call; persistence and
 * fan-out happen after, from what the call returned.
 */
export class Room {
  readonly code: string;
  readonly teacherHash: string;
  template: TemplateId;
  locked: boolean;
  closed = false;
  #log: RoomLog;
  readonly sessions = new SessionTable();
  readonly dirty = new DirtyPages();
  readonly fanout: Fanout;
  readonly lesson: RoomLesson;
  readonly #deps: RoomDeps;
  readonly #members: Members;

  constructor(init: RoomInit, deps: RoomDeps) {
    this.code = init.code;
    this.teacherHash = init.teacherHash;
    this.template = init.template;
    this.locked = init.locked;
    this.#deps = deps;
    const run = init.lesson?.exercise?.run ?? null;
    this.#log = this.#newLog(init.reason, init.pageSize, init.file, run);
    // The kernel is replaced on reboot and undo, so the fan-out reads it through a getter, never a copy.
    const kernelState = () => this.kernelState;
    this.fanout = new Fanout(
      {
        code: this.code,
        get kernelState() { return kernelState(); },
        sessions: this.sessions,
        outbox: deps.outbox,
        reportError: (error, what) => deps.reportError(error, { room: this.code, what }),
        summary: () => this.summary(),
        roster: () => rosterOf(this),
        boardProcess: (pid) => boardProcess(this, pid),
      },
      () => deps.tickMs * (deps.tickScale?.() ?? 1),
    );
    this.lesson = new RoomLesson(this, deps, init.lesson);
    this.#members = new Members(this, deps);
    // The feed is kept in memory only: a board must not show a restarted room's feed as if nothing was lost.
    if (init.reason === 'restart') {
      this.fanout.feed({ pid: 0, name: 'server', text: 'restarted: the file is as it was, every process is gone, and what happened before is not listed here' });
    }
  }

  get kernel(): Kernel {
    return this.#log.recorded.kernel;
  }

  get kernelState(): KernelState {
    return this.kernel.state;
  }

  /** The kernel with its log (the current segment). */
  get recorded(): RecordedKernel {
    return this.#log.recorded;
  }

  get log(): RoomLog {
    return this.#log;
  }

  get outbox(): RoomOutbox {
    return this.#deps.outbox;
  }

  summary(): RoomSummary {
    return {
      code: this.code,
      pageSize: this.kernel.pageSize,
      template: this.template,
      fileSize: this.kernelState.cache.size,
      locked: this.locked,
      students: this.sessions.present().length,
      chapter: this.lesson.chapter,
    };
  }

  nameOf(pid: Pid): string {
    return this.sessions.byPid(pid)?.name ?? `pid ${pid}`;
  }

  processOf(session: Session) {
    const p = this.kernel.process(session.pid);
    if (p === undefined) throw new Error(`session ${session.name} has no process ${session.pid}`);
    return processView(this.kernelState, p);
  }

  /** An event to the student whose process `pid` is, if that student is connected. */
  toPid<E extends ServerEventName>(pid: Pid, event: E, payload: ServerPayload<E>): void {
    const s = this.sessions.byPid(pid);
    if (s?.link.state === 'connected') this.outbox.toSocket(s.link.socketId, event, payload);
  }

  /** A failure that must not take the room down: logged. */
  reportError(error: unknown, what: string): void {
    this.#deps.reportError(error, { room: this.code, what });
  }

  /** The room's summary changed (the board hears at the next tick). */
  markRoom(): void {
    this.fanout.markRoom();
  }

  /** Every connected student's socket. */
  studentSockets(): string[] {
    const ids: string[] = [];
    for (const s of this.sessions.values()) if (s.link.state === 'connected') ids.push(s.link.socketId);
    return ids;
  }

  // ---- students (members.ts) -----------------------------------------------

  knewToken(token: string): boolean {
    return this.#members.knewToken(token);
  }

  knewJoinKey(key: string): boolean {
    return this.#members.knewJoinKey(key);
  }

  join(name: string, socketId: string, key?: string, readmitted = false): Session {
    return this.#members.join(name, socketId, key, readmitted);
  }

  resume(token: string, socketId: string, generation: number | undefined): Session {
    return this.#members.resume(token, socketId, generation);
  }

  leave(session: Session, socketId: string): void {
    this.#members.leave(session, socketId);
  }

  respawn(session: Session): Session {
    return this.#members.respawn(session);
  }

  // ---- operations -----------------------------------------------------------

  /**
   * A student's operation for its own process, ordered as the room orders
   * them now: applied at once (answered at once), or held back (slow
   * motion) or queued for the teacher (answered when it runs).
   */
  submit(session: Session, op: Op, socketId: string): OpReply | Later<OpReply> {
    const { pid } = session;
    const answer = this.lesson.ordering.submit(pid, session.name, op);
    if (answer instanceof Later) answer.whenSettled((reply) => this.#answerMoved(session, pid, socketId, reply), () => undefined);
    return answer;
  }

  /**
   * An operation that ran later, after its student came back on another
   * socket (a phone that slept): its answer goes to the socket that asked,
   * which is gone, so the new one hears too. A queued operation is named by
   * its queue id; a held one brings the process as it is now.
   */
  #answerMoved(session: Session, pid: Pid, askedOn: string, reply: OpReply): void {
    const link = session.link;
    if (link.state !== 'connected' || link.socketId === askedOn || session.pid !== pid) return;
    if (reply.scheduled) this.outbox.toSocket(link.socketId, 'op:applied', { id: reply.scheduled.id, reply });
    else this.outbox.toSocket(link.socketId, 'process:update', { process: this.processOf(session) });
  }

  /** Apply one operation for a student's process now and build its acknowledgement. */
  apply(session: Session, op: Op): OpReply {
    return this.applyAs(session.pid, session.name, op);
  }

  applyAs(pid: Pid, name: string, op: Op): OpReply {
    const recording = this.#recording();
    const outcome = recording ? this.recorded.apply(pid, name, op).outcome : this.kernel.apply(pid, op);
    return this.applied(pid, name, op, outcome);
  }

  /** Is the log still taking records? The board hears once when it fills up. */
  #recording(): boolean {
    if (this.#log.full) return false;
    if (this.#log.recording) return true;
    this.#deps.lessons.setSegmentFull(this.code, this.#log.segment);
    this.fanout.feed({
      pid: 0, name: 'room',
      text: `The room's log is full (${this.#log.length} records): what follows is applied but not recorded; exercise results and the export cover the first ${this.#log.length}.`,
    });
    return false;
  }

  /** Persistence, fan-out and the acknowledgement of an operation the recorded kernel applied. */
  applied(pid: Pid, name: string, op: Op, { result, events }: Outcome): OpReply {
    const woke = this.#absorb(events, pid);
    // msync is answered only once the file's pages are on disk.
    if (op.op === 'msync' && !this.closed) this.#persistFile();
    const outcome = toWireOutcome(op.op, result);
    const c = cLine(op, result);
    this.fanout.feed({ pid, name, text: c, display: outcome.display, explanation: outcome.explanation });
    const reply: OpReply = { outcome, c, woke };
    if (events.some((e) => PROCESS_EVENTS.has(e.type) && 'pid' in e && e.pid === pid)) {
      const p = this.kernel.process(pid);
      if (p !== undefined) reply.process = processView(this.kernelState, p);
    }
    return reply;
  }

  viewMemory(session: Session, map: number, offset: number, length: number) {
    const p = this.kernel.process(session.pid);
    if (p === undefined) throw new Error(`no process ${session.pid}`);
    const view = memoryView(this.kernelState, p, map, offset, length);
    if (view === undefined) {
      const message = `m${map} is not a mapping of this process`;
      throw new InvalidPayload(message, [{ path: 'map', message }]);
    }
    return view;
  }

  /**
   * Persistence and fan-out of one kernel call's events. Woken students hear
   * at once (not at the next tick): a blocked student is waiting on it.
   * Every death passes here (a fault, exit, a kill, the grace period's end),
   * so this is where the teacher's queue lets go of a dead process.
   */
  #absorb(events: readonly KernelEvent[], actor: Pid | null): OpReply['woke'] {
    if (events.length === 0) return [];
    this.dirty.record(events, this.kernel.pageSize);
    this.fanout.record(events, actor);
    const woke: OpReply['woke'] = [];
    for (const e of events) {
      if (e.type === 'died') this.lesson.ordering.died(e.pid);
      // Whether a process can run decides which of the teacher's queued operations may be picked.
      if (RUNNABLE_CHANGES.has(e.type) && this.lesson.ordering.teacher !== null) this.lesson.queueChanged();
      if (e.type === 'blocked') this.#setLastWake(e.pid, undefined);
      if (e.type !== 'woke') continue;
      const outcome = toWireOutcome('lock', e.result);
      woke.push({ pid: e.pid, outcome });
      this.#setLastWake(e.pid, outcome);
      const p = this.kernel.process(e.pid);
      if (p !== undefined) this.toPid(e.pid, 'op:woke', { pid: e.pid, outcome, process: processView(this.kernelState, p) });
      this.fanout.feed({ pid: e.pid, name: this.nameOf(e.pid), text: `${this.nameOf(e.pid)} wakes`, display: outcome.display, explanation: outcome.explanation });
    }
    return woke;
  }

  #setLastWake(pid: Pid, outcome: OpReply['outcome'] | undefined): void {
    const s = this.sessions.byPid(pid);
    if (s !== undefined) s.lastWake = outcome;
  }

  // ---- teacher --------------------------------------------------------------

  setLocked(locked: boolean): void {
    this.locked = locked;
    this.#deps.store.setLocked(this.code, locked);
    this.fanout.markRoom();
  }

  /** Deliver a signal (teacher controls, grace expiry) and report it like any kernel call. */
  signal(pid: Pid, signal: Signal, text: string): void {
    // The teacher's queue records everything it runs (undo rebuilds from the log), so signals are recorded there too.
    const recorded = this.lesson.ordering.kind === 'teacher' || this.#recording();
    const outcome = recorded ? this.recorded.signal(pid, this.nameOf(pid), signal).outcome : this.kernel.signal(pid, signal);
    this.#absorb(outcome.events, null);
    const explanation = signal === 'SIGKILL' ? DEATH_EXPLANATIONS.SIGKILL : undefined;
    this.fanout.feed({ pid, name: this.nameOf(pid), text, explanation });
  }

  /**
   * A new kernel with another file or page size. Like a machine reboot,
   * every process dies; students are told and join again as new processes.
   * `launch` is the exercise this reboot sets up; without it, a running
   * exercise ends here.
   */
  reboot(request: TeacherRebootRequest, launch?: ExerciseRun): void {
    const cache = this.kernelState.cache;
    let file: Uint8Array;
    if (request.template === undefined) {
      if (cache.size > LIMITS.FILE_MAX) throw new Refused('INVALID_PAYLOAD', 'The file is too big to keep across a reboot; pick a template.');
      file = cache.read(0, cache.size);
    } else {
      file = templateBytes(request.template, request.text);
    }
    this.lesson.beforeReboot();
    this.fanout.flush();
    const gone = this.sessions.clear();
    this.#log.save();
    this.#log = this.#newLog(launch === undefined ? 'reboot' : 'exercise', request.pageSize, file, launch?.run ?? null);
    if (request.template !== undefined) this.template = request.template;
    this.dirty.clear();
    this.#deps.store.replaceFile(this.code, this.template, request.pageSize, file.length, allPages(this.kernelState.cache));
    this.lesson.afterReboot(launch);
    const ids = gone.flatMap((s) => (s.link.state === 'connected' ? [s.link.socketId] : []));
    const message = launch === undefined
      ? 'The teacher rebooted the room (new file or page size): every process died. Join again for a new process.'
      : `The teacher started exercise ${launch.exercise.number}, ${launch.exercise.title}: the room was set up for it and every process died. Join again for a new process.`;
    if (ids.length > 0) {
      this.outbox.toSockets(ids, 'room:rebooted', { room: this.summary(), message, ...(launch === undefined ? {} : { exercise: launch.brief() }) });
    }
    // Pids start again at 1: the feed marks where, so older lines are not read as the new processes'.
    const what = launch === undefined ? 'reboot (new file or page size)' : `exercise ${launch.exercise.number}, ${launch.exercise.title}: the room was set up for it`;
    this.fanout.feed({ pid: 0, name: 'teacher', text: `${what}: every process died; pids start again at 1` });
    this.outbox.toTeachers(this.code, 'board:snapshot', boardSnapshot(this));
  }

  /**
   * The kernel went back in time (the teacher's undo): `before` is the file
   * as it was. The pages that differ go out like any change (to the store,
   * and to whoever maps them, as by `by`); every student also gets its
   * whole process again, and the board a snapshot.
   */
  rewound(before: PageCache, by: Pid, message: string): void {
    this.#log.rewound();
    const cache = this.kernelState.cache;
    const events = changedPages(before, cache).map((page): KernelEvent => ({ type: 'file-bytes', pid: by, offset: page * cache.pageSize, length: cache.pageSize }));
    if (before.size !== cache.size) events.push({ type: 'file-size', size: cache.size });
    this.dirty.record(events, cache.pageSize);
    this.fanout.record(events, null);
    this.fanout.flush();
    for (const s of this.sessions.values()) {
      if (s.link.state !== 'connected') continue;
      const p = this.kernel.process(s.pid);
      const process = p === undefined ? null : processView(this.kernelState, p);
      this.outbox.toSocket(s.link.socketId, 'room:rewound', { process, size: cache.size, message });
    }
    this.outbox.toTeachers(this.code, 'board:snapshot', boardSnapshot(this));
  }

  /** Close for good: everyone is told, the file and the lesson are dropped, the code stops working. */
  close(): void {
    if (this.closed) return;
    // The disk first, in one commit: one that fails (a full disk) changes nothing, so closing again
    // does it all, and a crash never leaves a room closed with its lesson (names, answers, log) kept.
    this.#deps.store.inOneCommit(() => {
      this.#deps.store.close(this.code);
      this.#deps.lessons.dropAll(this.code);
    });
    this.fanout.flush();
    this.lesson.dispose('The teacher closed the room before this operation ran.');
    this.closed = true;
    this.fanout.dispose();
    const gone = this.sessions.clear();
    const ids = gone.flatMap((s) => (s.link.state === 'connected' ? [s.link.socketId] : []));
    const message = 'The teacher closed this room.';
    if (ids.length > 0) this.outbox.toSockets(ids, 'room:closed', { message });
    this.outbox.toTeachers(this.code, 'room:closed', { message });
    this.outbox.dropTeachers(this.code);
  }

  // ---- persistence ----------------------------------------------------------

  /**
   * Write the changed pages and the size, then the log and the quiz answers
   * since the last time, in one durable commit. Each counts as written only
   * once that commit (or the flush's that holds it) succeeds.
   */
  persist(): void {
    if (this.closed) return;
    this.#deps.store.inOneCommit(() => {
      this.#persistFile();
      this.#log.save();
      this.lesson.save();
    });
  }

  /** msync's part: only the file has to be on disk before it is answered; the log goes with the periodic flush. */
  #persistFile(): void {
    if (!this.dirty.isDirty) return;
    const cache = this.kernelState.cache;
    const { pageCount, pageSize } = cache;
    const dropFrom = Math.min(pageCount, Math.ceil(this.dirty.lowestSize / pageSize));
    const pages = [...this.dirty.pages].filter((page) => page < pageCount);
    this.#deps.store.writeFile(this.code, cache.size, dropFrom, readPages(cache, pages));
    this.#deps.store.afterCommit(() => this.dirty.clear());
  }

  /**
   * The server is shutting down: what the ordering holds back or queues will
   * not run. Answered CANCELLED now, while its students are still connected.
   */
  cancelHeld(): void {
    this.lesson.ordering.dispose(SHUTTING_DOWN);
  }

  /** Stop every timer (server shutdown). */
  dispose(): void {
    this.fanout.dispose();
    this.lesson.dispose(SHUTTING_DOWN);
    for (const s of this.sessions.values()) if (s.link.state === 'away') clearTimeout(s.link.timer);
  }

  #newLog(reason: SegmentReason, pageSize: number, file: InitialFile, run: number | null): RoomLog {
    const lessons = this.#deps.lessons;
    const segment = lessons.lastSegment(this.code) + 1;
    return new RoomLog(lessons, {
      code: this.code, segment, reason, pageSize, file, memoryBytes: this.#deps.memoryBytes, run, maxRecords: this.#deps.logMaxRecords, maxBytes: this.#deps.logMaxBytes,
    });
  }
}
