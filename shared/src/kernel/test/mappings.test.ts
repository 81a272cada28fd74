import { describe, expect, it } from 'vitest';
import { Kernel } from '../kernel.ts';
import { sim } from './helpers.ts';

describe('3. Mappings (MAP)', () => {
  it('[MAP1] mmap checks offset, then descriptor, then length, then mode', () => {
    expect(sim(`file zeros 100
A mmap 0 PROT_READ MAP_SHARED 9 1
A mmap 0 PROT_READ MAP_SHARED 9 0
A open O_WRONLY
A mmap 0 PROT_READ MAP_SHARED 3 0
A mmap 4096 PROT_READ MAP_SHARED 3 0`)).toEqual(['EINVAL', 'EBADF', 'fd 3', 'EINVAL', 'EACCES']);
  });

  it('[MAP1] a length that cannot fit is ENOMEM; reaching past the largest offset is EOVERFLOW', () => {
    expect(sim(`file zeros 100
A open O_RDONLY
A mmap 0xffffffffffffffff PROT_READ MAP_SHARED 3 0
A mmap 0x800000000000 PROT_READ MAP_SHARED 3 0
A mmap 4096 PROT_READ MAP_SHARED 3 0x7ffffffffffff000`)).toEqual(['fd 3', 'ENOMEM', 'ENOMEM', 'EOVERFLOW']);
  });

  it('[MAP9] a mapping needs a free gap: 42 TiB above the program, 85 TiB below it; munmap gives space back', () => {
    expect(sim(`file zeros 100
A open O_RDWR
A mmap 0x400000000000 PROT_READ MAP_SHARED 3 0
A mmap 0x400000000000 PROT_READ MAP_SHARED 3 0
A mmap 0x2a0000000000 PROT_READ MAP_SHARED 3 0
A mmap 0x150000000000 PROT_READ MAP_SHARED 3 0
A munmap m1 0x100000000000 0x100000000000
A mmap 0x100000000000 PROT_READ MAP_SHARED 3 0
A mmap 0x10000000000 PROT_READ MAP_SHARED 3 0
B open O_RDWR
B mmap 0x560000000000 PROT_READ MAP_SHARED 3 0
B mmap 0x550000000000 PROT_READ MAP_SHARED 3 0`)).toEqual(['fd 3', 'map m1', 'ENOMEM', 'map m2', 'map m3', 'ok', 'map m4', 'ENOMEM', 'fd 3', 'ENOMEM', 'map m1']);
  });

  it('[MAP2] O_RDONLY allows a private writable mapping, not a shared one', () => {
    expect(sim(`file zeros 100
A open O_RDONLY
A mmap 100 PROT_READ|PROT_WRITE MAP_SHARED 3 0
A mmap 100 PROT_READ|PROT_WRITE MAP_PRIVATE 3 0
A store m1 0 'x'
A pread 3 0 1`)).toEqual(['fd 3', 'EACCES', 'map m1', 'ok', '"\\x00"']);
  });

  it('[MAP3] lengths round up to whole pages; m<k> counts successful mappings only', () => {
    expect(sim(`file zeros 8192
A open O_RDWR
A mmap 1 PROT_READ MAP_SHARED 3 1
A mmap 1 PROT_READ MAP_SHARED 3 0
A load m1 4095
A load m1 4096`)).toEqual(['fd 3', 'EINVAL', 'map m1', '0x00', 'SIGSEGV']);
  });

  it('[MAP4] munmap: len 0 and unaligned offsets are EINVAL; an unmapped page is SIGSEGV', () => {
    expect(sim(`file zeros 8192
A open O_RDWR
A mmap 8192 PROT_READ MAP_SHARED 3 0
A munmap m1 0 0
A munmap m1 1 10
A munmap m1 4096 1
A load m1 0
A load m1 4096`)).toEqual(['fd 3', 'map m1', 'EINVAL', 'EINVAL', 'ok', '0x00', 'SIGSEGV']);
  });

  it('[MAP4] munmap checks the absolute range against TASK_SIZE; a huge offset wraps to before the mapping', () => {
    expect(sim(`file zeros 8192
A open O_RDWR
A mmap 8192 PROT_READ|PROT_WRITE MAP_SHARED 3 0
A munmap m1 4096 0x7fffffffe000
A store m1 4096 'x'
A munmap m1 0xfffffffffffff000 8192
A load m1 4096
A load m1 0`)).toEqual(['fd 3', 'map m1', 'EINVAL', 'ok', 'ok', '0x78', 'SIGSEGV']);
  });

  it('[MAP5] a range whose end wraps past 2^64 is ENOMEM before any page changes', () => {
    expect(sim(`file zeros 8192
A open O_RDWR
A mmap 8192 PROT_READ|PROT_WRITE MAP_SHARED 3 0
A mprotect m1 4096 0xffffffffffff0000 PROT_NONE
A store m1 4096 'x'
A mprotect m1 0 0xfffffffffffff000 PROT_READ
A store m1 0 'y'`)).toEqual(['fd 3', 'map m1', 'ENOMEM', 'ok', 'ENOMEM', 'ok']);
  });

  it('[MAP4] [MAP5] the notional mapping ends 17 GiB below TASK_SIZE: where the absolute range ends decides', () => {
    expect(sim(`file zeros 8192
A open O_RDWR
A mmap 8192 PROT_READ|PROT_WRITE MAP_SHARED 3 0
A mprotect m1 0 0xffff800440003000 PROT_READ
A store m1 0 'x'
A mprotect m1 0 0xffff800440002000 PROT_READ
A store m1 4096 'y'
B open O_RDWR
B mmap 8192 PROT_READ MAP_SHARED 3 0
B munmap m1 4096 0x440002000
B munmap m1 0 0x440002000
B load m1 0`)).toEqual(['fd 3', 'map m1', 'ENOMEM', 'ok', 'ENOMEM', 'SIGSEGV', 'fd 3', 'map m1', 'EINVAL', 'ok', 'SIGSEGV']);
  });

  it('[MAP5] mprotect: len 0 succeeds; EACCES for PROT_WRITE on a read-only shared mapping', () => {
    expect(sim(`file zeros 100
A open O_RDONLY
A mmap 4096 PROT_READ MAP_SHARED 3 0
A mprotect m1 0 0 PROT_READ
A mprotect m1 1 10 PROT_READ
A mprotect m1 0 4096 PROT_READ|PROT_WRITE
A mmap 4096 PROT_READ MAP_PRIVATE 3 0
A mprotect m2 0 4096 PROT_READ|PROT_WRITE
A store m2 0 'q'`)).toEqual(['fd 3', 'map m1', 'ok', 'EINVAL', 'EACCES', 'map m2', 'ok', 'ok']);
  });

  it('[MAP5] a hole later in the range: pages before it change, then ENOMEM', () => {
    expect(sim(`file zeros 12288
A open O_RDWR
A mmap 12288 PROT_READ MAP_SHARED 3 0
A munmap m1 4096 4096
A mprotect m1 0 12288 PROT_READ|PROT_WRITE
A store m1 0 'a'
A store m1 8192 'b'`)).toEqual(['fd 3', 'map m1', 'ok', 'ENOMEM', 'ok', 'SIGSEGV']);
  });

  it('[MAP5] a range that starts in a hole changes nothing', () => {
    expect(sim(`file zeros 12288
A open O_RDWR
A mmap 12288 PROT_READ MAP_SHARED 3 0
A munmap m1 0 4096
A mprotect m1 0 12288 PROT_READ|PROT_WRITE
A store m1 4096 'a'`)).toEqual(['fd 3', 'map m1', 'ok', 'ENOMEM', 'SIGSEGV']);
  });

  // A machine with two 16-byte pages of RAM and no swap.
  const TWO_PAGES = { commitLimitBytes: 32 };

  it('[MAP7] a writable private mapping is charged for its whole length, after EACCES; shared and read-only ones are not', () => {
    expect(sim(`page 16
file zeros 16
A open O_RDONLY
A mmap 48 PROT_READ|PROT_WRITE MAP_SHARED 3 0
A mmap 48 PROT_READ|PROT_WRITE MAP_PRIVATE 3 0
A mmap 32 PROT_WRITE MAP_PRIVATE 3 0
A mmap 48 PROT_READ MAP_PRIVATE 3 0
B open O_RDWR
B mmap 48 PROT_READ|PROT_WRITE MAP_SHARED 3 0
B mmap 48 PROT_READ MAP_SHARED 3 0
B mprotect m2 0 48 PROT_READ|PROT_WRITE`, TWO_PAGES)).toEqual(['fd 3', 'EACCES', 'ENOMEM', 'map m1', 'map m2', 'fd 3', 'map m1', 'map m2', 'ok']);
  });

  it('[MAP7] the default machine has 16 GiB and no swap', () => {
    expect(sim(`file zeros 16
A open O_RDWR
A mmap 0x400001000 PROT_READ|PROT_WRITE MAP_PRIVATE 3 0
A mmap 0x400000000 PROT_READ|PROT_WRITE MAP_PRIVATE 3 0`)).toEqual(['fd 3', 'ENOMEM', 'map m1']);
  });

  it('[MAP7] mprotect charges each VMA it makes writable on its own; a failed charge keeps the earlier ones changed', () => {
    expect(sim(`page 16
file zeros 80
A open O_RDWR
A mmap 80 PROT_READ MAP_PRIVATE 3 0
A mprotect m1 16 16 PROT_NONE
A mprotect m1 0 80 PROT_READ|PROT_WRITE
A store m1 16 'a'
A store m1 32 'b'`, TWO_PAGES)).toEqual(['fd 3', 'map m1', 'ok', 'ENOMEM', 'ok', 'SIGSEGV']);
  });

  it('[MAP7] pages once charged stay charged when made read-only, so they do not merge with uncharged ones', () => {
    expect(sim(`page 16
file zeros 48
A open O_RDWR
A mmap 48 PROT_READ MAP_PRIVATE 3 0
A mprotect m1 0 48 PROT_READ|PROT_WRITE
A store m1 0 'a'
B open O_RDWR
B mmap 48 PROT_READ MAP_PRIVATE 3 0
B mprotect m1 0 16 PROT_READ|PROT_WRITE
B mprotect m1 0 16 PROT_READ
B mprotect m1 0 48 PROT_READ|PROT_WRITE
B store m1 32 'c'`, TWO_PAGES)).toEqual(['fd 3', 'map m1', 'ENOMEM', 'SIGSEGV', 'fd 3', 'map m1', 'ok', 'ok', 'ok', 'ok']);
  });

  it('[MAP6] msync over a partly unmapped mapping is ENOMEM', () => {
    expect(sim(`file zeros 8192
A open O_RDWR
A mmap 8192 PROT_READ MAP_SHARED 3 0
A msync m1
A munmap m1 4096 4096
A msync m1`)).toEqual(['fd 3', 'map m1', 'ok', 'ok', 'ENOMEM']);
  });
});

