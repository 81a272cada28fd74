import type { KernelEvent } from '@mmap-lab/shared';

/** Which pages of a room's file changed since they were last written to disk. */
export class DirtyPages {
  readonly pages = new Set<number>();
  /**
   * The smallest size the file had since the last write (Infinity: it was
   * never resized). A shrink drops the pages past it from the page cache and
   * leaves no event per page, so every stored page from there on is stale
   * unless it was written again (then it is in `pages`).
   */
  lowestSize = Infinity;

  get isDirty(): boolean {
    return this.lowestSize !== Infinity || this.pages.size > 0;
  }

  record(events: readonly KernelEvent[], pageSize: number): void {
    for (const e of events) {
      if (e.type === 'file-bytes' && e.length > 0) {
        const last = Math.floor((e.offset + e.length - 1) / pageSize);
        for (let page = Math.floor(e.offset / pageSize); page <= last; page++) this.pages.add(page);
      } else if (e.type === 'file-size') {
        this.lowestSize = Math.min(this.lowestSize, e.size);
      }
    }
  }

  clear(): void {
    this.pages.clear();
    this.lowestSize = Infinity;
  }
}
