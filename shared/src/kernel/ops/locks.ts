import { OFFSET_MAX } from '../constants.ts';
import { lockNode, type LockNode } from '../locks/lock-node.ts';
import { canRead, canWrite, type Process } from '../process.ts';
import { errno, OK, UNLOCKED } from '../results.ts';
import type { KernelState } from '../state.ts';
import type { LockInfo, OpOf, Result } from '../types.ts';

/** flock64_to_posix_lock: SEEK_SET start and len (0 = to OFFSET_MAX, negative = before start). */
function toRange(rawStart: bigint, rawLen: bigint): { start: bigint; end: bigint } | 'EINVAL' | 'EOVERFLOW' {
  let start = BigInt.asIntN(64, rawStart);
  const len = BigInt.asIntN(64, rawLen);
  if (start < 0n) return 'EINVAL';
  let end: bigint;
  if (len > 0n) {
    if (len - 1n > OFFSET_MAX - start) return 'EOVERFLOW';
    end = start + len - 1n;
  } else if (len < 0n) {
    if (start + len < 0n) return 'EINVAL';
    end = start - 1n;
    start += len;
  } else {
    end = OFFSET_MAX;
  }
  return { start, end };
}

export function lockInfo(node: LockNode): LockInfo {
  if (node.type === 'F_UNLCK') throw new Error('an unlock request is never held');
  return { type: node.type, pid: node.owner, start: node.start, len: node.end === OFFSET_MAX ? 0n : node.end - node.start + 1n };
}

export function lock(k: KernelState, p: Process, op: OpOf<'lock'>): Result {
  const mode = p.mode(op.fd);
  if (mode === undefined) return errno('EBADF');
  const range = toRange(op.start, op.len);
  if (typeof range === 'string') return errno(range);
  if ((op.type === 'F_RDLCK' && !canRead(mode)) || (op.type === 'F_WRLCK' && !canWrite(mode))) return errno('EBADF');
  const request = lockNode(p.pid, op.type, range.start, range.end);
  const outcome = k.locks.apply(request, op.cmd === 'F_SETLKW');
  if (outcome.status === 'blocked') {
    const on = lockInfo(k.locks.rootOf(request));
    p.status = { state: 'blocked', request, fd: op.fd };
    k.emit({ type: 'blocked', pid: p.pid, on });
    k.emit({ type: 'locks-changed' });
    return { kind: 'blocked', on };
  }
  k.locks.deleteBlock(request);
  if (outcome.status !== 'ok') return errno(outcome.status);
  k.emit({ type: 'locks-changed' });
  return OK;
}

export function getlk(_k: KernelState, p: Process, op: OpOf<'getlk'>): Result {
  if (p.mode(op.fd) === undefined) return errno('EBADF');
  const range = toRange(op.start, op.len);
  if (typeof range === 'string') return errno(range);
  const holder = _k.locks.test(lockNode(p.pid, op.type, range.start, range.end));
  return holder === null ? UNLOCKED : { kind: 'lock', lock: lockInfo(holder) };
}

/**
 * A woken (or continued) F_SETLKW runs again from the top: it may get its
 * lock, wait again, or find the deadlock it would close.
 */
export function retryWait(k: KernelState, p: Process): void {
  if (p.status.state !== 'blocked') return;
  const { request } = p.status;
  const outcome = k.locks.apply(request, true);
  // Waiting again (perhaps behind another holder) is a change to who waits for whom.
  if (outcome.status === 'blocked') {
    k.emit({ type: 'locks-changed' });
    return;
  }
  k.locks.deleteBlock(request);
  p.status = { state: 'running' };
  const result = outcome.status === 'ok' ? OK : errno(outcome.status);
  k.emit({ type: 'woke', pid: p.pid, result });
  k.emit({ type: 'locks-changed' });
}
