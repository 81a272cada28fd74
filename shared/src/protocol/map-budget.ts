import type { Process } from '../kernel/process.ts';
import type { Op } from '../kernel/types.ts';

/** Mappings one process may make: m1 to m256 (an unmapped one keeps its number). */
export const MAPPINGS_MAX = 256;
/** Segments (VMAs) its mappings may hold in all: an mprotect or munmap inside one splits it. */
export const SEGMENTS_MAX = 1024;

/**
 * Why an mmap, mprotect or munmap is not run at all, or undefined. Linux
 * stops a process at vm.max_map_count (65,530 VMAs); every answer and board
 * tick carries the whole process, so here thousands of mappings made each
 * reply hundreds of KB and each mmap slower than the last. The op is refused
 * before the kernel sees it, as a too-long pwrite is: no outcome is changed.
 */
export function mapBudgetRefusal(p: Process, op: Op): string | undefined {
  if (op.op !== 'mmap' && op.op !== 'mprotect' && op.op !== 'munmap') return undefined;
  if (op.op === 'mmap' && p.mappings.length >= MAPPINGS_MAX) {
    return `This process has made ${MAPPINGS_MAX} mappings, as many as one may here: exit and start a new process to map more.`;
  }
  let segments = 0;
  for (const m of p.mappings) segments += m.segments.length;
  if (segments < SEGMENTS_MAX) return undefined;
  // Unmapping from a mapping's start never splits a segment, so a student can always clean up.
  if (op.op === 'munmap' && op.off === 0n && p.mapping(op.map) !== undefined) return undefined;
  return `This process's mappings are split into ${segments} pieces, as many as one may have here: unmap whole mappings, or exit and start a new process.`;
}
