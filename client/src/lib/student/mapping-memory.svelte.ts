import type { MappingView } from '@mmap-lab/shared/kernel/views.ts';
import type { MemoryReply } from '@mmap-lab/shared/protocol/index.ts';
import { fromHexString } from '../format/bytes.ts';
import { patchRuns } from './patch-run.ts';

/** A byte that another process changed: the cell flashes and says who. */
export interface Change {
  by: number;
  /** Increases with every change, so the cell can replay its flash. */
  seq: number;
}

export type CellKind =
  | 'file' // backed by the file
  | 'tail' // past end of file inside the last page: zero-filled, never written back
  | 'past-eof' // a page wholly past end of file: any access is SIGBUS
  | 'hole'; // unmapped by munmap: any access is SIGSEGV

let changeSeq = 0;

/** How many of the latest changes by others are listed under a mapping. */
export const RECENT_MAX = 6;

/**
 * The bytes of one mapping as this process would load them, kept in step
 * with the server: fetched whole with view:memory, then patched by the
 * room's byte runs (shared pages, and private pages not yet copied).
 */
export class MappingMemory {
  view = $state.raw<MappingView>(null!);
  bytes = $state.raw<Uint8Array>(new Uint8Array(0));
  /** Index in this mapping → the last change by someone else. */
  changes = $state.raw(new Map<number, Change>());
  /** The latest changes by others, newest first, for the "who changed what" line under the grid. */
  recent = $state.raw<{ index: number; by: number; value: number; seq: number }[]>([]);
  /** The mapping is longer than what one view fetches: only the start is drawn. */
  truncated = $state(false);

  constructor(view: MappingView) {
    this.view = view;
  }

  load(reply: MemoryReply): void {
    this.bytes = fromHexString(reply.hex);
    this.truncated = reply.hex.length / 2 < this.view.length;
  }

  /** Bytes of the file changed: patch them where this mapping still follows the file. */
  applyRuns(runs: readonly { offset: number; hex: string; by: number }[], pageSize: number, myPid: number): void {
    const { bytes, byOthers } = patchRuns(this.bytes, this.view, runs, pageSize, myPid);
    if (bytes === this.bytes) return;
    this.bytes = bytes;
    if (byOthers.length === 0) return;
    const fresh = byOthers.map((b) => ({ ...b, seq: ++changeSeq }));
    const changes = new Map(this.changes);
    for (const f of fresh) changes.set(f.index, { by: f.by, seq: f.seq });
    this.changes = changes;
    this.recent = [...fresh.reverse(), ...this.recent].slice(0, RECENT_MAX);
  }

  /** Our own store or load told us a byte's value. */
  setLocal(index: number, value: number): void {
    if (index < 0 || index >= this.bytes.length) return;
    const bytes = this.bytes.slice();
    bytes[index] = value;
    this.bytes = bytes;
  }

  protOfPage(page: number): number {
    const seg = this.view.segments.find((s) => page >= s.from && page < s.to);
    return seg ? seg.prot : -1;
  }

  kindAt(index: number, pageSize: number, fileSize: number): CellKind {
    const page = Math.floor(index / pageSize);
    if (this.protOfPage(page) < 0) return 'hole';
    // Number() rounds past 2^53, far past any file: the comparisons still hold.
    const offset = Number(this.view.offset);
    const fo = offset + index;
    if (fo < fileSize) return 'file';
    return offset + page * pageSize < fileSize ? 'tail' : 'past-eof';
  }
}