describe('4. Memory accesses and faults (FLT)', () => {
  it('[FLT1] one byte before the start or past the end is SIGSEGV', () => {
    expect(sim(`file zeros 100
A open O_RDWR
A mmap 100 PROT_READ MAP_SHARED 3 0
A load m1 -1
B open O_RDWR
B mmap 100 PROT_READ MAP_SHARED 3 0
B load m1 4096`)).toEqual(['fd 3', 'map m1', 'SIGSEGV', 'fd 3', 'map m1', 'SIGSEGV']);
  });

  it('[FLT2] PROT_NONE forbids loads; PROT_WRITE alone still reads on x86-64', () => {
    expect(sim(`file text "x"
A open O_RDWR
A mmap 1 PROT_WRITE MAP_SHARED 3 0
A load m1 0
A mmap 1 PROT_NONE MAP_SHARED 3 0
A load m2 0`)).toEqual(['fd 3', 'map m1', '0x78', 'map m2', 'SIGSEGV']);
  });

  it('[FLT3] protection before EOF: a store to a read-only page past EOF is SIGSEGV, a load SIGBUS', () => {
    expect(sim(`file zeros 10
A open O_RDWR
A mmap 8192 PROT_READ MAP_SHARED 3 0
A store m1 5000 'x'
B open O_RDWR
B mmap 8192 PROT_READ MAP_SHARED 3 0
B load m1 5000`)).toEqual(['fd 3', 'map m1', 'SIGSEGV', 'fd 3', 'map m1', 'SIGBUS']);
  });

  it('[FLT4] a page wholly past EOF is SIGBUS even for a writable mapping', () => {
    expect(sim(`file zeros 4096
A open O_RDWR
A mmap 8192 PROT_READ|PROT_WRITE MAP_SHARED 3 0
A store m1 4096 'x'`)).toEqual(['fd 3', 'map m1', 'SIGBUS']);
  });

  it('[FLT5] a fault kills: every later step is dead and the locks are gone', () => {
    expect(sim(`file zeros 10
A open O_RDWR
A lock 3 F_SETLK F_WRLCK 0 0
A mmap 10 PROT_READ MAP_SHARED 3 0
A store m1 0 'x'
A fstat 3
B open O_RDWR
B getlk 3 F_WRLCK 0 0`)).toEqual(['fd 3', 'ok', 'map m1', 'SIGSEGV', 'dead', 'fd 3', 'F_UNLCK']);
  });
});

