import type { Op, Outcome, Pid } from '@mmap-lab/shared';
import { cLine } from '@mmap-lab/shared/content/c-line.ts';
import type { RecordedKernel } from '@mmap-lab/shared/oplog/index.ts';
import type { OpReply, QueuedOp } from '@mmap-lab/shared/protocol/replies.ts';
import { RECENT_STEPS, type QueueState, type ScheduledStepWire } from '@mmap-lab/shared/protocol/scheduler.ts';
import type { ServerEventName, ServerPayload } from '@mmap-lab/shared/protocol/events.ts';
import { TeacherScheduler, type PendingOp, type ScheduledStep } from '@mmap-lab/shared/scheduler/index.ts';
import { LIMITS } from '@mmap-lab/shared/protocol/limits.ts';
import { Refused } from '../refused.ts';
import { Later } from './later.ts';
import type { SettledOps } from './settled-ops.ts';

/** What the queue needs from its room. */
export interface TeacherQueueHost {
  /** Persistence, fan-out and the acknowledgement of an operation the scheduler applied. */
  applied(pid: Pid, name: string, op: Op, outcome: Outcome): OpReply;
  /** An event to the student whose process `pid` is, if connected. */
  toPid<E extends ServerEventName>(pid: Pid, event: E, payload: ServerPayload<E>): void;
  /** The queue changed: the board hears at the next tick. */
  changed(): void;
}

/**
 * The teacher as the scheduler, on the server: TeacherScheduler (pure)
 * plus the students' pending acknowledgements. A student's operation is
 * answered when it runs, not when it is queued; the student hears at once
 * that it is queued (`op:queued`). An operation run again after an undo has
 * no acknowledgement left, so its student gets `op:applied`.
 */
export class TeacherQueue {
  readonly scheduler: TeacherScheduler;
  readonly #host: TeacherQueueHost;
  readonly #waiting = new Map<number, Later<OpReply>>();
  #steps = 0;
  /** The latest steps, newest first: the board's history, the same on every device. */
  #recent: ScheduledStepWire[] = [];
  readonly #settled: SettledOps;
  /** While a step is answered: what its deaths cancelled, answered after it (see died). */
  #dying: PendingOp[] | null = null;

  constructor(kernel: RecordedKernel, seed: number, host: TeacherQueueHost, settled: SettledOps) {
    this.scheduler = new TeacherScheduler(kernel, seed);
    this.#host = host;
    this.#settled = settled;
  }

  submit(pid: Pid, name: string, op: Op): Later<OpReply> {
    const waiting = this.scheduler.pending.reduce((n, p) => n + (p.pid === pid ? 1 : 0), 0);
    if (waiting >= LIMITS.QUEUED_PER_PROCESS) {
      throw new Refused('RATE_LIMITED', `You already have ${waiting} operations waiting for the teacher; wait for them to run.`);
    }
    const pending = this.scheduler.enqueue(pid, name, op);
    this.#host.toPid(pid, 'op:queued', { id: pending.id, c: cLine(op), position: this.scheduler.pending.length - 1 });
    this.#host.changed();
    const answer = new Later<OpReply>();
    this.#waiting.set(pending.id, answer);
    return answer;
  }

  /** What this process has waiting in the queue, oldest first. */
  queuedOf(pid: Pid): QueuedOp[] {
    return this.scheduler.pending.flatMap((p, position) => (p.pid === pid ? [{ id: p.id, c: cLine(p.op), position }] : []));
  }

