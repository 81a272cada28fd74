import { MAX_DEADLK_ITERATIONS } from '../constants.ts';
import type { Pid } from '../types.ts';
import { conflicts, lockNode, setRange, type LockNode } from './lock-node.ts';

export type LockStatus =
  | { status: 'ok' }
  | { status: 'EAGAIN' | 'EDEADLK' | 'blocked'; conflict: LockNode };

const OK: LockStatus = { status: 'ok' };

/**
 * One file's POSIX record locks, kept as fs/locks.c keeps them so that the
 * outcomes (which lock conflicts first, which waiter wakes, which deadlock is
 * seen) are Linux's own. Woken requests are queued in `woken` for the kernel
 * to retry after the current operation.
 */
export class LockTable {
  /** Sentinel of the circular list (ctx->flc_posix). */
  readonly #head: LockNode = lockNode(-1, 'F_UNLCK', 0n, 0n);
  /** blocked_hash: the request each waiting process is blocked in. */
  readonly #blocked = new Map<Pid, LockNode>();
  /** The first lock of each owner in the list: an owner's locks sit together, so this skips the walk to them. */
  readonly #firstOf = new Map<Pid, LockNode>();
  /** Requests woken and not yet retried, in wake order. */
  readonly woken: LockNode[] = [];
  #count = 0;

  constructor() {
    this.#head.prev = this.#head;
    this.#head.next = this.#head;
  }

  get count(): number {
    return this.#count;
  }

  /** The held locks in list order. */
  *locks(): Generator<LockNode> {
    for (let fl = this.#head.next!; fl !== this.#head; fl = fl.next!) yield fl;
  }

  /** posix_test_lock: the first lock in the list that conflicts with `probe`. */
  test(probe: LockNode): LockNode | null {
    for (let fl = this.#head.next!; fl !== this.#head; fl = fl.next!) if (conflicts(probe, fl)) return fl;
    return null;
  }

  /** The root of the tree a blocked request waits in: a held lock. */
  rootOf(request: LockNode): LockNode {
    let node = request;
    while (node.blocker !== null) node = node.blocker;
    return node;
  }

  blockedRequestOf(owner: Pid): LockNode | undefined {
    return this.#blocked.get(owner);
  }

  /** posix_lock_inode for F_SETLK (sleep=false) and F_SETLKW (sleep=true), including F_UNLCK. */
  apply(request: LockNode, sleep: boolean): LockStatus {
    if (request.type !== 'F_UNLCK') {
      const owner = request.owner;
      const write = request.type === 'F_WRLCK';
      const s = request.s;
      const e = request.e;
      for (let fl = this.#head.next!; fl !== this.#head; fl = fl.next!) {
        // Inline posix_locks_conflict with the strict double comparisons first; ties go to the bigints.
        if (fl.owner === owner || (!write && fl.type !== 'F_WRLCK') || fl.s > e || s > fl.e) continue;
        if (!conflicts(request, fl)) continue;
        if (!sleep) return { status: 'EAGAIN', conflict: fl };
        // Nothing may be found blocked on this request during deadlock detection.
        this.wakeUpBlocks(request);
        if (this.#deadlock(request, fl)) return { status: 'EDEADLK', conflict: fl };
        this.#insertBlock(fl, request);
        return { status: 'blocked', conflict: fl };
      }
    }
    this.#update(request);
    return OK;
  }

  /** locks_delete_block: take a request out of the tree, waking what waits under it. */
  deleteBlock(request: LockNode): void {
    this.wakeUpBlocks(request);
    this.#unlinkBlock(request);
  }

  wakeUpBlocks(node: LockNode): void {
    while (node.waiters.length > 0) {
      const waiter = node.waiters[0];
      this.#unlinkBlock(waiter);
      this.woken.push(waiter);
    }
  }

  /** Forget a woken request that will never be retried (its process died). */
  dropWoken(request: LockNode): void {
    const at = this.woken.indexOf(request);
    if (at >= 0) this.woken.splice(at, 1);
  }

  /** The second half of posix_lock_inode: merge, split or remove the owner's locks. */
  #update(original: LockNode): void {
    const head = this.#head;
    let request = original;
    let added = false;
    let left: LockNode | null = null;
    let right: LockNode | null = null;

    let fl = this.#firstOf.get(request.owner) ?? head;

    while (fl !== head) {
      const next = fl.next!;
      if (fl.owner !== request.owner) break;
      if (request.type === fl.type) {
        // Compare with start - 1, never end + 1, as Linux does (end may be OFFSET_MAX).
        if (fl.end < request.start - 1n) {
          fl = next;
          continue;
        }
        if (fl.start - 1n > request.end) break;
        const start = fl.start < request.start ? fl.start : request.start;
        const end = fl.end > request.end ? fl.end : request.end;
        setRange(fl, start, end);
        setRange(request, start, end);
        if (added) {
          this.#deleteLock(fl);
          fl = next;
          continue;
        }
        request = fl;
        added = true;
      } else {
        if (fl.end < request.start) {
          fl = next;
          continue;
        }
        if (fl.start > request.end) break;
        if (request.type === 'F_UNLCK') added = true;
        if (fl.start < request.start) left = fl;
        if (fl.end > request.end) {
          right = fl;
          break;
        }
        if (fl.start >= request.start) {
          if (added) {
            this.#deleteLock(fl);
            fl = next;
            continue;
          }
          request = this.#copyWithWaiters(request);
          this.#insertBefore(request, fl);
          this.#deleteLock(fl);
          added = true;
        }
      }
      fl = next;
    }

    if (!added) {
      if (request.type === 'F_UNLCK') return;
      const fresh = this.#copyWithWaiters(request);
      this.#insertBefore(fresh, fl);
      fl = fresh;
    }
    if (right !== null) {
      if (left === right) {
        left = lockNode(right.owner, right.type, right.start, right.end);
        this.#insertBefore(left, fl);
      }
      setRange(right, request.end + 1n, right.end);
      this.wakeUpBlocks(right);
    }
    if (left !== null) {
      setRange(left, left.start, request.start - 1n);
      this.wakeUpBlocks(left);
    }
  }

  /** locks_copy_lock + locks_move_blocks: the new lock takes over the request's waiters. */
  #copyWithWaiters(request: LockNode): LockNode {
    const copy = lockNode(request.owner, request.type, request.start, request.end);
    copy.waiters = request.waiters;
    request.waiters = [];
    for (const waiter of copy.waiters) waiter.blocker = copy;
    return copy;
  }

  /**
   * posix_locks_deadlock: follow one chain of "owner waits in the tree rooted
   * at lock X" from the conflicting lock; a cycle through another lock is not seen.
   */
  #deadlock(caller: LockNode, blockFl: LockNode): boolean {
    let blocker: LockNode | null = blockFl;
    let i = 0;
    while ((blocker = this.#whatOwnerIsWaitingFor(blocker)) !== null) {
      if (i++ > MAX_DEADLK_ITERATIONS) return false;
      if (blocker.owner === caller.owner) return true;
    }
    return false;
  }

  #whatOwnerIsWaitingFor(lock: LockNode): LockNode | null {
    const request = this.#blocked.get(lock.owner);
    return request === undefined ? null : this.rootOf(request);
  }

