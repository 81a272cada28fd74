import { z } from 'zod';
import { LIMITS } from './limits.ts';
import {
  boardQuiz, chapterNumber, exerciseBrief, exerciseId, exerciseOptions, exerciseResultsWire, quizQuestionOut, quizReveal, studentQuizResult,
} from './lesson.ts';
import { roomSummary } from './replies.ts';

/** Payloads and acknowledgements of the lesson's events (chapters, exercises, quiz). */

export const teacherChapterRequest = z.object({ chapter: chapterNumber });

export const exerciseStartRequest = z.object({ id: exerciseId, options: exerciseOptions.default({}) });
export const exerciseStartReply = z.object({ room: roomSummary, exercise: exerciseBrief });
/** Without `run`: the running exercise (or the last one, once stopped). With it: that earlier run's results. */
export const exerciseResultsRequest = z.object({ run: z.int().min(1).max(1_000_000).optional() });
/** Null before any exercise. */
export const exerciseResultsReply = z.object({ results: exerciseResultsWire.nullable() });

/** Question ids are `c<chapter>-<slug>`: short ASCII. */
export const questionId = z.string().min(1).max(LIMITS.QUESTION_ID_MAX).regex(/^[a-z0-9-]+$/, 'a question id');
/**
 * The board's question picker asks the server for a chapter's questions:
 * the bank never ships in the client build, where anyone could read its
 * answers during a live quiz. The picker shows prompts only, so the reply
 * has no answers either; the board gets the answer once the question is asked.
 */
export const quizBankRequest = z.object({ chapter: chapterNumber });
export const quizBankReply = z.object({ questions: z.array(quizQuestionOut) });
export const quizPushRequest = z.object({ questionId });
export const quizPushReply = z.object({ quiz: boardQuiz });
export const quizRevealReply = z.object({ reveal: quizReveal });
export const quizResultsReply = z.object({ results: z.array(studentQuizResult) });

export const quizAnswerRequest = z.object({ questionId, choice: z.int().min(0).max(LIMITS.QUIZ_CHOICES_MAX - 1) });
/** `changed`: the student had answered this question before; the new choice replaces the old. */
export const quizAnswerReply = z.object({ status: z.enum(['accepted', 'changed']) });
