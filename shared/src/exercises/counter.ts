import { initialByte } from '../kernel/page-cache.ts';
import type { Pid } from '../kernel/types.ts';
import { replayLog } from '../oplog/replay.ts';
import type { OpLog } from '../oplog/types.ts';
import { accessCollector, combineHooks, type MemoryAccess } from './accesses.ts';
import { lockWaits, waitTotals, type LockWait } from './lock-waits.ts';
import { Students } from './students.ts';

/**
 * The counter race (exercise 4) and the locked counter (exercise 5).
 *
 * An *increment* is a student's load of the counter byte followed by that
 * student's next store to it of the loaded value plus one, both through
 * the file's page (a shared mapping). Each store replaces the counter with
 * what its student saw at the load, plus one. So the increments the
 * counter still reflects form a chain: a store's chain is the chain that
 * was current at its load, plus itself. An increment is *lost* when no
 * later chain holds it; it was lost to the store that last replaced a
 * chain holding it with one that did not: that student's load came before
 * the lost store, and their store came after it. Those two students' load
 * and store pairs overlapped, and the lost update is theirs.
 */
export interface Increment {
  pid: Pid;
  name: string;
  loadSeq: number;
  storeSeq: number;
  loaded: number;
  stored: number;
  /** Both the load and the store ran under the student's write lock on the counter. */
  locked: boolean;
}

export interface LostUpdate {
  /** The increment whose effect vanished. */
  lost: Increment;
  /** The store that overwrote it, or the stray write (not an increment) that did. */
  overwrittenBy: { pid: Pid; name: string; seq: number; increment: Increment | null };
}

export interface CounterStudent {
  name: string;
  pids: Pid[];
  increments: number;
  /** Of this student's increments, how many the counter lost. */
  lost: number;
  /** Other students' increments this student's stores overwrote. */
  overwrote: number;
  /** Reached the exercise's target of increments. */
  done: boolean;
}

export interface CounterResults {
  offset: number;
  initial: number;
  increments: number;
  /** initial + increments: what the counter would say if nothing were lost. */
  expected: number;
  /** The byte in the file at the end (a byte: it wraps at 256). */
  actual: number;
  /** `expected` as a byte, to set beside `actual`. */
  expectedByte: number;
  lost: number;
  lostUpdates: LostUpdate[];
  /** Overwriter and victim, with how many of the victim's increments that overwriter's stores wiped out. */
  pairs: { overwriter: string; victim: string; count: number }[];
  students: CounterStudent[];
  /** Writes to the counter that were not increments (a hand-typed value, a pwrite): they reset the chain. */
  strays: number;
  /** Increments done without holding a write lock over the counter. */
  unlocked: number;
}

export interface CounterOptions {
  /** File offset of the counter (default 0). */
  offset?: number;
  /** Increments each student is asked to do (for `done`; default 5). */
  target?: number;
}

interface Node {
  parent: Node | null;
  depth: number;
  increment: Increment | null;
  /** Who wrote it: the increment's student, or a stray writer. */
  pid: Pid;
  seq: number;
}

/** The increments on a's chain that are not on b's chain (a and b may be null: the initial value). */
function droppedBetween(a: Node | null, b: Node | null): Increment[] {
  const out: Increment[] = [];
  const depth = (n: Node | null) => (n === null ? -1 : n.depth);
  while (depth(a) > depth(b)) {
    if (a!.increment !== null) out.push(a!.increment);
    a = a!.parent;
  }
  while (depth(b) > depth(a)) b = b!.parent;
  while (a !== b) {
    if (a!.increment !== null) out.push(a!.increment);
    a = a!.parent;
    b = b!.parent;
  }
  return out;
}

