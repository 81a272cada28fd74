import type { Kernel } from '../kernel/kernel.ts';
import type { OpOf, Pid } from '../kernel/types.ts';
import { kernelView } from '../kernel/views.ts';
import { replayLog } from '../oplog/replay.ts';
import type { OpLog } from '../oplog/types.ts';
import { lockWaits, type LockWait } from './lock-waits.ts';
import { Students } from './students.ts';

/** A lock request that got EDEADLK: the one that would have closed a cycle of waits. */
export interface DeadlockEvent {
  seq: number;
  pid: Pid;
  name: string;
  /** False: refused at once. True: it was waiting, woke, and found the cycle when it tried again. */
  viaWake: boolean;
  /** start and len as given (signed 64-bit), in decimal. */
  request: { type: 'F_RDLCK' | 'F_WRLCK'; start: string; len: string };
  /**
   * The chain of waits the kernel followed, from the requester: the holder
   * of the lock it asked for, whom that holder waits for, and so on, ending
   * with the requester again when the chain closed.
   */
  cycle: { pid: Pid; name: string }[];
}

export type PairOutcome = 'deadlock' | 'waited' | 'still-waiting' | 'no-contention';

export interface DeadlockPair {
  a: string;
  b: string;
  outcome: PairOutcome;
  /** Who got EDEADLK, when the pair deadlocked. */
  refused: string | null;
}

export interface DeadlockResults {
  deadlocks: DeadlockEvent[];
  waits: LockWait[];
  /** One row per pair the teacher formed (or, without pairs, per pair that met in a deadlock). */
  pairs: DeadlockPair[];
  /** Who waits for whom at the end of the log: the board's wait-for graph. */
  waitsFor: { from: string; to: string }[];
}

const MAX_CHAIN = 20;
const decimal = (v: bigint): string => BigInt.asIntN(64, v).toString(10);

/** The chain from `pid` through the holder of the lock it asked for, following who waits for whom. */
function chainOf(kernel: Kernel, pid: Pid, request: OpOf<'lock'>): Pid[] {
  if (request.type === 'F_UNLCK') return [pid];
  const probe = kernel.apply(pid, { op: 'getlk', fd: request.fd, type: request.type, start: request.start, len: request.len });
  if (probe.result.kind !== 'lock') return [pid];
  const next = new Map(kernelView(kernel.state).waitsFor.map((e) => [e.from, e.to]));
  const chain = [pid, probe.result.lock.pid];
  for (let cur = chain[1]; cur !== pid && chain.length < MAX_CHAIN; ) {
    const to = next.get(cur);
    if (to === undefined) break;
    chain.push(to);
    cur = to;
  }
  return chain;
}

/**
 * Results of the deadlock exercise: every EDEADLK with the cycle behind
 * it, every wait, and per pair what happened. `pairs` are the teacher's
 * pairs by student name.
 */
export function deadlockResults(log: OpLog, pairs?: [string, string][]): DeadlockResults {
  const students = new Students(log);
  const deadlocks: DeadlockEvent[] = [];
  const waiting = new Map<Pid, OpOf<'lock'>>();
  const event = (kernel: Kernel, seq: number, pid: Pid, op: OpOf<'lock'>, viaWake: boolean) => {
    if (op.type === 'F_UNLCK') return;
    deadlocks.push({
      seq,
      pid,
      name: students.name(pid),
      viaWake,
      request: { type: op.type, start: decimal(op.start), len: decimal(op.len) },
      cycle: chainOf(kernel, pid, op).map((p) => ({ pid: p, name: students.name(p) })),
    });
  };
  const kernel = replayLog(log, {
    hooks: {
      after(r, _outcome, kernel) {
        if (r.kind === 'op' && r.op.op === 'lock') {
          if (r.result.kind === 'blocked') waiting.set(r.pid, r.op);
          if (r.result.kind === 'errno' && r.result.errno === 'EDEADLK') event(kernel, r.seq, r.pid, r.op, false);
        }
        for (const w of r.woke) {
          const op = waiting.get(w.pid);
          waiting.delete(w.pid);
          if (op !== undefined && w.result.kind === 'errno' && w.result.errno === 'EDEADLK') event(kernel, r.seq, w.pid, op, true);
        }
      },
    },
  });
  const waits = lockWaits(log);
  const waitsFor = kernelView(kernel.state).waitsFor.map((e) => ({ from: students.name(e.from), to: students.name(e.to) }));

  const named = (pids: Pid[]) => new Set(pids.map((p) => students.name(p)));
  const teams = pairs ?? uniquePairs(deadlocks.map((d) => [d.name, d.cycle[1]?.name ?? d.name]));
  const rows = teams.map(([a, b]): DeadlockPair => {
    const both = (x: string, y: string) => (x === a && y === b) || (x === b && y === a);
    const dl = deadlocks.find((d) => (d.name === a || d.name === b) && named(d.cycle.map((c) => c.pid)).has(d.name === a ? b : a));
    if (dl !== undefined) return { a, b, outcome: 'deadlock', refused: dl.name };
    if (waitsFor.some((e) => both(e.from, e.to))) return { a, b, outcome: 'still-waiting', refused: null };
    if (waits.some((w) => both(w.name, students.name(w.holder)))) return { a, b, outcome: 'waited', refused: null };
    return { a, b, outcome: 'no-contention', refused: null };
  });
  return { deadlocks, waits, pairs: rows, waitsFor };
}

function uniquePairs(pairs: [string, string][]): [string, string][] {
  const seen = new Set<string>();
  const out: [string, string][] = [];
  for (const [x, y] of pairs) {
    if (x === y) continue;
    const key = JSON.stringify([x, y].sort());
    if (!seen.has(key)) out.push([x, y]);
    seen.add(key);
  }
  return out;
}

/**
 * The two byte ranges pair number `pair` (from 0) locks in the exercise:
 * one byte each, two bytes per pair, so pairs never touch each other's locks.
 */
export function deadlockRanges(pair: number): { first: { start: number; len: number }; second: { start: number; len: number } } {
  return { first: { start: 2 * pair, len: 1 }, second: { start: 2 * pair + 1, len: 1 } };
}
