import type { OpName } from '@mmap-lab/shared';
import type { ClientEventName, ReplyOf, RequestOf, clientEvents } from '@mmap-lab/shared/protocol/events.ts';
import { OP_NAMES } from '@mmap-lab/shared/protocol/ops.ts';
import type { Later } from '../rooms/ordering/later.ts';
import type { AnyoneContext, StudentContext, TeacherContext } from './context.ts';
import { studentJoin, studentRespawn, studentResume, teacherAttach } from './handlers/join.ts';
import { operation, viewMemory } from './handlers/ops.ts';
import * as lesson from './handlers/lesson.ts';
import * as quiz from './handlers/quiz.ts';
import * as scheduler from './handlers/scheduler.ts';
import * as teacher from './handlers/teacher.ts';

type Role<E extends ClientEventName> = (typeof clientEvents)[E]['role'];
type ContextFor<E extends ClientEventName> =
  Role<E> extends 'student' ? StudentContext : Role<E> extends 'teacher' ? TeacherContext : AnyoneContext;

/**
 * A handler gets a validated request and returns the ack's data (or throws
 * Refused). An operation that waits (slow motion, the teacher's queue)
 * returns a Later: the ack goes the moment it settles.
 */
export type Handler<E extends ClientEventName> = (ctx: ContextFor<E>, request: RequestOf<E>) => ReplyOf<E> | Later<ReplyOf<E>>;
export type HandlerTable = { [E in ClientEventName]: Handler<E> };

const opHandlers = Object.fromEntries(OP_NAMES.map((name) => [`op:${name}`, operation(name)])) as {
  [N in OpName as `op:${N}`]: Handler<`op:${N}`>;
};

/** Every client event's handler; the compiler checks none is missing. */
export const handlers: HandlerTable = {
  'student:join': studentJoin,
  'student:resume': studentResume,
  'student:respawn': studentRespawn,
  'view:memory': viewMemory,
  'teacher:attach': teacherAttach,
  'teacher:lock-joins': teacher.lockJoins,
  'teacher:kill': teacher.kill,
  'teacher:stop-all': teacher.stopAll,
  'teacher:continue-all': teacher.continueAll,
  'teacher:reboot': teacher.reboot,
  'teacher:close': teacher.close,
  'teacher:chapter': lesson.chapter,
  'teacher:exercise:start': lesson.exerciseStart,
  'teacher:exercise:results': lesson.exerciseResults,
  'teacher:exercise:stop': lesson.exerciseStop,
  'teacher:scheduler:start': scheduler.start,
  'teacher:scheduler:run': scheduler.run,
  'teacher:scheduler:round-robin': scheduler.roundRobin,
  'teacher:scheduler:random': scheduler.random,
  'teacher:scheduler:undo': scheduler.undo,
  'teacher:scheduler:redo': scheduler.redo,
  'teacher:scheduler:replay': scheduler.replay,
  'teacher:scheduler:stop': scheduler.stop,
  'teacher:quiz:bank': quiz.bank,
  'teacher:quiz:push': quiz.push,
  'teacher:quiz:reveal': quiz.reveal,
  'teacher:quiz:results': quiz.results,
  'student:quiz:answer': quiz.answer,
  ...opHandlers,
};
