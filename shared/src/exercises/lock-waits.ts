import type { HeldLockType } from '../kernel/constants.ts';
import type { Pid } from '../kernel/types.ts';
import type { OpLog } from '../oplog/types.ts';

/** One F_SETLKW that had to wait, from the record that blocked to the one that let it go. */
export interface LockWait {
  pid: Pid;
  name: string;
  /** start and len as given (signed 64-bit), in decimal. */
  request: { type: HeldLockType; start: string; len: string };
  /** The holder of the lock it waited on when it blocked. */
  holder: Pid;
  blockedSeq: number;
  /** The record that ended the wait, or null if it still waits at the end of the log. */
  endSeq: number | null;
  outcome: 'granted' | 'EDEADLK' | 'killed' | 'waiting';
  /** Records applied while it waited (the exact measure: the kernel has no clock). */
  steps: number;
  /** Milliseconds, when the records carry times. */
  ms?: number;
}

const decimal = (v: bigint): string => BigInt.asIntN(64, v).toString(10);

/** Every lock wait in the log, in the order they began. */
export function lockWaits(log: OpLog): LockWait[] {
  const waits: LockWait[] = [];
  const open = new Map<Pid, { wait: LockWait; at?: number }>();
  const close = (pid: Pid, seq: number, outcome: LockWait['outcome'], at?: number) => {
    const o = open.get(pid);
    if (o === undefined) return;
    open.delete(pid);
    o.wait.endSeq = seq;
    o.wait.outcome = outcome;
    o.wait.steps = seq - o.wait.blockedSeq;
    if (o.at !== undefined && at !== undefined) o.wait.ms = at - o.at;
  };
  for (const r of log.records) {
    if (r.kind === 'op' && r.op.op === 'lock' && r.result.kind === 'blocked' && r.op.type !== 'F_UNLCK') {
      const wait: LockWait = {
        pid: r.pid,
        name: r.name,
        request: { type: r.op.type, start: decimal(r.op.start), len: decimal(r.op.len) },
        holder: r.result.on.pid,
        blockedSeq: r.seq,
        endSeq: null,
        outcome: 'waiting',
        steps: 0,
      };
      waits.push(wait);
      open.set(r.pid, { wait, at: r.at });
    }
    if (r.kind === 'signal' && r.signal === 'SIGKILL') close(r.pid, r.seq, 'killed', r.at);
    for (const w of r.woke) close(w.pid, r.seq, w.result.kind === 'ok' ? 'granted' : 'EDEADLK', r.at);
  }
  const last = log.records.length - 1;
  for (const { wait } of open.values()) wait.steps = last - wait.blockedSeq;
  return waits;
}

/** Per student: how many waits, and how long in records and (when known) milliseconds. */
export function waitTotals(waits: LockWait[]): { name: string; waits: number; steps: number; ms: number | null }[] {
  const totals = new Map<string, { name: string; waits: number; steps: number; ms: number | null }>();
  for (const w of waits) {
    let t = totals.get(w.name);
    if (t === undefined) totals.set(w.name, (t = { name: w.name, waits: 0, steps: 0, ms: 0 }));
    t.waits++;
    t.steps += w.steps;
    t.ms = w.ms === undefined || t.ms === null ? null : t.ms + w.ms;
  }
  return [...totals.values()];
}
