import { describe, expect, it } from 'vitest';
import { PROT_READ, PROT_WRITE, type OpenMode } from '../kernel/constants.ts';
import type { Op } from '../kernel/types.ts';
import { RecordedKernel } from '../oplog/recorded-kernel.ts';
import { exportTrace, exportTraceDetailed, processNames, traceName } from './export.ts';
import { parseTrace } from './parse.ts';
import { runTrace } from './run.ts';

const RW = PROT_READ | PROT_WRITE;
const lock = (type: 'F_WRLCK' | 'F_RDLCK' | 'F_UNLCK', start: number, len: number, cmd: 'F_SETLK' | 'F_SETLKW' = 'F_SETLKW'): Op =>
  ({ op: 'lock', fd: 3, cmd, type, start: BigInt(start), len: BigInt(len) });

function replays(rk: RecordedKernel) {
  const detail = exportTraceDetailed(rk.log);
  const run = runTrace(parseTrace(detail.text));
  expect(run.error).toBeUndefined();
  expect(run.lines).toEqual(detail.expected);
  return { detail, run };
}

describe('exporting a room as a trace', () => {
  it('replays a class with shared stores, a blocked lock, a wake, a deadlock and a fault to the same results', () => {
    const rk = new RecordedKernel({ pageSize: 16, file: new TextEncoder().encode('counter: "0"\n\\ end\xff') });
    const [ada, bo, cy, dee] = [rk.spawn(), rk.spawn(), rk.spawn(), rk.spawn()];
    const who = { [ada]: 'Ada Lovelace', [bo]: 'Bo', [cy]: 'Bo!', [dee]: 'file' };
    const act = (pid: number, op: Op) => rk.apply(pid, who[pid], op).record.result;
    for (const pid of [ada, bo, cy]) act(pid, { op: 'open', mode: 'O_RDWR' });
    act(dee, { op: 'open', mode: 'O_RDONLY' });
    act(ada, { op: 'mmap', len: 20n, prot: RW, flags: 'MAP_SHARED', fd: 3, off: 0n });
    act(bo, { op: 'mmap', len: 20n, prot: RW, flags: 'MAP_PRIVATE', fd: 3, off: 0n });
    act(dee, { op: 'mmap', len: 16n, prot: PROT_READ, flags: 'MAP_SHARED', fd: 3, off: 0n });
    act(ada, { op: 'store', map: 1, index: 10, value: 0x31 });
    act(bo, { op: 'load', map: 1, index: 10 });
    act(ada, lock('F_WRLCK', 0, 1));
    expect(act(bo, lock('F_WRLCK', 0, 1))).toMatchObject({ kind: 'blocked' });
    expect(act(bo, { op: 'load', map: 1, index: 0 })).toEqual({ kind: 'not-runnable', state: 'blocked' });
    act(cy, lock('F_WRLCK', 5, 1));
    expect(act(ada, lock('F_WRLCK', 5, 1))).toMatchObject({ kind: 'blocked' });
    act(cy, { op: 'getlk', fd: 3, type: 'F_WRLCK', start: 0n, len: 0n });
    expect(act(cy, lock('F_WRLCK', 0, 1))).toEqual({ kind: 'errno', errno: 'EDEADLK' });
    expect(act(dee, { op: 'store', map: 1, index: 0, value: 1 })).toMatchObject({ kind: 'signal', signal: 'SIGSEGV' });
    act(dee, { op: 'load', map: 1, index: 0 });
    act(cy, { op: 'mprotect', map: 9, off: 0n, len: 16n, prot: PROT_READ });
    act(cy, { op: 'pwrite', fd: 3, off: 18n, data: Uint8Array.from([0, 0x22, 0x5c, 10, 200]) });
    const unlock = rk.apply(cy, who[cy], lock('F_UNLCK', 0, 0, 'F_SETLK')).record;
    expect(unlock.woke.map((w) => w.pid)).toEqual([ada]);
    const release = rk.apply(ada, who[ada], { op: 'exit' }).record;
    expect(release.woke.map((w) => w.pid)).toEqual([bo]);
    act(bo, { op: 'store', map: 1, index: 0, value: 0x42 });
    act(bo, { op: 'fstat', fd: 3 });
    act(bo, { op: 'pread', fd: 3, off: 0n, count: 64n });

    const { detail, run } = replays(rk);
    expect([...detail.names.values()]).toEqual(['Ada_Lovelace', 'Bo', 'Bo_2', 'file_']);
    expect(detail.omitted.map((o) => o.seq)).toEqual([11, 18]);
    expect(run.lines).toContain('Bo_2 getlk -> F_WRLCK pid=Ada_Lovelace start=0 len=1');
    expect(run.lines).toContain('Ada_Lovelace wakes -> ok');
    expect(run.lines).toContain('Bo wakes -> ok');
    expect(detail.stoppedAt).toBeUndefined();
  });

  it('writes a teacher SIGKILL as exit, drops stops of running processes, and stops the trace at a kill of a waiter', () => {
    const rk = new RecordedKernel({ pageSize: 16, file: new Uint8Array(4) });
    const [a, b, c] = [rk.spawn(), rk.spawn(), rk.spawn()];
    for (const pid of [a, b, c]) rk.apply(pid, `s${pid}`, { op: 'open', mode: 'O_RDWR' });
    rk.apply(a, 'Ann', lock('F_WRLCK', 0, 0));
    rk.apply(b, 'Ben', lock('F_WRLCK', 0, 0));
    rk.signal(c, 'Cat', 'SIGSTOP');
    rk.apply(c, 'Cat', { op: 'fstat', fd: 3 });
    rk.signal(c, 'Cat', 'SIGCONT');
    rk.signal(a, 'Ann', 'SIGKILL');
    rk.signal(a, 'Ann', 'SIGKILL');
    rk.apply(c, 'Cat', lock('F_WRLCK', 0, 0));
    rk.signal(c, 'Cat', 'SIGKILL');
    rk.apply(b, 'Ben', { op: 'fstat', fd: 3 });
    const { detail, run } = replays(rk);
    expect(run.lines.slice(-4)).toEqual(['s1 exit -> ok', 's2 wakes -> ok', 's1 exit -> dead', 's3 lock -> blocked']);
    expect(detail.stoppedAt?.seq).toBe(11);
    expect(detail.text).toMatch(/# \[11\] the trace stops here/);
  });

  it('replays random interleavings of many processes exactly', () => {
    let seed = 12345;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
    const seen = new Set<string>();
    for (let round = 0; round < 30; round++) {
      const rk = new RecordedKernel({ pageSize: 16, file: Uint8Array.from({ length: 40 }, (_, i) => 97 + (i % 26)) });
      const pids = Array.from({ length: 4 }, () => rk.spawn());
      for (const pid of pids) {
        rk.apply(pid, `p ${pid}`, { op: 'open', mode: 'O_RDWR' });
        rk.apply(pid, `p ${pid}`, { op: 'mmap', len: 48n, prot: RW, flags: rand(2) ? 'MAP_SHARED' : 'MAP_PRIVATE', fd: 3, off: 0n });
      }
      const modes: OpenMode[] = ['O_RDONLY', 'O_WRONLY', 'O_RDWR'];
      for (let i = 0; i < 80; i++) {
        const pid = pids[rand(pids.length)];
        // Weighted towards locks and in-range accesses, so processes live long enough to wait for each other.
        const ops: Op[] = [
          lock(rand(3) ? 'F_WRLCK' : 'F_RDLCK', rand(8), rand(4)),
          lock(rand(3) ? 'F_WRLCK' : 'F_UNLCK', rand(8), rand(4), rand(2) ? 'F_SETLKW' : 'F_SETLK'),
          lock('F_UNLCK', 0, 0, 'F_SETLK'),
          { op: 'load', map: 1, index: rand(40) },
          { op: 'store', map: 1, index: rand(40), value: rand(256) },
          { op: 'getlk', fd: 3, type: 'F_WRLCK', start: 0n, len: 0n },
          { op: 'open', mode: modes[rand(3)] },
          { op: 'mmap', len: BigInt(1 + rand(60)), prot: rand(8), flags: rand(2) ? 'MAP_SHARED' : 'MAP_PRIVATE', fd: 3 + rand(2), off: BigInt(16 * rand(3)) },
          { op: 'load', map: 1 + rand(2), index: rand(70) - 5 },
          { op: 'munmap', map: 1 + rand(2), off: 16n * BigInt(rand(2)), len: 16n },
          { op: 'ftruncate', fd: 3, len: BigInt(rand(60)) },
          { op: 'close', fd: 3 + rand(2) },
        ];
        const pick = rand(4) ? rand(6) : rand(ops.length);
        if (rand(60) === 0) rk.signal(pid, `p${pid}`, 'SIGKILL');
        else rk.apply(pid, `p ${pid}`, ops[pick]);
      }
      const detail = exportTraceDetailed(rk.log);
      const run = runTrace(parseTrace(detail.text));
      expect(run.error).toBeUndefined();
      expect(run.lines).toEqual(detail.expected);
      for (const l of run.lines) seen.add(l.replace(/^\S+ /, '').replace(/^(\S+ -> \S+).*/, '$1'));
    }
    // The rounds did reach the interesting cases.
    for (const l of ['lock -> blocked', 'wakes -> ok', 'lock -> EDEADLK', 'load -> SIGSEGV', 'exit -> ok']) expect(seen).toContain(l);
  });

  it('makes display names into valid, unique process names', () => {
    expect(traceName('Zoë Ångström')).toBe('Zoe_Angstrom');
    expect(traceName('2 fast')).toBe('P2_fast');
    expect(traceName('page')).toBe('page_');
    expect(traceName('李')).toBe('');
    const rk = new RecordedKernel({ file: new Uint8Array(1) });
    const pids = [rk.spawn(), rk.spawn(), rk.spawn(), rk.spawn()];
    ['李', 'a-b', 'a b', '李'].forEach((n, i) => rk.apply(pids[i], n, { op: 'fstat', fd: 3 }));
    expect([...processNames(rk.log).values()]).toEqual(['P1', 'a_b', 'a_b_2', 'P4']);
    expect(exportTrace(rk.log, 'class ABCD\nweek 3')).toMatch(/^# class ABCD\n# week 3\npage 4096\nfile zeros 1\nP1 fstat 3\n/);
  });
});
