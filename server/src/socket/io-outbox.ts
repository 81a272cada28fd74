import type { RoomOutbox } from '../rooms/outbox.ts';
import { teachersRoom, type AppServer } from './socket-data.ts';

/** The room's outbox over Socket.IO: `io.to(ids)` encodes a packet once for all its recipients. */
export function ioOutbox(io: AppServer): RoomOutbox {
  return {
    toSocket(socketId, event, payload) {
      (io.to(socketId).emit as (e: string, p: unknown) => boolean)(event, payload);
    },
    toSockets(socketIds, event, payload) {
      (io.to(socketIds).emit as (e: string, p: unknown) => boolean)(event, payload);
    },
    toTeachers(code, event, payload) {
      (io.to(teachersRoom(code)).emit as (e: string, p: unknown) => boolean)(event, payload);
    },
    hasTeachers(code) {
      return (io.sockets.adapter.rooms.get(teachersRoom(code))?.size ?? 0) > 0;
    },
    dropTeachers(code) {
      io.in(teachersRoom(code)).socketsLeave(teachersRoom(code));
    },
  };
}
