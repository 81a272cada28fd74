import { FIRST_FD, MAX_FDS, MAX_FILE_SIZE, OFFSET_MAX, TASK_SIZE } from '../constants.ts';
import { canRead, canWrite, type Process } from '../process.ts';
import { errno, OK } from '../results.ts';
import type { KernelState } from '../state.ts';
import type { OpOf, Result } from '../types.ts';
import { releaseLocks } from './lifecycle.ts';

/** loff_t: 64-bit arguments arrive as raw bits and are read as signed, as C does. */
const signed = (v: bigint): bigint => BigInt.asIntN(64, v);

export function open(k: KernelState, p: Process, op: OpOf<'open'>): Result {
  for (let fd = FIRST_FD; fd < MAX_FDS; fd++) {
    if (p.fds[fd] === undefined) {
      p.fds[fd] = op.mode;
      k.emit({ type: 'fds-changed', pid: p.pid });
      return { kind: 'fd', fd };
    }
  }
  return errno('EMFILE');
}

export function close(k: KernelState, p: Process, op: OpOf<'close'>): Result {
  if (p.mode(op.fd) === undefined) return errno('EBADF');
  p.fds[op.fd] = undefined;
  releaseLocks(k, p);
  k.emit({ type: 'fds-changed', pid: p.pid });
  return OK;
}

export function pread(k: KernelState, p: Process, op: OpOf<'pread'>): Result {
  const off = signed(op.off);
  if (off < 0n) return errno('EINVAL');
  const mode = p.mode(op.fd);
  if (mode === undefined || !canRead(mode)) return errno('EBADF');
  // The buffer must fit in the address space (access_ok) before the count is checked.
  if (BigInt.asUintN(64, op.count) > TASK_SIZE) return errno('EFAULT');
  const count = signed(op.count);
  if (off + count > OFFSET_MAX) return errno('EINVAL');
  const size = BigInt(k.cache.size);
  if (off >= size) return { kind: 'bytes', data: new Uint8Array(0) };
  const n = count < size - off ? count : size - off;
  return { kind: 'bytes', data: k.cache.read(Number(off), Number(n)) };
}

export function pwrite(k: KernelState, p: Process, op: OpOf<'pwrite'>): Result {
  const off = signed(op.off);
  if (off < 0n) return errno('EINVAL');
  const mode = p.mode(op.fd);
  if (mode === undefined || !canWrite(mode)) return errno('EBADF');
  const count = BigInt(op.data.length);
  if (off + count > OFFSET_MAX) return errno('EINVAL');
  if (count === 0n) return { kind: 'count', count: 0 };
  if (off >= MAX_FILE_SIZE) return errno('EFBIG');
  // A write that would cross the largest file size is cut short there.
  let n = Number(count < MAX_FILE_SIZE - off ? count : MAX_FILE_SIZE - off);
  // A full file system takes what fits and refuses the rest (a short write, or ENOSPC).
  n = k.cache.fits(Number(off), n, () => k.freePages());
  if (n === 0) return errno('ENOSPC');
  const before = k.cache.size;
  k.cache.write(Number(off), op.data.subarray(0, n));
  zeroedByGrowth(k, p, before, Number(off));
  k.emit({ type: 'file-bytes', pid: p.pid, offset: Number(off), length: n });
  if (k.cache.size !== before) k.emit({ type: 'file-size', size: k.cache.size });
  return { kind: 'count', count: n };
}

/**
 * Growing the file from `before` zeroes the old last page past it (all of it
 * for truncate; up to `until`, where the data starts, for write): whatever a
 * store had put there is gone, for whoever maps that page and on disk.
 */
function zeroedByGrowth(k: KernelState, p: Process, before: number, until: number): void {
  const end = Math.min(until, Math.ceil(before / k.pageSize) * k.pageSize);
  if (end > before) k.emit({ type: 'file-bytes', pid: p.pid, offset: before, length: end - before });
}

export function ftruncate(k: KernelState, p: Process, op: OpOf<'ftruncate'>): Result {
  const len = signed(op.len);
  if (len < 0n) return errno('EINVAL');
  const mode = p.mode(op.fd);
  if (mode === undefined) return errno('EBADF');
  if (!canWrite(mode)) return errno('EINVAL');
  if (len > MAX_FILE_SIZE) return errno('EFBIG');
  const size = Number(len);
  const before = k.cache.size;
  k.cache.truncate(size);
  // Linux truncates the page cache to the size unless it grows, even when the size is unchanged.
  if (size <= before) {
    // It unmaps whole pages past the end from every mapping, private copies included;
    // each process that lost a copy (the caller too) is told, as its pages follow the file again.
    const pages = k.cache.pageCount;
    for (const proc of k.liveProcesses()) {
      let lost = false;
      for (const m of proc.mappings) {
        for (const page of [...m.copies.keys()]) {
          if (m.filePage + page < pages) continue;
          m.copies.delete(page);
          lost = true;
        }
      }
      if (lost) k.emit({ type: 'mappings-changed', pid: proc.pid });
    }
    // It zeroes the new last page past the end, whatever was stored there (private copies keep theirs).
    const tail = pages * k.pageSize - size;
    if (tail > 0) k.emit({ type: 'file-bytes', pid: p.pid, offset: size, length: tail });
  } else {
    zeroedByGrowth(k, p, before, Infinity);
  }
  if (size !== before) k.emit({ type: 'file-size', size });
  return OK;
}

export function fstat(k: KernelState, p: Process, op: OpOf<'fstat'>): Result {
  if (p.mode(op.fd) === undefined) return errno('EBADF');
  return { kind: 'size', size: k.cache.size };
}
