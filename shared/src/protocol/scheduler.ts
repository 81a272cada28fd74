import { z } from 'zod';
import { ordering } from './lesson.ts';

/**
 * The teacher as the scheduler: students' operations wait in a queue at the
 * server and the teacher picks what runs next.
 */

/** How many of the steps run the queue's state lists. */
export const RECENT_STEPS = 20;

/** A seed for the random picks: shown on the board, so a run can be repeated. */
export const schedulerSeed = z.int().min(0).max(0xffffffff);

/** One waiting operation, as the board lists it. */
export const queueRow = z.object({
  /** Counts arrivals from 1: `teacher:scheduler:run` names a row by it. */
  id: z.int(),
  pid: z.int(),
  name: z.string(),
  /** The operation as the C line it stands for. */
  c: z.string(),
  /** False when an earlier operation of the same process waits (a process runs its operations in order), or its process cannot run now. */
  choosable: z.boolean(),
  /** Why it cannot be chosen: an earlier operation first, or its process is stopped (SIGSTOP) or blocked (in F_SETLKW). */
  waits: z.enum(['earlier', 'stopped', 'blocked']).optional(),
});

/** One operation the teacher let run, with what it returned. */
export const scheduledStep = z.object({
  id: z.int(),
  pid: z.int(),
  name: z.string(),
  c: z.string(),
  display: z.string(),
  how: z.enum(['index', 'round-robin', 'random', 'arrival', 'redo']),
});
export type ScheduledStepWire = z.infer<typeof scheduledStep>;

/** The queue and the controls' state, sent to the board whenever it changes. */
export const queueState = z.object({
  ordering,
  seed: z.int(),
  rows: z.array(queueRow),
  canUndo: z.boolean(),
  canRedo: z.boolean(),
  /** Steps the teacher has run since the scheduler started (undone steps are not counted). */
  steps: z.int(),
  /** The latest of those steps, newest first, so every board device shows the same history (a reboot starts it again). */
  recent: z.array(scheduledStep).max(RECENT_STEPS),
});
export type QueueState = z.infer<typeof queueState>;

export const schedulerStartRequest = z.object({ seed: schedulerSeed.optional() });
export const schedulerRunRequest = z.object({ id: z.int().min(1) });
export const schedulerRandomRequest = z.object({ seed: schedulerSeed.optional() });

export const stepReply = z.object({ step: scheduledStep.nullable(), queue: queueState });
export const stepsReply = z.object({ steps: z.array(scheduledStep), queue: queueState });
export const undoReply = z.object({
  undone: z.object({ id: z.int(), pid: z.int(), name: z.string(), c: z.string() }).nullable(),
  queue: queueState,
});
export const queueReply = z.object({ queue: queueState });
