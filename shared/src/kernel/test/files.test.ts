import { describe, expect, it } from 'vitest';
import { Kernel } from '../kernel.ts';
import { sim } from './helpers.ts';

describe('2. Descriptors (FD)', () => {
  it('[FD1] open returns the lowest free descriptor from 3', () => {
    expect(sim(`file zeros 1
A open O_RDONLY
A open O_RDONLY
A open O_RDONLY
A close 4
A open O_RDWR`)).toEqual(['fd 3', 'fd 4', 'fd 5', 'ok', 'fd 4']);
  });

  it('[FD1] descriptors run out at 1024 with EMFILE', () => {
    const opens = Array.from({ length: 1022 }, () => 'A open O_RDONLY').join('\n');
    const lines = sim(`file zeros 1\n${opens}`);
    expect(lines[1020]).toBe('fd 1023');
    expect(lines[1021]).toBe('EMFILE');
  });

  it('[FD2] closing a closed descriptor is EBADF; the mapping outlives the descriptor', () => {
    expect(sim(`file text "hi"
A open O_RDWR
A mmap 16 PROT_READ MAP_SHARED 3 0
A close 3
A close 3
A load m1 1`)).toEqual(['fd 3', 'map m1', 'ok', 'EBADF', '0x69']);
  });

  it('[FD3] pread needs read access, pwrite write access; a negative offset is EINVAL first', () => {
    expect(sim(`file text "hi"
A open O_WRONLY
A pread 3 0 2
B open O_RDONLY
B pwrite 3 0 "x"
B pread 9 0xffffffffffffffff 1`)).toEqual(['fd 3', 'EBADF', 'fd 3', 'EBADF', 'EINVAL']);
  });

  it('[FD4] pread stops at EOF; pwrite grows the file; an empty pwrite changes nothing', () => {
    expect(sim(`file text "hello"
A open O_RDWR
A pread 3 3 10
A pread 3 9 1
A pwrite 3 7 "!"
A pread 3 0 10
A pwrite 3 100 ""
A fstat 3`)).toEqual(['fd 3', '"lo"', '""', '1', '"hello\\x00\\x00!"', '0', 'size 8']);
  });

  it('[FD5] ftruncate: negative length EINVAL before EBADF; read-only descriptor EINVAL', () => {
    expect(sim(`file text "hello"
A ftruncate 7 0x8000000000000000
A ftruncate 7 1
A open O_RDONLY
A ftruncate 3 1`)).toEqual(['EINVAL', 'EBADF', 'fd 3', 'EINVAL']);
  });

  it('[FD6] fstat reports the size, after growth too', () => {
    expect(sim(`file zeros 5
A open O_RDWR
A fstat 3
A ftruncate 3 9000
A fstat 3`)).toEqual(['fd 3', 'size 5', 'ok', 'size 9000']);
  });

  it('growing the file reports the zeroed tail of the old last page as changed bytes (mappers and the store see it)', () => {
    const grown = (op: 'ftruncate' | 'pwrite') => {
      const k = new Kernel({ pageSize: 16, file: new Uint8Array(20) });
      const a = k.spawn();
      k.apply(a, { op: 'open', mode: 'O_RDWR' });
      k.apply(a, { op: 'mmap', len: 32n, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0n });
      k.apply(a, { op: 'store', map: 1, index: 25, value: 0x5a });
      const { events } = op === 'ftruncate'
        ? k.apply(a, { op: 'ftruncate', fd: 3, len: 24n })
        : k.apply(a, { op: 'pwrite', fd: 3, off: 28n, data: new Uint8Array([1]) });
      expect(k.state.cache.readByte(25)).toBe(0);
      return events.filter((e) => e.type === 'file-bytes');
    };
    // ftruncate zeroes the whole tail, past the new size too; write up to where its data starts.
    expect(grown('ftruncate')).toEqual([{ type: 'file-bytes', pid: 1, offset: 20, length: 12 }]);
    expect(grown('pwrite')).toEqual([
      { type: 'file-bytes', pid: 1, offset: 20, length: 8 },
      { type: 'file-bytes', pid: 1, offset: 28, length: 1 },
    ]);
  });
});
