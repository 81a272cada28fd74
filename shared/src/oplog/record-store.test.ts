import { describe, expect, it } from 'vitest';
import { PROT_READ, PROT_WRITE } from '../kernel/constants.ts';
import { byte, OK } from '../kernel/results.ts';
import type { Op, Pid } from '../kernel/types.ts';
import { recordToJsonText } from './json.ts';
import { RecordedKernel } from './recorded-kernel.ts';
import { RecordStore } from './record-store.ts';
import type { LogRecord } from './types.ts';

const RW = PROT_READ | PROT_WRITE;

/** Two students racing on a counter, a lock with a waiter woken, a refused store and a fault: every kind a room's log holds. */
function race(clock: boolean): { rk: RecordedKernel; pushed: LogRecord[] } {
  let now = 0;
  const rk = new RecordedKernel({ pageSize: 16, file: new Uint8Array(16), clock: clock ? () => (now += 3) : undefined });
  const pushed: LogRecord[] = [];
  const apply = (pid: Pid, name: string, op: Op) => pushed.push(rk.apply(pid, name, op).record);
  const [a, b, c] = [rk.spawn(), rk.spawn(), rk.spawn()];
  for (const p of [a, b, c]) apply(p, `s${p}`, { op: 'open', mode: 'O_RDWR' });
  for (const p of [a, b]) apply(p, `s${p}`, { op: 'mmap', len: 16n, prot: RW, flags: 'MAP_SHARED', fd: 3, off: 0n });
  apply(c, `s${c}`, { op: 'mmap', len: 16n, prot: PROT_READ, flags: 'MAP_SHARED', fd: 3, off: 0n });
  for (let i = 0; i < 20; i++) {
    const p = i % 2 === 0 ? a : b;
    apply(p, `s${p}`, { op: 'load', map: 1, index: i % 16 });
    apply(p, `s${p}`, { op: 'store', map: 1, index: i % 16, value: (i * 37) & 255 });
  }
  apply(a, 's1', { op: 'lock', fd: 3, cmd: 'F_SETLK', type: 'F_WRLCK', start: 0n, len: 1n });
  apply(b, 's2', { op: 'lock', fd: 3, cmd: 'F_SETLKW', type: 'F_WRLCK', start: 0n, len: 1n });
  apply(a, 's1', { op: 'lock', fd: 3, cmd: 'F_SETLK', type: 'F_UNLCK', start: 0n, len: 1n });
  apply(a, 's1', { op: 'store', map: 7, index: 0, value: 1 });
  apply(a, 'Ada renamed', { op: 'store', map: 1, index: 2, value: 9 });
  apply(c, `s${c}`, { op: 'load', map: 1, index: 3 });
  apply(c, `s${c}`, { op: 'store', map: 1, index: 3, value: 4 });
  pushed.push(rk.signal(b, 's2', 'SIGKILL').record);
  return { rk, pushed };
}

const text = (records: readonly LogRecord[]) => records.map(recordToJsonText);

