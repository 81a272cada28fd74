import { createContext } from 'svelte';
import type { Op } from '@mmap-lab/shared/kernel/types.ts';
import type { ProcessView } from '@mmap-lab/shared/kernel/views.ts';
import { cLine } from '@mmap-lab/shared/content/c-line.ts';
import { opToWire, type JoinedReply, type OpReply, type QueuedOp, type RoomSummary, type SettledOp, type WireOutcome } from '@mmap-lab/shared/protocol/index.ts';
import { CALL_TIMEOUT_MS, HELD_CALL_TIMEOUT_MS, lostConnection, RoomConnection, type CallOptions, type CallResult } from '../net/room-connection.svelte.ts';
import { lastName, keptJoin, resumeToken } from '../net/storage.ts';
import { replyNote } from '../process/reply-note.ts';
import { MappingMemory } from './mapping-memory.svelte.ts';
import { OpLog, queuedAt, statusOf, type LogEntry } from './op-log.svelte.ts';
import { describeFault, type FaultReport } from './fault.ts';
import type { ProcessModel } from '../process/process-model.ts';
import { StudentLesson } from '../lesson/student-lesson.svelte.ts';

/**
 * Where the student is: finding out who they are, asking for a name, being
 * a process, or shut out (room closed, rebooted, taken over by another tab).
 */
export type Phase =
  | { phase: 'connecting' }
  | { phase: 'need-name'; error?: string }
  | { phase: 'joining' }
  | { phase: 'joined' }
  | { phase: 'ended'; why: 'closed' | 'rebooted' | 'replaced' | 'gone'; message: string };

/**
 * How a blocked F_SETLKW's wait ended: its answer (op:woke), or, when no
 * answer will come (the server sends it only to a connected page), what a
 * newer view of the process says: `died` (killed, away past the grace
 * period, or replaced by a new process), or `away` (it runs again: it was
 * woken while this page was not connected).
 */
export type WaitEnd = WireOutcome | 'died' | 'away';

/**
 * One student's process in one room: the connection, who we are, the
 * process as the server last described it, its memory and its log. It
 * renders what the server says; it never decides an outcome.
 */
export class StudentSession implements ProcessModel {
  readonly code: string;
  /** Replaced after a reboot or a takeover: a socket speaks for one process for its whole life. */
  conn = $state.raw<RoomConnection>(null!);
  readonly log = new OpLog();
  /** The chapter, exercise, ordering and quiz, as the server tells them. */
  readonly lesson = new StudentLesson(() => this.conn);

  phase = $state.raw<Phase>({ phase: 'connecting' });
  pid = $state(0);
  name = $state('');
  room = $state.raw<RoomSummary | undefined>();
  process = $state.raw<ProcessView | undefined>();
  fileSize = $state(0);
  memories = $state.raw(new Map<number, MappingMemory>());
  /** The access that killed the process, while its death screen is up. */
  fault = $state.raw<FaultReport | undefined>();
  /** True when this page load resumed a process (refresh, sleep, wifi drop). */
  resumed = $state(false);
  /** Classmates' names by pid, as the server tells them. */
  names = $state.raw(new Map<number, string>());
  /** Why this is a new process when the student did not ask for one (the server restarted). */
  notice = $state('');
  /** The grace period, when the server killed this process because the student was away longer. */
  awayTooLongMs = $state<number | undefined>();

  #pendingName: string | undefined;
  /**
   * The session's generation as this page last had it: sent when the page
   * reconnects by itself, so it cannot take the process back from a tab the
   * student moved to. None on a page load or after "Use it here instead".
   */
  #generation: number | undefined;
  /** Queue id → the log entry of an operation waiting in the teacher's queue. */
  readonly #queued = new Map<number, number>();
  /**
   * Log entry → the caller of an operation still in the teacher's queue whose
   * answer the connection lost: it hears when the operation leaves the queue
   * (op:applied, op:cancelled or the resume), so a helper program goes on.
   */
  readonly #stillQueued = new Map<number, (res: CallResult<OpReply>) => void>();
  /** Queue ids of operations the teacher undid: when they run, they run again. */
  readonly #undone = new Set<number>();
  /** Log entry → how to make its operation's call wait longer, while it waits for its answer. */
  readonly #waits = new Map<number, (ms: number) => void>();
  /**
   * The end of this process's F_SETLKW wait, made when an answer says it
   * blocked and settled by op:woke or by a view that shows the wait over: a
   * helper that asks after the wake has already come (both in one read)
   * still gets it.
   */
  #wake: Promise<WaitEnd> | undefined;
  /** Settles #wake; undefined once it has. */
  #endWait: ((end: WaitEnd) => void) | undefined;
  /** The process that waits. */
  #waitingPid = 0;
  /** Why the next process is new, when an exercise's reboot asked for it. */
  #rebootNotice = '';
  /** The C line of the F_SETLKW that is waiting, to name it again when it wakes. */
  #waitingC = 'fcntl(fd, F_SETLKW, &fl);';

