import { Kernel } from '../kernel.ts';
import { describe, expect, it } from 'vitest';
import { sim } from './helpers.ts';

describe('1. Pages and the file (PG)', () => {
  it('[PG1] a file of 100 bytes has one page; the second page of a mapping is past EOF', () => {
    expect(sim(`file zeros 100
A open O_RDWR
A mmap 8192 PROT_READ MAP_SHARED 3 0
A load m1 4095
A load m1 4096`)).toEqual(['fd 3', 'map m1', '0x00', 'SIGBUS']);
  });

  it('[PG2] a store past EOF in the last page is seen by another mapping but not by pread or fstat', () => {
    expect(sim(`file text "abc"
A open O_RDWR
A mmap 4096 PROT_READ|PROT_WRITE MAP_SHARED 3 0
B open O_RDWR
B mmap 4096 PROT_READ MAP_SHARED 3 0
A store m1 10 'Z'
B load m1 10
B pread 3 0 100
B fstat 3`)).toEqual(['fd 3', 'map m1', 'fd 3', 'map m1', 'ok', '0x5a', '"abc"', 'size 3']);
  });

  it('[PG3] msync writes back the straddling page and zeroes its part past EOF', () => {
    expect(sim(`file text "abc"
A open O_RDWR
A mmap 4096 PROT_READ|PROT_WRITE MAP_SHARED 3 0
A store m1 10 'Z'
A msync m1
A load m1 10
A load m1 1`)).toEqual(['fd 3', 'map m1', 'ok', 'ok', '0x00', '0x62']);
  });

  it('[PG3] msync through a shared mapping of an O_RDONLY fd writes nothing back', () => {
    expect(sim(`file text "abc"
A open O_RDWR
A mmap 4096 PROT_READ|PROT_WRITE MAP_SHARED 3 0
A store m1 10 'Z'
B open O_RDONLY
B mmap 4096 PROT_READ MAP_SHARED 3 0
B msync m1
A load m1 10`).slice(5)).toEqual(['ok', '0x5a']);
  });

  it('[PG4] shrinking zeroes the rest of the new last page and takes whole pages away', () => {
    expect(sim(`file pattern 8192
A open O_RDWR
A mmap 8192 PROT_READ MAP_SHARED 3 0
A ftruncate 3 10
A load m1 9
A load m1 10
A load m1 4096`)).toEqual(['fd 3', 'map m1', 'ok', '0x6a', '0x00', 'SIGBUS']);
  });

  it('[PG4] ftruncate to the current size zeroes what was stored past the end', () => {
    expect(sim(`file text "abc"
A open O_RDWR
A mmap 4096 PROT_READ|PROT_WRITE MAP_SHARED 3 0
A store m1 10 'Z'
A ftruncate 3 3
A load m1 10
A load m1 2`).slice(2)).toEqual(['ok', 'ok', '0x00', '0x63']);
  });

  it('[PG5] growing brings back zeros', () => {
    expect(sim(`file pattern 8192
A open O_RDWR
A mmap 8192 PROT_READ MAP_SHARED 3 0
A ftruncate 3 10
A ftruncate 3 8192
A load m1 4096
A load m1 100
A pread 3 8 4`)).toEqual(['fd 3', 'map m1', 'ok', 'ok', '0x00', '0x00', '"ij\\x00\\x00"']);
  });

  it('[PG5] growing zeroes bytes stored past the old end; a pwrite past the end zeroes the gap only', () => {
    expect(sim(`file text "abc"
A open O_RDWR
A mmap 4096 PROT_READ|PROT_WRITE MAP_SHARED 3 0
A store m1 5 'X'
A store m1 9 'Y'
A ftruncate 3 6
A load m1 5
A load m1 9
A store m1 7 'Q'
A store m1 10 'Z'
A pwrite 3 9 "p"
A load m1 7
A load m1 10
A pread 3 0 20`)).toEqual(['fd 3', 'map m1', 'ok', 'ok', 'ok', '0x00', '0x00', 'ok', 'ok', '1', '0x00', '0x5a', '"abc\\x00\\x00\\x00\\x00\\x00\\x00p"']);
  });

  it('[PG7] a full file system: pwrite is cut short then ENOSPC, a store into an unbacked page is SIGBUS', () => {
    const k = new Kernel({ pageSize: 16, file: new Uint8Array(16), memoryBytes: 48 });
    const [a, b] = [k.spawn(), k.spawn()];
    k.apply(a, { op: 'open', mode: 'O_RDWR' });
    k.apply(a, { op: 'ftruncate', fd: 3, len: 160n });
    expect(k.apply(a, { op: 'pwrite', fd: 3, off: 30n, data: new Uint8Array(40) }).result).toEqual({ kind: 'count', count: 18 });
    expect(k.apply(a, { op: 'pwrite', fd: 3, off: 100n, data: Uint8Array.of(1) }).result).toEqual({ kind: 'errno', errno: 'ENOSPC' });
    k.apply(b, { op: 'open', mode: 'O_RDWR' });
    k.apply(b, { op: 'mmap', len: 160n, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0n });
    expect(k.apply(b, { op: 'store', map: 1, index: 20, value: 1 }).result.kind).toBe('ok');
    expect(k.apply(b, { op: 'store', map: 1, index: 100, value: 1 }).result).toMatchObject({ signal: 'SIGBUS', reason: 'no-space' });
  });

  it('[PG7] no memory for a private copy: the OOM killer ends the process', () => {
    const k = new Kernel({ pageSize: 16, file: new Uint8Array(32), memoryBytes: 32 });
    const a = k.spawn();
    k.apply(a, { op: 'open', mode: 'O_RDWR' });
    k.apply(a, { op: 'mmap', len: 32n, prot: 3, flags: 'MAP_PRIVATE', fd: 3, off: 0n });
    expect(k.apply(a, { op: 'store', map: 1, index: 0, value: 1 }).result).toMatchObject({ signal: 'SIGKILL', reason: 'out-of-memory' });
    expect(k.process(a)?.status).toEqual({ state: 'dead', cause: 'SIGKILL' });
  });

  it('[PG6] the largest ext4 file: ftruncate past it is EFBIG; pwrite crossing it is cut short', () => {
    expect(sim(`file zeros 0
A open O_RDWR
A ftruncate 3 17592186040321
A ftruncate 3 17592186040320
A pwrite 3 17592186040318 "abcd"
A pwrite 3 17592186040320 "x"`)).toEqual(['fd 3', 'EFBIG', 'ok', '2', 'EFBIG']);
  });
});
