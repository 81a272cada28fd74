import type { MappingView } from '@mmap-lab/shared/kernel/views.ts';

export interface PatchedByte {
  index: number;
  by: number;
  value: number;
}

/**
 * Apply one message's runs of file bytes to a mapping's bytes as this
 * process sees them. Only mapped pages that still follow the file change:
 * every page of a MAP_SHARED mapping, and the pages of a MAP_PRIVATE mapping
 * that were not copied yet; a hole left by munmap never does. Returns the
 * new bytes (the same array when nothing reached the mapping; one copy
 * otherwise) and the bytes another process changed, so the view can say who.
 */
export function patchRuns(
  bytes: Uint8Array, view: MappingView, runs: readonly { offset: number; hex: string; by: number }[], pageSize: number, myPid: number,
): { bytes: Uint8Array; byOthers: PatchedByte[] } {
  let out = bytes;
  const byOthers: PatchedByte[] = [];
  // Number() rounds past 2^53, far past any file byte a run carries: such a mapping gets none.
  const offset = Number(view.offset);
  const end = offset + Math.min(view.length, bytes.length);
  for (const run of runs) {
    // Every room:bytes comes through here once per mapping: only what reaches this one is decoded.
    const from = Math.max(run.offset, offset);
    const to = Math.min(run.offset + run.hex.length / 2, end);
    for (let fo = from; fo < to; fo++) {
      const index = fo - offset;
      const page = Math.floor(index / pageSize);
      // A hole left by munmap shows nothing of the file.
      if (!view.segments.some((s) => page >= s.from && page < s.to)) continue;
      // A copied private page no longer follows the file.
      if (view.flags === 'MAP_PRIVATE' && view.copiedPages.includes(page)) continue;
      const at = (fo - run.offset) * 2;
      const value = parseInt(run.hex.slice(at, at + 2), 16);
      if (out === bytes) out = bytes.slice();
      out[index] = value;
      if (run.by !== myPid) byOthers.push({ index, by: run.by, value });
    }
  }
  return { bytes: out, byOthers };
}
