import { cLine } from '../content/c-line.ts';
import type { Op, Outcome, Pid } from '../kernel/types.ts';
import type { RecordedKernel } from '../oplog/recorded-kernel.ts';
import type { OpRecord } from '../oplog/types.ts';
import { SeededRandom } from './prng.ts';

/** A student's operation waiting for the teacher to let it run. `id` counts arrivals from 1. */
export interface PendingOp {
  id: number;
  pid: Pid;
  name: string;
  op: Op;
}

/** One pending operation applied to the kernel. */
export interface ScheduledStep {
  pending: PendingOp;
  record: OpRecord;
  outcome: Outcome;
  /** How it was chosen, for the board's feed. */
  how: 'index' | 'round-robin' | 'random' | 'arrival' | 'redo';
}

/** A row of the board's queue. */
export interface QueueRow {
  id: number;
  pid: Pid;
  name: string;
  /** The operation as the C line it stands for. */
  c: string;
  /** False for an operation queued behind an earlier one of the same process, or whose process cannot run now. */
  choosable: boolean;
  /** Why it cannot be chosen now. */
  waits?: 'earlier' | 'stopped' | 'blocked';
}

interface Applied {
  pending: PendingOp;
  /** The log's length before the step: undo truncates back to it. */
  logLength: number;
  /** The generator before and after the step, so undo and redo leave it as it was. */
  rngBefore: number;
  rngAfter: number;
}

/**
 * The teacher as the scheduler. Students' operations wait here instead of
 * running on arrival; the teacher runs them one at a time: a chosen one,
 * round-robin over processes, or at random from a seed shown on the board.
 * A process's own operations always run in the order it sent them (a
 * process executes its instructions in order), so only each process's
 * oldest pending operation can be chosen.
 *
 * Undo removes the last scheduled step from the log and rebuilds the kernel
 * by replaying what is left (RecordedKernel.truncate); the operation goes
 * back into the queue and onto a redo stack, so an interleaving can be taken
 * apart step by step and replayed. Switching back to arrival order runs
 * what is queued, oldest first (`runOldest`).
 *
 * Pure: the caller (the room) owns time and sockets. After undo, read
 * `kernel.kernel` again: it is a new Kernel.
 */
export class TeacherScheduler {
  readonly #kernel: RecordedKernel;
  #random: SeededRandom;
  #queue: PendingOp[] = [];
  #nextId = 1;
  #applied: Applied[] = [];
  #redo: Applied[] = [];
  /** The pid that ran last in round-robin: the next turn goes to the next pid after it. */
  #lastTurn: Pid = 0;

  constructor(kernel: RecordedKernel, seed = 1) {
    this.#kernel = kernel;
    this.#random = new SeededRandom(seed);
  }

  get seed(): number {
    return this.#random.seed;
  }

  /** Start the random picks again from a new seed (shown on the board). */
  reseed(seed: number): void {
    this.#random = new SeededRandom(seed);
  }

  get pending(): readonly PendingOp[] {
    return this.#queue;
  }

  get canUndo(): boolean {
    const last = this.#applied.at(-1);
    // Something else (a teacher's kill) ran after the last scheduled step: undoing would silently drop it.
    return last !== undefined && this.#kernel.length === last.logLength + 1;
  }

  get canRedo(): boolean {
    return this.#redo.length > 0;
  }

