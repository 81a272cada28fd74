import {
  DEFAULT_COUNTER_SETTINGS, exercise, exerciseResults, type Exercise, type ExerciseId,
} from '@mmap-lab/shared/exercises/index.ts';
import type { OpLog } from '@mmap-lab/shared/oplog/index.ts';
import type { ExerciseBrief, ExerciseOptions, ExerciseResultsWire } from '@mmap-lab/shared/protocol/lesson.ts';
import type { RunRow } from '../../persistence/lesson-store.ts';
import { ExerciseGrouping } from './groups.ts';

/** One launch of an exercise: what the teacher chose, and how the class was divided. */
export class ExerciseRun {
  readonly run: number;
  readonly exercise: Exercise;
  readonly increments: number;
  readonly slowMotion: boolean;
  readonly grouping: ExerciseGrouping;
  readonly startedAt: number;

  constructor(row: Pick<RunRow, 'run' | 'exercise' | 'increments' | 'slowMotion' | 'groups' | 'startedAt'>) {
    this.run = row.run;
    this.exercise = exercise(row.exercise);
    this.increments = row.increments;
    this.slowMotion = row.slowMotion;
    this.grouping = new ExerciseGrouping(row.groups);
    this.startedAt = row.startedAt;
  }

  /** A new run, its groups made from the students present (in join order). */
  static launch(run: number, id: ExerciseId, options: ExerciseOptions, names: readonly string[]): ExerciseRun {
    const e = exercise(id);
    return new ExerciseRun({
      run,
      exercise: id,
      increments: options.increments ?? DEFAULT_COUNTER_SETTINGS.increments,
      slowMotion: options.slowMotion ?? false,
      groups: ExerciseGrouping.launch(e.groups, names).view,
      startedAt: Date.now(),
    });
  }

  get id(): ExerciseId {
    return this.exercise.id;
  }

  row(): RunRow {
    return {
      run: this.run, exercise: this.id, increments: this.increments, slowMotion: this.slowMotion, groups: this.grouping.view,
      startedAt: this.startedAt, stoppedAt: null, endSegment: null, endSeq: null,
    };
  }

  brief(): ExerciseBrief {
    const e = this.exercise;
    return {
      id: e.id, run: this.run, number: e.number, title: e.title, chapter: e.chapter, goal: e.goal,
      checklist: [...e.checklist], groups: e.groups, increments: this.increments, slowMotion: this.slowMotion,
    };
  }

  /** The results of this run over `log` (a log that began at its setup, or at a restart during it). */
  results(log: OpLog, final: boolean, complete: boolean): ExerciseResultsWire {
    return { run: this.run, records: log.records.length, final, complete, exercise: resultsOf(this.row(), log) };
  }
}

/** exerciseResults with a run's settings: the counter's target, the deadlock's pairs. */
export function resultsOf(row: Pick<RunRow, 'exercise' | 'increments' | 'groups'>, log: OpLog) {
  return exerciseResults(row.exercise, log, {
    counter: { offset: DEFAULT_COUNTER_SETTINGS.offset, target: row.increments },
    pairs: row.groups.kind === 'pairs' ? row.groups.pairs : undefined,
  });
}
