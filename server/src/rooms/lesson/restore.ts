import type { LessonStore } from '../../persistence/lesson-store.ts';
import { ExerciseRun } from './exercise-run.ts';
import type { RestoredLesson } from './room-lesson.ts';

/**
 * The lesson as the store has it after a restart: the live chapter, the
 * running exercise (its groups and settings), how operations are ordered
 * and the question on screen with its answers. Processes are gone; the log
 * starts a new segment.
 */
export function restoreLesson(lessons: LessonStore, code: string): RestoredLesson {
  const row = lessons.lesson(code);
  const run = row.run === null ? undefined : lessons.runs(code).find((r) => r.run === row.run && r.stoppedAt === null);
  const round = row.round === null ? undefined : lessons.rounds(code).find((r) => r.round === row.round);
  return {
    chapter: row.chapter,
    ordering: { kind: row.ordering, seed: row.seed },
    exercise: run === undefined ? null : new ExerciseRun(run),
    quiz: round === undefined ? null : { round, answers: lessons.answers(code).filter((a) => a.round === round.round) },
  };
}
