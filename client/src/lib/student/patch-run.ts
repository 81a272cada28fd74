import type { MappingView } from '@mmap-lab/shared/kernel/views.ts';
import { fromHexString } from '../format/bytes.ts';

export interface PatchedByte {
  index: number;
  by: number;
  value: number;
}

/**
 * Apply one run of file bytes to a mapping's bytes as this process sees them.
 * Only pages that still follow the file change: every page of a MAP_SHARED
 * mapping, and the pages of a MAP_PRIVATE mapping that were not copied yet.
 * Returns the new bytes (or the same array when nothing overlapped) and the
 * bytes another process changed, so the view can say who.
 */
export function patchRun(
  bytes: Uint8Array, view: MappingView, run: { offset: number; hex: string; by: number }, pageSize: number, myPid: number,
): { bytes: Uint8Array; byOthers: PatchedByte[] } {
  // Decode only runs that reach this mapping: every room:bytes comes through here once per mapping.
  const from = Math.max(run.offset, view.offset);
  const to = Math.min(run.offset + run.hex.length / 2, view.offset + Math.min(view.length, bytes.length));
  if (from >= to) return { bytes, byOthers: [] };
  const data = fromHexString(run.hex);
  const out = bytes.slice();
  const byOthers: PatchedByte[] = [];
  for (let fo = from; fo < to; fo++) {
    const index = fo - view.offset;
    // A copied private page no longer follows the file.
    if (view.flags === 'MAP_PRIVATE' && view.copiedPages.includes(Math.floor(index / pageSize))) continue;
    const value = data[fo - run.offset];
    out[index] = value;
    if (run.by !== myPid) byOthers.push({ index, by: run.by, value });
  }
  return { bytes: out, byOthers };
}
