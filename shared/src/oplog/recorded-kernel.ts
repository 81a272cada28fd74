import type { Kernel, Signal } from '../kernel/kernel.ts';
import type { Op, Outcome, Pid } from '../kernel/types.ts';
import { DEFAULT_PAGE_SIZE } from '../kernel/constants.ts';
import type { InitialFile } from '../kernel/page-cache.ts';
import { RecordStore } from './record-store.ts';
import { freshKernel, replayLog, wokenOf } from './replay.ts';
import type { LogRecord, OpLog, OpRecord, SignalRecord } from './types.ts';

export interface RecordedKernelOptions {
  pageSize?: number;
  /** An image is kept as given (PageCache.image makes one nobody else holds); bytes are copied. */
  file?: InitialFile;
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
  readonly #start: Omit<OpLog, 'records'>;
  readonly #records = new RecordStore();
  /**
   * The records `log` has already made into objects. Whoever reads the
   * whole log does so again and again (a running exercise's results every
   * few seconds), so each call makes only the records added since; a log
   * nobody reads whole stays packed.
   */
  readonly #objects: LogRecord[] = [];
  readonly #clock: (() => number) | undefined;

  constructor(options: RecordedKernelOptions = {}) {
    const file = options.file === undefined || options.file instanceof Uint8Array ? (options.file ?? new Uint8Array(0)).slice() : options.file;
    this.#start = { pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE, file };
    if (options.memoryBytes !== undefined) this.#start.memoryBytes = options.memoryBytes;
    this.#kernel = freshKernel(this.#start);
    this.#clock = options.clock;
  }

  get kernel(): Kernel {
    return this.#kernel;
  }

  /**
   * The log so far, for results, exports and undo. Do not change it. Its
   * records are objects made from the packed store on the first call and
   * kept (see `#objects`); per operation, read `length` instead.
   */
  get log(): OpLog {
    const objects = this.#objects;
    for (let i = objects.length; i < this.#records.length; i++) objects.push(this.#records.get(i));
    const { pageSize, file, memoryBytes } = this.#start;
    const log: OpLog = { pageSize, file, records: objects };
    if (memoryBytes !== undefined) log.memoryBytes = memoryBytes;
    return log;
  }

  /** Record `i` as an object, without making the whole log into objects (to read a long log a slice at a time). */
  record(i: number): LogRecord {
    return this.#objects[i] ?? this.#records.get(i);
  }

  /** How many records the log has. */
  get length(): number {
    return this.#records.length;
  }

  /** Bytes of data the records carry (pwrites' data, reads' bytes). */
  get payloadBytes(): number {
    return this.#records.payloadBytes;
  }

  /** The records from `from` on, as recordToJsonText writes them. */
  jsonTexts(from: number): string[] {
    const out: string[] = [];
    for (let i = Math.max(0, from); i < this.#records.length; i++) out.push(this.#records.jsonText(i));
    return out;
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
    this.#records.push(record);
    return { outcome, record };
  }

  signal(pid: Pid, name: string, signal: Signal): { outcome: Outcome; record: SignalRecord } {
    const outcome = this.#kernel.signal(pid, signal);
    const { seq, woke, at } = this.#base(outcome);
    const record: SignalRecord = at === undefined ? { seq, pid, name, woke, kind: 'signal', signal } : { seq, pid, name, woke, at, kind: 'signal', signal };
    this.#records.push(record);
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
    if (count >= this.#records.length) return [];
    const removed = this.#records.truncate(count);
    this.#objects.length = Math.min(this.#objects.length, count);
    // From the objects `log` already made if they cover what is left; else from a throwaway
    // copy, so that an undo does not leave the whole log kept as objects.
    const records = this.#objects.length === count ? this.#objects : this.#records.slice();
    this.#kernel = replayLog({ ...this.#start, records }, { spawnUpTo: this.#kernel.state.nextPid - 1 });
    return removed;
  }

  #base(outcome: Outcome): { seq: number; woke: ReturnType<typeof wokenOf>; at: number | undefined } {
    return { seq: this.#records.length, woke: wokenOf(outcome), at: this.#clock?.() };
  }
}