  pageSize = $derived(this.room?.pageSize ?? 16);
  /** What an empty descriptor or mapping field means: the highest descriptor (open reuses the lowest free one, so not always the newest) and the newest mapping. */
  defaultFd = $derived(this.process?.fds.at(-1)?.fd);
  defaultMap = $derived(this.process?.mappings.at(-1)?.map);
  alive = $derived(this.process !== undefined && this.process.state.state !== 'dead');

  constructor(code: string, name?: string) {
    this.code = code;
    this.#pendingName = name;
    this.conn = this.#connect();
  }

  #connect(): RoomConnection {
    const conn = new RoomConnection(() => void this.#establish());
    conn.on('room:bytes', ({ size, runs }) => {
      if (size !== this.fileSize) {
        this.fileSize = size;
        void this.#refreshMemory();
        return;
      }
      for (const memory of this.memories.values()) memory.applyRuns(runs, this.pageSize, this.pid);
    });
    conn.on('process:update', ({ process }) => this.#setProcess(process));
    conn.on('room:names', ({ names, full }) => {
      const next = new Map(full ? [] : this.names);
      for (const n of names) next.set(n.pid, n.name);
      this.names = next;
    });
    conn.on('op:woke', ({ outcome, process }) => {
      this.log.pushWoke(this.#waitingC, outcome);
      // First: the view below shows the process running, which alone would mean a wake that never came.
      this.#settleWait(outcome);
      this.#setProcess(process);
    });
    conn.on('room:rebooted', ({ message, exercise }) => {
      // Keep the token: presenting it again (answered SESSION_GONE) is what readmits this student to a locked room.
      if (exercise) {
        // An exercise launched: everyone needs a new process in the new room, so take one at once.
        this.#rebootNotice = `The teacher started exercise ${exercise.number}, “${exercise.title}”: the machine was rebooted with its file, and this is your new process.`;
        this.reconnect();
        return;
      }
      this.phase = { phase: 'ended', why: 'rebooted', message };
    });
    conn.on('room:closed', ({ message }) => {
      resumeToken.set(this.code, undefined);
      this.phase = { phase: 'ended', why: 'closed', message };
    });
    conn.on('session:ended', ({ message }) => {
      this.phase = { phase: 'ended', why: 'replaced', message };
    });
    conn.on('op:queued', ({ id, c, position }) => {
      const entry = this.log.oldestPending(c);
      if (!entry) return;
      this.#queued.set(id, entry.id);
      // Sent before this page heard that the teacher schedules: its answer comes when they run it.
      this.#waits.get(entry.id)?.(HELD_CALL_TIMEOUT_MS);
      this.log.settle(entry.id, queuedAt(position));
    });
    conn.on('op:undone', ({ id, c, message }) => {
      this.#undone.add(id);
      this.#queued.set(id, this.log.push({ form: 'queue', c, status: 'queued', display: 'undone: queued again', note: message }));
    });
    // An operation that ran after an undo, or whose answer went to a socket this page has since replaced.
    conn.on('op:applied', ({ id, reply }) => {
      this.#ranQueued(id, reply);
      // Run again by the teacher: what it stored may be in a private copy, which no room:bytes carries.
      if (reply.process) this.#setProcess(reply.process, true);
      else void this.#refreshMemory();
    });
    conn.on('op:cancelled', ({ id, c, message }) => this.#cancelledQueued(id, c, message));
    conn.on('room:rewound', ({ process, size, message }) => {
      this.lesson.news = message;
      this.fileSize = size;
      if (process) this.#setProcess(process, true);
    });
    this.lesson.listen(conn);
    return conn;
  }

  /** On every (re)connect: resume our process if we have a token, else join if we know our name. */
  async #establish(): Promise<void> {
    if (this.phase.phase === 'ended' && this.phase.why !== 'gone') return;
    const token = resumeToken.get(this.code);
    if (token) {
      this.phase = { phase: 'joining' };
      const res = await this.conn.call('student:resume', { code: this.code, token, generation: this.#generation }, { apply: this.#adoptAnswer });
      if (res.ok) return;
      if (res.error.code === 'REPLACED') {
        this.phase = { phase: 'ended', why: 'replaced', message: res.error.message };
        return;
      }
      if (res.error.code === 'SESSION_GONE') {
        resumeToken.set(this.code, undefined);
        this.#pendingName ??= this.name || lastName.get();
        this.notice = this.#rebootNotice || 'The server or the room restarted, and a reboot kills every process: your old process is gone, this is a new one.';
        this.#rebootNotice = '';
      } else if (lostConnection(res.error.code)) {
        this.conn.establishAgain();
        return;
      } else {
        this.phase = { phase: 'ended', why: 'gone', message: res.error.message };
        return;
      }
    }
    // A join this page (or the one before a reload) sent and never heard back from: send it again.
    this.#pendingName ??= keptJoin.get(this.code)?.name;
    if (this.#pendingName) await this.join(this.#pendingName);
    else this.phase = { phase: 'need-name' };
  }

  async join(name: string): Promise<void> {
    this.phase = { phase: 'joining' };
    const key = keptJoin.start(this.code, name);
    const res = await this.conn.call('student:join', { code: this.code, name, key }, { apply: this.#adoptAnswer });
    if (res.ok) {
      lastName.set(name);
      return;
    }
    if (lostConnection(res.error.code)) {
      // It may have made our process: the next connect sends the same join (same key), which finds it.
      this.#pendingName = name;
      this.conn.establishAgain();
      return;
    }
    keptJoin.set(this.code, undefined);
    this.#pendingName = undefined;
    this.phase = { phase: 'need-name', error: res.error.message };
  }

  /** Take the process back from another tab, or rejoin after a reboot: on a new socket. */
  reconnect(): void {
    this.#pendingName = this.name || undefined;
    this.#generation = undefined;
    this.phase = { phase: 'connecting' };
    this.process = undefined;
    this.memories = new Map();
    this.fault = undefined;
    this.conn.close();
    this.conn = this.#connect();
  }

  async respawn(): Promise<void> {
    const res = await this.conn.call('student:respawn', {}, {
      apply: (answer) => {
        if (!answer.ok) return;
        this.fault = undefined;
        this.notice = '';
        this.#adopt(answer.data);
      },
    });
    if (res.ok) return;
    // Made or not, the new process is the session's now: resuming shows which, where asking again would be refused.
    if (res.error.code === 'NO_ANSWER') {
      this.conn.establishAgain();
      return;
    }
    this.log.push({ form: 'respawn', c: 'fork()', status: 'refused', display: res.error.code, explanation: res.error.message });
  }

  /** Operations can be sent: connected, joined, alive. */
  get canAct(): boolean {
    return this.conn.online && this.phase.phase === 'joined' && this.alive;
  }

  get canRespawn(): boolean {
    return this.conn.online && this.phase.phase === 'joined';
  }

  /**
   * How another process is named on this student's screen: "Ada wrote…",
   * "held by Ada", from the classmates' names the server sends by pid
   * (`room:names`); a pid it has not named yet stays "pid N". An arrow, so
   * views can pass it on as a callback.
   */
  nameOf = (pid: number): string => (pid === this.pid ? `you (pid ${pid})` : (this.names.get(pid) ?? `pid ${pid}`));

  /** A join's or a resume's answer, applied as it arrives (`RoomConnection.call`). */
  #adoptAnswer = (res: CallResult<JoinedReply>): void => {
    if (res.ok) this.#adopt(res.data);
  };

  #adopt(joined: JoinedReply): void {
    resumeToken.set(this.code, joined.token);
    this.#generation = joined.generation;
    // A resume can bring a process this page has not shown: a respawn whose answer was lost.
    const same = joined.resumed && (this.pid === 0 || this.pid === joined.pid);
    this.pid = joined.pid;
    this.name = joined.name;
    this.room = joined.room;
    this.fileSize = joined.room.fileSize;
    this.resumed = same;
    this.awayTooLongMs = joined.awayTooLong?.graceMs;
    // A new process has no fault yet: an old one's explanation would sit above its first death.
    if (!same) this.fault = undefined;
    this.phase = { phase: 'joined' };
    this.lesson.adopt(joined);
    if (same) this.#adoptQueue(joined.queued, joined.settled);
    else for (const [id, entry] of this.#queued) this.#lostQueued(id, entry);
    // Only a page that was waiting logs it: a reloaded one never showed the wait, and the wake may be old.
    if (joined.woke && this.#endWait !== undefined && joined.pid === this.#waitingPid) {
      this.log.pushWoke(this.#waitingC, joined.woke, true);
      // First: the view below shows the process running, which alone would mean a wake whose answer is unknown.
      this.#settleWait(joined.woke);
    }
    this.#setProcess(joined.process, true);
  }

  #ranQueued(id: number, reply: OpReply, away = false): void {
    const { outcome, c, woke } = reply;
    const note = this.#undone.has(id) ? 'ran again' : replyNote(outcome.result, woke, this.nameOf);
    const when = away ? 'ran while you were away' : undefined;
    const settled = { c, status: statusOf(outcome), display: outcome.display, explanation: outcome.explanation, note: [when, note].filter(Boolean).join('; ') || undefined };
    this.#settleQueued(id, settled, { ok: true, data: reply });
  }

  #cancelledQueued(id: number, c: string, message: string): void {
    this.#settleQueued(id, { c, status: 'refused', display: 'CANCELLED', explanation: message }, { ok: false, error: { code: 'CANCELLED', message } });
  }

  /** An operation that left the teacher's queue with no acknowledgement left to answer it: its log line says how. */
  #settleQueued(id: number, settled: Omit<LogEntry, 'id' | 'form'>, answer: CallResult<OpReply>): void {
    const entry = this.#queued.get(id);
    if (entry !== undefined) {
      this.log.settle(entry, settled);
      this.#answerCaller(entry, answer);
    } else this.log.push({ form: 'queue', ...settled });
    this.#queued.delete(id);
    this.#undone.delete(id);
  }

  /** It left the queue while this page was away, and nothing kept its answer (or its process is gone). */
  #lostQueued(id: number, entry: number): void {
    const explanation = 'It left the teacher\'s queue while you were away (it ran, or it was cancelled), and its answer did not reach this page. Your process shows how things are now.';
    this.#queued.delete(id);
    this.#undone.delete(id);
    this.log.settle(entry, { status: 'refused', display: 'no answer', explanation });
    this.#answerCaller(entry, { ok: false, error: { code: 'NO_ANSWER', message: explanation } });
  }

  #answerCaller(entry: number, answer: CallResult<OpReply>): void {
    this.#stillQueued.get(entry)?.(answer);
    this.#stillQueued.delete(entry);
  }

  /**
   * Back on a new socket (or a new page): what still waits in the teacher's
   * queue is shown queued, and what this page showed queued that is no
   * longer there left it while the page was away, its answer sent to a
   * socket that was gone: the resume says what it returned.
   */
  #adoptQueue(queued: readonly QueuedOp[], settled: readonly SettledOp[]): void {
    const waiting = new Set(queued.map((q) => q.id));
    const answers = new Map(settled.map((s) => [s.id, s]));
    for (const [id, entry] of this.#queued) {
      if (waiting.has(id)) continue;
      const answer = answers.get(id);
      if (answer?.kind === 'ran') {
        this.#ranQueued(id, answer.reply, true);
        continue;
      }
      if (answer?.kind === 'cancelled') {
        this.#cancelledQueued(id, answer.c, answer.message);
        continue;
      }
      this.#lostQueued(id, entry);
    }
    for (const { id, c, position } of queued) {
      const entry = this.#queued.get(id);
      if (entry !== undefined) this.log.settle(entry, queuedAt(position));
      else this.#queued.set(id, this.log.push({ form: 'queue', c, ...queuedAt(position) }));
    }
  }

  #setProcess(process: ProcessView, refetch = false): void {
    // A newer view ends a wait that op:woke did not (the server sends that only to a connected page),
    // unless it still waits: blocked, or stopped inside its F_SETLKW, which SIGCONT runs again.
    const { state } = process.state;
    const same = process.pid === this.#waitingPid;
    if (!(same && (state === 'blocked' || state === 'stopped'))) this.#endUnheardWait(same ? process : undefined);
    const before = this.process;
    this.process = process;
    const next = new Map<number, MappingMemory>();
    let changed = refetch || before === undefined || before.mappings.length !== process.mappings.length;
    for (const view of process.mappings) {
      const memory = this.memories.get(view.map) ?? new MappingMemory(view);
      const old = memory.view;
      if (old !== view && JSON.stringify(old) !== JSON.stringify(view)) changed = true;
      memory.view = view;
      next.set(view.map, memory);
    }
    this.memories = next;
    if (changed) void this.#refreshMemory();
  }

