import type { PageCache } from '@mmap-lab/shared/kernel/page-cache.ts';

/** The pages whose bytes differ between two page caches of one page size (the whole tail of the longer one included). */
export function changedPages(a: PageCache, b: PageCache): number[] {
  const ps = b.pageSize;
  const pages = Math.max(a.pageCount, b.pageCount);
  const out: number[] = [];
  for (let page = 0; page < pages; page++) {
    const x = a.readRaw(page * ps, ps);
    const y = b.readRaw(page * ps, ps);
    if (x.some((v, i) => v !== y[i])) out.push(page);
  }
  return out;
}
