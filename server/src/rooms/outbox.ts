import type { ServerEventName, ServerPayload } from '@mmap-lab/shared/protocol/events.ts';

/**
 * All a room needs from the transport. The room never sees a socket, so it
 * can be driven and tested without one; socket/io-outbox.ts implements this
 * over Socket.IO.
 */
export interface RoomOutbox {
  toSocket<E extends ServerEventName>(socketId: string, event: E, payload: ServerPayload<E>): void;
  /**
   * One broadcast, encoded once, to many sockets. A big one is written over
   * several turns of the event loop; `sent` is called once the last socket has it.
   */
  toSockets<E extends ServerEventName>(socketIds: string[], event: E, payload: ServerPayload<E>, sent?: () => void): void;
  toTeachers<E extends ServerEventName>(code: string, event: E, payload: ServerPayload<E>): void;
  hasTeachers(code: string): boolean;
  /** The room is closed: its teacher sockets stop receiving its events. */
  dropTeachers(code: string): void;
}
