import { describe, expect, it } from 'vitest';
import { compareCounterRounds, counterResults, lockedCounterResults } from './counter.ts';
import { TestRoom } from './test/room.ts';

function counterRoom(names: string[], timed = false) {
  const room = new TestRoom(new Uint8Array(16), 16, timed);
  const students = names.map((n) => room.join(n));
  for (const s of students) s.map();
  return { room, students };
}

describe('the counter race', () => {
  it('counts every increment when nobody overlaps', () => {
    const { room, students: [a, b] } = counterRoom(['Ada', 'Bo']);
    for (let i = 0; i < 3; i++) for (const s of [a, b]) s.store(0, s.load(0) + 1);
    const r = counterResults(room.log, { target: 3 });
    expect(r).toMatchObject({ initial: 0, increments: 6, expected: 6, actual: 6, lost: 0, strays: 0, unlocked: 6 });
    expect(r.students.map((s) => [s.name, s.increments, s.done])).toEqual([['Ada', 3, true], ['Bo', 3, true]]);
  });

  it('attributes a lost update to the two students whose load/store pairs overlapped', () => {
    const { room, students: [a, b] } = counterRoom(['Ada', 'Bo']);
    const va = a.load(0);
    const vb = b.load(0);
    b.store(0, vb + 1);
    a.store(0, va + 1); // Ada loaded before Bo stored: Bo's increment is gone.
    const r = counterResults(room.log);
    expect(r).toMatchObject({ expected: 2, actual: 1, expectedByte: 2, lost: 1 });
    expect(r.lostUpdates).toHaveLength(1);
    expect(r.lostUpdates[0].lost).toMatchObject({ name: 'Bo', loaded: 0, stored: 1 });
    expect(r.lostUpdates[0].overwrittenBy).toMatchObject({ name: 'Ada', increment: { loadSeq: 4, loaded: va } });
    expect(r.pairs).toEqual([{ overwriter: 'Ada', victim: 'Bo', count: 1 }]);
    expect(r.students.map((s) => [s.name, s.lost, s.overwrote])).toEqual([['Ada', 0, 1], ['Bo', 1, 0]]);
  });

  it('counts each lost update once when three overlap, blaming the store that finally wiped it', () => {
    const { room, students: [a, b, c] } = counterRoom(['Ada', 'Bo', 'Cy']);
    const [va, vb, vc] = [a.load(0), b.load(0), c.load(0)];
    b.store(0, vb + 1);
    c.store(0, vc + 1); // wipes Bo
    a.store(0, va + 1); // wipes Cy
    const r = counterResults(room.log);
    expect(r).toMatchObject({ expected: 3, actual: 1, lost: 2 });
    expect(r.lostUpdates.map((l) => [l.lost.name, l.overwrittenBy.name])).toEqual([['Bo', 'Cy'], ['Cy', 'Ada']]);
  });

  it('gives back an update a later store builds on, and blames only the final loss', () => {
    const { room, students: [a, b, c] } = counterRoom(['Ada', 'Bo', 'Cy']);
    const va = a.load(0);
    b.store(0, b.load(0) + 1); // Bo: 1
    const vc = c.load(0); // Cy sees Bo's 1
    a.store(0, va + 1); // Ada overwrites Bo for now: 1
    c.store(0, vc + 1); // Cy builds on Bo: 2, so Ada's is the one lost
    const r = counterResults(room.log);
    expect(r).toMatchObject({ expected: 3, actual: 2, lost: 1 });
    expect(r.lostUpdates.map((l) => [l.lost.name, l.overwrittenBy.name])).toEqual([['Ada', 'Cy']]);
  });

  it('agrees with the file over many random interleavings: actual = expected - lost', () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
    for (let round = 0; round < 20; round++) {
      const { room, students } = counterRoom(['A', 'B', 'C', 'D', 'E']);
      const held = new Map<number, number>();
      const todo = new Map(students.map((s) => [s.pid, 8]));
      while ([...todo.values()].some((n) => n > 0)) {
        const s = students[rand(students.length)];
        if (todo.get(s.pid)! === 0) continue;
        const v = held.get(s.pid);
        if (v === undefined) held.set(s.pid, s.load(0));
        else {
          s.store(0, v + 1);
          held.delete(s.pid);
          todo.set(s.pid, todo.get(s.pid)! - 1);
        }
      }
      const r = counterResults(room.log, { target: 8 });
      expect(r.increments).toBe(40);
      expect(r.actual).toBe(r.expected - r.lost);
      expect(r.students.every((s) => s.done)).toBe(true);
      expect(r.students.reduce((n, s) => n + s.lost, 0)).toBe(r.lost);
      expect(r.pairs.reduce((n, p) => n + p.count, 0)).toBe(r.lost);
    }
  });

  it('follows the counter at any offset, keys students by name across respawns, and ignores private stores', () => {
    const room = new TestRoom(Uint8Array.from([0, 0, 0, 10, 0, 0]), 16);
    const a = room.join('Ada');
    const b = room.join('Bo');
    a.map();
    b.map('MAP_PRIVATE');
    a.store(3, a.load(3) + 1);
    b.store(3, b.load(3) + 1); // private: never reaches the file
    a.store(99, 1); // SIGSEGV
    a.respawn();
    a.map();
    a.store(3, a.load(3) + 1);
    const r = counterResults(room.log, { offset: 3, target: 2 });
    expect(r).toMatchObject({ initial: 10, increments: 2, expected: 12, actual: 12, lost: 0 });
    expect(r.students.find((s) => s.name === 'Ada')).toMatchObject({ pids: [1, 3], increments: 2, done: true });
  });

  it('treats other writes to the counter as strays that reset it', () => {
    const { room, students: [a, b] } = counterRoom(['Ada', 'Bo']);
    a.store(0, a.load(0) + 1);
    b.store(0, 42);
    b.do({ op: 'pwrite', fd: 3, off: 0n, data: Uint8Array.from([7]) });
    a.store(0, a.load(0) + 1);
    const r = counterResults(room.log);
    expect(r).toMatchObject({ strays: 2, increments: 2, actual: 8, lost: 1 });
    expect(r.lostUpdates[0].overwrittenBy).toMatchObject({ name: 'Bo', increment: null });
  });
});