  enqueue(pid: Pid, name: string, op: Op): PendingOp {
    const pending = { id: this.#nextId++, pid, name, op };
    this.#queue.push(pending);
    return pending;
  }

  /** Drop a process's pending operations (it died, or its student left); returns them. */
  cancel(pid: Pid): PendingOp[] {
    const gone = this.#queue.filter((p) => p.pid === pid);
    this.#queue = this.#queue.filter((p) => p.pid !== pid);
    this.#redo = this.#redo.filter((a) => a.pending.pid !== pid);
    return gone;
  }

  /**
   * From now on nothing before now can be undone or redone. For a student
   * who moved on to a new process: undo replays the log, which would bring
   * the old, dead process back (its locks too) with no student to own it,
   * and a dead process never comes back. Undone operations stay queued.
   */
  forget(): void {
    this.#applied = [];
    this.#redo = [];
  }

  /**
   * Queue positions the teacher may pick: each process's oldest pending
   * operation, unless its process cannot run now. A stopped process runs
   * nothing until SIGCONT, and one blocked in F_SETLKW nothing until its
   * wait ends: as on Linux, the operation waits for that, not used up.
   */
  choosable(): number[] {
    return this.#waiting().flatMap((waits, i) => (waits === undefined ? [i] : []));
  }

  /** The queue as the board shows it, oldest first. */
  rows(): QueueRow[] {
    const waiting = this.#waiting();
    return this.#queue.map((p, i) => {
      const waits = waiting[i];
      return { id: p.id, pid: p.pid, name: p.name, c: cLine(p.op), choosable: waits === undefined, ...(waits === undefined ? {} : { waits }) };
    });
  }

  /** Run the operation at queue position `index` (it must be its process's oldest, and its process able to run). */
  runAt(index: number): ScheduledStep {
    if (index < 0 || index >= this.#queue.length) throw new RangeError(`no pending operation at ${index}`);
    const { name } = this.#queue[index];
    switch (this.#waiting()[index]) {
      case 'earlier': throw new RangeError(`${name} has an earlier operation waiting: a process runs its operations in order`);
      case 'stopped': throw new RangeError(`${name}'s process is stopped: it runs nothing until SIGCONT`);
      case 'blocked': throw new RangeError(`${name}'s process is blocked in F_SETLKW: it runs nothing until its wait ends`);
    }
    return this.#run(index, 'index', true);
  }

  /** For each queued operation, why it cannot run now (undefined: it can). */
  #waiting(): QueueRow['waits'][] {
    const seen = new Set<Pid>();
    return this.#queue.map(({ pid }) => {
      if (seen.has(pid)) return 'earlier';
      seen.add(pid);
      const p = this.#kernel.kernel.process(pid);
      if (p === undefined || !p.alive) return undefined;
      if (p.stopped) return 'stopped';
      return p.status.state === 'blocked' ? 'blocked' : undefined;
    });
  }

  /** The next process after the last one that had a turn (by pid, wrapping round) runs its oldest operation. */
  runRoundRobin(): ScheduledStep | undefined {
    const options = this.choosable();
    if (options.length === 0) return undefined;
    const byPid = options.slice().sort((a, b) => this.#queue[a].pid - this.#queue[b].pid);
    const index = byPid.find((i) => this.#queue[i].pid > this.#lastTurn) ?? byPid[0];
    return this.#run(index, 'round-robin', true);
  }

  /** A choosable operation picked by the seeded generator. */
  runRandom(): ScheduledStep | undefined {
    const options = this.choosable();
    if (options.length === 0) return undefined;
    const rngBefore = this.#random.state;
    const index = options[this.#random.below(options.length)];
    return this.#run(index, 'random', true, rngBefore);
  }

  /** Back to arrival order: everything queued runs, oldest first. */
  /**
   * Run the oldest queued operation, or undefined when none is queued. Called
   * until it answers undefined, it drains the queue; one step at a time, so the
   * caller can drop a process's later operations when a step kills it.
   */
  runOldest(): ScheduledStep | undefined {
    return this.#queue.length > 0 ? this.#run(0, 'arrival', true) : undefined;
  }

  /**
   * Take back the last scheduled step: the kernel goes back to just before
   * it and the operation is pending again. Returns it, or undefined when
   * there is nothing to undo (see canUndo).
   */
  undo(): PendingOp | undefined {
    if (!this.canUndo) return undefined;
    const last = this.#applied.pop()!;
    this.#kernel.truncate(last.logLength);
    this.#random.restore(last.rngBefore);
    this.#insertByArrival(last.pending);
    this.#redo.push(last);
    this.#lastTurn = this.#applied.at(-1)?.pending.pid ?? 0;
    return last.pending;
  }

  /** Run again the step undone last. */
  redo(): ScheduledStep | undefined {
    while (this.#redo.length > 0) {
      const undone = this.#redo.pop()!;
      const index = this.#queue.indexOf(undone.pending);
      if (index === -1) continue;
      const step = this.#run(index, 'redo', false, undone.rngBefore);
      this.#random.restore(undone.rngAfter);
      this.#applied.at(-1)!.rngAfter = undone.rngAfter;
      return step;
    }
    return undefined;
  }

  /** Run again every undone step, in the order they first ran. */
  replay(): ScheduledStep[] {
    const steps: ScheduledStep[] = [];
    for (let step = this.redo(); step !== undefined; step = this.redo()) steps.push(step);
    return steps;
  }

  #insertByArrival(pending: PendingOp): void {
    const at = this.#queue.findIndex((p) => p.id > pending.id);
    if (at === -1) this.#queue.push(pending);
    else this.#queue.splice(at, 0, pending);
  }

  #run(index: number, how: ScheduledStep['how'], forgetRedo: boolean, rngBefore = this.#random.state): ScheduledStep {
    const [pending] = this.#queue.splice(index, 1);
    // A new choice starts a new future: what was undone is no longer "the" next step.
    if (forgetRedo) this.#redo = [];
    const logLength = this.#kernel.length;
    const { outcome, record } = this.#kernel.apply(pending.pid, pending.name, pending.op);
    this.#applied.push({ pending, logLength, rngBefore, rngAfter: this.#random.state });
    this.#lastTurn = pending.pid;
    return { pending, record, outcome, how };
  }
}
