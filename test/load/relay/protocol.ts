/** The bare relay's two events: join a room by name; a write, broadcast as is to the rest of the room. */
export const RELAY_JOIN = 'join';
export const RELAY_WRITE = 'w';

/** A write as the relay bots send it: writer (bot number), its sequence number, the byte's new value. */
export interface RelayWrite {
  b: number;
  s: number;
  v: number;
}
