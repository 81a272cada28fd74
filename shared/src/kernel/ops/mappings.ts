import { MMAP_MIN_ADDR, MMAP_TOP, OFFSET_MAX, PROGRAM_BASE, PROGRAM_END, PROT_ALL, PROT_WRITE, TASK_SIZE } from '../constants.ts';
import { Mapping, UNMAPPED } from '../mapping.ts';
import { canRead, canWrite, type Process } from '../process.ts';
import { errno, invalid, OK } from '../results.ts';
import type { KernelState } from '../state.ts';
import type { OpOf, Result } from '../types.ts';

/** size_t and unsigned long: 64-bit arguments read as unsigned. */
const unsigned = (v: bigint): bigint => BigInt.asUintN(64, v);
const U64_LIMIT = 1n << 64n;

/**
 * The address of offset `off` of a mapping: Linux adds it to the mapping's
 * base modulo 2^64 (so a huge offset lies before the mapping). The base is
 * notional (see place); a real one sits lower by up to the 1 TiB of ASLR and
 * gets another answer only for ranges ending in that band: munmap reaching
 * past TASK_SIZE, mprotect past 2^64.
 */
function address(m: Mapping, off: bigint): bigint {
  return (m.base + off) % U64_LIMIT;
}

/**
 * Where a new mapping of `bytes` goes, as Linux's top-down allocator picks:
 * the highest free gap below MMAP_TOP that fits, or null (ENOMEM). In use are
 * the program and every live page of the process's mappings, so munmap gives
 * space back. ASLR moves the real gaps by up to 1 TiB.
 */
function place(p: Process, bytes: bigint, ps: bigint): bigint | null {
  const used: [bigint, bigint][] = [[PROGRAM_BASE, PROGRAM_END]];
  for (const m of p.mappings) for (const s of m.segments) used.push([m.base + BigInt(s.from) * ps, m.base + BigInt(s.to) * ps]);
  used.sort(([a], [b]) => (a > b ? -1 : a < b ? 1 : 0));
  let top = MMAP_TOP;
  for (const [lo, hi] of used) {
    if (top - hi >= bytes) return top - bytes;
    top = lo;
  }
  return top - MMAP_MIN_ADDR >= bytes ? top - bytes : null;
}

/** PAGE_ALIGN, or null where rounding up wraps past 2^64. */
function pageAlign(len: bigint, ps: bigint): bigint | null {
  const rounded = ((len + ps - 1n) / ps) * ps;
  return rounded >= U64_LIMIT ? null : rounded;
}

/** do_mmap's checks in Linux's order; each failure is the errno Linux gives. */
export function mmap(k: KernelState, p: Process, op: OpOf<'mmap'>): Result {
  const ps = BigInt(k.pageSize);
  const off = unsigned(op.off);
  if (off % ps !== 0n) return errno('EINVAL');
  const mode = p.mode(op.fd);
  if (mode === undefined) return errno('EBADF');
  const len = unsigned(op.len);
  if (len === 0n) return errno('EINVAL');
  const rounded = pageAlign(len, ps);
  // get_unmapped_area: no free gap that fits.
  const base = rounded === null ? null : place(p, rounded, ps);
  if (rounded === null || base === null) return errno('ENOMEM');
  // file_mmap_ok: the mapping may not reach past the largest file offset.
  if (off / ps > (OFFSET_MAX - rounded) / ps) return errno('EOVERFLOW');
  const shared = op.flags === 'MAP_SHARED';
  if (shared && (op.prot & PROT_WRITE) !== 0 && !canWrite(mode)) return errno('EACCES');
  // The kernel reads the file to fill the pages, whatever the protection.
  if (!canRead(mode)) return errno('EACCES');
  // mmap_region charges a writable private mapping (accountable_mapping) for its whole length.
  const accounted = !shared && (op.prot & PROT_WRITE) !== 0;
  if (accounted && rounded / ps > BigInt(k.commitLimitPages)) return errno('ENOMEM');
  const id = p.mappings.length + 1;
  const mayWrite = !shared || canWrite(mode);
  p.mappings.push(new Mapping(id, base, Number(off / ps), off, Number(rounded / ps), op.prot & PROT_ALL, op.flags, mayWrite, accounted));
  k.emit({ type: 'mappings-changed', pid: p.pid });
  return { kind: 'map', map: id };
}