describe('the log kept compactly', () => {
  for (const clock of [true, false]) {
    it(`gives back every record as it was made, key for key (${clock ? 'with' : 'without'} times)`, () => {
      const { rk, pushed } = race(clock);
      expect(rk.length).toBe(pushed.length);
      expect(rk.log.records).toEqual(pushed);
      // The same JSON text, keys in the same order: what the store and the exports write is unchanged.
      expect(text(rk.log.records)).toEqual(text(pushed));
      // Read again, the log makes objects only for what is new: the earlier ones are the same objects.
      const first = rk.log.records;
      rk.apply(1, 's1', { op: 'store', map: 1, index: 9, value: 1 });
      expect(rk.log.records[40]).toBe(first[40]);
      expect(rk.log.records).toHaveLength(pushed.length + 1);
      rk.truncate(pushed.length);
      // Packed records are written straight to text, without their objects: the same text.
      expect(rk.jsonTexts(0)).toEqual(text(pushed));
      expect(rk.jsonTexts(40)).toEqual(text(pushed.slice(40)));
    });
  }

  it('packs plain loads and stores, and keeps as objects what it cannot rebuild exactly', () => {
    const { pushed } = race(true);
    const store = new RecordStore();
    for (const r of pushed) store.push(r);
    const kept = pushed.map((r, i) => store.get(i) === r);
    const plain = (r: LogRecord) =>
      r.kind === 'op' && r.woke.length === 0 && r.name === `s${r.pid}` &&
      ((r.op.op === 'load' && r.result.kind === 'byte') || (r.op.op === 'store' && r.result.kind === 'ok'));
    // Packed records come back as new objects; the rest are the very objects pushed.
    expect(kept).toEqual(pushed.map((r) => !plain(r)));
    expect(kept.filter((k) => !k).length).toBeGreaterThanOrEqual(40);
    expect(() => store.get(pushed.length)).toThrow(RangeError);
    expect(() => store.get(1.5)).toThrow(RangeError);
    expect(() => store.truncate(-1)).toThrow(RangeError);
    // A record out of sequence cannot be rebuilt from its place: it stays as it came.
    const odd: LogRecord = { ...(pushed[10] as LogRecord), seq: 3 };
    store.push(odd);
    expect(store.get(pushed.length)).toBe(odd);
  });

  it('cuts back (undo) and goes on recording after the cut', () => {
    const { rk, pushed } = race(true);
    const removed = rk.truncate(30);
    expect(text(removed)).toEqual(text(pushed.slice(30)));
    expect(text(rk.log.records)).toEqual(text(pushed.slice(0, 30)));
    const again = rk.apply(1, 's1', { op: 'store', map: 1, index: 5, value: 77 }).record;
    expect(again.seq).toBe(30);
    expect(rk.log.records[30]).toEqual(again);
    expect(rk.kernel.apply(2, { op: 'load', map: 1, index: 5 }).result).toEqual({ kind: 'byte', value: 77 });
  });

  it("counts the bytes its records carry, and gives them back when cut", () => {
    const rk = new RecordedKernel({ pageSize: 16, file: new Uint8Array(16) });
    const a = rk.spawn();
    rk.apply(a, 'Ada', { op: 'open', mode: 'O_RDWR' });
    rk.apply(a, 'Ada', { op: 'mmap', len: 16n, prot: RW, flags: 'MAP_SHARED', fd: 3, off: 0n });
    rk.apply(a, 'Ada', { op: 'store', map: 1, index: 0, value: 1 });
    expect(rk.payloadBytes).toBe(0);
    rk.apply(a, 'Ada', { op: 'pwrite', fd: 3, off: 0n, data: new Uint8Array(100) });
    rk.apply(a, 'Ada', { op: 'pread', fd: 3, off: 0n, count: 60n });
    expect(rk.payloadBytes).toBe(160);
    rk.truncate(4);
    expect(rk.payloadBytes).toBe(100);
    rk.truncate(0);
    expect(rk.payloadBytes).toBe(0);
  });

  it('grows past its first arrays and still gives back each record', () => {
    const store = new RecordStore();
    const objects: LogRecord[] = [];
    for (let i = 0; i < 5000; i++) {
      const pid = 1 + (i % 7);
      const r: LogRecord = i % 2 === 0
        ? { seq: i, pid, name: `"s\\${pid}é`, woke: [], at: i * 5, kind: 'op', op: { op: 'store', map: 1 + (i % 3), index: i % 4096, value: i & 255 }, result: OK }
        : { seq: i, pid, name: `"s\\${pid}é`, woke: [], at: i * 5, kind: 'op', op: { op: 'load', map: 1, index: i % 4096 }, result: byte((i * 7) & 255) };
      objects.push(r);
      store.push(r);
    }
    expect(store.length).toBe(5000);
    for (let i = 0; i < 5000; i += 97) expect(store.get(i)).not.toBe(objects[i]);
    expect(text(store.slice())).toEqual(text(objects));
    expect(objects.map((_, i) => store.jsonText(i))).toEqual(text(objects));
  });
});
