import { describe, expect, it } from 'vitest';
import { PROT_READ, PROT_WRITE } from '../kernel/constants.ts';
import type { Op } from '../kernel/types.ts';
import { kernelView } from '../kernel/views.ts';
import { RecordedKernel } from '../oplog/recorded-kernel.ts';
import { SeededRandom } from './prng.ts';
import { TeacherScheduler, type ScheduledStep } from './scheduler.ts';

const RW = PROT_READ | PROT_WRITE;
const load: Op = { op: 'load', map: 1, index: 0 };
const store = (value: number): Op => ({ op: 'store', map: 1, index: 0, value });
const lock = (type: 'F_WRLCK' | 'F_UNLCK', start: number): Op => ({ op: 'lock', fd: 3, cmd: 'F_SETLKW', type, start: BigInt(start), len: 1n });

/** A room of n students, each with the counter file open and mapped shared. */
function room(n: number) {
  const rk = new RecordedKernel({ pageSize: 16, file: new Uint8Array(16) });
  const pids = Array.from({ length: n }, () => rk.spawn());
  for (const pid of pids) {
    rk.apply(pid, `s${pid}`, { op: 'open', mode: 'O_RDWR' });
    rk.apply(pid, `s${pid}`, { op: 'mmap', len: 16n, prot: RW, flags: 'MAP_SHARED', fd: 3, off: 0n });
  }
  return { rk, pids, sched: new TeacherScheduler(rk, 42) };
}


/** Back to arrival order: the oldest queued operation runs until none is left. */
function drain(sched: TeacherScheduler): ScheduledStep[] {
  const steps: ScheduledStep[] = [];
  for (let step = sched.runOldest(); step !== undefined; step = sched.runOldest()) steps.push(step);
  return steps;
}
describe('seeded random', () => {
  it('gives the same numbers for the same seed, in range', () => {
    const a = new SeededRandom(7);
    const b = new SeededRandom(7);
    const xs = Array.from({ length: 50 }, () => a.below(10));
    expect(Array.from({ length: 50 }, () => b.below(10))).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 10)).toBe(true);
    expect(new Set(xs).size).toBeGreaterThan(5);
    expect(Array.from({ length: 50 }, () => new SeededRandom(8).below(1000))).not.toEqual(xs);
    expect(() => new SeededRandom(-1)).toThrow(RangeError);
  });
});

