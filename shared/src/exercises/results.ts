import type { OpLog } from '../oplog/types.ts';
import type { ExerciseId } from './catalog.ts';
import { counterResults, lockedCounterResults, type CounterResults, type LockedCounterResults } from './counter.ts';
import { crashResults, type CrashResults } from './crash.ts';
import { deadlockResults, type DeadlockResults } from './deadlock.ts';
import { demoResults, type DemoResults } from './demo.ts';
import { seatResults, type SeatResults } from './seats.ts';
import { visibilityResults, type VisibilityResults } from './visibility.ts';

/** What the board shows for each exercise, tagged with the exercise. */
export type ExerciseResults =
  | { id: 'see-it-change'; results: VisibilityResults }
  | { id: 'shared-vs-private'; results: VisibilityResults }
  | { id: 'crash-course'; results: CrashResults }
  | { id: 'counter-race'; results: CounterResults }
  | { id: 'locked-counter'; results: LockedCounterResults }
  | { id: 'deadlock'; results: DeadlockResults }
  | { id: 'seat-booking'; results: SeatResults }
  | { id: 'demo-program'; results: DemoResults };

export interface ResultsOptions {
  /** Counter exercises: the counter's offset and the increments asked of each student. */
  counter?: { offset?: number; target?: number };
  /** Deadlock: the teacher's pairs, by student name. */
  pairs?: [string, string][];
}

/**
 * The results of exercise `id` from the room's log (a log that begins at
 * the exercise's setup). Pure and deterministic; it replays the log once,
 * so call it when the board needs fresh results (once per tick at most),
 * not per operation.
 */
export function exerciseResults(id: ExerciseId, log: OpLog, options: ResultsOptions = {}): ExerciseResults {
  switch (id) {
    case 'see-it-change': return { id, results: visibilityResults(log) };
    case 'shared-vs-private': return { id, results: visibilityResults(log) };
    case 'crash-course': return { id, results: crashResults(log) };
    case 'counter-race': return { id, results: counterResults(log, options.counter) };
    case 'locked-counter': return { id, results: lockedCounterResults(log, options.counter) };
    case 'deadlock': return { id, results: deadlockResults(log, options.pairs) };
    case 'seat-booking': return { id, results: seatResults(log) };
    case 'demo-program': return { id, results: demoResults(log) };
  }
}
