import { PROT_NONE, PROT_WRITE } from '../constants.ts';
import { UNMAPPED } from '../mapping.ts';
import type { Process } from '../process.ts';
import { byte, fault, invalid, OK } from '../results.ts';
import type { KernelState } from '../state.ts';
import type { FaultReason, OpOf, Result } from '../types.ts';
import type { AccessSignal } from '../constants.ts';
import { terminate } from './lifecycle.ts';

function die(k: KernelState, p: Process, signal: AccessSignal, reason: FaultReason, index: number): Result {
  terminate(k, p, signal);
  return fault(signal, reason, index);
}

/**
 * A load or store through m<k>. The checks run in the MMU's order: is the
 * address mapped (else SIGSEGV), does the page's protection allow it (else
 * SIGSEGV), does the page hold any of the file (else SIGBUS).
 */
function access(k: KernelState, p: Process, map: number, index: number, store: boolean, value: number): Result {
  const m = p.mapping(map);
  if (m === undefined) return invalid(`m${map} does not exist`);
  const ps = k.pageSize;
  if (!(index >= 0 && index < m.pages * ps)) return die(k, p, 'SIGSEGV', 'unmapped', index);
  const page = Math.floor(index / ps);
  const prot = m.protAt(page);
  if (prot === UNMAPPED) return die(k, p, 'SIGSEGV', 'unmapped', index);
  // x86-64 page tables cannot express write-only or exec-only: any access right allows reading.
  if (store ? (prot & PROT_WRITE) === 0 : prot === PROT_NONE) return die(k, p, 'SIGSEGV', 'protection', index);
  const filePage = m.filePage + page;
  if (filePage >= k.cache.pageCount) return die(k, p, 'SIGBUS', 'past-eof', index);
  const within = index - page * ps;
  if (!m.shared) {
    let copy = m.copies.get(page);
    if (store) {
      if (copy === undefined) {
        if (k.freePages() < 1) return die(k, p, 'SIGKILL', 'out-of-memory', index);
        copy = k.cache.copyPage(filePage);
        m.copies.set(page, copy);
        k.emit({ type: 'page-copied', pid: p.pid, map, page });
      }
      copy[within] = value;
      k.emit({ type: 'private-bytes', pid: p.pid, map, offset: index, length: 1 });
      return OK;
    }
    if (copy !== undefined) return byte(copy[within]);
  }
  const offset = filePage * ps + within;
  if (!store) return byte(k.cache.readByte(offset));
  if (!k.cache.tryWriteByte(offset, value)) {
    // page_mkwrite cannot allocate a block on a full file system: SIGBUS.
    if (k.freePages() < 1) return die(k, p, 'SIGBUS', 'no-space', index);
    k.cache.writeByte(offset, value);
  }
  k.emit({ type: 'file-bytes', pid: p.pid, offset, length: 1 });
  return OK;
}

export const load = (k: KernelState, p: Process, op: OpOf<'load'>): Result => access(k, p, op.map, op.index, false, 0);
export const store = (k: KernelState, p: Process, op: OpOf<'store'>): Result =>
  access(k, p, op.map, op.index, true, op.value & 0xff);
