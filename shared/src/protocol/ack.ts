import { z } from 'zod';

/** Why a call failed. A kernel errno is NOT one of these: it is a successful call whose result says `-1 EACCES`. */
export const ERROR_CODES = [
  'INVALID_PAYLOAD', // the payload does not match the event's schema
  'UNKNOWN_EVENT', // no such event
  'NOT_JOINED', // this socket has not joined a room (as a student or as the teacher)
  'ALREADY_JOINED', // this socket already speaks for a process or a teacher
  'FORBIDDEN', // a student sent a teacher event, or named a pid that is not its own
  'ROOM_NOT_FOUND', // no room has that code
  'ROOM_CLOSED', // the teacher closed the room
  'ROOM_LOCKED', // the teacher locked the room to new joins
  'ROOM_FULL', // the room has as many students as it may hold
  'BAD_CREDENTIAL', // the teacher credential does not match
  'SESSION_GONE', // the resume token's process is gone (server restart or kernel reboot): join again
  'REPLACED', // a resume sent by itself (with a generation): another tab or device took the process over since
  'NO_SUCH_PROCESS', // a teacher named a pid this room never had
  'RATE_LIMITED', // too many messages, or too many wrong room codes: wait retryAfterMs
  'WRONG_STATE', // not now: no exercise running, the scheduler is off, no open question, answers closed...
  'LIMIT_REACHED', // the process has as many mappings, or mapping pieces, as one may have here
  'CANCELLED', // a queued operation that never ran: the room was rebooted, or its process died first
  'INTERNAL', // a bug on our side; the room is unchanged
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ackErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  /** For RATE_LIMITED: when trying again can succeed. */
  retryAfterMs: z.number().optional(),
  /** For INVALID_PAYLOAD: which fields were wrong. */
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type AckError = z.infer<typeof ackErrorSchema>;

/** Every acknowledgement: the call worked (`data`) or it did not (`error`), never both. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: AckError };

export function ackSchema<T extends z.ZodType>(data: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), data }),
    z.object({ ok: z.literal(false), error: ackErrorSchema }),
  ]);
}

export const ok = <T>(data: T): Ack<T> => ({ ok: true, data });
export const fail = (code: ErrorCode, message: string, extra: Omit<AckError, 'code' | 'message'> = {}): Ack<never> => ({
  ok: false,
  error: { code, message, ...extra },
});
