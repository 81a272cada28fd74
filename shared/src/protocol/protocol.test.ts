import { describe, expect, expectTypeOf, it } from 'vitest';
import { ERRNOS } from '../kernel/constants.ts';
import type { Op, Result } from '../kernel/types.ts';
import { explainResult } from '../content/explanations.ts';
import { clientEvents, type ClientToServerEvents, type ReplyOf, type RequestIn } from './events.ts';
import { OP_NAMES, opToWire, toKernelOp } from './ops.ts';
import { fromWireResult, toWireOutcome, toWireResult, wireOutcome } from './results.ts';
import type { Ack } from './ack.ts';

const OPS: Op[] = [
  { op: 'open', mode: 'O_RDWR' },
  { op: 'close', fd: 3 },
  { op: 'mmap', len: (1n << 64n) - 1n, prot: 7, flags: 'MAP_PRIVATE', fd: 3, off: 4096n },
  { op: 'munmap', map: 1, off: 0n, len: 16n },
  { op: 'mprotect', map: 2, off: 16n, len: 0n, prot: 0 },
  { op: 'load', map: 1, index: -1 },
  { op: 'store', map: 1, index: 9007199254740991, value: 255 },
  { op: 'msync', map: 1 },
  { op: 'pread', fd: 3, off: -5n, count: 10n },
  { op: 'pwrite', fd: 3, off: 0n, data: new Uint8Array([0, 0x22, 0xff]) },
  { op: 'ftruncate', fd: 3, len: 123n },
  { op: 'fstat', fd: 3 },
  { op: 'lock', fd: 3, cmd: 'F_SETLKW', type: 'F_UNLCK', start: -(1n << 63n), len: 0n },
  { op: 'getlk', fd: 3, type: 'F_RDLCK', start: 0n, len: 1n },
  { op: 'exit' },
];

describe('protocol schemas', () => {
  it('carry every kernel operation over the wire and back unchanged', () => {
    expect(new Set(OPS.map((o) => o.op))).toEqual(new Set(OP_NAMES));
    for (const op of OPS) {
      const { event, payload } = opToWire(op);
      const parsed = clientEvents[event].request.safeParse(JSON.parse(JSON.stringify(payload)));
      expect(parsed.success, event).toBe(true);
      expect(toKernelOp(op.op, parsed.data as never)).toEqual(op);
    }
  });

  it('carry every kind of result and back, with a display and (for failures) an explanation', () => {
    const results: Result[] = [
      { kind: 'fd', fd: 3 }, { kind: 'map', map: 1 }, { kind: 'ok' }, { kind: 'byte', value: 7 },
      { kind: 'bytes', data: new Uint8Array([1, 2]) }, { kind: 'count', count: 2 }, { kind: 'size', size: 9 },
      { kind: 'unlocked' }, { kind: 'lock', lock: { type: 'F_WRLCK', pid: 2, start: 1n << 62n, len: 0n } },
      { kind: 'blocked', on: { type: 'F_RDLCK', pid: 1, start: 0n, len: 5n } },
      ...ERRNOS.map((errno): Result => ({ kind: 'errno', errno })),
      { kind: 'signal', signal: 'SIGBUS', reason: 'past-eof', address: 4096 }, { kind: 'dead' },
      { kind: 'not-runnable', state: 'stopped' }, { kind: 'invalid', message: 'm3 does not exist' },
    ];
    for (const r of results) {
      const wire = JSON.parse(JSON.stringify(toWireOutcome('lock', r)));
      expect(wireOutcome.parse(wire).result).toEqual(toWireResult(r));
      expect(fromWireResult(wire.result)).toEqual(r);
      if (r.kind === 'errno') expect(wire.display).toBe(`-1 ${r.errno}`);
      const failed = ['errno', 'signal', 'blocked', 'dead', 'not-runnable', 'invalid'].includes(r.kind);
      expect(explainResult('lock', r) !== undefined, r.kind).toBe(failed);
    }
  });

  it('type both sides of every event from the schemas', () => {
    expectTypeOf<RequestIn<'op:mmap'>['len']>().toEqualTypeOf<string | number>();
    expectTypeOf<Parameters<ClientToServerEvents['op:store']>[1]>().toEqualTypeOf<(res: Ack<ReplyOf<'op:store'>>) => void>();
    // @ts-expect-error a byte value is a number, never a character
    const bad: RequestIn<'op:store'> = { map: 1, index: 0, value: 'A' };
    // @ts-expect-error there is no such event
    const none: RequestIn<'op:mremap'> = {};
    expect([bad, none]).toHaveLength(2);
  });
});
