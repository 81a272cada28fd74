import type { KernelEvent } from '@mmap-lab/shared';

/** Which pages of a room's file changed since they were last written to disk. */
export class DirtyPages {
  readonly pages = new Set<number>();
  sizeChanged = false;

  get isDirty(): boolean {
    return this.sizeChanged || this.pages.size > 0;
  }

  record(events: readonly KernelEvent[], pageSize: number): void {
    for (const e of events) {
      if (e.type === 'file-bytes' && e.length > 0) {
        const last = Math.floor((e.offset + e.length - 1) / pageSize);
        for (let page = Math.floor(e.offset / pageSize); page <= last; page++) this.pages.add(page);
      } else if (e.type === 'file-size') {
        this.sizeChanged = true;
      }
    }
  }

  clear(): void {
    this.pages.clear();
    this.sizeChanged = false;
  }
}
