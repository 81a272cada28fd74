import { DEFAULT_COMMIT_LIMIT_BYTES, DEFAULT_PAGE_SIZE, isPageSize } from './constants.ts';
import { LockTable } from './locks/lock-table.ts';
import { PageCache, type InitialFile } from './page-cache.ts';
import { Process } from './process.ts';
import type { KernelEvent, Pid } from './types.ts';

export interface KernelOptions {
  pageSize?: number;
  file?: InitialFile;
  /**
   * Memory for this file's pages and every private copy, as a memory cgroup
   * would give it (unlimited by default). A server gives each room a budget so
   * that one student cannot grow the room without bound; running out behaves
   * as Linux does: ENOSPC or SIGBUS for file pages, the OOM killer for copies.
   */
  memoryBytes?: number;
  /**
   * The machine's RAM plus swap (MemTotal + SwapTotal), default 16 GiB and no
   * swap. Linux's overcommit heuristic refuses (ENOMEM) any single charge of
   * more than that: a writable private mapping, or pages mprotect makes writable.
   */
  commitLimitBytes?: number;
}

/** Everything the kernel knows, shared by the operation modules. */
export class KernelState {
  readonly pageSize: number;
  /** Pages of memory the room may hold (file pages plus private copies). */
  readonly memoryPages: number;
  /** The most pages one mmap or mprotect may charge (totalram_pages + total_swap_pages). */
  readonly commitLimitPages: number;
  readonly cache: PageCache;
  readonly locks = new LockTable();
  readonly procs = new Map<Pid, Process>();
  /** Events of the operation being applied. */
  events: KernelEvent[] = [];
  nextPid = 1;

  constructor(options: KernelOptions = {}) {
    const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    if (!isPageSize(pageSize)) throw new RangeError(`page size must be a power of two from 16 to 65536, not ${pageSize}`);
    this.pageSize = pageSize;
    this.memoryPages = options.memoryBytes === undefined ? Infinity : Math.floor(options.memoryBytes / pageSize);
    this.commitLimitPages = Math.floor((options.commitLimitBytes ?? DEFAULT_COMMIT_LIMIT_BYTES) / pageSize);
    this.cache = new PageCache(pageSize, options.file ?? new Uint8Array(0));
  }

  emit(event: KernelEvent): void {
    // The shared empty array is swapped for a fresh one on the first event only.
    if (this.events.length === 0) this.events = [event];
    else this.events.push(event);
  }

  /** Pages that may still be allocated; only counted when a budget is set. */
  freePages(): number {
    if (this.memoryPages === Infinity) return Infinity;
    let used = this.cache.allocatedPages;
    for (const p of this.procs.values()) for (const m of p.mappings) used += m.copies.size;
    return this.memoryPages - used;
  }

  *liveProcesses(): Generator<Process> {
    for (const p of this.procs.values()) if (p.alive) yield p;
  }
}
