import { Kernel } from '../kernel/kernel.ts';
import type { Outcome, Pid, Result } from '../kernel/types.ts';
import { formatResult } from '../trace/format.ts';
import type { LogRecord, OpLog, Woken } from './types.ts';

/** What a replay calls around each record, to look at the kernel as the room saw it. */
export interface ReplayHooks {
  /** Before the record is applied: a store's mapping is still there even if the store kills. */
  before?(record: LogRecord, kernel: Kernel): void;
  /** After it: `outcome` is what the replaying kernel answered (equal to the record's, when verified). */
  after?(record: LogRecord, outcome: Outcome, kernel: Kernel): void;
}

export interface ReplayOptions {
  /** Replay only the first `count` records (default: all). */
  count?: number;
  /** Spawn processes up to this pid even if no record names them (students who joined and did nothing yet). */
  spawnUpTo?: Pid;
  hooks?: ReplayHooks;
  /** Check every result and wake-up against the record (default true). */
  verify?: boolean;
}

/** The replay answered differently from the log: the log is not from a kernel that started as it says. */
export class ReplayDiverged extends Error {
  readonly seq: number;
  constructor(seq: number, expected: string, actual: string) {
    super(`record ${seq}: the log says ${expected}, the replay gives ${actual}`);
    this.seq = seq;
  }
}

const show = (r: Result): string => formatResult(r, String);
const showWoke = (woke: readonly Woken[]): string => woke.map((w) => `${w.pid} wakes -> ${show(w.result)}`).join('; ');

/** The waiters an outcome woke, in event order. */
export function wokenOf(outcome: Outcome): Woken[] {
  const out: Woken[] = [];
  for (const e of outcome.events) if (e.type === 'woke') out.push({ pid: e.pid, result: e.result });
  return out;
}

/** Spawn until `pid` exists: kernels number processes 1, 2, 3... in spawn order, so pids match the room's. */
export function spawnUpTo(kernel: Kernel, pid: Pid): void {
  while (kernel.state.nextPid <= pid) kernel.spawn();
}

/** The kernel a log starts from: its file, page size and memory budget. */
export function freshKernel(log: Omit<OpLog, 'records'>): Kernel {
  return new Kernel({ pageSize: log.pageSize, file: log.file, memoryBytes: log.memoryBytes });
}

/**
 * Apply a log's records, in order, to a fresh kernel made from the log's
 * file and page size, and return that kernel. Deterministic: the same log
 * always gives the same kernel. This is how undo works (replay one record
 * fewer) and how exercise results look inside the room's past.
 */
export function replayLog(log: OpLog, options: ReplayOptions = {}): Kernel {
  const kernel = freshKernel(log);
  if (options.spawnUpTo !== undefined) spawnUpTo(kernel, options.spawnUpTo);
  const count = Math.min(options.count ?? log.records.length, log.records.length);
  const verify = options.verify ?? true;
  const hooks = options.hooks;
  for (let i = 0; i < count; i++) {
    const record = log.records[i];
    if (record.seq !== i) throw new ReplayDiverged(i, `seq ${i}`, `seq ${record.seq}`);
    spawnUpTo(kernel, record.pid);
    hooks?.before?.(record, kernel);
    const outcome = record.kind === 'op' ? kernel.apply(record.pid, record.op) : kernel.signal(record.pid, record.signal);
    if (verify) {
      if (record.kind === 'op' && show(record.result) !== show(outcome.result)) {
        throw new ReplayDiverged(i, show(record.result), show(outcome.result));
      }
      const woke = wokenOf(outcome);
      if (showWoke(woke) !== showWoke(record.woke)) throw new ReplayDiverged(i, showWoke(record.woke) || 'no wake-ups', showWoke(woke) || 'no wake-ups');
    }
    hooks?.after?.(record, outcome, kernel);
  }
  return kernel;
}
