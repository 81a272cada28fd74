/** Exercises launched with one click: the reboot, the checklist, the groups, results on demand and pushed, stop. */
import { describe, expect, it } from 'vitest';
import { exercise } from '@mmap-lab/shared/exercises/catalog.ts';
import { toHex } from '@mmap-lab/shared/protocol/bytes.ts';
import { exerciseResultsWire, exerciseBrief } from '@mmap-lab/shared/protocol/lesson.ts';
import { call, Inbox, must } from '../server/helpers/client.ts';
import { openRoom } from '../server/helpers/room.ts';
import { perTestServer } from '../server/helpers/per-test-server.ts';
import { BOARD_EVENTS, increment, mapShared, rejoin, student, type LessonStudent } from './helpers.ts';

const { server, d } = perTestServer({ resultsMs: 100 });

async function classOf(code: string, names: string[]): Promise<LessonStudent[]> {
  const out: LessonStudent[] = [];
  for (const name of names) out.push(await student(server.url, d, code, name)); // in join order
  return out;
}

describe('launching an exercise', () => {
  it('reboots the room with its setup: every process dies, students are told and rejoin with the checklist', async () => {
    const room = await openRoom(server.url, d, { template: 'blank', pageSize: 256 });
    const board = new Inbox(room.teacher, BOARD_EVENTS);
    const [ada] = await classOf(room.code, ['Ada']);
    await must(ada.socket, 'op:open', { mode: 'O_RDWR' });

    const started = await must(room.teacher, 'teacher:exercise:start', { id: 'see-it-change', options: {} });
    const setup = exercise('see-it-change').setup;
    expect(started.room).toMatchObject({ template: 'text', pageSize: setup.pageSize, students: 0 });
    expect(exerciseBrief.parse(started.exercise)).toMatchObject({ id: 'see-it-change', run: 1, number: 1, groups: 'none', slowMotion: false });
    const rebooted = await ada.inbox.next('room:rebooted');
    expect(rebooted.exercise?.checklist).toEqual(exercise('see-it-change').checklist);
    expect(await call(ada.socket, 'op:fstat', { fd: 3 })).toMatchObject({ ok: false, error: { code: 'SESSION_GONE' } });
    const snap = await board.next('board:snapshot');
    expect(snap.fileHex).toBe(toHex(new TextEncoder().encode(setup.text!)));
    expect(snap.lesson.exercise?.id).toBe('see-it-change');

    const back = await rejoin(server.url, d, room.code, ada);
    expect(back.joined.lesson.exercise).toMatchObject({ id: 'see-it-change', run: 1 });
    expect(back.joined.assignment).toEqual({ kind: 'none' });
    expect(back.joined.process.fds).toEqual([]);
  });

  it('splits the class in halves in join order, places a late joiner in the smaller half, and tells each student its flag', async () => {
    const room = await openRoom(server.url, d);
    const board = new Inbox(room.teacher, BOARD_EVENTS);
    const before = await classOf(room.code, ['Ada', 'Bo', 'Cy']);
    await must(room.teacher, 'teacher:exercise:start', { id: 'shared-vs-private', options: {} });
    expect((await board.next('board:snapshot')).lesson.groups).toEqual({ kind: 'halves', shared: ['Ada', 'Cy'], private: ['Bo'] });
    const again = [];
    for (const s of before) again.push(await rejoin(server.url, d, room.code, s));
    expect(again.map((s) => s.joined.assignment)).toEqual([
      { kind: 'half', half: 'shared', flags: 'MAP_SHARED' },
      { kind: 'half', half: 'private', flags: 'MAP_PRIVATE' },
      { kind: 'half', half: 'shared', flags: 'MAP_SHARED' },
    ]);
    const dee = await student(server.url, d, room.code, 'Dee');
    expect(dee.joined.assignment).toMatchObject({ half: 'private', flags: 'MAP_PRIVATE' });
    expect((await board.next('board:lesson')).lesson.groups).toEqual({ kind: 'halves', shared: ['Ada', 'Cy'], private: ['Bo', 'Dee'] });
  });

  it('forms pairs for the deadlock, each with its two bytes and the order to lock them', async () => {
    const room = await openRoom(server.url, d);
    const before = await classOf(room.code, ['Ada', 'Bo', 'Cy', 'Dee', 'Eve']);
    await must(room.teacher, 'teacher:exercise:start', { id: 'deadlock', options: {} });
    const parts = [];
    for (const s of before) parts.push((await rejoin(server.url, d, room.code, s)).joined.assignment);
    expect(parts[0]).toEqual({ kind: 'pair', pair: 0, partner: 'Bo', role: 1, first: { start: 0, len: 1 }, second: { start: 1, len: 1 } });
    expect(parts[1]).toMatchObject({ pair: 0, partner: 'Ada', role: 2 });
    expect(parts[3]).toMatchObject({ pair: 1, partner: 'Cy', role: 2, first: { start: 2, len: 1 }, second: { start: 3, len: 1 } });
    expect(parts[4]).toMatchObject({ pair: 2, partner: null, role: 1, first: { start: 4, len: 1 } });
    const fay = await student(server.url, d, room.code, 'Fay');
    expect(fay.joined.assignment).toMatchObject({ pair: 2, partner: 'Eve', role: 2 });
  });
});

