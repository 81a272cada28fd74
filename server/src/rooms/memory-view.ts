import { toHex } from '@mmap-lab/shared/protocol/bytes.ts';
import type { MemoryReply } from '@mmap-lab/shared/protocol/replies.ts';
import type { KernelState } from '@mmap-lab/shared/kernel/state.ts';
import type { Process } from '@mmap-lab/shared/kernel/process.ts';
import { UNMAPPED } from '@mmap-lab/shared/kernel/mapping.ts';
import { Refused } from './refused.ts';

/**
 * A mapping's bytes as its process would load them, for drawing. It reads
 * like a load but never faults: pages a load would die on read as zeros and
 * are listed with the reason.
 */
export function memoryView(k: KernelState, p: Process, map: number, offset: number, length: number): MemoryReply {
  const m = p.mapping(map);
  if (m === undefined || m.isEmpty) throw new Refused('INVALID_PAYLOAD', `m${map} is not a mapping of this process`);
  const ps = k.pageSize;
  const start = Math.min(offset, m.pages * ps);
  const end = Math.min(start + length, m.pages * ps);
  const out = new Uint8Array(end - start);
  const faults: MemoryReply['faults'] = [];
  for (let page = Math.floor(start / ps); page * ps < end; page++) {
    const from = Math.max(start, page * ps);
    const to = Math.min(end, (page + 1) * ps);
    const filePage = m.filePage + page;
    if (m.protAt(page) === UNMAPPED) faults.push({ page, reason: 'unmapped' });
    else if (filePage >= k.cache.pageCount) faults.push({ page, reason: 'past-eof' });
    else {
      const copy = m.shared ? undefined : m.copies.get(page);
      const bytes = copy !== undefined ? copy.subarray(from - page * ps, to - page * ps) : k.cache.readRaw(filePage * ps + (from - page * ps), to - from);
      out.set(bytes, from - start);
    }
  }
  return { map, offset: start, hex: toHex(out), fileSize: k.cache.size, faults };
}