  async #refreshMemory(): Promise<void> {
    await Promise.all(
      [...this.memories.values()].map((memory) =>
        this.conn.call('view:memory', { map: memory.view.map }, {
          apply: (res) => {
            if (!res.ok) return;
            memory.load(res.data);
            this.fileSize = res.data.fileSize;
          },
        }),
      ),
    );
  }

  /** Send one operation: log its C line first, then what it returned. */
  async run(form: string, op: Op): Promise<CallResult<OpReply>> {
    const id = this.log.add(form, cLine(op));
    const { event, payload } = opToWire(op);
    const call = this.conn.call as (e: string, p: unknown, options: CallOptions<OpReply>) => Promise<CallResult<OpReply>>;
    // Held back (slow motion) or queued (the teacher schedules): the answer comes when it runs.
    const timeoutMs = this.lesson.ordering === 'arrival' ? CALL_TIMEOUT_MS : HELD_CALL_TIMEOUT_MS;
    const res = await call.call(this.conn, event, payload, {
      timeoutMs,
      apply: (res) => this.#settle(id, op, res),
      onWait: (waitFor) => this.#waits.set(id, waitFor),
    });
    if (res.ok || !this.#isQueued(id)) return res;
    return new Promise((resolve) => this.#stillQueued.set(id, resolve));
  }

  #isQueued(entry: number): boolean {
    return [...this.#queued.values()].includes(entry);
  }

  /** What an operation's answer changes: its log line, the bytes it stored or loaded, the process. */
  #settle(id: number, op: Op, res: CallResult<OpReply>): void {
    this.#waits.delete(id);
    // The teacher's queue holds it whatever happens to this socket: its answer comes as op:applied, or the resume says.
    if (!res.ok && res.error.code === 'NO_ANSWER' && this.#isQueued(id)) return;
    // Answered: it is no longer in the queue (a CANCELLED answer carries no queue id).
    for (const [queueId, entry] of this.#queued) if (entry === id) this.#queued.delete(queueId);
    if (!res.ok) {
      this.log.settle(id, { status: 'refused', display: res.error.code, explanation: res.error.message });
      return;
    }
    const { outcome, c, woke, process } = res.data;
    const result = outcome.result;
    if (result.kind === 'blocked') {
      this.#waitingC = c;
      this.#expectWake();
    }
    const note = replyNote(result, woke, this.nameOf);
    this.log.settle(id, { c, status: statusOf(outcome), display: outcome.display, explanation: outcome.explanation, note });
    if (op.op === 'store' && result.kind === 'ok') this.memories.get(op.map)?.setLocal(op.index, op.value);
    if (op.op === 'load' && result.kind === 'byte') this.memories.get(op.map)?.setLocal(op.index, result.value);
    // The process as the operation met it: answers come in the order operations ran, and one the
    // teacher held may run after others sent later (a queued mprotect), so not the view at sending.
    if (result.kind === 'signal') this.fault = describeFault(op, c, outcome, this.process, this.pageSize, this.fileSize);
    if (process) this.#setProcess(process);
  }

  /** Resolves when this process's blocked F_SETLKW finishes waiting: with what it returned, or why no answer will come. */
  waitForWake(): Promise<WaitEnd> {
    return this.#wake ?? this.#expectWake();
  }

  #expectWake(): Promise<WaitEnd> {
    this.#waitingPid = this.pid;
    this.#wake = new Promise((resolve) => (this.#endWait = resolve));
    return this.#wake;
  }

  /**
   * A newer view of the process (`undefined`: a new process) shows its
   * F_SETLKW is over, and no answer said how: the log says what the view
   * tells, so the blocked line is not the last word.
   */
  #endUnheardWait(process: ProcessView | undefined): void {
    if (this.#endWait === undefined) return;
    const { state } = process?.state ?? { state: 'dead' };
    if (state === 'running') {
      this.log.push({ form: 'lock', c: this.#waitingC, status: 'ok', display: 'returned', note: 'returned while you were away (its answer did not reach this page); your process runs again' });
    } else if (process?.state.state === 'dead') {
      this.log.push({ form: 'lock', c: this.#waitingC, status: 'fault', display: process.state.cause, note: 'killed while it waited: F_SETLKW never returned' });
    }
    this.#settleWait(state === 'running' ? 'away' : 'died');
  }

  #settleWait(end: WaitEnd): void {
    this.#endWait?.(end);
    this.#endWait = undefined;
  }

  close(): void {
    this.conn.close();
  }
}

export const [getStudent, setStudent] = createContext<StudentSession>();
