import type { KernelState } from '../kernel/state.ts';
import type { Process } from '../kernel/process.ts';
import { UNMAPPED } from '../kernel/mapping.ts';
import { toHex } from './bytes.ts';
import type { MemoryReply } from './replies.ts';

/**
 * A mapping's bytes as its process would load them, for drawing: the answer
 * to `view:memory` on the server, and what the solo lab draws from the kernel
 * in the tab. It reads like a load but never faults: pages a load would die
 * on read as zeros and are listed with the reason (a mapping munmap emptied
 * is all holes). Undefined when `map` is not a mapping of the process.
 */
export function memoryView(k: KernelState, p: Process, map: number, offset = 0, length = Infinity): MemoryReply | undefined {
  const m = p.mapping(map);
  if (m === undefined) return undefined;
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
      const within = from - page * ps;
      out.set(copy !== undefined ? copy.subarray(within, within + (to - from)) : k.cache.readRaw(filePage * ps + within, to - from), from - start);
    }
  }
  return { map, offset: start, hex: toHex(out), fileSize: k.cache.size, faults };
}