export function munmap(k: KernelState, p: Process, op: OpOf<'munmap'>): Result {
  const m = p.mapping(op.map);
  if (m === undefined) return invalid(`m${op.map} does not exist`);
  const ps = BigInt(k.pageSize);
  const off = unsigned(op.off);
  const len = unsigned(op.len);
  if (off % ps !== 0n || len === 0n) return errno('EINVAL');
  const rounded = pageAlign(len, ps);
  // do_vmi_munmap: start > TASK_SIZE || len > TASK_SIZE - start, on the absolute address.
  const start = address(m, off);
  if (rounded === null || start > TASK_SIZE || rounded > TASK_SIZE - start) return errno('EINVAL');
  // Pages of the mapping in the range; `from` is negative where it starts before the mapping.
  const pages = BigInt(m.pages);
  const from = (start - m.base) / ps;
  const to = from + rounded / ps;
  if (from < pages && to > 0n) {
    m.unmap(Number(from > 0n ? from : 0n), Number(to < pages ? to : pages));
    k.emit({ type: 'mappings-changed', pid: p.pid });
  }
  return OK;
}

/**
 * mprotect walks the range one VMA at a time: pages before a hole, or before a
 * segment whose commit charge fails, keep their new protection and the call
 * still fails with ENOMEM.
 */
export function mprotect(k: KernelState, p: Process, op: OpOf<'mprotect'>): Result {
  const m = p.mapping(op.map);
  if (m === undefined) return invalid(`m${op.map} does not exist`);
  const ps = BigInt(k.pageSize);
  const off = unsigned(op.off);
  if (off % ps !== 0n) return errno('EINVAL');
  const len = unsigned(op.len);
  if (len === 0n) return OK;
  const rounded = pageAlign(len, ps);
  // end = start + len; end <= start (it wrapped past 2^64) is ENOMEM before anything changes.
  if (rounded === null || address(m, off) + rounded >= U64_LIMIT) return errno('ENOMEM');
  if ((op.prot & ~PROT_ALL) !== 0) return errno('EINVAL');
  const pages = BigInt(m.pages);
  const from = off / ps;
  const to = from + rounded / ps;
  if (from >= pages || m.protAt(Number(from)) === UNMAPPED) return errno('ENOMEM');
  if ((op.prot & PROT_WRITE) !== 0 && !m.mayWrite) return errno('EACCES');
  const end = Number(to < pages ? to : pages);
  const hole = m.firstHole(Number(from), end);
  const until = hole === -1 ? end : hole;
  const stopped = m.protect(Number(from), until, op.prot, k.commitLimitPages);
  if (stopped > Number(from)) k.emit({ type: 'mappings-changed', pid: p.pid });
  return stopped === until && hole === -1 && to <= pages ? OK : errno('ENOMEM');
}

/**
 * msync(MS_SYNC) over the whole mapping. Writing back the page that straddles
 * end of file zeroes its part past the end (ext4 does, since the page may be
 * mapped). Only a VM_SHARED mapping writes back: Linux clears that flag for a
 * MAP_SHARED mapping of a descriptor not open for writing (mayWrite false), so
 * msync through it leaves the page alone. Holes are skipped and reported as ENOMEM.
 */
export function msync(k: KernelState, p: Process, op: OpOf<'msync'>): Result {
  const m = p.mapping(op.map);
  if (m === undefined) return invalid(`m${op.map} does not exist`);
  if (m.shared && m.mayWrite) {
    const size = k.cache.size;
    const lastPage = Math.floor(size / k.pageSize) - m.filePage;
    if (size % k.pageSize !== 0 && lastPage >= 0 && m.protAt(lastPage) !== UNMAPPED) {
      k.cache.zeroTail();
      k.emit({ type: 'file-bytes', pid: p.pid, offset: size, length: k.pageSize - (size % k.pageSize) });
    }
  }
  return m.firstHole(0, m.pages) === -1 ? OK : errno('ENOMEM');
}
