import type { JoinedReply } from '@mmap-lab/shared/protocol/replies.ts';
import type { RequestOf } from '@mmap-lab/shared/protocol/events.ts';
import { findOpenRoom } from '../../guards/room-lookup.ts';
import { boardSnapshot } from '../../rooms/board-views.ts';
import { Refused } from '../../rooms/refused.ts';
import type { Room } from '../../rooms/room.ts';
import { secretMatches } from '../../rooms/secrets.ts';
import type { Session } from '../../rooms/sessions.ts';
import { assertUnbound } from '../bindings.ts';
import type { AnyoneContext, StudentContext } from '../context.ts';
import { teachersRoom } from '../socket-data.ts';

function joined(room: Room, session: Session, resumed: boolean): JoinedReply {
  const woke = session.lastWake;
  return {
    pid: session.pid, name: session.name, token: session.token, resumed, generation: session.generation, room: room.summary(), process: room.processOf(session),
    lesson: room.lesson.state(session.name), assignment: room.lesson.assignment(session.name),
    queued: room.lesson.ordering.teacher?.queuedOf(session.pid) ?? [],
    settled: room.lesson.ordering.settledOf(session.pid),
    ...(woke === undefined ? {} : { woke }),
    ...(session.expiredAfterMs === undefined ? {} : { awayTooLong: { graceMs: session.expiredAfterMs } }),
  };
}

const lookup = (ctx: AnyoneContext, code: string, belongs?: (room: Room) => boolean): Room =>
  findOpenRoom(ctx.deps.registry, ctx.deps.wrongCodes, code, ctx.socket.handshake.address, belongs);

/** From now on the socket spends its student session's message budget (a resumed session's goes on where it was). */
function spendAsStudent(ctx: AnyoneContext, room: Room, session: Session, joined: boolean): void {
  const { socket, deps } = ctx;
  socket.data.budget = deps.budgets.student(socket.data.budget, room.code, session.token, socket.handshake.address, joined);
}

/** Was this socket's student in the room before its process died with the kernel (restart, reboot)? */
function readmitted(ctx: AnyoneContext, room: Room): boolean {
  const { binding, readmit } = ctx.socket.data;
  if (readmit === room.code) return true;
  return binding?.role === 'student' && binding.code === room.code && room.knewToken(binding.token);
}

export function studentJoin(ctx: AnyoneContext, req: RequestOf<'student:join'>): JoinedReply {
  assertUnbound(ctx.socket, ctx.deps.registry);
  const room = lookup(ctx, req.code, (r) => readmitted(ctx, r) || (req.key !== undefined && r.knewJoinKey(req.key)));
  const session = room.join(req.name, ctx.socket.id, req.key, readmitted(ctx, room));
  ctx.socket.data.binding = { role: 'student', code: room.code, token: session.token };
  spendAsStudent(ctx, room, session, true);
  return joined(room, session, false);
}

export function studentResume(ctx: AnyoneContext, req: RequestOf<'student:resume'>): JoinedReply {
  assertUnbound(ctx.socket, ctx.deps.registry);
  const room = lookup(ctx, req.code, (r) => r.knewToken(req.token));
  let session: Session;
  try {
    session = room.resume(req.token, ctx.socket.id, req.generation);
  } catch (error) {
    // The process died with the kernel: the join that follows may pass a lock.
    if (error instanceof Refused && error.code === 'SESSION_GONE' && room.knewToken(req.token)) ctx.socket.data.readmit = room.code;
    throw error;
  }
  ctx.socket.data.binding = { role: 'student', code: room.code, token: session.token };
  spendAsStudent(ctx, room, session, false);
  return joined(room, session, true);
}

export function studentRespawn(ctx: StudentContext): JoinedReply {
  const session = ctx.room.respawn(ctx.session);
  return joined(ctx.room, session, false);
}

export function teacherAttach(ctx: AnyoneContext, req: RequestOf<'teacher:attach'>) {
  assertUnbound(ctx.socket, ctx.deps.registry);
  const room = lookup(ctx, req.code, (r) => secretMatches(req.credential, r.teacherHash));
  if (!secretMatches(req.credential, room.teacherHash)) {
    ctx.deps.wrongCodes.spend(ctx.socket.handshake.address);
    throw new Refused('BAD_CREDENTIAL', 'That is not the teacher credential of this room.');
  }
  ctx.socket.data.binding = { role: 'teacher', code: room.code };
  void ctx.socket.join(teachersRoom(room.code));
  return { board: boardSnapshot(room) };
}
