import type { Kernel, Signal } from '../kernel/kernel.ts';
import type { Op, Outcome, Pid } from '../kernel/types.ts';
import { DEFAULT_PAGE_SIZE } from '../kernel/constants.ts';
import { freshKernel, replayLog, wokenOf } from './replay.ts';
import type { LogRecord, OpLog, OpRecord, SignalRecord } from './types.ts';

export interface RecordedKernelOptions {
  pageSize?: number;
  file?: Uint8Array;
  /** The kernel's memory budget (KernelOptions.memoryBytes); kept in the log so replays have it too. */
  memoryBytes?: number;
  /**
   * Milliseconds for each record's `at` (for example `() => Date.now() - start`).
   * Leave it out for records without times; nothing exact depends on them.
   */
  clock?: () => number;
}

/**
 * A kernel that writes down everything applied to it. The room keeps one of
 * these instead of a bare Kernel: every call goes through `apply` or
 * `signal`, so the log is the room's actual interleaving (for exercise
 * results, the trace export and undo). `kernel` may be replaced by
 * `truncate`, so read it each time rather than keeping it.
 */
export class RecordedKernel {
  #kernel: Kernel;
  readonly #log: OpLog;
  readonly #clock: (() => number) | undefined;

  constructor(options: RecordedKernelOptions = {}) {
    const file = (options.file ?? new Uint8Array(0)).slice();
    this.#log = { pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE, file, records: [] };
    if (options.memoryBytes !== undefined) this.#log.memoryBytes = options.memoryBytes;
    this.#kernel = freshKernel(this.#log);
    this.#clock = options.clock;
  }

  get kernel(): Kernel {
    return this.#kernel;
  }

  /** The log so far. Do not change it: copy it (`structuredClone`) to keep a snapshot. */
  get log(): Readonly<OpLog> {
    return this.#log;
  }

  spawn(): Pid {
    return this.#kernel.spawn();
  }

  apply(pid: Pid, name: string, op: Op): { outcome: Outcome; record: OpRecord } {
    const outcome = this.#kernel.apply(pid, op);
    const { seq, woke, at } = this.#base(outcome);
    // One object literal, no spread (a room makes one for every operation); `at` only with a clock.
    const record: OpRecord =
      at === undefined ? { seq, pid, name, woke, kind: 'op', op, result: outcome.result }
      : { seq, pid, name, woke, at, kind: 'op', op, result: outcome.result };
    this.#log.records.push(record);
    return { outcome, record };
  }

  signal(pid: Pid, name: string, signal: Signal): { outcome: Outcome; record: SignalRecord } {
    const outcome = this.#kernel.signal(pid, signal);
    const { seq, woke, at } = this.#base(outcome);
    const record: SignalRecord = at === undefined ? { seq, pid, name, woke, kind: 'signal', signal } : { seq, pid, name, woke, at, kind: 'signal', signal };
    this.#log.records.push(record);
    return { outcome, record };
  }

  /**
   * Go back to just after the first `count` records: the later ones are
   * removed and returned, and the kernel is rebuilt by replaying the rest
   * on a fresh one (the kernel is deterministic, so that is exactly the
   * state it had then). Processes spawned since stay, with nothing done.
   */
  truncate(count: number): LogRecord[] {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`cannot keep ${count} records`);
    if (count >= this.#log.records.length) return [];
    const removed = this.#log.records.splice(count);
    this.#kernel = replayLog(this.#log, { spawnUpTo: this.#kernel.state.nextPid - 1 });
    return removed;
  }

  #base(outcome: Outcome): { seq: number; woke: ReturnType<typeof wokenOf>; at: number | undefined } {
    return { seq: this.#log.records.length, woke: wokenOf(outcome), at: this.#clock?.() };
  }
}
