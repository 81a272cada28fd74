/**
 * The other exercises end to end over real sockets: students do the
 * checklist, the board's results say what happened (who saw whose store,
 * who died of what, who got EDEADLK, who double-booked a seat).
 */
import { describe, expect, it } from 'vitest';
import { seatMapText, seatOffset } from '@mmap-lab/shared/content/templates.ts';
import type { ExerciseResultsWire } from '@mmap-lab/shared/protocol/lesson.ts';
import { must } from '../server/helpers/client.ts';
import { openRoom, type TestRoom } from '../server/helpers/room.ts';
import { perTestServer } from '../server/helpers/per-test-server.ts';
import { mapShared, student, type LessonStudent } from './helpers.ts';

const { server, d } = perTestServer();

type Id = ExerciseResultsWire['exercise']['id'];

async function launch(id: Id, names: string[]): Promise<{ room: TestRoom; students: LessonStudent[] }> {
  const room = await openRoom(server.url, d);
  for (const name of names) await student(server.url, d, room.code, name); // the class present at launch
  await must(room.teacher, 'teacher:exercise:start', { id });
  const students: LessonStudent[] = [];
  for (const name of names) students.push(await student(server.url, d, room.code, name));
  return { room, students };
}

type Exercise = ExerciseResultsWire['exercise'];
type ResultsOf = { [E in Exercise as E['id']]: E['results'] };

async function results<I extends Id>(room: TestRoom, id: I): Promise<ResultsOf[I]> {
  const r: Exercise | undefined = (await must(room.teacher, 'teacher:exercise:results', {})).results?.exercise;
  if (r?.id !== id) throw new Error(`expected ${id} results, got ${r?.id}`);
  return r.results as ResultsOf[I];
}

const lock = (s: LessonStudent, start: number) => must(s.socket, 'op:lock', { fd: 3, cmd: 'F_SETLKW', type: 'F_WRLCK', start, len: 1 });

describe('exercises end to end', () => {
  it('see it change: one shared store is seen by every other shared mapping', async () => {
    const { room, students: [ada, bo, cy] } = await launch('see-it-change', ['Ada', 'Bo', 'Cy']);
    for (const s of [ada, bo, cy]) await mapShared(s);
    await must(ada.socket, 'op:store', { map: 1, index: 3, value: 0x21 });
    const bytes = await bo.inbox.next('room:bytes');
    expect(bytes.runs[0]).toMatchObject({ offset: 3, hex: '21', by: ada.pid });
    const r = await results(room, 'see-it-change');
    expect(r.stores).toEqual([expect.objectContaining({ name: 'Ada', offset: 3, shared: true, seenBy: ['Bo', 'Cy'], missedBy: [] })]);
  });

  it('crash course: the board tallies who died of what and who was refused', async () => {
    const { room, students: [ada, bo] } = await launch('crash-course', ['Ada', 'Bo']);
    await must(ada.socket, 'op:open', { mode: 'O_RDONLY' });
    await must(ada.socket, 'op:mmap', { len: 16, prot: 1, flags: 'MAP_SHARED', fd: 3, off: 0 });
    expect((await must(ada.socket, 'op:store', { map: 1, index: 0, value: 1 })).outcome.display).toBe('SIGSEGV');
    await must(bo.socket, 'op:open', { mode: 'O_RDONLY' });
    expect((await must(bo.socket, 'op:mmap', { len: 16, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0 })).outcome.display).toBe('-1 EACCES');
    const r = await results(room, 'crash-course');
    const count = (cause: string) => r.tally.find((t) => t.cause === cause)?.count;
    expect([count('store-read-only'), count('EACCES')]).toEqual([1, 1]);
    expect(r.students.map((s) => [s.name, s.goals.storeReadOnly, s.goals.refused])).toEqual([['Ada', true, false], ['Bo', false, true]]);
  });

  it('deadlock: the pair locks in opposite orders, the request that closes the cycle gets EDEADLK, the board names it', async () => {
    const { room, students: [ada, bo] } = await launch('deadlock', ['Ada', 'Bo']);
    const [a, b] = [ada.joined.assignment, bo.joined.assignment];
    if (a.kind !== 'pair' || b.kind !== 'pair') throw new Error('no pairs');
    for (const s of [ada, bo]) await must(s.socket, 'op:open', { mode: 'O_RDWR' });
    await lock(ada, a.first.start);
    await lock(bo, b.second.start);
    expect((await lock(ada, a.second.start)).outcome.result.kind).toBe('blocked');
    expect((await lock(bo, b.first.start)).outcome.display).toBe('-1 EDEADLK');
    const r = await results(room, 'deadlock');
    expect(r.pairs).toEqual([{ a: 'Ada', b: 'Bo', outcome: 'deadlock', refused: 'Bo' }]);
    expect(r.deadlocks.map((x) => x.cycle.map((c) => c.name))).toEqual([['Bo', 'Ada', 'Bo']]);
    expect(r.waitsFor).toEqual([{ from: 'Ada', to: 'Bo' }]);
  });

  it('seat booking: two students who check before either claims both get the seat', async () => {
    const { room, students: [ada, bo] } = await launch('seat-booking', ['Ada', 'Bo']);
    const size = seatMapText().length;
    for (const s of [ada, bo]) await mapShared(s, size);
    const seat = seatOffset('C', 4);
    const seen = await Promise.all([ada, bo].map((s) => must(s.socket, 'op:load', { map: 1, index: seat })));
    expect(seen.map((x) => x.outcome.result)).toEqual([{ kind: 'byte', value: 0x2e }, { kind: 'byte', value: 0x2e }]);
    await must(ada.socket, 'op:store', { map: 1, index: seat, value: 0x41 });
    await must(bo.socket, 'op:store', { map: 1, index: seat, value: 0x42 });
    const r = await results(room, 'seat-booking');
    expect(r.doubleBookings).toEqual([expect.objectContaining({ seat: 'C4', kind: 'race', first: expect.objectContaining({ name: 'Ada' }), second: expect.objectContaining({ name: 'Bo' }) })]);
    expect(r.seats.find((s) => s.seat === 'C4')).toMatchObject({ holder: 'Bo', mark: 'B' });
  });
});
