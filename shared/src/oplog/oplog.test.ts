import { describe, expect, it } from 'vitest';
import { PROT_READ, PROT_WRITE } from '../kernel/constants.ts';
import { kernelView } from '../kernel/views.ts';
import { logFromJson, logToJson } from './json.ts';
import { RecordedKernel } from './recorded-kernel.ts';
import { replayLog, ReplayDiverged } from './replay.ts';

const RW = PROT_READ | PROT_WRITE;

/** Two students sharing a counter byte, one lock wait and its wake-up. */
function lockedRoom(): RecordedKernel {
  let now = 0;
  const rk = new RecordedKernel({ pageSize: 16, file: new Uint8Array(16), clock: () => (now += 10) });
  const a = rk.spawn();
  const b = rk.spawn();
  rk.apply(a, 'Ada', { op: 'open', mode: 'O_RDWR' });
  rk.apply(b, 'Bo', { op: 'open', mode: 'O_RDWR' });
  rk.apply(a, 'Ada', { op: 'mmap', len: 16n, prot: RW, flags: 'MAP_SHARED', fd: 3, off: 0n });
  rk.apply(a, 'Ada', { op: 'lock', fd: 3, cmd: 'F_SETLKW', type: 'F_WRLCK', start: 0n, len: 1n });
  rk.apply(b, 'Bo', { op: 'lock', fd: 3, cmd: 'F_SETLKW', type: 'F_WRLCK', start: 0n, len: 1n });
  rk.apply(a, 'Ada', { op: 'store', map: 1, index: 0, value: 7 });
  rk.apply(a, 'Ada', { op: 'pwrite', fd: 3, off: 4n, data: Uint8Array.from([1, 2]) });
  rk.apply(a, 'Ada', { op: 'lock', fd: 3, cmd: 'F_SETLK', type: 'F_UNLCK', start: 0n, len: 1n });
  return rk;
}

describe('operation log', () => {
  it('records every call with seq, name, time, result and the waiters it woke', () => {
    const rk = lockedRoom();
    const records = rk.log.records;
    expect(records.map((r) => r.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(records[4]).toMatchObject({ pid: 2, name: 'Bo', at: 50, result: { kind: 'blocked' } });
    expect(records[7].woke).toEqual([{ pid: 2, result: { kind: 'ok' } }]);
  });

  it('keeps its own copy of the initial file', () => {
    const file = Uint8Array.from([1, 2, 3]);
    const rk = new RecordedKernel({ pageSize: 16, file });
    file[0] = 99;
    expect([...(rk.log.file as Uint8Array)]).toEqual([1, 2, 3]);
  });

  it('replays to the same state, and undoes by replaying fewer records', () => {
    const rk = lockedRoom();
    const replayed = replayLog(rk.log);
    expect(kernelView(replayed.state)).toEqual(kernelView(rk.kernel.state));
    const removed = rk.truncate(5);
    expect(removed.map((r) => r.seq)).toEqual([5, 6, 7]);
    const view = kernelView(rk.kernel.state);
    expect(view.waitsFor).toEqual([{ from: 2, to: 1 }]);
    expect(rk.kernel.state.cache.readByte(0)).toBe(0);
    // Apply goes on from there with the next seq.
    expect(rk.apply(1, 'Ada', { op: 'exit' }).record.seq).toBe(5);
  });

  it('keeps processes that joined but did nothing when it rebuilds', () => {
    const rk = lockedRoom();
    const c = rk.spawn();
    rk.truncate(2);
    expect(rk.kernel.process(c)?.alive).toBe(true);
  });

  it('refuses a log whose results the replay does not give', () => {
    const rk = lockedRoom();
    const log = structuredClone(rk.log);
    log.records[5] = { ...log.records[5], kind: 'op', op: { op: 'load', map: 1, index: 0 }, result: { kind: 'byte', value: 1 } } as never;
    expect(() => replayLog(log)).toThrow(ReplayDiverged);
    expect(() => replayLog(log, { verify: false })).not.toThrow();
  });

  it("keeps the kernel's memory budget, so a replay runs under the same limit", () => {
    const rk = new RecordedKernel({ pageSize: 16, file: new Uint8Array(16), memoryBytes: 64 });
    expect(rk.log.memoryBytes).toBe(64);
    expect(logFromJson(JSON.parse(JSON.stringify(logToJson(rk.log)))).memoryBytes).toBe(64);
    expect(logToJson(lockedRoom().log)).not.toHaveProperty('memoryBytes');
  });

  it('round-trips through JSON, bigints and bytes included', () => {
    const rk = lockedRoom();
    rk.signal(2, 'Bo', 'SIGKILL');
    const json = JSON.parse(JSON.stringify(logToJson(rk.log)));
    const back = logFromJson(json);
    expect(back).toEqual(rk.log);
    expect(() => logFromJson({ ...json, records: [{ ...json.records[0], op: { op: 'frob' } }] })).toThrow();
  });
});