  /** __locks_insert_block: wait under the first waiter that itself conflicts, recursively. */
  #insertBlock(blocker: LockNode, waiter: LockNode): void {
    let at = blocker;
    descend: for (;;) {
      for (const w of at.waiters) {
        if (conflicts(w, waiter)) {
          at = w;
          continue descend;
        }
      }
      break;
    }
    waiter.blocker = at;
    at.waiters.push(waiter);
    this.#blocked.set(waiter.owner, waiter);
  }

  #unlinkBlock(waiter: LockNode): void {
    const blocker = waiter.blocker;
    if (blocker !== null) {
      blocker.waiters.splice(blocker.waiters.indexOf(waiter), 1);
      waiter.blocker = null;
    }
    if (this.#blocked.get(waiter.owner) === waiter) this.#blocked.delete(waiter.owner);
  }

  #insertBefore(node: LockNode, before: LockNode): void {
    node.prev = before.prev;
    node.next = before;
    before.prev!.next = node;
    before.prev = node;
    this.#count++;
    const first = this.#firstOf.get(node.owner);
    if (first === undefined || first === before) this.#firstOf.set(node.owner, node);
  }

  /** locks_delete_lock_ctx: unlink and wake its waiters. */
  #deleteLock(fl: LockNode): void {
    if (this.#firstOf.get(fl.owner) === fl) {
      if (fl.next!.owner === fl.owner && fl.next !== this.#head) this.#firstOf.set(fl.owner, fl.next!);
      else this.#firstOf.delete(fl.owner);
    }
    fl.prev!.next = fl.next;
    fl.next!.prev = fl.prev;
    fl.prev = fl.next = null;
    this.#count--;
    this.wakeUpBlocks(fl);
  }
}
