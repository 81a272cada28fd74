/**
 * The bare relay's events: join a room by name; a write, broadcast as is to
 * the rest of the room. Batched (RELAY_TICK_MS > 0), it also answers a read
 * with the room's last value and broadcasts a room's writes once per tick.
 */
export const RELAY_JOIN = 'join';
export const RELAY_WRITE = 'w';
export const RELAY_READ = 'r';
export const RELAY_TICK = 'ws';

/** A write as the relay bots send it: writer (bot number), its sequence number, the byte's new value. */
export interface RelayWrite {
  b: number;
  s: number;
  v: number;
}
