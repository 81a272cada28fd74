import { Refused } from '../rooms/refused.ts';
import type { RoomRegistry } from '../rooms/registry.ts';
import type { Room } from '../rooms/room.ts';
import type { Session } from '../rooms/sessions.ts';
import type { AppSocket } from './socket-data.ts';

/** The room and session this socket speaks for, or why it cannot act as a student. */
export function studentOf(socket: AppSocket, registry: RoomRegistry): { room: Room; session: Session } {
  const b = socket.data.binding;
  if (b === null) throw new Refused('NOT_JOINED', 'Join a room first (student:join or student:resume).');
  if (b.role !== 'student') throw new Refused('FORBIDDEN', 'The teacher board does not act as a process.');
  const room = registry.live(b.code);
  if (room === undefined) throw new Refused('ROOM_CLOSED', 'This room has been closed.');
  const session = room.sessions.byToken(b.token);
  if (session === undefined) {
    throw new Refused('SESSION_GONE', 'Your process is gone: the room was rebooted (every process died). Join again for a new process.');
  }
  if (session.link.state !== 'connected' || session.link.socketId !== socket.id) {
    throw new Refused('SESSION_GONE', 'Your process was resumed from another tab or device; this page no longer controls it.');
  }
  return { room, session };
}

export function teacherOf(socket: AppSocket, registry: RoomRegistry): Room {
  const b = socket.data.binding;
  if (b === null) throw new Refused('NOT_JOINED', 'Attach as the teacher first (teacher:attach).');
  if (b.role !== 'teacher') throw new Refused('FORBIDDEN', 'Only the teacher can do that.');
  const room = registry.live(b.code);
  if (room === undefined) throw new Refused('ROOM_CLOSED', 'This room has been closed.');
  return room;
}

/** A socket speaks for one process or one board for its whole life, unless that ended. */
export function assertUnbound(socket: AppSocket, registry: RoomRegistry): void {
  const b = socket.data.binding;
  if (b === null) return;
  try {
    if (b.role === 'student') studentOf(socket, registry);
    else teacherOf(socket, registry);
  } catch {
    return; // the old binding is over (rebooted, closed, resumed elsewhere): this socket may start again
  }
  throw new Refused('ALREADY_JOINED', 'This connection already speaks for a process or a board; open a new connection.');
}
