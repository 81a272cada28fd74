import type { PageCache } from '@mmap-lab/shared/kernel/page-cache.ts';

/**
 * The pages whose bytes differ between two page caches of one page size (the
 * whole tail of the longer one included), in order. Only pages that hold
 * memory in either can differ, the rest read as zeros in both: a file grown
 * to a terabyte with ftruncate costs the pages written, not a loop over all
 * of its pages (which held the server for hours).
 */
export function changedPages(a: PageCache, b: PageCache): number[] {
  const ps = b.pageSize;
  const out: number[] = [];
  for (const page of new Set([...a.allocated(), ...b.allocated()])) {
    const x = a.readRaw(page * ps, ps);
    const y = b.readRaw(page * ps, ps);
    if (x.some((v, i) => v !== y[i])) out.push(page);
  }
  return out.sort((p, q) => p - q);
}
