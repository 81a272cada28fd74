import type { Signal } from '../kernel/kernel.ts';
import type { InitialFile } from '../kernel/page-cache.ts';
import type { Op, Pid, Result } from '../kernel/types.ts';

/** A process that an operation let proceed (an F_SETLKW waiter), and how its wait ended. */
export interface Woken {
  pid: Pid;
  /** `ok` (it got its lock) or `EDEADLK` (waiting again would deadlock). */
  result: Result;
}

interface RecordBase {
  /** Position in the log, from 0, with no gaps: `log.records[i].seq === i`. */
  seq: number;
  /** The process that made the call, or that the teacher signalled. */
  pid: Pid;
  /** The student's display name when the record was made (any text; exports make it safe). */
  name: string;
  /**
   * Milliseconds since the log began, from the server's clock. Optional:
   * the kernel reads no clock, so everything that must be exact uses `seq`;
   * `at` only turns waits into seconds on the board.
   */
  at?: number;
  /** Waiters this record woke, in the order the kernel reported them (the order they blocked). */
  woke: Woken[];
}

/** One system call or memory access, as the room's kernel applied it. */
export interface OpRecord extends RecordBase {
  kind: 'op';
  op: Op;
  result: Result;
}

/** A signal sent from outside the process: the teacher's kill/stop/continue, or SIGKILL after the grace period. */
export interface SignalRecord extends RecordBase {
  kind: 'signal';
  signal: Signal;
}

export type LogRecord = OpRecord | SignalRecord;

/**
 * Everything one kernel did, from its creation: the file it started with,
 * its page size and every call applied to it, in the order applied. The
 * kernel is deterministic, so replaying `records` on a fresh kernel made
 * from `pageSize` and `file` gives the same results and the same state.
 *
 * A log begins when its kernel does (room creation, reboot, an exercise's
 * setup); pids are the kernel's own, which count from 1 in spawn order.
 */
export interface OpLog {
  pageSize: number;
  /** The file when the kernel was created. */
  file: InitialFile;
  /** The kernel's memory budget (KernelOptions.memoryBytes), if it had one: replay needs the same limit. */
  memoryBytes?: number;
  records: LogRecord[];
}
