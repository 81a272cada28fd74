import { z } from 'zod';
import { OP_NAMES } from './ops.ts';
import { int64Out } from './wire-int.ts';
import { CRASH_CAUSES } from '../exercises/crash.ts';
import type { ExerciseResults } from '../exercises/results.ts';
import type { OpName } from '../kernel/types.ts';

/**
 * Zod mirrors of the exercise results (shared/src/exercises/*), so the board
 * can check what the server pushes. They are plain JSON already (numbers,
 * strings, booleans, null), so the wire form is the results themselves; the
 * type assertion at the bottom fails to compile if the two drift apart.
 */
const pids = z.array(z.int());
const held = z.enum(['F_RDLCK', 'F_WRLCK']);
/** A lock request's start and len as the student gave them (64-bit, signed), in decimal: exact past 2^53. */
const range = { type: held, start: int64Out, len: int64Out };

const increment = z.object({
  pid: z.int(), name: z.string(), loadSeq: z.int(), storeSeq: z.int(), loaded: z.int(), stored: z.int(), locked: z.boolean(),
});
const counterStudent = z.object({
  name: z.string(), pids, increments: z.int(), lost: z.int(), overwrote: z.int(), done: z.boolean(),
});
export const counterResultsSchema = z.object({
  offset: z.int(),
  initial: z.int(),
  increments: z.int(),
  expected: z.int(),
  actual: z.int(),
  expectedByte: z.int(),
  lost: z.int(),
  lostUpdates: z.array(z.object({
    lost: increment,
    overwrittenBy: z.object({ pid: z.int(), name: z.string(), seq: z.int(), increment: increment.nullable() }),
  })),
  pairs: z.array(z.object({ overwriter: z.string(), victim: z.string(), count: z.int() })),
  students: z.array(counterStudent),
  strays: z.int(),
  unlocked: z.int(),
});

export const lockWaitSchema = z.object({
  pid: z.int(),
  name: z.string(),
  request: z.object(range),
  holder: z.int(),
  blockedSeq: z.int(),
  endSeq: z.int().nullable(),
  outcome: z.enum(['granted', 'EDEADLK', 'killed', 'waiting']),
  steps: z.int(),
  ms: z.number().optional(),
});

export const lockedCounterResultsSchema = counterResultsSchema.extend({
  waits: z.array(lockWaitSchema),
  waitTotals: z.array(z.object({ name: z.string(), waits: z.int(), steps: z.int(), ms: z.number().nullable() })),
  refusals: z.int(),
  totalWaitSteps: z.int(),
  totalWaitMs: z.number().nullable(),
});

export const deadlockResultsSchema = z.object({
  deadlocks: z.array(z.object({
    seq: z.int(), pid: z.int(), name: z.string(), viaWake: z.boolean(), request: z.object(range),
    cycle: z.array(z.object({ pid: z.int(), name: z.string() })),
  })),
  waits: z.array(lockWaitSchema),
  pairs: z.array(z.object({
    a: z.string(), b: z.string(), outcome: z.enum(['deadlock', 'waited', 'still-waiting', 'no-contention']), refused: z.string().nullable(),
  })),
  waitsFor: z.array(z.object({ from: z.string(), to: z.string() })),
});

const claim = z.object({ name: z.string(), pid: z.int(), seq: z.int(), mark: z.string() });
export const seatResultsSchema = z.object({
  seats: z.array(z.object({ seat: z.string(), offset: z.int(), holder: z.string().nullable(), mark: z.string() })),
  claims: z.int(),
  doubleBookings: z.array(z.object({
    seat: z.string(), offset: z.int(), first: claim, second: claim, kind: z.enum(['race', 'overwrote', 'blind']), secondLocked: z.boolean(),
  })),
  unlockedClaims: z.int(),
  students: z.array(z.object({ name: z.string(), claims: z.int(), seatsHeld: z.int(), lostSeats: z.int() })),
});

const crashCause = z.enum(CRASH_CAUSES);
export const crashResultsSchema = z.object({
  deaths: z.array(z.object({
    seq: z.int(), pid: z.int(), name: z.string(), cause: crashCause, signal: z.enum(['SIGSEGV', 'SIGBUS', 'SIGKILL']),
  })),
  refusals: z.array(z.object({ seq: z.int(), pid: z.int(), name: z.string(), op: z.enum(OP_NAMES as [OpName, ...OpName[]]) })),
  tally: z.array(z.object({ cause: z.union([crashCause, z.literal('EACCES')]), count: z.int(), students: z.array(z.string()) })),
  students: z.array(z.object({
    name: z.string(),
    pids,
    goals: z.object({ storeReadOnly: z.boolean(), afterMunmap: z.boolean(), pastEof: z.boolean(), refused: z.boolean() }),
    done: z.boolean(),
  })),
});

export const visibilityResultsSchema = z.object({
  stores: z.array(z.object({
    seq: z.int(), pid: z.int(), name: z.string(), offset: z.number(), page: z.int(), value: z.int(), shared: z.boolean(),
    seenBy: z.array(z.string()), missedBy: z.array(z.string()),
  })),
  sees: z.array(z.object({ viewer: z.string(), writer: z.string(), page: z.int(), count: z.int() })),
  copies: z.array(z.object({ seq: z.int(), pid: z.int(), name: z.string(), map: z.int(), page: z.int() })),
  pages: z.array(z.object({ page: z.int(), sharedStores: z.int(), privateStores: z.int(), copiedBy: z.array(z.string()) })),
  students: z.array(z.object({
    name: z.string(), pids, mapping: z.enum(['shared', 'private', 'both', 'none']), stores: z.int(), sawOthers: z.int(), seenByOthers: z.int(),
  })),
});

export const demoResultsSchema = z.object({
  students: z.array(z.object({
    name: z.string(), pids, runs: z.array(z.object({ seq: z.int(), offset: z.number(), line: z.string() })), refused: z.int(), faults: z.int(),
  })),
  offsets: z.array(z.object({ offset: z.number(), value: z.int(), count: z.int() })),
});

/** `exerciseResults(id, log)` as it travels: tagged with the exercise's id. */
export const exerciseResultsSchema = z.discriminatedUnion('id', [
  z.object({ id: z.literal('see-it-change'), results: visibilityResultsSchema }),
  z.object({ id: z.literal('shared-vs-private'), results: visibilityResultsSchema }),
  z.object({ id: z.literal('crash-course'), results: crashResultsSchema }),
  z.object({ id: z.literal('counter-race'), results: counterResultsSchema }),
  z.object({ id: z.literal('locked-counter'), results: lockedCounterResultsSchema }),
  z.object({ id: z.literal('deadlock'), results: deadlockResultsSchema }),
  z.object({ id: z.literal('seat-booking'), results: seatResultsSchema }),
  z.object({ id: z.literal('demo-program'), results: demoResultsSchema }),
]);

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameResults: Same<z.infer<typeof exerciseResultsSchema>, ExerciseResults> = true;
void sameResults;
