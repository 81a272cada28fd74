import { PROT_WRITE, type MapFlags } from './constants.ts';

/**
 * A run of pages [from, to) of one mapping that share a protection and
 * accounting (Linux's VMA: neighbours merge only when both match).
 */
export interface Segment {
  from: number;
  to: number;
  prot: number;
  /** VM_ACCOUNT: its pages are charged as commit. A file-backed VMA keeps it when made read-only again. */
  accounted: boolean;
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
  /** The file offset of its first page, exact: past 2^53 pages' worth of bytes filePage is rounded (harmlessly: such a page is far past any file). */
  readonly offset: bigint;
  readonly pages: number;
  readonly flags: MapFlags;
  /** VM_MAYWRITE: false for a shared mapping of a descriptor not open for writing. */
  readonly mayWrite: boolean;
  /**
   * Its notional address: it decides only the space the mapping takes and the
   * checks Linux makes on absolute addresses, never what an access reaches.
   */
  readonly base: bigint;
  /** Sorted, non-overlapping; gaps are holes. */
  segments: Segment[];
  /** MAP_PRIVATE pages copied on write, by page of this mapping. */
  readonly copies = new Map<number, Uint8Array>();

  constructor(id: number, base: bigint, filePage: number, offset: bigint, pages: number, prot: number, flags: MapFlags, mayWrite: boolean, accounted: boolean) {
    this.id = id;
    this.base = base;
    this.filePage = filePage;
    this.offset = offset;
    this.pages = pages;
    this.flags = flags;
    this.mayWrite = mayWrite;
    this.segments = [{ from: 0, to: pages, prot, accounted }];
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

  /**
   * Set the protection of every mapped page in [from, to), one segment at a
   * time as mprotect_fixup goes VMA by VMA. Making an unaccounted segment of a
   * private mapping writable charges its part of the range on its own; a
   * charge over the commit limit stops the walk there, and the segments before
   * it keep their new protection. Returns the page where it stopped (`to` if
   * it got through).
   */
  protect(from: number, to: number, prot: number, commitLimitPages: number): number {
    let stop = to;
    this.#rebuild(from, to, (s) => {
      const part = { from: Math.max(s.from, from), to: Math.min(s.to, to), prot: s.prot, accounted: s.accounted };
      if (part.from >= stop) return [part];
      if (!this.shared && !s.accounted && (prot & PROT_WRITE) !== 0) {
        if (part.to - part.from > commitLimitPages) {
          stop = part.from;
          return [part];
        }
        part.accounted = true;
      }
      part.prot = prot;
      return [part];
    });
    return stop;
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
      if (s.from < from) out.push({ ...s, to: from });
      out.push(...inside(s));
      if (s.to > to) out.push({ ...s, from: to });
    }
    const merged: Segment[] = [];
    for (const s of out) {
      const last = merged[merged.length - 1];
      if (last !== undefined && last.to === s.from && last.prot === s.prot && last.accounted === s.accounted) last.to = s.to;
      else merged.push({ ...s });
    }
    this.segments = merged;
  }
}