describe('exercise results', () => {
  it('answers on demand, pushes to the board every few seconds while the log changes, and keeps the final results after stop', async () => {
    const room = await openRoom(server.url, d);
    const board = new Inbox(room.teacher, BOARD_EVENTS);
    expect(await must(room.teacher, 'teacher:exercise:results', {})).toEqual({ results: null });
    await must(room.teacher, 'teacher:exercise:start', { id: 'counter-race', options: { increments: 2 } });
    const ada = await student(server.url, d, room.code, 'Ada');
    await mapShared(ada);
    await increment(ada, false);
    await increment(ada, false);

    const now = await must(room.teacher, 'teacher:exercise:results', {});
    const results = exerciseResultsWire.parse(now.results);
    expect(results).toMatchObject({ run: 1, final: false, exercise: { id: 'counter-race', results: { expected: 2, actual: 2, lost: 0 } } });
    expect(results.exercise.id === 'counter-race' && results.exercise.results.students).toEqual([
      { name: 'Ada', pids: [ada.pid], increments: 2, lost: 0, overwrote: 0, done: true },
    ]);
    const pushed = await board.next('board:results', (p) => p.results.records === results.records);
    expect(exerciseResultsWire.parse(pushed.results)).toEqual(results);

    const stopped = await must(room.teacher, 'teacher:exercise:stop', {});
    expect(stopped.results).toMatchObject({ final: true, records: results.records, exercise: { results: { actual: 2 } } });
    expect(await ada.inbox.next('lesson:exercise')).toMatchObject({ exercise: null });
    expect((await board.next('board:lesson')).lesson.exercise).toBeNull();
    // The room stays as it is: Ada's process and mapping are still there.
    expect((await must(ada.socket, 'op:load', { map: 1, index: 0 })).outcome.result).toEqual({ kind: 'byte', value: 2 });
    expect((await must(room.teacher, 'teacher:exercise:results', {})).results).toEqual(stopped.results);
    expect(await call(room.teacher, 'teacher:exercise:stop', {})).toMatchObject({ ok: false, error: { code: 'WRONG_STATE' } });
  });

  it('refuses unknown exercises and options out of range, and students who try to launch one', async () => {
    const room = await openRoom(server.url, d);
    const ada = await student(server.url, d, room.code, 'Ada');
    for (const payload of [{ id: 'nope' }, { id: 'counter-race', options: { increments: 0 } }, { id: 'counter-race', options: { slowMotion: 'yes' } }]) {
      expect(await call(room.teacher, 'teacher:exercise:start', payload as never)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    }
    expect(await call(ada.socket, 'teacher:exercise:start', { id: 'deadlock' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // Nothing happened to Ada's process.
    expect((await must(ada.socket, 'op:open', { mode: 'O_RDWR' })).outcome.result).toEqual({ kind: 'fd', fd: 3 });
  });
});
