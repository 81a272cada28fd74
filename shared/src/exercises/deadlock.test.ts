import { describe, expect, it } from 'vitest';
import { deadlockRanges, deadlockResults } from './deadlock.ts';
import { TestRoom } from './test/room.ts';

function lockRoom(names: string[]) {
  const room = new TestRoom(new Uint8Array(100), 16);
  const s = names.map((n) => room.join(n));
  for (const st of s) st.do({ op: 'open', mode: 'O_RDWR' });
  return { room, s };
}

describe('the deadlock exercise', () => {
  it('names the request that closed the cycle, the cycle, and each pair outcome', () => {
    const { room, s: [a, b, c, d, e, f] } = lockRoom(['Ada', 'Bo', 'Cy', 'Dee', 'Eve', 'Fay']);
    const { first, second } = deadlockRanges(0);
    a.lock(first.start);
    b.lock(second.start);
    expect(a.lock(second.start).kind).toBe('blocked');
    expect(b.lock(first.start)).toEqual({ kind: 'errno', errno: 'EDEADLK' });
    // Cy and Dee lock in the same order: one waits, no deadlock.
    const r1 = deadlockRanges(1);
    c.lock(r1.first.start);
    expect(d.lock(r1.first.start).kind).toBe('blocked');
    c.unlock(r1.first.start);
    // Eve and Fay each lock a range of their own: they never meet.
    e.lock(deadlockRanges(2).first.start);
    f.lock(deadlockRanges(3).first.start);
    const r = deadlockResults(room.log, [['Ada', 'Bo'], ['Cy', 'Dee'], ['Eve', 'Fay']]);
    expect(r.deadlocks).toEqual([
      { seq: 9, pid: b.pid, name: 'Bo', viaWake: false, request: { type: 'F_WRLCK', start: '0', len: '1' }, cycle: [
        { pid: b.pid, name: 'Bo' }, { pid: a.pid, name: 'Ada' }, { pid: b.pid, name: 'Bo' },
      ] },
    ]);
    expect(r.pairs).toEqual([
      { a: 'Ada', b: 'Bo', outcome: 'deadlock', refused: 'Bo' },
      { a: 'Cy', b: 'Dee', outcome: 'waited', refused: null },
      { a: 'Eve', b: 'Fay', outcome: 'no-contention', refused: null },
    ]);
    expect(r.waitsFor).toEqual([{ from: 'Ada', to: 'Bo' }]);
    expect(r.waits.map((w) => [w.name, w.outcome])).toEqual([['Ada', 'waiting'], ['Dee', 'granted']]);
  });

  it("finds the EDEADLK Linux gives late, on a wake-up (the check's blind spot), and infers the pair", () => {
    const { room, s: [a, b, c] } = lockRoom(['A', 'B', 'C']);
    a.lock(0, 10, 'F_RDLCK', 'F_SETLK');
    b.lock(0, 10, 'F_RDLCK', 'F_SETLK');
    c.lock(50, 10, 'F_WRLCK', 'F_SETLK');
    expect(b.lock(50, 10).kind).toBe('blocked');
    expect(c.lock(0, 10).kind).toBe('blocked'); // the cycle through B is not seen yet
    a.unlock(0, 10);
    const r = deadlockResults(room.log);
    expect(r.deadlocks).toHaveLength(1);
    expect(r.deadlocks[0]).toMatchObject({ name: 'C', viaWake: true, seq: 8, request: { type: 'F_WRLCK', start: '0', len: '10' } });
    expect(r.deadlocks[0].cycle.map((x) => x.name)).toEqual(['C', 'B', 'C']);
    expect(r.pairs).toEqual([{ a: 'C', b: 'B', outcome: 'deadlock', refused: 'C' }]);
    expect(r.waitsFor).toEqual([{ from: 'B', to: 'C' }]);
  });

  it('gives each pair its own two bytes', () => {
    expect([0, 1, 2].map(deadlockRanges)).toEqual([
      { first: { start: 0, len: 1 }, second: { start: 1, len: 1 } },
      { first: { start: 2, len: 1 }, second: { start: 3, len: 1 } },
      { first: { start: 4, len: 1 }, second: { start: 5, len: 1 } },
    ]);
  });
});