describe('5. Copy on write (COW)', () => {
  it('[COW1] a shared store is seen by an uncopied private page and by pread', () => {
    expect(sim(`file zeros 10
A open O_RDWR
A mmap 10 PROT_READ|PROT_WRITE MAP_SHARED 3 0
B open O_RDONLY
B mmap 10 PROT_READ MAP_PRIVATE 3 0
A store m1 3 'k'
B load m1 3
B pread 3 3 1`)).toEqual(['fd 3', 'map m1', 'fd 3', 'map m1', 'ok', '0x6b', '"k"']);
  });

  it('[COW2] the written private page stops following the file; the others still follow', () => {
    expect(sim(`page 16
file zeros 32
A open O_RDWR
A mmap 32 PROT_READ|PROT_WRITE MAP_PRIVATE 3 0
B open O_RDWR
A store m1 0 'p'
B pwrite 3 1 "s"
B pwrite 3 17 "t"
A load m1 1
A load m1 17`)).toEqual(['fd 3', 'map m1', 'fd 3', 'ok', '1', '1', '0x00', '0x74']);
  });

  it('[COW3] private stores never reach the file', () => {
    expect(sim(`file text "abc"
A open O_RDWR
A mmap 3 PROT_READ|PROT_WRITE MAP_PRIVATE 3 0
A store m1 0 'X'
A msync m1
A pread 3 0 3`)).toEqual(['fd 3', 'map m1', 'ok', 'ok', '"abc"']);
  });

  it('[COW4] shrinking takes copies past the end away; a copy of the new last page keeps its bytes', () => {
    expect(sim(`page 16
file pattern 32
A open O_RDWR
A mmap 32 PROT_READ|PROT_WRITE MAP_PRIVATE 3 0
A store m1 20 'X'
A store m1 12 'Y'
A ftruncate 3 4
A load m1 12
A load m1 20`)).toEqual(['fd 3', 'map m1', 'ok', 'ok', 'ok', '0x59', 'SIGBUS']);
  });

  it('[COW4] a shrink tells each process that lost a private copy, the caller included, and no one else', () => {
    const k = new Kernel({ pageSize: 16, file: new Uint8Array(48) });
    const [a, b, c, s] = [k.spawn(), k.spawn(), k.spawn(), k.spawn()];
    for (const pid of [a, b, c, s]) k.apply(pid, { op: 'open', mode: 'O_RDWR' });
    for (const pid of [a, b, c]) k.apply(pid, { op: 'mmap', len: 48n, prot: 3, flags: 'MAP_PRIVATE', fd: 3, off: 0n });
    k.apply(s, { op: 'mmap', len: 48n, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0n });
    k.apply(a, { op: 'store', map: 1, index: 20, value: 1 }); // page 1: goes
    k.apply(b, { op: 'store', map: 1, index: 40, value: 1 }); // page 2: goes
    k.apply(c, { op: 'store', map: 1, index: 4, value: 1 }); // page 0, the new last page: stays
    const { events } = k.apply(a, { op: 'ftruncate', fd: 3, len: 8n });
    expect(events.filter((e) => e.type === 'mappings-changed')).toEqual([
      { type: 'mappings-changed', pid: a },
      { type: 'mappings-changed', pid: b },
    ]);
    // Growing takes nothing away: no one is told.
    expect(k.apply(a, { op: 'ftruncate', fd: 3, len: 48n }).events.some((e) => e.type === 'mappings-changed')).toBe(false);
  });
});
