import type { Pid } from '../kernel/types.ts';
import { seatOffset } from '../content/templates.ts';
import { replayLog } from '../oplog/replay.ts';
import type { OpLog } from '../oplog/types.ts';
import { accessCollector, type MemoryAccess } from './accesses.ts';

/** The seat map's rows and seats (content/templates.ts draws the same map). */
export const SEAT_ROWS = 'ABCDEFGH';
export const SEATS_PER_ROW = 16;
/** A free seat in the map. */
export const FREE = '.'.charCodeAt(0);

/** Seat labels (`C7`) by file offset. */
function seatsByOffset(): Map<number, string> {
  const out = new Map<number, string>();
  for (const row of SEAT_ROWS) for (let seat = 1; seat <= SEATS_PER_ROW; seat++) out.set(seatOffset(row, seat), `${row}${seat}`);
  return out;
}

/**
 * Two students both believe a seat is theirs. `race`: the second checked
 * (loaded a '.') and claimed, but the first claimed in between: the check
 * and the claim were not one step. `overwrote`: the second saw the seat
 * taken and stored anyway. `blind`: the second never looked.
 */
export interface DoubleBooking {
  seat: string;
  offset: number;
  first: { name: string; pid: Pid; seq: number; mark: string };
  second: { name: string; pid: Pid; seq: number; mark: string };
  kind: 'race' | 'overwrote' | 'blind';
  /** The second claim was made holding a write lock over the seat (so the first was not). */
  secondLocked: boolean;
}

export interface SeatResults {
  /** Every seat with who holds it at the end (null: free). */
  seats: { seat: string; offset: number; holder: string | null; mark: string }[];
  claims: number;
  doubleBookings: DoubleBooking[];
  /** Claims made without a write lock over the seat. */
  unlockedClaims: number;
  students: { name: string; claims: number; seatsHeld: number; lostSeats: number }[];
}

const char = (b: number) => String.fromCharCode(b);

/**
 * Results of seat booking from a room's log: a claim is a shared store of
 * anything but '.' into a seat; a store of '.' frees it.
 */
export function seatResults(log: OpLog): SeatResults {
  const labels = seatsByOffset();
  const holder = new Map<number, { name: string; pid: Pid; seq: number; mark: string }>();
  /** What each student last saw in each seat since their last store there. */
  const looked = new Map<string, number>();
  const doubleBookings: DoubleBooking[] = [];
  const perStudent = new Map<string, { name: string; claims: number; seatsHeld: number; lostSeats: number }>();
  const student = (name: string) => {
    let s = perStudent.get(name);
    if (s === undefined) perStudent.set(name, (s = { name, claims: 0, seatsHeld: 0, lostSeats: 0 }));
    return s;
  };
  let claims = 0;
  let unlockedClaims = 0;

  const onAccess = (a: MemoryAccess) => {
    if (a.offset === null || !labels.has(a.offset) || !a.reachesFile || a.value === null) return;
    const key = `${a.pid}:${a.offset}`;
    if (a.kind === 'load') {
      looked.set(key, a.value);
      return;
    }
    const saw = looked.get(key);
    looked.delete(key);
    if (a.value === FREE) {
      holder.delete(a.offset);
      return;
    }
    claims++;
    student(a.name).claims++;
    if (!a.underWriteLock) unlockedClaims++;
    const first = holder.get(a.offset);
    const second = { name: a.name, pid: a.pid, seq: a.seq, mark: char(a.value) };
    if (first !== undefined && first.name !== a.name) {
      student(first.name).lostSeats++;
      doubleBookings.push({
        seat: labels.get(a.offset)!,
        offset: a.offset,
        first,
        second,
        kind: saw === undefined ? 'blind' : saw === FREE ? 'race' : 'overwrote',
        secondLocked: a.underWriteLock,
      });
    }
    holder.set(a.offset, second);
  };
  replayLog(log, { hooks: accessCollector(onAccess) });

  const seats = [...labels].map(([offset, seat]) => {
    const h = holder.get(offset);
    return { seat, offset, holder: h?.name ?? null, mark: h?.mark ?? '.' };
  });
  for (const s of seats) if (s.holder !== null) student(s.holder).seatsHeld++;
  return { seats, claims, doubleBookings, unlockedClaims, students: [...perStudent.values()] };
}