/** Results of the counter race from a room's log. */
export function counterResults(log: OpLog, options: CounterOptions = {}): CounterResults {
  const offset = options.offset ?? 0;
  const target = options.target ?? 5;
  const students = new Students(log);
  const initial = initialByte(log.file, log.pageSize, offset);
  const increments: Increment[] = [];
  const lastOverwrite = new Map<Increment, Node>();
  // Assigned inside the replay's hooks: typed by hand so narrowing does not pin it to null.
  let current = null as Node | null;
  let strays = 0;
  /** Each student's last load of the counter: the chain it saw, the value and whether it was locked. */
  const loads = new Map<Pid, { node: Node | null; value: number; seq: number; locked: boolean }>();
  let before = 0;
  let byIncrement = false;

  const replace = (next: Node) => {
    for (const inc of droppedBetween(current, next)) lastOverwrite.set(inc, next);
    current = next;
  };
  const onAccess = (a: MemoryAccess) => {
    if (a.offset !== offset || !a.reachesFile || a.value === null) return;
    if (a.kind === 'load') {
      loads.set(a.pid, { node: current, value: a.value, seq: a.seq, locked: a.underWriteLock });
      return;
    }
    const load = loads.get(a.pid);
    loads.delete(a.pid);
    byIncrement = true;
    if (load !== undefined && a.value === ((load.value + 1) & 0xff)) {
      const inc: Increment = {
        pid: a.pid, name: a.name, loadSeq: load.seq, storeSeq: a.seq, loaded: load.value, stored: a.value,
        locked: load.locked && a.underWriteLock,
      };
      increments.push(inc);
      replace({ parent: load.node, depth: load.node === null ? 0 : load.node.depth + 1, increment: inc, pid: a.pid, seq: a.seq });
    } else {
      strays++;
      replace({ parent: null, depth: 0, increment: null, pid: a.pid, seq: a.seq });
    }
  };
  const collector = accessCollector(onAccess);
  const kernel = replayLog(log, {
    hooks: combineHooks(
      { before: (_r, k) => { before = k.state.cache.readByte(offset); byIncrement = false; } },
      collector,
      {
        // Any other change to the byte (pwrite, ftruncate, a store a replay saw as stray) resets the chain.
        after: (r, _o, k) => {
          if (!byIncrement && k.state.cache.readByte(offset) !== before) {
            strays++;
            replace({ parent: null, depth: 0, increment: null, pid: r.pid, seq: r.seq });
          }
        },
      },
    ),
  });

  const kept = new Set<Increment>();
  for (let n: Node | null = current; n !== null; n = n.parent) if (n.increment !== null) kept.add(n.increment);
  const lostUpdates: LostUpdate[] = increments
    .filter((inc) => !kept.has(inc))
    .map((inc) => {
      const by = lastOverwrite.get(inc)!;
      return { lost: inc, overwrittenBy: { pid: by.pid, name: students.name(by.pid), seq: by.seq, increment: by.increment } };
    });

  const pairCounts = new Map<string, { overwriter: string; victim: string; count: number }>();
  const perStudent = new Map<string, CounterStudent>();
  const studentOf = (name: string) => {
    let s = perStudent.get(name);
    if (s === undefined) perStudent.set(name, (s = { name, pids: students.ref(name).pids, increments: 0, lost: 0, overwrote: 0, done: false }));
    return s;
  };
  for (const ref of students.all()) studentOf(ref.name);
  for (const inc of increments) studentOf(inc.name).increments++;
  for (const { lost, overwrittenBy } of lostUpdates) {
    studentOf(lost.name).lost++;
    studentOf(overwrittenBy.name).overwrote++;
    const key = JSON.stringify([overwrittenBy.name, lost.name]);
    const pair = pairCounts.get(key) ?? { overwriter: overwrittenBy.name, victim: lost.name, count: 0 };
    pair.count++;
    pairCounts.set(key, pair);
  }
  for (const s of perStudent.values()) s.done = s.increments >= target;

  const expected = initial + increments.length;
  return {
    offset,
    initial,
    increments: increments.length,
    expected,
    actual: kernel.state.cache.readByte(offset),
    expectedByte: expected & 0xff,
    lost: lostUpdates.length,
    lostUpdates,
    pairs: [...pairCounts.values()].sort((a, b) => b.count - a.count),
    students: [...perStudent.values()],
    strays,
    unlocked: increments.filter((i) => !i.locked).length,
  };
}

/** The locked counter: the same count, and the waiting the locks cost. */
export interface LockedCounterResults extends CounterResults {
  waits: LockWait[];
  waitTotals: ReturnType<typeof waitTotals>;
  /** F_SETLK attempts refused with EAGAIN (students who tried without waiting). */
  refusals: number;
  totalWaitSteps: number;
  totalWaitMs: number | null;
}

export function lockedCounterResults(log: OpLog, options: CounterOptions = {}): LockedCounterResults {
  const base = counterResults(log, options);
  const waits = lockWaits(log);
  const totals = waitTotals(waits);
  let refusals = 0;
  for (const r of log.records) if (r.kind === 'op' && r.op.op === 'lock' && r.result.kind === 'errno' && r.result.errno === 'EAGAIN') refusals++;
  return {
    ...base,
    waits,
    waitTotals: totals,
    refusals,
    totalWaitSteps: waits.reduce((n, w) => n + w.steps, 0),
    totalWaitMs: waits.every((w) => w.ms !== undefined) ? waits.reduce((n, w) => n + (w.ms ?? 0), 0) : null,
  };
}

/** One bar group of the board's chart: the unlocked round beside the locked one. */
export interface CounterRoundBar {
  round: 'unlocked' | 'locked';
  expected: number;
  /** The initial value plus the increments the counter kept (a count, not wrapped at 256). */
  actual: number;
  lost: number;
  waitSteps: number;
  waitMs: number | null;
}

export function compareCounterRounds(unlocked: CounterResults, locked: LockedCounterResults): CounterRoundBar[] {
  const bar = (round: CounterRoundBar['round'], r: CounterResults, waitSteps: number, waitMs: number | null): CounterRoundBar =>
    ({ round, expected: r.expected, actual: r.initial + r.increments - r.lost, lost: r.lost, waitSteps, waitMs });
  return [bar('unlocked', unlocked, 0, null), bar('locked', locked, locked.totalWaitSteps, locked.totalWaitMs)];
}