describe('the teacher as the scheduler', () => {
  it('lets the teacher make the lost update happen by choosing each step', () => {
    const { rk, pids: [a, b], sched } = room(2);
    sched.enqueue(a, 'Ada', load);
    sched.enqueue(b, 'Bo', load);
    expect(sched.runAt(1).record.result).toEqual({ kind: 'byte', value: 0 });
    expect(sched.runAt(0).record.result).toEqual({ kind: 'byte', value: 0 });
    sched.enqueue(a, 'Ada', store(1));
    sched.enqueue(b, 'Bo', store(1));
    sched.runAt(0);
    sched.runAt(0);
    expect(rk.kernel.state.cache.readByte(0)).toBe(1);
  });

  it("runs a process's operations in the order it sent them", () => {
    const { pids: [a, b], sched } = room(2);
    sched.enqueue(a, 'Ada', load);
    sched.enqueue(a, 'Ada', store(1));
    sched.enqueue(b, 'Bo', load);
    expect(sched.choosable()).toEqual([0, 2]);
    expect(sched.rows().map((r) => [r.name, r.c, r.choosable])).toEqual([
      ['Ada', 'c = m1[0];', true],
      ['Ada', 'm1[0] = 0x01;', false],
      ['Bo', 'c = m1[0];', true],
    ]);
    expect(() => sched.runAt(1)).toThrow(/earlier operation/);
    expect(() => sched.runAt(9)).toThrow(/no pending/);
  });

  it('round-robin gives each process a turn in pid order, wrapping round', () => {
    const { pids, sched } = room(3);
    for (const pid of [3, 1, 2, 1, 3]) sched.enqueue(pids[pid - 1], `s${pid}`, load);
    const order: number[] = [];
    for (let s = sched.runRoundRobin(); s !== undefined; s = sched.runRoundRobin()) order.push(s.pending.pid);
    expect(order).toEqual([1, 2, 3, 1, 3]);
  });

  it('picks at random from a shown seed, the same picks for the same seed', () => {
    const picks = (seed: number) => {
      const { pids, sched } = room(5);
      sched.reseed(seed);
      for (const pid of pids) sched.enqueue(pid, `s${pid}`, load);
      for (const pid of pids) sched.enqueue(pid, `s${pid}`, store(pid));
      return { seed: sched.seed, order: Array.from({ length: 10 }, () => sched.runRandom()!.pending.id) };
    };
    expect(picks(99)).toEqual(picks(99));
    expect(picks(99).seed).toBe(99);
    expect(picks(99).order).not.toEqual(picks(100).order);
    expect(new Set(picks(99).order).size).toBe(10);
  });

  it('undoes step by step by replaying the log, and replays the undone steps to the same state', () => {
    const { rk, pids: [a, b], sched } = room(2);
    sched.enqueue(a, 'Ada', lock('F_WRLCK', 0));
    sched.enqueue(b, 'Bo', lock('F_WRLCK', 0));
    sched.enqueue(a, 'Ada', store(7));
    sched.runAt(0);
    sched.runAt(0);
    sched.runAt(0);
    const after = kernelView(rk.kernel.state);
    const lines = rk.log.records.map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? String(v) : v)));
    expect(after.waitsFor).toEqual([{ from: b, to: a }]);

    expect(sched.undo()?.op).toEqual(store(7));
    expect(rk.kernel.state.cache.readByte(0)).toBe(0);
    expect(sched.undo()?.pid).toBe(b);
    expect(kernelView(rk.kernel.state).waitsFor).toEqual([]);
    expect(sched.pending.map((p) => p.id)).toEqual([2, 3]);

    expect(sched.replay().map((s) => s.how)).toEqual(['redo', 'redo']);
    expect(kernelView(rk.kernel.state)).toEqual(after);
    expect(rk.log.records.map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? String(v) : v)))).toEqual(lines);
    expect(sched.canRedo).toBe(false);
  });

  it('a new choice after undo forgets the undone future', () => {
    const { pids: [a, b], sched } = room(2);
    sched.enqueue(a, 'Ada', load);
    sched.enqueue(b, 'Bo', load);
    sched.runAt(0);
    sched.undo();
    expect(sched.canRedo).toBe(true);
    sched.runAt(1);
    expect(sched.canRedo).toBe(false);
    expect(sched.redo()).toBeUndefined();
  });

  it('undo and redo leave the random sequence where it was', () => {
    const run = (withUndo: boolean) => {
      const { pids, sched } = room(4);
      for (const pid of pids) sched.enqueue(pid, `s${pid}`, load);
      for (const pid of pids) sched.enqueue(pid, `s${pid}`, store(pid));
      const ids = [sched.runRandom()!.pending.id, sched.runRandom()!.pending.id];
      if (withUndo) {
        sched.undo();
        sched.undo();
        sched.replay();
      }
      while (sched.pending.length > 0) ids.push(sched.runRandom()!.pending.id);
      return ids;
    };
    expect(run(true)).toEqual(run(false));
  });

  it("will not undo past something it did not schedule (a teacher's kill)", () => {
    const { rk, pids: [a, b], sched } = room(2);
    sched.enqueue(a, 'Ada', load);
    sched.runAt(0);
    rk.signal(b, 'Bo', 'SIGKILL');
    expect(sched.canUndo).toBe(false);
    expect(sched.undo()).toBeUndefined();
  });

  it('forgets its undo and redo history, so undo cannot bring back a process that died before', () => {
    const { rk, pids: [a, b], sched } = room(2);
    sched.enqueue(a, 'Ada', load);
    sched.enqueue(b, 'Bo', load);
    sched.runAt(0);
    sched.runAt(0);
    sched.undo();
    sched.forget();
    expect([sched.canUndo, sched.canRedo, sched.undo(), sched.redo()]).toEqual([false, false, undefined, undefined]);
    expect(sched.pending.map((p) => p.pid)).toEqual([b]);
    expect(rk.length).toBe(5);
  });

  it('switching back to arrival order runs everything queued, oldest first', () => {
    const { rk, pids: [a, b], sched } = room(2);
    sched.enqueue(b, 'Bo', store(2));
    sched.enqueue(a, 'Ada', store(1));
    sched.enqueue(b, 'Bo', load);
    expect(drain(sched).map((s) => [s.pending.id, s.how])).toEqual([[1, 'arrival'], [2, 'arrival'], [3, 'arrival']]);
    expect(rk.kernel.state.cache.readByte(0)).toBe(1);
    expect(sched.pending).toEqual([]);
  });

  it('does not pick an operation of a stopped or blocked process: it waits for SIGCONT or the wake, as on Linux', () => {
    const { rk, pids: [a, b, c], sched } = room(3);
    rk.apply(c, 'Cy', lock('F_WRLCK', 0));
    sched.enqueue(a, 'Ada', load);
    sched.enqueue(b, 'Bo', lock('F_WRLCK', 0));
    sched.enqueue(b, 'Bo', load);
    rk.signal(a, 'Ada', 'SIGSTOP');
    expect(sched.rows().map((r) => r.waits)).toEqual(['stopped', undefined, 'earlier']);
    expect(() => sched.runAt(0)).toThrow(/stopped: it runs nothing until SIGCONT/);
    // Bo's lock blocks behind Cy's: his load waits for the wake instead of being answered "blocked".
    expect(sched.runRandom()!.record.result.kind).toBe('blocked');
    expect(sched.rows().map((r) => r.waits)).toEqual(['stopped', 'blocked']);
    expect(sched.runRoundRobin()).toBeUndefined();
    expect(() => sched.runAt(1)).toThrow(/blocked in F_SETLKW/);
    rk.signal(a, 'Ada', 'SIGCONT');
    rk.apply(c, 'Cy', lock('F_UNLCK', 0));
    expect(sched.rows().map((r) => r.waits)).toEqual([undefined, undefined]);
    expect(drain(sched).map((s) => s.record.result.kind)).toEqual(['byte', 'byte']);
  });

  it('drops the pending operations of a process that is gone', () => {
    const { pids: [a, b], sched } = room(2);
    sched.enqueue(a, 'Ada', load);
    sched.enqueue(b, 'Bo', load);
    expect(sched.cancel(a).map((p) => p.pid)).toEqual([a]);
    expect(sched.pending.map((p) => p.pid)).toEqual([b]);
  });

  it('makes a deadlock happen on purpose: the closing request gets EDEADLK', () => {
    const { pids: [a, b], sched } = room(2);
    sched.enqueue(a, 'Ada', lock('F_WRLCK', 0));
    sched.enqueue(b, 'Bo', lock('F_WRLCK', 1));
    sched.enqueue(a, 'Ada', lock('F_WRLCK', 1));
    sched.enqueue(b, 'Bo', lock('F_WRLCK', 0));
    const results = drain(sched).map((s) => s.record.result.kind === 'errno' ? s.record.result.errno : s.record.result.kind);
    expect(results).toEqual(['ok', 'ok', 'blocked', 'EDEADLK']);
  });
});
