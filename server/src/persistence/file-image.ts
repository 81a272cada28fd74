import { Kernel } from '@mmap-lab/shared';
import type { PageCache } from '@mmap-lab/shared/kernel/page-cache.ts';
import type { StoredPage } from './room-store.ts';

/** The given pages of the page cache, tails past end of file included (a restore zeroes those). */
export function readPages(cache: PageCache, pages: Iterable<number>): StoredPage[] {
  const out: StoredPage[] = [];
  for (const page of pages) out.push({ page, bytes: cache.readRaw(page * cache.pageSize, cache.pageSize) });
  return out;
}

/** Every page holding part of the file: for a new room or a reboot. */
export function allPages(cache: PageCache): StoredPage[] {
  return readPages(cache, Array.from({ length: cache.pageCount }, (_, i) => i));
}

/**
 * A kernel whose file is the stored one. Writing the pages and then setting
 * the size zeroes whatever lay past the end of file in the last page: those
 * bytes never reach a real file either.
 */
export function restoreKernel(pageSize: number, size: number, pages: StoredPage[], memoryBytes: number): Kernel {
  const kernel = new Kernel({ pageSize, memoryBytes });
  const cache = kernel.state.cache;
  for (const p of pages) cache.write(p.page * pageSize, p.bytes);
  cache.truncate(size);
  return kernel;
}
