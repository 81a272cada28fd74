import type { Pid } from '@mmap-lab/shared';
import { LIMITS } from '@mmap-lab/shared/protocol/limits.ts';
import type { SettledOp } from '@mmap-lab/shared/protocol/replies.ts';

/** How many processes' settled operations are kept. */
const PROCESSES = 1024;

/**
 * Each process's operations that left the teacher's queue lately, with what
 * they returned or why they never ran. Their answers went to the socket
 * they were sent on; a page that was away then learns them from its resume.
 * Kept by the room's ordering, so stopping the scheduler (which runs what
 * was queued) does not forget them.
 */
export class SettledOps {
  readonly #byPid = new Map<Pid, SettledOp[]>();

  keep(pid: Pid, settled: SettledOp): void {
    const kept = this.#byPid.get(pid) ?? [];
    this.#byPid.delete(pid);
    this.#byPid.set(pid, [...kept, settled].slice(-LIMITS.QUEUED_PER_PROCESS));
    // The least recently settled process goes first: a student away that long has had its grace period end.
    if (this.#byPid.size > PROCESSES) this.#byPid.delete(this.#byPid.keys().next().value!);
  }

  /** Oldest first. */
  of(pid: Pid): SettledOp[] {
    return this.#byPid.get(pid) ?? [];
  }

  /** A new kernel: its processes are new, and what the old ones queued was answered CANCELLED. */
  clear(): void {
    this.#byPid.clear();
  }
}
