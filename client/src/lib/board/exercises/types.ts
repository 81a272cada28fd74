import type { ExerciseResults } from '@mmap-lab/shared/exercises/results.ts';

/** The results of one exercise, by its id. */
export type ResultsOf<I extends ExerciseResults['id']> = Extract<ExerciseResults, { id: I }>['results'];
