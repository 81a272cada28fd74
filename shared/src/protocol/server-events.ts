import { z } from 'zod';
import { hexOut } from './bytes.ts';
import { wireOutcome } from './results.ts';
import { roomSummary, rosterEntry, boardSnapshot, feedEntry } from './replies.ts';
import { lockViewSchema, processViewSchema } from './views.ts';
import { assignment, boardLesson, boardQuiz, chapterNumber, exerciseBrief, exerciseResultsWire, ordering, quizQuestionOut, quizReveal } from './lesson.ts';
import { opReply, queuedOp } from './replies.ts';
import { queueState } from './scheduler.ts';

/** A run of file bytes as they are now, and the pid that last wrote into it. */
export const byteRun = z.object({ offset: z.number(), hex: hexOut, by: z.int() });

/**
 * Batched once per tick per room: the file bytes this student's mappings can
 * see that changed (shared pages, and private pages it has not copied), and
 * the file's size.
 */
export const roomBytesEvent = z.object({ size: z.number(), runs: z.array(byteRun) });

/**
 * Classmates' names by pid, so a student's screen can say "Ada wrote" and
 * "held by Ada". `full` replaces what the student knew (sent when it joins or
 * resumes); otherwise the names are additions (students who joined since).
 */
export const namesEvent = z.object({ names: z.array(z.object({ pid: z.int(), name: z.string() })), full: z.boolean() });

/** This student's process changed because of someone else (teacher signal, a truncation...). */
export const processUpdateEvent = z.object({ process: processViewSchema });

/** Sent the moment a blocked F_SETLKW of this student finishes waiting. */
export const wokeEvent = z.object({ pid: z.int(), outcome: wireOutcome, process: processViewSchema });

/** The teacher rebooted the kernel: every process is gone; join again for a new one. */
export const rebootedEvent = z.object({
  room: roomSummary,
  message: z.string(),
  /** Set when the reboot launched an exercise: join again to get your part in it (Joined.assignment). */
  exercise: exerciseBrief.optional(),
});
export const closedEvent = z.object({ message: z.string() });
/** Another tab or device resumed this student's process: this socket no longer speaks for it. */
export const sessionEndedEvent = z.object({ reason: z.enum(['replaced']), message: z.string() });

export const boardProcess = processViewSchema.extend({ name: z.string(), connected: z.boolean() });
export type BoardProcess = z.infer<typeof boardProcess>;

/** Batched once per tick: what changed since the last update. */
export const boardUpdateEvent = z.object({
  size: z.number(),
  runs: z.array(byteRun),
  processes: z.array(boardProcess),
  /** Present when the lock table changed. */
  locks: z.object({ locks: z.array(lockViewSchema), waitsFor: z.array(z.object({ from: z.int(), to: z.int() })) }).optional(),
  /** Present when settings or the roster changed. */
  room: roomSummary.optional(),
  roster: z.array(rosterEntry).optional(),
  feed: z.array(feedEntry),
  /** Feed entries left out because a tick had too many. */
  feedDropped: z.int(),
});
export type BoardUpdate = z.infer<typeof boardUpdateEvent>;

/** The teacher moved the class to another chapter. */
export const chapterEvent = z.object({ chapter: chapterNumber });
/** Operations are now ordered another way (slow motion, the teacher's queue, arrival again). */
export const orderingEvent = z.object({ ordering, message: z.string() });
/** The teacher stopped the exercise (`exercise` null); the room and processes stay as they are. */
export const exerciseEvent = z.object({ exercise: exerciseBrief.nullable(), message: z.string() });
/** This student's part in the running exercise changed: a late joiner became the partner they waited for. */
export const assignmentEvent = z.object({ assignment });
/** A question to answer, in a new round (the same question asked again is a new round). */
export const quizQuestionEvent = z.object({ round: z.int(), question: quizQuestionOut });
/** This student's operation waits in the teacher's queue; its acknowledgement comes when it runs. */
export const opQueuedEvent = queuedOp;
/** The teacher undid this student's operation: it waits in the queue again. */
export const opUndoneEvent = z.object({ id: z.int(), c: z.string(), message: z.string() });
/** An operation ran again after an undo (redo, replay, or picked again): its acknowledgement was already used. */
export const opAppliedEvent = z.object({ id: z.int(), reply: opReply });
/** An operation the teacher undid never runs: its process died first. Its acknowledgement was already used. */
export const opCancelledEvent = z.object({ id: z.int(), c: z.string(), message: z.string() });
/**
 * The room went back in time (the teacher undid a step): this is the
 * process now; fetch mapped bytes again (view:memory).
 */
export const rewoundEvent = z.object({ process: processViewSchema.nullable(), size: z.number(), message: z.string() });

/** Every event the server sends, with its payload schema. */
export const serverEvents = {
  'room:bytes': roomBytesEvent,
  'room:names': namesEvent,
  'process:update': processUpdateEvent,
  'op:woke': wokeEvent,
  'room:rebooted': rebootedEvent,
  'room:closed': closedEvent,
  'session:ended': sessionEndedEvent,
  'board:update': boardUpdateEvent,
  'board:snapshot': boardSnapshot,
  'lesson:chapter': chapterEvent,
  'lesson:ordering': orderingEvent,
  'lesson:exercise': exerciseEvent,
  'lesson:assignment': assignmentEvent,
  'quiz:question': quizQuestionEvent,
  'quiz:reveal': quizReveal,
  'op:queued': opQueuedEvent,
  'op:undone': opUndoneEvent,
  'op:applied': opAppliedEvent,
  'op:cancelled': opCancelledEvent,
  'room:rewound': rewoundEvent,
  /** Teachers: the lesson changed (chapter, exercise, groups, ordering, question). */
  'board:lesson': z.object({ lesson: boardLesson }),
  /** Teachers, at most once per tick: the teacher's queue. */
  'board:queue': z.object({ queue: queueState }),
  /** Teachers, at most once per tick: the live histogram of the open question. */
  'board:quiz': z.object({ quiz: boardQuiz }),
  /** Teachers, every few seconds while an exercise runs and its log changed. */
  'board:results': z.object({ results: exerciseResultsWire }),
} as const;
