import { describe, expect, it } from 'vitest';
import { PROT_READ, PROT_WRITE } from '../kernel/constants.ts';
import type { Op } from '../kernel/types.ts';
import { logFromJson, recordToJson, recordToJsonText } from './json.ts';
import { RecordedKernel } from './recorded-kernel.ts';

const RW = PROT_READ | PROT_WRITE;

/** A log with every operation, every kind of result with bigints or bytes in it, wake-ups and signals. */
function everything(): RecordedKernel {
  let now = 0;
  const rk = new RecordedKernel({ pageSize: 16, file: Uint8Array.from([1, 2, 3, 4, 5]), clock: () => (now += 7) });
  const [a, b] = [rk.spawn(), rk.spawn()];
  const ops: [number, Op][] = [
    [a, { op: 'open', mode: 'O_RDWR' }],
    [b, { op: 'open', mode: 'O_RDWR' }],
    [a, { op: 'mmap', len: (1n << 64n) - 1n, prot: RW, flags: 'MAP_SHARED', fd: 3, off: 0n }],
    [a, { op: 'mmap', len: 16n, prot: RW, flags: 'MAP_SHARED', fd: 3, off: 0n }],
    [a, { op: 'store', map: 1, index: 0, value: 255 }],
    [a, { op: 'load', map: 1, index: 1 }],
    [a, { op: 'pwrite', fd: 3, off: 2n, data: Uint8Array.from([0, 0x22, 0x5c, 200]) }],
    [a, { op: 'pread', fd: 3, off: 0n, count: 8n }],
    [a, { op: 'lock', fd: 3, cmd: 'F_SETLK', type: 'F_WRLCK', start: -(1n << 63n), len: 0n }],
    [a, { op: 'lock', fd: 3, cmd: 'F_SETLK', type: 'F_WRLCK', start: 0n, len: 0n }],
    [a, { op: 'getlk', fd: 3, type: 'F_WRLCK', start: 0n, len: 1n }],
    [b, { op: 'getlk', fd: 3, type: 'F_RDLCK', start: 0n, len: 1n }],
    [b, { op: 'lock', fd: 3, cmd: 'F_SETLKW', type: 'F_WRLCK', start: 0n, len: 1n }],
    [a, { op: 'lock', fd: 3, cmd: 'F_SETLK', type: 'F_UNLCK', start: 0n, len: 0n }],
    [a, { op: 'mprotect', map: 1, off: 0n, len: 16n, prot: PROT_READ }],
    [a, { op: 'munmap', map: 9, off: 0n, len: 16n }],
    [a, { op: 'msync', map: 2 }],
    [a, { op: 'ftruncate', fd: 3, len: 3n }],
    [a, { op: 'fstat', fd: 3 }],
    [a, { op: 'close', fd: 3 }],
    [a, { op: 'exit' }],
  ];
  for (const [pid, op] of ops) rk.apply(pid, pid === a ? 'Ada "the" \u00e9' : 'Bo', op);
  rk.signal(b, 'Bo', 'SIGSTOP');
  rk.signal(b, 'Bo', 'SIGKILL');
  return rk;
}

describe('a record as JSON text', () => {
  it('is the same JSON as recordToJson gives, for every kind of record', () => {
    const rk = everything();
    const kinds = new Set(rk.log.records.map((r) => (r.kind === 'op' ? r.result.kind : r.signal)));
    expect(kinds).toEqual(new Set(['fd', 'map', 'ok', 'byte', 'bytes', 'count', 'lock', 'blocked', 'unlocked', 'invalid', 'size', 'SIGSTOP', 'SIGKILL', 'errno']));
    for (const r of rk.log.records) expect(JSON.parse(recordToJsonText(r)), `record ${r.seq}`).toEqual(recordToJson(r));
  });

  it('reads back into the same log', () => {
    const rk = everything();
    const records = rk.log.records.map((r) => JSON.parse(recordToJsonText(r)));
    expect(logFromJson({ pageSize: 16, fileHex: '0102030405', records })).toEqual(rk.log);
  });
});
