import type { KernelState } from '@mmap-lab/shared/kernel/state.ts';
import { UNMAPPED } from '@mmap-lab/shared/kernel/mapping.ts';
import { toHex, type MemoryReply } from '@mmap-lab/shared/protocol/index.ts';

/**
 * A mapping's bytes as its process would load them, for drawing, in the
 * same shape as the server's `view:memory` answer (server/src/rooms/memory-view.ts
 * does the same over the room's kernel). It reads like a load but never
 * faults: pages a load would die on read as zeros and are listed with the reason.
 */
export function mappingBytes(k: KernelState, pid: number, map: number): MemoryReply | undefined {
  const m = k.procs.get(pid)?.mapping(map);
  if (m === undefined || m.isEmpty) return undefined;
  const ps = k.pageSize;
  const out = new Uint8Array(m.pages * ps);
  const faults: MemoryReply['faults'] = [];
  for (let page = 0; page < m.pages; page++) {
    const filePage = m.filePage + page;
    if (m.protAt(page) === UNMAPPED) faults.push({ page, reason: 'unmapped' });
    else if (filePage >= k.cache.pageCount) faults.push({ page, reason: 'past-eof' });
    else out.set(m.shared ? k.cache.readRaw(filePage * ps, ps) : (m.copies.get(page) ?? k.cache.readRaw(filePage * ps, ps)), page * ps);
  }
  return { map, offset: 0, hex: toHex(out), fileSize: k.cache.size, faults };
}
