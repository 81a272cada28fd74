import type { LockType } from '../constants.ts';
import type { Pid } from '../types.ts';

/**
 * A held lock or a lock request (fs/locks.c uses one struct for both). Ranges
 * are inclusive [start, end] as bigints for exactness up to OFFSET_MAX, with
 * `s`/`e` the same values rounded to doubles: rounding is monotone, so a strict
 * comparison of the doubles decides, and only ties fall back to the bigints.
 */
export interface LockNode {
  owner: Pid;
  type: LockType;
  start: bigint;
  end: bigint;
  s: number;
  e: number;
  /** Requests waiting directly on this node (fl_blocked_requests), oldest first. */
  waiters: LockNode[];
  /** The node this request waits on; null for held locks and runnable requests. */
  blocker: LockNode | null;
  /** Links in the file's lock list while held. */
  prev: LockNode | null;
  next: LockNode | null;
}

export function lockNode(owner: Pid, type: LockType, start: bigint, end: bigint): LockNode {
  return { owner, type, start, end, s: Number(start), e: Number(end), waiters: [], blocker: null, prev: null, next: null };
}

export function setRange(node: LockNode, start: bigint, end: bigint): void {
  node.start = start;
  node.end = end;
  node.s = Number(start);
  node.e = Number(end);
}

function lessOrEqual(an: number, ab: bigint, bn: number, bb: bigint): boolean {
  return an < bn || (an === bn && ab <= bb);
}

export function overlaps(a: LockNode, b: LockNode): boolean {
  return lessOrEqual(a.s, a.start, b.e, b.end) && lessOrEqual(b.s, b.start, a.e, a.end);
}

/** posix_locks_conflict: another owner, overlapping, and at least one of them a write lock. */
export function conflicts(a: LockNode, b: LockNode): boolean {
  return a.owner !== b.owner && (a.type === 'F_WRLCK' || b.type === 'F_WRLCK') && overlaps(a, b);
}
