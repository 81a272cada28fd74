import { describe, expect, it } from 'vitest';
import { seatMapText, seatOffset, templateBytes } from '../content/templates.ts';
import { FREE, SEAT_ROWS, SEATS_PER_ROW, seatResults } from './seats.ts';
import { TestRoom } from './test/room.ts';

function seatRoom(names: string[]) {
  const room = new TestRoom(templateBytes('seat-map'), 64);
  const s = names.map((n) => room.join(n));
  for (const st of s) st.map('MAP_SHARED', 256);
  return { room, s };
}

describe('seat booking', () => {
  it("knows the template's seats", () => {
    const map = templateBytes('seat-map');
    const dots = map.filter((b) => b === FREE).length;
    expect(dots).toBe(SEAT_ROWS.length * SEATS_PER_ROW);
    for (const row of SEAT_ROWS) for (let seat = 1; seat <= SEATS_PER_ROW; seat++) expect(map[seatOffset(row, seat)]).toBe(FREE);
    expect(seatMapText().length).toBe(map.length);
  });

  it('finds the double booking when check and claim are separate steps', () => {
    const { room, s: [a, b, c] } = seatRoom(['Ada', 'Bo', 'Cy']);
    const c3 = seatOffset('C', 3);
    expect(a.load(c3)).toBe(FREE);
    expect(b.load(c3)).toBe(FREE);
    a.store(c3, 'A'.charCodeAt(0));
    b.store(c3, 'B'.charCodeAt(0)); // Bo checked before Ada claimed
    c.store(seatOffset('A', 1), 'C'.charCodeAt(0)); // blind, but the seat was free
    const r = seatResults(room.log);
    expect(r.claims).toBe(3);
    expect(r.unlockedClaims).toBe(3);
    expect(r.doubleBookings).toEqual([
      {
        seat: 'C3', offset: c3, kind: 'race', secondLocked: false,
        first: { name: 'Ada', pid: a.pid, seq: 8, mark: 'A' },
        second: { name: 'Bo', pid: b.pid, seq: 9, mark: 'B' },
      },
    ]);
    expect(r.seats.find((x) => x.seat === 'C3')).toMatchObject({ holder: 'Bo', mark: 'B' });
    expect(r.seats.find((x) => x.seat === 'A1')).toMatchObject({ holder: 'Cy' });
    expect(r.seats.filter((x) => x.holder === null)).toHaveLength(126);
    expect(r.students).toEqual([
      { name: 'Ada', claims: 1, seatsHeld: 0, lostSeats: 1 },
      { name: 'Bo', claims: 1, seatsHeld: 1, lostSeats: 0 },
      { name: 'Cy', claims: 1, seatsHeld: 1, lostSeats: 0 },
    ]);
  });

  it('has none when each claim checks and claims under a lock on the row', () => {
    const { room, s: [a, b] } = seatRoom(['Ada', 'Bo']);
    const row = seatOffset('D', 1);
    const d5 = seatOffset('D', 5);
    a.lock(row, SEATS_PER_ROW);
    expect(b.lock(row, SEATS_PER_ROW).kind).toBe('blocked');
    if (a.load(d5) === FREE) a.store(d5, 'A'.charCodeAt(0));
    a.unlock(row, SEATS_PER_ROW);
    if (b.load(d5) === FREE) b.store(d5, 'B'.charCodeAt(0));
    else b.store(seatOffset('D', 6), 'B'.charCodeAt(0));
    b.unlock(row, SEATS_PER_ROW);
    const r = seatResults(room.log);
    expect(r).toMatchObject({ claims: 2, unlockedClaims: 0, doubleBookings: [] });
  });

  it('tells a claim over a visible booking and a blind one from a race, and frees seats', () => {
    const { room, s: [a, b, c] } = seatRoom(['Ada', 'Bo', 'Cy']);
    const e1 = seatOffset('E', 1);
    a.store(e1, 'A'.charCodeAt(0));
    expect(b.load(e1)).toBe('A'.charCodeAt(0));
    b.store(e1, 'B'.charCodeAt(0));
    c.store(e1, 'C'.charCodeAt(0));
    c.store(e1, FREE);
    const r = seatResults(room.log);
    expect(r.doubleBookings.map((d) => [d.first.name, d.second.name, d.kind])).toEqual([['Ada', 'Bo', 'overwrote'], ['Bo', 'Cy', 'blind']]);
    expect(r.seats.find((x) => x.seat === 'E1')).toMatchObject({ holder: null, mark: '.' });
  });
});
