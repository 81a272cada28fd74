import type { Process } from '@mmap-lab/shared/kernel/process.ts';
import { UNMAPPED } from '@mmap-lab/shared/kernel/mapping.ts';

/**
 * Does this process see file page `filePage` through the page cache? Yes if
 * a live part of one of its mappings covers it and is MAP_SHARED, or
 * MAP_PRIVATE without its own copy of that page yet.
 */
export function seesFilePage(p: Process, filePage: number): boolean {
  for (const m of p.mappings) {
    const page = filePage - m.filePage;
    if (page < 0 || page >= m.pages) continue;
    if (m.protAt(page) === UNMAPPED) continue;
    if (m.shared || !m.copies.has(page)) return true;
  }
  return false;
}
