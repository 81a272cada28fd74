import type { Op, Pid } from '@mmap-lab/shared';
import type { RecordedKernel } from '@mmap-lab/shared/oplog/index.ts';
import type { Ordering } from '@mmap-lab/shared/protocol/lesson.ts';
import type { OpReply, SettledOp } from '@mmap-lab/shared/protocol/replies.ts';
import type { ScheduledStepWire } from '@mmap-lab/shared/protocol/scheduler.ts';
import type { Later } from './later.ts';
import { SettledOps } from './settled-ops.ts';
import { SlowMotionQueue } from './slow-motion.ts';
import { TeacherQueue, type TeacherQueueHost } from './teacher-queue.ts';

/** How operations are ordered now; the queue exists only in the variant that has one. */
export type OrderingState =
  | { kind: 'arrival' }
  | { kind: 'slow-motion'; queue: SlowMotionQueue }
  | { kind: 'teacher'; queue: TeacherQueue };

export interface OrderingHost extends TeacherQueueHost {
  /** The kernel now (it changes with reboots and undos). */
  readonly recorded: RecordedKernel;
  applyAs(pid: Pid, name: string, op: Op): OpReply;
}

/** The teacher's seed when none is given: shown on the board, so any run can be repeated. */
export const DEFAULT_SEED = 1;

/** The room's ordering of student operations, and the switch between orderings. */
export class RoomOrdering {
  #state: OrderingState = { kind: 'arrival' };
  readonly #host: OrderingHost;
  readonly #slowMotionMs: number;
  /** The old ordering's queue while what it held runs (the ordering is already arrival then): deaths still reach it. */
  #ending: SlowMotionQueue | TeacherQueue | null = null;
  readonly #settled = new SettledOps();

  constructor(host: OrderingHost, slowMotionMs: number) {
    this.#host = host;
    this.#slowMotionMs = slowMotionMs;
  }

  get kind(): Ordering {
    return this.#state.kind;
  }

  /** The teacher's queue, while the teacher is the scheduler. */
  get teacher(): TeacherQueue | null {
    return this.#state.kind === 'teacher' ? this.#state.queue : null;
  }

  /** What this process's operations that lately left the teacher's queue returned, or why they never ran, oldest first. */
  settledOf(pid: Pid): SettledOp[] {
    return this.#settled.of(pid);
  }

  submit(pid: Pid, name: string, op: Op): OpReply | Later<OpReply> {
    const s = this.#state;
    switch (s.kind) {
      case 'arrival': return this.#host.applyAs(pid, name, op);
      case 'slow-motion': return s.queue.submit(pid, () => this.#host.applyAs(pid, name, op));
      case 'teacher': return s.queue.submit(pid, name, op);
    }
  }

  /**
   * Order operations another way. What the old ordering held is applied
   * first, in order (switching back to arrival order runs the teacher's
   * queue); the steps that ran from the teacher's queue are returned.
   */
  set(kind: Ordering, seed = DEFAULT_SEED): ScheduledStepWire[] {
    const steps = this.#end();
    this.#state = this.#make(kind, seed);
    return steps;
  }

  /** A new kernel: everything held is dropped (answered CANCELLED); the same ordering starts again on it. */
  rebooted(message: string, kind: Ordering = this.kind): void {
    const seed = this.teacher?.scheduler.seed ?? DEFAULT_SEED;
    this.#cancel(message);
    this.#settled.clear();
    this.#state = this.#make(kind, seed);
  }

  /** A process died: the teacher's queue, or slow motion, drops what it had waiting. */
  died(pid: Pid): void {
    const s = this.#state;
    (s.kind === 'arrival' ? this.#ending : s.queue)?.died(pid);
  }

  dispose(message: string): void {
    this.#cancel(message);
    this.#state = { kind: 'arrival' };
  }

  #make(kind: Ordering, seed: number): OrderingState {
    switch (kind) {
      case 'arrival': return { kind };
      case 'slow-motion': return { kind, queue: new SlowMotionQueue(this.#slowMotionMs) };
      case 'teacher': return { kind, queue: new TeacherQueue(this.#host.recorded, seed, this.#host, this.#settled) };
    }
  }

  #end(): ScheduledStepWire[] {
    const s = this.#state;
    this.#state = { kind: 'arrival' };
    if (s.kind === 'arrival') return [];
    this.#ending = s.queue;
    try {
      if (s.kind === 'teacher') return s.queue.drain();
      s.queue.flush();
      return [];
    } finally {
      this.#ending = null;
    }
  }

  #cancel(message: string): void {
    const s = this.#state;
    if (s.kind === 'slow-motion') s.queue.cancel(message);
    if (s.kind === 'teacher') s.queue.cancel(message);
  }
}
