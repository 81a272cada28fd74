import type { LockNode } from '@mmap-lab/shared/kernel/locks/lock-node.ts';
import type { Room } from '@mmap-lab/server/rooms/room.ts';

const range = (n: LockNode): string => `[${n.start}, ${n.end}] ${n.type} of pid ${n.owner}`;

/**
 * What must hold in a room's kernel between any two events, read in-process
 * from the room itself. Returns the violations (empty when all is well):
 * - no lock is held by a dead process;
 * - every waiter waits in a tree rooted at a held lock of a live process (no
 *   waiter left behind by a dead holder), and that range really is taken
 *   (no waiter waiting on a free range);
 * - every node in the wait trees is the live, blocked request of its owner,
 *   and no woken request is left un-run;
 * - a dead process keeps no descriptor and no mapping (every mapping belongs
 *   to a live process);
 * - sessions and processes agree: every session names a process, a process
 *   whose student's grace period expired is dead, and every live process
 *   belongs to some session.
 */
export function roomViolations(room: Room): string[] {
  const k = room.kernelState;
  const v: string[] = [];
  const held = new Set<LockNode>();
  for (const lock of k.locks.locks()) {
    held.add(lock);
    const owner = k.procs.get(lock.owner);
    if (owner === undefined || !owner.alive) v.push(`lock ${range(lock)} is held by a dead process`);
  }

  const walk = (node: LockNode, depth: number): void => {
    if (depth > 10_000) {
      v.push(`wait tree under ${range(node)} is too deep (a cycle?)`);
      return;
    }
    for (const w of node.waiters) {
      const p = k.procs.get(w.owner);
      if (p === undefined || !p.alive) v.push(`a dead pid ${w.owner} waits under ${range(node)}`);
      else if (p.status.state !== 'blocked' || p.status.request !== w) v.push(`pid ${w.owner} sits in a wait tree but is not blocked in that request`);
      if (w.blocker !== node) v.push(`waiter of pid ${w.owner} does not point back at its blocker`);
      walk(w, depth + 1);
    }
  };
  for (const lock of held) walk(lock, 0);
  if (k.locks.woken.length > 0) v.push(`${k.locks.woken.length} woken request(s) were never run again`);

  for (const p of k.procs.values()) {
    if (!p.alive) {
      if (p.mappings.length > 0) v.push(`dead pid ${p.pid} still has ${p.mappings.length} mapping(s)`);
      if (p.fds.some((m) => m !== undefined)) v.push(`dead pid ${p.pid} still has open descriptors`);
      if (k.locks.blockedRequestOf(p.pid) !== undefined) v.push(`dead pid ${p.pid} is still listed as waiting`);
      continue;
    }
    if (p.status.state === 'blocked') {
      const request = p.status.request;
      const root = k.locks.rootOf(request);
      if (!held.has(root)) v.push(`pid ${p.pid} waits in a tree whose root ${range(root)} is no longer held (left behind)`);
      else if (!k.procs.get(root.owner)?.alive) v.push(`pid ${p.pid} waits on ${range(root)} of a dead process`);
      if (!p.stopped && k.locks.test(request) === null) v.push(`pid ${p.pid} waits for ${range(request)} but that range is free`);
      if (k.locks.blockedRequestOf(p.pid) !== request) v.push(`pid ${p.pid} is blocked but the lock table does not list its request`);
    } else if (k.locks.blockedRequestOf(p.pid) !== undefined) {
      v.push(`pid ${p.pid} is ${p.status.state} but the lock table lists it as waiting`);
    }
  }

  const owned = new Set<number>();
  for (const s of room.sessions.values()) {
    owned.add(s.pid);
    const p = k.procs.get(s.pid);
    if (p === undefined) v.push(`session ${s.name} names pid ${s.pid}, which does not exist`);
    else if (s.link.state === 'expired' && p.alive) v.push(`session ${s.name} expired but pid ${s.pid} is alive`);
  }
  for (const p of k.liveProcesses()) if (!owned.has(p.pid)) v.push(`live pid ${p.pid} belongs to no session`);
  return v;
}

/** A little-endian unsigned counter of `width` bytes at `offset` of the room's file. */
export function counterOf(room: Room, offset: number, width: number): number {
  const bytes = room.kernelState.cache.read(offset, width);
  let n = 0;
  for (let i = width - 1; i >= 0; i--) n = n * 256 + bytes[i];
  return n;
}
