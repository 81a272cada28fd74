import { z } from 'zod';
import { TEMPLATE_IDS } from '../content/templates.ts';
import { hexOut } from './bytes.ts';
import { wireOutcome } from './results.ts';
import { kernelViewSchema, processViewSchema } from './views.ts';
import { assignment, boardLesson, chapterNumber, exerciseResultsWire, lessonState } from './lesson.ts';
import { queueState } from './scheduler.ts';

/** What anyone in a room may know about it (never a credential). */
export const roomSummary = z.object({
  code: z.string(),
  pageSize: z.int(),
  template: z.enum(TEMPLATE_IDS),
  fileSize: z.number(),
  locked: z.boolean(),
  students: z.int(),
  /** The live chapter: the one the teacher is teaching (students may look at others on their own). */
  chapter: chapterNumber,
});
export type RoomSummary = z.infer<typeof roomSummary>;

/** One of this student's operations waiting in the teacher's queue: its queue id, its C line and its place in the queue (from 0). */
export const queuedOp = z.object({ id: z.int(), c: z.string(), position: z.int() });
export type QueuedOp = z.infer<typeof queuedOp>;

export const wokeEntry = z.object({ pid: z.int(), outcome: wireOutcome });

/** The answer to every op:* event. */
export const opReply = z.object({
  outcome: wireOutcome,
  /** The C line this operation stands for. */
  c: z.string(),
  /** Processes this operation let proceed (F_SETLKW waiters), in the order they blocked. */
  woke: z.array(wokeEntry),
  /** The caller's process, present only when this operation changed it (fds, mappings, state). */
  process: processViewSchema.optional(),
  /** Present when the operation waited in the teacher's queue: its queue id and how the teacher picked it. */
  scheduled: z.object({ id: z.int(), how: z.enum(['index', 'round-robin', 'random', 'arrival', 'redo']) }).optional(),
});
export type OpReply = z.infer<typeof opReply>;

/**
 * One of this student's operations that left the teacher's queue: what it
 * returned, or why it never ran. The answer went to the socket it was sent
 * on; a page that was away when it left logs it from here.
 */
export const settledOp = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ran'), id: z.int(), reply: opReply }),
  z.object({ kind: z.literal('cancelled'), id: z.int(), c: z.string(), message: z.string() }),
]);
export type SettledOp = z.infer<typeof settledOp>;

/** A student's answer to join, resume and respawn: who it is now. */
export const joinedReply = z.object({
  pid: z.int(),
  name: z.string(),
  /** Keep it (sessionStorage): it gives the same process back after a refresh or a drop. */
  token: z.string(),
  /** True when this is the process the token had before (alive or dead). */
  resumed: z.boolean(),
  /** How many times a page took this student over; a page reconnecting by itself sends it back (student:resume). */
  generation: z.int(),
  room: roomSummary,
  process: processViewSchema,
  /** The live chapter, the running exercise, the ordering of operations and the question on screen. */
  lesson: lessonState,
  /** This student's part in the running exercise (its half, or its pair and bytes). */
  assignment,
  /**
   * Its operations still in the teacher's queue, oldest first: a page that
   * comes back knows which still wait, and that the others left the queue
   * (ran or were cancelled, `settled` says which) while it was away.
   */
  queued: z.array(queuedOp),
  /** Its operations that left the queue lately, oldest first (at most LIMITS.QUEUED_PER_PROCESS). */
  settled: z.array(settledOp),
  /**
   * What the process's latest F_SETLKW wait returned, unless it waits
   * still: a page that was waiting when its link died, whose op:woke went
   * nowhere, logs it from here.
   */
  woke: wireOutcome.optional(),
  /** Set while the process is dead because no page of it came back within the grace period (`graceMs`): the server killed it. */
  awayTooLong: z.object({ graceMs: z.int() }).optional(),
});
export type JoinedReply = z.infer<typeof joinedReply>;

export const memoryReply = z.object({
  map: z.int(),
  offset: z.int(),
  /** Bytes as this process would load them; unreadable pages read as 00 and are listed in `faults`. */
  hex: hexOut,
  fileSize: z.number(),
  faults: z.array(z.object({ page: z.int(), reason: z.enum(['unmapped', 'past-eof']) })),
});
export type MemoryReply = z.infer<typeof memoryReply>;

export const rosterEntry = z.object({ pid: z.int(), name: z.string(), connected: z.boolean() });

/** One line of the board's feed. `seq` counts from 1 in each server process's life of the room. */
export const feedEntry = z.object({
  seq: z.int(),
  pid: z.int(),
  name: z.string(),
  /** The C line, or a sentence for joins, signals, departures and the teacher's undo, redo and reboot. */
  text: z.string(),
  display: z.string().optional(),
  explanation: z.string().optional(),
});
export type FeedEntry = z.infer<typeof feedEntry>;

/** The server keeps the room's latest feed entries, and the board shows, this many. */
export const FEED_KEPT = 200;

/** Everything the teacher board draws, at attach and after a reboot. */
export const boardSnapshot = z.object({
  room: roomSummary,
  view: kernelViewSchema,
  roster: z.array(rosterEntry),
  /** The file's bytes (at most the first FILE_MAX of them). */
  fileHex: hexOut,
  lesson: boardLesson,
  /** The teacher's queue, while the teacher is the scheduler. */
  queue: queueState.nullable(),
  /** The running (or last) exercise's latest results. */
  results: exerciseResultsWire.nullable(),
  /** The room's latest feed entries since the server started, oldest first: updates carry on from the last `seq`. */
  feed: z.array(feedEntry).max(FEED_KEPT),
});
export type BoardSnapshot = z.infer<typeof boardSnapshot>;

export const teacherAttachedReply = z.object({ board: boardSnapshot });
/** Teacher controls answer with the pids they touched. */
export const teacherActionReply = z.object({ pids: z.array(z.int()) });
export const roomReply = z.object({ room: roomSummary });