describe('the locked counter', () => {
  it('is exact under locks and reports the waiting it cost', () => {
    const { room, students: [a, b] } = counterRoom(['Ada', 'Bo'], true);
    a.lock(0);
    const va = a.load(0);
    expect(b.lock(0).kind).toBe('blocked');
    a.store(0, va + 1);
    expect(b.lock(0, 1, 'F_WRLCK', 'F_SETLK').kind).toBe('not-runnable');
    a.unlock(0); // Bo wakes with the lock
    b.store(0, b.load(0) + 1);
    b.unlock(0);
    expect(a.lock(0, 1, 'F_WRLCK', 'F_SETLK').kind).toBe('ok');
    expect(b.lock(0, 1, 'F_WRLCK', 'F_SETLK')).toEqual({ kind: 'errno', errno: 'EAGAIN' });
    const r = lockedCounterResults(room.log);
    expect(r).toMatchObject({ expected: 2, actual: 2, lost: 0, unlocked: 0, refusals: 1, totalWaitSteps: 3, totalWaitMs: 300 });
    expect(r.waits).toEqual([
      expect.objectContaining({ name: 'Bo', holder: a.pid, outcome: 'granted', steps: 3, ms: 300, request: { type: 'F_WRLCK', start: '0', len: '1' } }),
    ]);
    expect(r.waitTotals).toEqual([{ name: 'Bo', waits: 1, steps: 3, ms: 300 }]);
  });

  it('sets the unlocked round beside the locked one', () => {
    const race = counterRoom(['Ada', 'Bo']);
    const [a, b] = race.students;
    const va = a.load(0);
    b.store(0, b.load(0) + 1);
    a.store(0, va + 1);
    const locked = counterRoom(['Ada', 'Bo']);
    const [c] = locked.students;
    c.lock(0);
    c.store(0, c.load(0) + 1);
    c.unlock(0);
    expect(compareCounterRounds(counterResults(race.room.log), lockedCounterResults(locked.room.log))).toEqual([
      { round: 'unlocked', expected: 2, actual: 1, lost: 1, waitSteps: 0, waitMs: null },
      { round: 'locked', expected: 1, actual: 1, lost: 0, waitSteps: 0, waitMs: 0 },
    ]);
  });
});