  state(): QueueState {
    const s = this.scheduler;
    return { ordering: 'teacher', seed: s.seed, rows: s.rows(), canUndo: s.canUndo, canRedo: s.canRedo, steps: this.#steps, recent: [...this.#recent] };
  }

  /** Run the queued operation with this id (its process's oldest). */
  run(id: number): ScheduledStepWire {
    const index = this.scheduler.pending.findIndex((p) => p.id === id);
    if (index === -1) throw new Refused('WRONG_STATE', `No operation with id ${id} is waiting in the queue.`);
    let step: ScheduledStep;
    try {
      step = this.scheduler.runAt(index);
    } catch (error) {
      if (error instanceof RangeError) throw new Refused('WRONG_STATE', `${error.message}.`);
      throw error;
    }
    return this.#answer(step);
  }

  roundRobin(): ScheduledStepWire | null {
    const step = this.scheduler.runRoundRobin();
    return step === undefined ? null : this.#answer(step);
  }

  random(): ScheduledStepWire | null {
    const step = this.scheduler.runRandom();
    return step === undefined ? null : this.#answer(step);
  }

  redo(): ScheduledStepWire | null {
    const step = this.scheduler.redo();
    return step === undefined ? null : this.#answer(step);
  }

  replay(): ScheduledStepWire[] {
    return this.scheduler.replay().map((s) => this.#answer(s));
  }

  /** Everything queued runs, oldest first (back to arrival order). */
  drain(): ScheduledStepWire[] {
    // One step answered at a time: a step that kills its process takes what it queued behind out first (died).
    const steps: ScheduledStepWire[] = [];
    for (let step = this.scheduler.runOldest(); step !== undefined; step = this.scheduler.runOldest()) steps.push(this.#answer(step));
    return steps;
  }

  /** Take back the last step; the room then re-sends everyone's state. */
  undo(): PendingOp | undefined {
    const undone = this.scheduler.undo();
    if (undone === undefined) return undefined;
    this.#steps--;
    // The undone step is always the latest one run.
    this.#recent.shift();
    this.#host.changed();
    return undone;
  }

  /** Undo and redo stop at now (see TeacherScheduler.forget); the board hears that it cannot undo. */
  forget(): void {
    this.scheduler.forget();
    this.#host.changed();
  }

  /** Answer every operation still waiting with CANCELLED (the room was rebooted or closed). */
  cancel(message: string): void {
    for (const w of this.#waiting.values()) w.reject(new Refused('CANCELLED', message));
    this.#waiting.clear();
  }

  /** A process died (killed, crashed, exited): what it had queued never runs; each is answered CANCELLED. */
  died(pid: Pid): void {
    const gone = this.scheduler.cancel(pid);
    if (gone.length === 0) return;
    this.#host.changed();
    // The step that killed its own process is answered first: its SIGSEGV, then what it took with it.
    if (this.#dying !== null) this.#dying.push(...gone);
    else this.#cancelDead(gone);
  }

  #cancelDead(gone: readonly PendingOp[]): void {
    const message = 'Your process died before the teacher ran this.';
    for (const { id, pid, op } of gone) {
      const waiting = this.#waiting.get(id);
      this.#waiting.delete(id);
      const cancelled = { id, c: cLine(op), message };
      this.#settled.keep(pid, { kind: 'cancelled', ...cancelled });
      if (waiting !== undefined) waiting.reject(new Refused('CANCELLED', message));
      // Undone, its acknowledgement used when it first ran: its student would see it queued forever.
      else this.#host.toPid(pid, 'op:cancelled', cancelled);
    }
  }

  #answer(step: ScheduledStep): ScheduledStepWire {
    const { pending, outcome, how } = step;
    const dying: PendingOp[] = [];
    this.#dying = dying;
    let applied: OpReply;
    try {
      applied = this.#host.applied(pending.pid, pending.name, pending.op, outcome);
    } finally {
      this.#dying = null;
    }
    const reply: OpReply = { ...applied, scheduled: { id: pending.id, how } };
    // Without the process: the resume that reads it carries the process as it is by then.
    const { process: _then, ...kept } = reply;
    this.#settled.keep(pending.pid, { kind: 'ran', id: pending.id, reply: kept });
    const waiting = this.#waiting.get(pending.id);
    if (waiting !== undefined) {
      this.#waiting.delete(pending.id);
      waiting.resolve(reply);
    } else {
      this.#host.toPid(pending.pid, 'op:applied', { id: pending.id, reply });
    }
    this.#cancelDead(dying);
    const ran = { id: pending.id, pid: pending.pid, name: pending.name, c: reply.c, display: reply.outcome.display, how };
    this.#steps++;
    this.#recent = [ran, ...this.#recent].slice(0, RECENT_STEPS);
    this.#host.changed();
    return ran;
  }
}
