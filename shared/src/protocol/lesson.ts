import { z } from 'zod';
import { CHAPTERS } from '../content/lesson/index.ts';
import { EXERCISE_IDS } from '../exercises/catalog.ts';
import { MAP_FLAGS } from '../kernel/constants.ts';
import { exerciseResultsSchema } from './exercise-results.ts';

/**
 * The lesson as a live class (issue 6): the live chapter, the running
 * exercise and the student's part in it, how operations are ordered, and
 * the quiz question on screen.
 */

/** A chapter number of the lesson (0 to 8). */
export const chapterNumber = z.int().min(0).max(CHAPTERS.length - 1);

/**
 * How the room orders students' operations: as they arrive; as they arrive
 * but each held back SLOW_MOTION_MS (so races happen in a small class); or
 * queued until the teacher runs them (the teacher as the scheduler).
 */
export const ORDERINGS = ['arrival', 'slow-motion', 'teacher'] as const;
export const ordering = z.enum(ORDERINGS);
export type Ordering = (typeof ORDERINGS)[number];

export const exerciseId = z.enum(EXERCISE_IDS);

/** What the teacher may choose when launching an exercise. */
export const exerciseOptions = z.object({
  /** Counter exercises: increments asked of each student (default 5). */
  increments: z.int().min(1).max(100).optional(),
  /** Hold back each student operation SLOW_MOTION_MS while the exercise runs. */
  slowMotion: z.boolean().optional(),
});
export type ExerciseOptions = z.output<typeof exerciseOptions>;

/** The running exercise as everyone sees it: the checklist and the settings. */
export const exerciseBrief = z.object({
  id: exerciseId,
  /** Counts the exercises launched in this room, from 1: results and exports name it. */
  run: z.int(),
  number: z.int(),
  title: z.string(),
  chapter: z.int(),
  goal: z.string(),
  checklist: z.array(z.string()),
  groups: z.enum(['none', 'halves', 'pairs']),
  increments: z.int(),
  slowMotion: z.boolean(),
});
export type ExerciseBrief = z.infer<typeof exerciseBrief>;

const byteRange = z.object({ start: z.int(), len: z.int() });

/** One student's part in the running exercise. */
export const assignment = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  /** Shared against private: which half, and so which flag to map with. */
  z.object({ kind: z.literal('half'), half: z.enum(['shared', 'private']), flags: z.enum(MAP_FLAGS) }),
  /**
   * Deadlock: the pair's two bytes. Partner 1 locks `first` then `second`,
   * partner 2 the other way round. `partner` is null while the student waits
   * for one (odd class: the next to join).
   */
  z.object({
    kind: z.literal('pair'), pair: z.int(), partner: z.string().nullable(), role: z.union([z.literal(1), z.literal(2)]),
    first: byteRange, second: byteRange,
  }),
]);
export type Assignment = z.infer<typeof assignment>;

/** How the class was divided for the running exercise, by display name (the board's view). */
export const exerciseGroups = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('halves'), shared: z.array(z.string()), private: z.array(z.string()) }),
  z.object({ kind: z.literal('pairs'), pairs: z.array(z.tuple([z.string(), z.string()])), leftOver: z.string().nullable() }),
]);
export type ExerciseGroups = z.infer<typeof exerciseGroups>;

/** A quiz question as students get it: never the answer. */
export const quizQuestionOut = z.object({
  questionId: z.string(),
  chapter: z.int(),
  prompt: z.string(),
  choices: z.array(z.string()),
});
export type QuizQuestionOut = z.infer<typeof quizQuestionOut>;

/** The right answer, sent to everyone when the teacher reveals it. */
export const quizReveal = z.object({
  questionId: z.string(),
  answer: z.int(),
  explanation: z.string(),
  histogram: z.array(z.int()),
  correct: z.int(),
  total: z.int(),
});

/** The board's live view of the question: the answer is shown to the teacher before the reveal. */
export const boardQuiz = z.object({
  question: quizQuestionOut,
  answer: z.int(),
  explanation: z.string(),
  /** Students per choice (each counted once, with their latest answer). */
  histogram: z.array(z.int()),
  answered: z.int(),
  revealed: z.boolean(),
});
export type BoardQuiz = z.infer<typeof boardQuiz>;

/**
 * The question on screen as one student sees it. `round` counts questions
 * asked in the room, so the same question asked again is a new round;
 * `chosen` is this student's answer in this round (null: none yet).
 */
export const studentQuiz = z.object({
  round: z.int(),
  question: quizQuestionOut,
  /** The answer, once revealed. */
  reveal: quizReveal.nullable(),
  chosen: z.int().nullable(),
});
export type StudentQuiz = z.infer<typeof studentQuiz>;

/** Everything a student's screen needs about the lesson, at join and in Joined. */
export const lessonState = z.object({
  chapter: z.int(),
  ordering,
  exercise: exerciseBrief.nullable(),
  /** The question on screen, or null. */
  quiz: studentQuiz.nullable(),
});
export type LessonState = z.infer<typeof lessonState>;

/** The board's view of the lesson: the same plus the groups and the live histogram. */
export const boardLesson = z.object({
  chapter: z.int(),
  ordering,
  exercise: exerciseBrief.nullable(),
  groups: exerciseGroups.nullable(),
  quiz: boardQuiz.nullable(),
});
export type BoardLesson = z.infer<typeof boardLesson>;

/** An exercise's results as of `records` log records of the exercise (its current segment). */
export const exerciseResultsWire = z.object({
  run: z.int(),
  /** Records of the log these results were computed from. */
  records: z.int(),
  /** True once the exercise was stopped: these are its final results. */
  final: z.boolean(),
  /** False when the log filled up (LOG_MAX_RECORDS): the results cover only its first `records` records. */
  complete: z.boolean(),
  exercise: exerciseResultsSchema,
});
export type ExerciseResultsWire = z.infer<typeof exerciseResultsWire>;

export const studentQuizResult = z.object({
  student: z.string(),
  answered: z.int(),
  correct: z.int(),
  points: z.number(),
  answers: z.array(z.object({ questionId: z.string(), choice: z.int(), correct: z.boolean() })),
});
