import type { OpName, Pid } from '../kernel/types.ts';
import { replayLog } from '../oplog/replay.ts';
import type { OpLog } from '../oplog/types.ts';
import { Students } from './students.ts';

/**
 * How a process died, in the terms of the lesson:
 * - `store-read-only`: a store to a page without PROT_WRITE (SIGSEGV)
 * - `no-access`: a load from a PROT_NONE page (SIGSEGV)
 * - `after-munmap`: an access inside the mapping's old range after munmap took that page (SIGSEGV)
 * - `outside-mapping`: an index before the start or past the end of the mapping (SIGSEGV)
 * - `past-eof`: a page of the mapping that lies wholly past the end of the file (SIGBUS)
 * - `out-of-space`: the room's memory budget ran out (SIGBUS for a file page, the OOM killer's SIGKILL for a private copy)
 * - `killed`: SIGKILL from the teacher, or for being away too long
 */
export const CRASH_CAUSES = ['store-read-only', 'no-access', 'after-munmap', 'outside-mapping', 'past-eof', 'out-of-space', 'killed'] as const;
export type CrashCause = (typeof CRASH_CAUSES)[number];

export interface Death {
  seq: number;
  pid: Pid;
  name: string;
  cause: CrashCause;
  signal: 'SIGSEGV' | 'SIGBUS' | 'SIGKILL';
}

/** A call refused with EACCES: the descriptor's mode does not allow what the mapping asked for. */
export interface Refusal {
  seq: number;
  pid: Pid;
  name: string;
  op: OpName;
}

/** The exercise's four goals: three ways to die and one way to be refused. */
export interface CrashGoals {
  storeReadOnly: boolean;
  afterMunmap: boolean;
  pastEof: boolean;
  refused: boolean;
}

export interface CrashResults {
  deaths: Death[];
  refusals: Refusal[];
  /** One row per cause (all causes, in CRASH_CAUSES order), then EACCES: what the board's bars show. */
  tally: { cause: CrashCause | 'EACCES'; count: number; students: string[] }[];
  students: { name: string; pids: Pid[]; goals: CrashGoals; done: boolean }[];
}

export function crashResults(log: OpLog): CrashResults {
  const students = new Students(log);
  const deaths: Death[] = [];
  const refusals: Refusal[] = [];
  /** Set before a load/store: was the index inside the mapping's original range? */
  let insideRange = false;
  replayLog(log, {
    hooks: {
      before(r, kernel) {
        if (r.kind !== 'op' || (r.op.op !== 'load' && r.op.op !== 'store')) return;
        const m = kernel.process(r.pid)?.mapping(r.op.map);
        insideRange = m !== undefined && r.op.index >= 0 && r.op.index < m.pages * kernel.pageSize;
      },
      after(r, outcome) {
        const base = { seq: r.seq, pid: r.pid, name: r.name };
        if (r.kind === 'signal') {
          if (r.signal === 'SIGKILL' && outcome.events.some((e) => e.type === 'died' && e.pid === r.pid)) {
            deaths.push({ ...base, cause: 'killed', signal: 'SIGKILL' });
          }
          return;
        }
        const res = r.result;
        if (res.kind === 'errno' && res.errno === 'EACCES') refusals.push({ ...base, op: r.op.op });
        if (res.kind !== 'signal') return;
        // A string, so reasons the kernel adds later land in a bucket instead of failing to compile.
        const reason: string = res.reason;
        let cause: CrashCause;
        if (reason === 'past-eof') cause = 'past-eof';
        else if (reason === 'protection') cause = r.op.op === 'store' ? 'store-read-only' : 'no-access';
        else if (reason === 'unmapped') cause = insideRange ? 'after-munmap' : 'outside-mapping';
        else cause = 'out-of-space';
        deaths.push({ ...base, cause, signal: res.signal });
      },
    },
  });

  const namesWith = (pred: (name: string) => boolean) => students.all().map((s) => s.name).filter(pred);
  const tally: CrashResults['tally'] = CRASH_CAUSES.map((cause) => {
    const hit = deaths.filter((d) => d.cause === cause);
    return { cause, count: hit.length, students: namesWith((n) => hit.some((d) => d.name === n)) };
  });
  tally.push({ cause: 'EACCES', count: refusals.length, students: namesWith((n) => refusals.some((x) => x.name === n)) });

  const rows = students.all().map(({ name, pids }) => {
    const died = (cause: CrashCause) => deaths.some((d) => d.name === name && d.cause === cause);
    const goals: CrashGoals = {
      storeReadOnly: died('store-read-only'),
      afterMunmap: died('after-munmap'),
      pastEof: died('past-eof'),
      refused: refusals.some((x) => x.name === name),
    };
    return { name, pids, goals, done: Object.values(goals).every(Boolean) };
  });
  return { deaths, refusals, tally, students: rows };
}
