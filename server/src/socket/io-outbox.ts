import type { RoomOutbox } from '../rooms/outbox.ts';
import type { PacedSender } from './paced-sender.ts';
import { teachersRoom, type AppServer } from './socket-data.ts';

type LooseEmit = (e: string, p: unknown) => boolean;

/** Socket.IO's `io.to(ids)`, which encodes a packet once for all its recipients. */
export function ioEmit(io: AppServer) {
  return (socketIds: string[], event: string, payload: unknown): void => {
    (io.to(socketIds).emit as LooseEmit)(event, payload);
  };
}

/** The room's outbox over Socket.IO; broadcasts to students go through the paced sender, and nothing overtakes its answers. */
export function ioOutbox(io: AppServer, sender: PacedSender): RoomOutbox {
  const teacherRoomNames = new Map<string, string>();
  return {
    toSocket(socketId, event, payload) {
      sender.broadcast([socketId], event, payload);
    },
    toSockets(socketIds, event, payload, sent) {
      sender.broadcast(socketIds, event, payload, sent);
    },
    toTeachers(code, event, payload) {
      sender.writeAnswers();
      (io.to(teachersRoom(code)).emit as LooseEmit)(event, payload);
    },
    hasTeachers(code) {
      // Asked on every operation: a cached name is hashed once, a new one on every call.
      let name = teacherRoomNames.get(code);
      if (name === undefined) teacherRoomNames.set(code, (name = teachersRoom(code)));
      return (io.sockets.adapter.rooms.get(name)?.size ?? 0) > 0;
    },
    dropTeachers(code) {
      io.in(teachersRoom(code)).socketsLeave(teachersRoom(code));
      teacherRoomNames.delete(code);
    },
  };
}
