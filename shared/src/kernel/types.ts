import type { AccessSignal, Errno, FaultSignal, HeldLockType, LockCmd, LockType, MapFlags, OpenMode } from './constants.ts';

export type Pid = number;

/**
 * One system call or memory access. 64-bit arguments (lengths, offsets, lock
 * ranges) are bigints so that values near 2^63 behave as they do in C.
 */
export type Op =
  | { op: 'open'; mode: OpenMode }
  | { op: 'close'; fd: number }
  | { op: 'mmap'; len: bigint; prot: number; flags: MapFlags; fd: number; off: bigint }
  | { op: 'munmap'; map: number; off: bigint; len: bigint }
  | { op: 'mprotect'; map: number; off: bigint; len: bigint; prot: number }
  | { op: 'load'; map: number; index: number }
  | { op: 'store'; map: number; index: number; value: number }
  | { op: 'msync'; map: number }
  | { op: 'pread'; fd: number; off: bigint; count: bigint }
  | { op: 'pwrite'; fd: number; off: bigint; data: Uint8Array }
  | { op: 'ftruncate'; fd: number; len: bigint }
  | { op: 'fstat'; fd: number }
  | { op: 'lock'; fd: number; cmd: LockCmd; type: LockType; start: bigint; len: bigint }
  | { op: 'getlk'; fd: number; type: HeldLockType; start: bigint; len: bigint }
  | { op: 'exit' };

export type OpName = Op['op'];
export type OpOf<N extends OpName> = Extract<Op, { op: N }>;

/** A lock as F_GETLK reports it: len 0 means "to the largest offset". */
export interface LockInfo {
  type: HeldLockType;
  pid: Pid;
  start: bigint;
  len: bigint;
}

/** Why an access faulted: the rule a student can look up. */
export type FaultReason =
  | 'unmapped' // no mapping covers the address (past either end, or munmap'd)
  | 'protection' // the page's protection forbids the access
  | 'past-eof' // the page lies wholly past the end of the file
  | 'no-space' // the file system is full: no block can back the page (SIGBUS)
  | 'out-of-memory'; // no memory for a private copy: the OOM killer's SIGKILL

export type Result =
  | { kind: 'fd'; fd: number }
  | { kind: 'map'; map: number }
  | { kind: 'ok' }
  | { kind: 'byte'; value: number }
  | { kind: 'bytes'; data: Uint8Array }
  | { kind: 'count'; count: number }
  | { kind: 'size'; size: number }
  | { kind: 'unlocked' }
  | { kind: 'lock'; lock: LockInfo }
  | { kind: 'blocked'; on: LockInfo }
  | { kind: 'errno'; errno: Errno }
  | { kind: 'signal'; signal: AccessSignal; reason: FaultReason; address: number }
  /** The process has exited or died: the step does nothing. */
  | { kind: 'dead' }
  /** The process cannot run now (blocked in F_SETLKW, or stopped): the step does nothing. */
  | { kind: 'not-runnable'; state: 'blocked' | 'stopped' }
  /** The request names something that never existed (m<k> with no k-th mapping): nothing happens. */
  | { kind: 'invalid'; message: string };

export type DeathCause = 'exit' | FaultSignal | 'SIGKILL';

/** What an operation changed, for views and fan-out. */
export type KernelEvent =
  /** Bytes of the page cache changed (seen by shared mappings, uncopied private pages, pread). */
  | { type: 'file-bytes'; pid: Pid; offset: number; length: number }
  /** Bytes of one process's private copy changed: only that process sees them. */
  | { type: 'private-bytes'; pid: Pid; map: number; offset: number; length: number }
  /** A private page was copied on write: it stops following the file. */
  | { type: 'page-copied'; pid: Pid; map: number; page: number }
  | { type: 'file-size'; size: number }
  | { type: 'fds-changed'; pid: Pid }
  | { type: 'mappings-changed'; pid: Pid }
  | { type: 'locks-changed' }
  | { type: 'blocked'; pid: Pid; on: LockInfo }
  | { type: 'woke'; pid: Pid; result: Result }
  | { type: 'died'; pid: Pid; cause: DeathCause }
  | { type: 'stopped'; pid: Pid }
  | { type: 'continued'; pid: Pid };

export interface Outcome {
  result: Result;
  events: KernelEvent[];
}
