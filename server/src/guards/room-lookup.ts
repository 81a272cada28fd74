import { Refused } from '../rooms/refused.ts';
import type { RoomRegistry } from '../rooms/registry.ts';
import type { Room } from '../rooms/room.ts';
import type { AddressBudget } from './rate-limit.ts';

/**
 * The open room with this code, for someone at `address`. Unknown codes
 * count against the address; once it has guessed too often, it is refused
 * whether the code exists or not, so the refusal tells a guesser nothing.
 *
 * One address may be a whole class behind a campus NAT or a proxy, where a
 * few typos spend the budget for everyone. A caller who proves it belongs
 * (`belongs`: a student's resume token, the teacher's credential) is not
 * guessing, so it still gets in.
 */
export function findOpenRoom(registry: RoomRegistry, limiter: AddressBudget, code: string, address: string, belongs?: (room: Room) => boolean): Room {
  const wait = limiter.retryAfter(address);
  if (wait > 0) {
    const room = registry.get(code);
    if (room !== undefined && room !== 'closed' && belongs?.(room) === true) return room;
    throw new Refused('RATE_LIMITED', 'Too many wrong room codes from your address; wait a moment and try again.', wait);
  }
  const room = registry.get(code);
  if (room === undefined) {
    limiter.spend(address);
    throw new Refused('ROOM_NOT_FOUND', `No room has the code ${code}. Check the code on the board.`);
  }
  if (room === 'closed') throw new Refused('ROOM_CLOSED', 'The teacher has closed this room.');
  return room;
}
