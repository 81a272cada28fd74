import type { z } from 'zod';
import type { OpName } from '../kernel/types.ts';
import type { Ack } from './ack.ts';
import { opSchemas, type OpEventName } from './ops.ts';
import {
  joinedReply, memoryReply, opReply, roomReply, teacherActionReply, teacherAttachedReply,
} from './replies.ts';
import {
  emptyRequest, studentJoinRequest, studentResumeRequest, studentRespawnRequest, teacherAttachRequest,
  teacherKillRequest, teacherLockJoinsRequest, teacherRebootRequest, viewMemoryRequest,
} from './requests.ts';
import { serverEvents } from './server-events.ts';
import {
  exerciseResultsReply, exerciseResultsRequest, exerciseStartReply, exerciseStartRequest, quizAnswerReply, quizAnswerRequest, quizBankReply,
  quizBankRequest, quizPushReply, quizPushRequest, quizResultsReply, quizRevealReply, teacherChapterRequest,
} from './lesson-requests.ts';
import {
  queueReply, schedulerRandomRequest, schedulerRunRequest, schedulerStartRequest, stepReply, stepsReply, undoReply,
} from './scheduler.ts';

interface EventSpec {
  request: z.ZodType;
  reply: z.ZodType;
  /** Who may send it: a socket that has not joined yet, a student, or the teacher. */
  role: 'anyone' | 'student' | 'teacher';
}

const spec = <R extends EventSpec['role'], Req extends z.ZodType, Rep extends z.ZodType>(role: R, request: Req, reply: Rep) => ({
  role,
  request,
  reply,
});

type OpSpecs = { [N in OpName as `op:${N}`]: { role: 'student'; request: (typeof opSchemas)[N]; reply: typeof opReply } };
const opSpecs = Object.fromEntries(
  Object.entries(opSchemas).map(([name, request]) => [`op:${name}`, { role: 'student', request, reply: opReply }]),
) as OpSpecs;

/**
 * Every event a client may send: who may send it, its payload schema and
 * the schema of the data in its acknowledgement. The server refuses any
 * other event name.
 */
export const clientEvents = {
  'student:join': spec('anyone', studentJoinRequest, joinedReply),
  'student:resume': spec('anyone', studentResumeRequest, joinedReply),
  'student:respawn': spec('student', studentRespawnRequest, joinedReply),
  'view:memory': spec('student', viewMemoryRequest, memoryReply),
  'teacher:attach': spec('anyone', teacherAttachRequest, teacherAttachedReply),
  'teacher:lock-joins': spec('teacher', teacherLockJoinsRequest, roomReply),
  'teacher:kill': spec('teacher', teacherKillRequest, teacherActionReply),
  'teacher:stop-all': spec('teacher', emptyRequest, teacherActionReply),
  'teacher:continue-all': spec('teacher', emptyRequest, teacherActionReply),
  'teacher:reboot': spec('teacher', teacherRebootRequest, roomReply),
  'teacher:close': spec('teacher', emptyRequest, roomReply),
  'teacher:chapter': spec('teacher', teacherChapterRequest, roomReply),
  'teacher:exercise:start': spec('teacher', exerciseStartRequest, exerciseStartReply),
  'teacher:exercise:results': spec('teacher', exerciseResultsRequest, exerciseResultsReply),
  'teacher:exercise:stop': spec('teacher', emptyRequest, exerciseResultsReply),
  'teacher:scheduler:start': spec('teacher', schedulerStartRequest, queueReply),
  'teacher:scheduler:run': spec('teacher', schedulerRunRequest, stepReply),
  'teacher:scheduler:round-robin': spec('teacher', emptyRequest, stepReply),
  'teacher:scheduler:random': spec('teacher', schedulerRandomRequest, stepReply),
  'teacher:scheduler:undo': spec('teacher', emptyRequest, undoReply),
  'teacher:scheduler:redo': spec('teacher', emptyRequest, stepReply),
  'teacher:scheduler:replay': spec('teacher', emptyRequest, stepsReply),
  'teacher:scheduler:stop': spec('teacher', emptyRequest, stepsReply),
  'teacher:quiz:bank': spec('teacher', quizBankRequest, quizBankReply),
  'teacher:quiz:push': spec('teacher', quizPushRequest, quizPushReply),
  'teacher:quiz:reveal': spec('teacher', emptyRequest, quizRevealReply),
  'teacher:quiz:results': spec('teacher', emptyRequest, quizResultsReply),
  'student:quiz:answer': spec('student', quizAnswerRequest, quizAnswerReply),
  ...opSpecs,
} satisfies Record<string, EventSpec>;

export type ClientEventName = keyof typeof clientEvents;
export const CLIENT_EVENT_NAMES = Object.keys(clientEvents) as ClientEventName[];
export const isClientEventName = (name: string): name is ClientEventName => Object.hasOwn(clientEvents, name);

/** What a client sends for event E (before validation: 64-bit values may be numbers or strings). */
export type RequestIn<E extends ClientEventName> = z.input<(typeof clientEvents)[E]['request']>;
/** The same payload after validation. */
export type RequestOf<E extends ClientEventName> = z.output<(typeof clientEvents)[E]['request']>;
/** The data of a successful acknowledgement of event E. */
export type ReplyOf<E extends ClientEventName> = z.infer<(typeof clientEvents)[E]['reply']>;

/** Socket.IO's typed map, client to server: every event takes its payload and an acknowledgement. */
export type ClientToServerEvents = {
  [E in ClientEventName]: (payload: RequestIn<E>, ack: (res: Ack<ReplyOf<E>>) => void) => void;
};

export type ServerEventName = keyof typeof serverEvents;
export type ServerPayload<E extends ServerEventName> = z.infer<(typeof serverEvents)[E]>;

/** Socket.IO's typed map, server to client. */
export type ServerToClientEvents = {
  [E in ServerEventName]: (payload: ServerPayload<E>) => void;
};

export type { OpEventName };
