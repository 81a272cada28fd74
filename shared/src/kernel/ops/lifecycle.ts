import { OFFSET_MAX } from '../constants.ts';
import { lockNode } from '../locks/lock-node.ts';
import type { Process } from '../process.ts';
import type { KernelState } from '../state.ts';
import type { DeathCause } from '../types.ts';

/** locks_remove_posix: closing any descriptor of the file drops all of the process's locks on it. */
export function releaseLocks(k: KernelState, p: Process): void {
  const before = k.locks.count;
  k.locks.apply(lockNode(p.pid, 'F_UNLCK', 0n, OFFSET_MAX), false);
  if (k.locks.count !== before || k.locks.woken.length > 0) k.emit({ type: 'locks-changed' });
}

/** Leave an F_SETLKW wait (a signal interrupted it): the request leaves the tree and what waited under it wakes. */
export function abandonWait(k: KernelState, p: Process): void {
  if (p.status.state !== 'blocked') return;
  const { request } = p.status;
  // A stopped process left the tree already: only a request still in it changes who waits.
  const waiting = request.blocker !== null;
  k.locks.deleteBlock(request);
  k.locks.dropWoken(request);
  if (waiting) k.emit({ type: 'locks-changed' });
}

/** exit(2) or death by a signal: every descriptor closed, every mapping gone, every lock released. */
export function terminate(k: KernelState, p: Process, cause: DeathCause): void {
  if (!p.alive) return;
  abandonWait(k, p);
  if (p.fds.some((mode) => mode !== undefined)) releaseLocks(k, p);
  p.fds.length = 0;
  p.mappings.length = 0;
  p.stopped = false;
  p.status = { state: 'dead', cause };
  k.emit({ type: 'died', pid: p.pid, cause });
  k.emit({ type: 'fds-changed', pid: p.pid });
  k.emit({ type: 'mappings-changed', pid: p.pid });
}
