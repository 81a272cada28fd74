import type { MapFlags } from './constants.ts';

/** A run of pages [from, to) of one mapping that share a protection (Linux's VMA). */
export interface Segment {
  from: number;
  to: number;
  prot: number;
}

/** The protection of a page, or UNMAPPED where munmap left a hole. */
export const UNMAPPED = -1;

/**
 * One successful mmap of one process (m<k> in traces). Pages are counted from
 * the mapping's start; page p shows file page `filePage + p`. Each mapping
 * lives alone in its own stretch of address space, so every address outside
 * its live segments is unmapped.
 */
export class Mapping {
  readonly id: number;
  readonly filePage: number;
  readonly pages: number;
  readonly flags: MapFlags;
  /** VM_MAYWRITE: false for a shared mapping of a descriptor not open for writing. */
  readonly mayWrite: boolean;
  /** Sorted, non-overlapping; gaps are holes. */
  segments: Segment[];
  /** MAP_PRIVATE pages copied on write, by page of this mapping. */
  readonly copies = new Map<number, Uint8Array>();

  constructor(id: number, filePage: number, pages: number, prot: number, flags: MapFlags, mayWrite: boolean) {
    this.id = id;
    this.filePage = filePage;
    this.pages = pages;
    this.flags = flags;
    this.mayWrite = mayWrite;
    this.segments = [{ from: 0, to: pages, prot }];
  }

  get shared(): boolean {
    return this.flags === 'MAP_SHARED';
  }

  protAt(page: number): number {
    const segments = this.segments;
    // The common case: one segment, the whole mapping.
    if (segments.length === 1) {
      const only = segments[0];
      return page >= only.from && page < only.to ? only.prot : UNMAPPED;
    }
    for (const s of segments) {
      if (page < s.from) return UNMAPPED;
      if (page < s.to) return s.prot;
    }
    return UNMAPPED;
  }

  /** The first page in [from, to) that is a hole, or -1. */
  firstHole(from: number, to: number): number {
    let at = from;
    for (const s of this.segments) {
      if (s.to <= at) continue;
      if (s.from > at) return at;
      at = s.to;
      if (at >= to) return -1;
    }
    return at < to ? at : -1;
  }

  /** Set the protection of every mapped page in [from, to). */
  protect(from: number, to: number, prot: number): void {
    this.#rebuild(from, to, (s) => [{ from: Math.max(s.from, from), to: Math.min(s.to, to), prot }]);
  }

  /** Remove [from, to): later accesses there are SIGSEGV. */
  unmap(from: number, to: number): void {
    this.#rebuild(from, to, () => []);
    for (const page of [...this.copies.keys()]) if (page >= from && page < to) this.copies.delete(page);
  }

  /** Split segments at from/to, let `inside` replace the overlapped part of each, then merge neighbours. */
  #rebuild(from: number, to: number, inside: (s: Segment) => Segment[]): void {
    const out: Segment[] = [];
    for (const s of this.segments) {
      if (s.to <= from || s.from >= to) {
        out.push(s);
        continue;
      }
      if (s.from < from) out.push({ from: s.from, to: from, prot: s.prot });
      out.push(...inside(s));
      if (s.to > to) out.push({ from: to, to: s.to, prot: s.prot });
    }
    const merged: Segment[] = [];
    for (const s of out) {
      const last = merged[merged.length - 1];
      if (last !== undefined && last.to === s.from && last.prot === s.prot) last.to = s.to;
      else merged.push({ ...s });
    }
    this.segments = merged;
  }
}
