import { z } from 'zod';
import { exerciseResultsSchema } from './exercise-results.ts';
import { exerciseGroups, exerciseId, studentQuizResult } from './lesson.ts';
import { rosterEntry } from './replies.ts';

/**
 * After class: GET /api/rooms/:code/export.json (teacher credential as a
 * Bearer token). The class report of shared/report plus how the log and the
 * exercises were cut: a segment per kernel life (creation, each reboot or
 * exercise setup, each restart), each with its trace; a run per exercise
 * launched, with its results per segment.
 */

const omitted = z.object({ seq: z.int(), reason: z.string() });

/** One kernel life of the room, as a trace that replays with `pnpm trace`. */
export const exportSegment = z.object({
  segment: z.int(),
  reason: z.enum(['created', 'restart', 'reboot', 'exercise']),
  /** Milliseconds since the epoch. */
  startedAt: z.number(),
  pageSize: z.int(),
  /** The exercise run it belongs to. */
  run: z.int().nullable(),
  records: z.int(),
  /** The log filled up (LOG_MAX_RECORDS): later operations of this kernel life were applied but not recorded. */
  logFull: z.boolean(),
  trace: z.string(),
  /** What running `trace` prints: the results the room's kernel gave, in the trace contract's format. */
  expected: z.array(z.string()),
  /** Records written as comments (they changed nothing a trace can say). */
  omitted: z.array(omitted),
  /**
   * Set when the trace had to stop early, at the first record it cannot say: a signal to a process
   * waiting in F_SETLKW, or a result the room's memory limit decided (no trace statement has either).
   */
  stoppedAt: omitted.optional(),
});
export type ExportSegment = z.infer<typeof exportSegment>;

/** One exercise launched: its settings and its results, per segment it spans (a restart starts a new one). */
export const exportRun = z.object({
  run: z.int(),
  id: exerciseId,
  startedAt: z.number(),
  stoppedAt: z.number().nullable(),
  increments: z.int(),
  slowMotion: z.boolean(),
  groups: exerciseGroups,
  parts: z.array(z.object({
    segment: z.int(),
    records: z.int(),
    /** The CSV table of this part: GET /api/rooms/:code/export/<table>.csv */
    table: z.string(),
    exercise: exerciseResultsSchema,
  })),
});

const quizQuestionFull = z.object({
  id: z.string(), chapter: z.int(), prompt: z.string(), choices: z.array(z.string()), answer: z.int(), explanation: z.string(),
});

export const classExport = z.object({
  format: z.literal('mmap-lab class report'),
  version: z.literal(1),
  room: z.object({ code: z.string(), pageSize: z.int(), template: z.string() }),
  /** Every name that joined (live students first, in join order), with its latest pid. */
  roster: z.array(rosterEntry),
  /** Every part of every run's results, in run order. */
  exercises: z.array(exerciseResultsSchema),
  quiz: z.object({
    questions: z.array(quizQuestionFull),
    answers: z.array(z.object({ questionId: z.string(), student: z.string(), choice: z.int(), at: z.number().optional() })),
    results: z.array(studentQuizResult),
  }),
  /** The current segment's trace (each segment's is in `segments`). */
  trace: z.string().optional(),
  runs: z.array(exportRun),
  segments: z.array(exportSegment),
  /** The CSV tables: GET /api/rooms/:code/export/<name>.csv */
  tables: z.array(z.string()),
});
export type ClassExport = z.infer<typeof classExport>;
