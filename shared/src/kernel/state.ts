import { DEFAULT_PAGE_SIZE, isPageSize } from './constants.ts';
import { LockTable } from './locks/lock-table.ts';
import { PageCache } from './page-cache.ts';
import { Process } from './process.ts';
import type { KernelEvent, Pid } from './types.ts';

export interface KernelOptions {
  pageSize?: number;
  file?: Uint8Array;
}

/** Everything the kernel knows, shared by the operation modules. */
export class KernelState {
  readonly pageSize: number;
  readonly cache: PageCache;
  readonly locks = new LockTable();
  readonly procs = new Map<Pid, Process>();
  /** Events of the operation being applied. */
  events: KernelEvent[] = [];
  nextPid = 1;
  /** Counts F_SETLKW calls that blocked, to report wake-ups in block order. */
  blockCounter = 0;

  constructor(options: KernelOptions = {}) {
    const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    if (!isPageSize(pageSize)) throw new RangeError(`page size must be a power of two from 16 to 65536, not ${pageSize}`);
    this.pageSize = pageSize;
    this.cache = new PageCache(pageSize, options.file ?? new Uint8Array(0));
  }

  emit(event: KernelEvent): void {
    // The shared empty array is swapped for a fresh one on the first event only.
    if (this.events.length === 0) this.events = [event];
    else this.events.push(event);
  }

  *liveProcesses(): Generator<Process> {
    for (const p of this.procs.values()) if (p.alive) yield p;
  }
}
