/**
 * The teacher as the scheduler: students' operations wait in a queue and
 * are acknowledged when the teacher runs them. A chosen interleaving makes
 * the lost update happen on purpose; undo takes it apart for everyone;
 * redo and replay put it back.
 */
import { describe, expect, it } from 'vitest';
import type { Ack } from '@mmap-lab/shared/protocol/ack.ts';
import type { ReplyOf } from '@mmap-lab/shared/protocol/events.ts';
import { classExport } from '@mmap-lab/shared/protocol/class-export.ts';
import { call, Inbox, must } from '../server/helpers/client.ts';
import { openRoom, type TestRoom } from '../server/helpers/room.ts';
import { perTestServer } from '../server/helpers/per-test-server.ts';
import { BOARD_EVENTS, mapShared, student, type LessonStudent } from './helpers.ts';

const { server, d } = perTestServer();

/** An operation sent without waiting: its ack is looked at later (it comes when the teacher runs it). */
function send(s: LessonStudent, event: 'op:load' | 'op:store' | 'op:fstat', payload: Record<string, number>) {
  const pending = { settled: false, ack: undefined as unknown as Promise<Ack<ReplyOf<'op:load'>>> };
  pending.ack = call(s.socket, event, payload as never).then((a) => {
    pending.settled = true;
    return a as Ack<ReplyOf<'op:load'>>;
  });
  // A failing test leaves acks unanswered; closing the socket then rejects them: not a second failure.
  pending.ack.catch(() => {});
  return pending;
}

async function reply(p: ReturnType<typeof send>): Promise<ReplyOf<'op:load'>> {
  const a = await p.ack;
  if (!a.ok) throw new Error(`${a.error.code}: ${a.error.message}`);
  return a.data;
}

async function counterClass(): Promise<{ room: TestRoom; board: Inbox<(typeof BOARD_EVENTS)[number]>; ada: LessonStudent; bo: LessonStudent }> {
  const room = await openRoom(server.url, d);
  await must(room.teacher, 'teacher:exercise:start', { id: 'counter-race', options: { increments: 1 } });
  const ada = await student(server.url, d, room.code, 'Ada');
  const bo = await student(server.url, d, room.code, 'Bo');
  await mapShared(ada);
  await mapShared(bo);
  const board = new Inbox(room.teacher, BOARD_EVENTS);
  return { room, board, ada, bo };
}

async function counterResults(room: TestRoom) {
  const r = (await must(room.teacher, 'teacher:exercise:results', {})).results?.exercise;
  if (r?.id !== 'counter-race') throw new Error('no counter results');
  return r.results;
}

describe('the teacher as the scheduler', () => {
  it('queues operations (acknowledged only when run), makes a lost update on purpose, undoes it for everyone, redoes and replays it', async () => {
    const { room, board, ada, bo } = await counterClass();
    const started = await must(room.teacher, 'teacher:scheduler:start', { seed: 7 });
    expect(started.queue).toEqual({ ordering: 'teacher', seed: 7, rows: [], canUndo: false, canRedo: false, steps: 0, recent: [] });
    expect(await ada.inbox.next('lesson:ordering')).toMatchObject({ ordering: 'teacher' });

    const adaLoad = send(ada, 'op:load', { map: 1, index: 0 });
    const boLoad = send(bo, 'op:load', { map: 1, index: 0 });
    const queued = await ada.inbox.next('op:queued');
    expect(queued).toMatchObject({ c: expect.stringContaining('m1[0]') });
    const boQueued = await bo.inbox.next('op:queued');
    const { queue } = await board.next('board:queue', (q) => q.queue.rows.length === 2);
    expect(queue.rows.map((r) => [r.name, r.choosable])).toEqual([['Ada', true], ['Bo', true]]);
    expect(adaLoad.settled || boLoad.settled).toBe(false);

    // Ada loads, Bo loads, Ada stores, Bo stores: Ada's increment is lost.
    const first = await must(room.teacher, 'teacher:scheduler:run', { id: queued.id });
    expect(first.step).toMatchObject({ id: queued.id, name: 'Ada', display: '0x00', how: 'index' });
    expect(await reply(adaLoad)).toMatchObject({ outcome: { result: { kind: 'byte', value: 0 } }, scheduled: { id: queued.id, how: 'index' } });
    expect(boLoad.settled).toBe(false);
    await must(room.teacher, 'teacher:scheduler:run', { id: boQueued.id });
    expect((await reply(boLoad)).outcome.result).toEqual({ kind: 'byte', value: 0 });
    const adaStore = send(ada, 'op:store', { map: 1, index: 0, value: 1 });
    const adaStoreId = (await ada.inbox.next('op:queued')).id;
    const boStore = send(bo, 'op:store', { map: 1, index: 0, value: 1 });
    const boStoreId = (await bo.inbox.next('op:queued')).id;
    await must(room.teacher, 'teacher:scheduler:run', { id: adaStoreId });
    const last = await must(room.teacher, 'teacher:scheduler:run', { id: boStoreId });
    expect(last.queue).toMatchObject({ rows: [], canUndo: true, canRedo: false, steps: 4 });
    await Promise.all([reply(adaStore), reply(boStore)]);
    expect(await counterResults(room)).toMatchObject({ expected: 2, actual: 1, lost: 1 });

    // Undo both stores: the counter is 0 again on every screen; the stores wait in the queue again.
    const undoBo = await must(room.teacher, 'teacher:scheduler:undo', {});
    expect(undoBo.undone).toMatchObject({ id: boStoreId, name: 'Bo' });
    expect(await bo.inbox.next('op:undone')).toMatchObject({ id: boStoreId });
    const rewound = await ada.inbox.next('room:rewound');
    expect(rewound.process?.mappings).toHaveLength(1);
    await must(room.teacher, 'teacher:scheduler:undo', {});
    // The changed byte reaches every mapping of it like any store, marked as the undone step's.
    expect(await bo.inbox.next('room:bytes', (b) => b.runs.some((r) => r.offset === 0 && r.hex.startsWith('00')))).toMatchObject({
      runs: [expect.objectContaining({ by: ada.pid })],
    });
    const snap = await board.next('board:snapshot', (s) => s.queue?.rows.length === 2);
    expect(snap.fileHex.slice(0, 2)).toBe('00');
    expect(snap.queue?.rows.map((r) => r.id)).toEqual([adaStoreId, boStoreId]);
    expect((await must(ada.socket, 'view:memory', { map: 1 })).hex.slice(0, 2)).toBe('00');
    expect(await counterResults(room)).toMatchObject({ actual: 0, lost: 0 });

    // Redo runs Ada's store again (its ack was used: it hears op:applied); replay runs the rest.
    const redo = await must(room.teacher, 'teacher:scheduler:redo', {});
    expect(redo.step).toMatchObject({ id: adaStoreId, how: 'redo' });
    expect(await ada.inbox.next('op:applied')).toMatchObject({ id: adaStoreId, reply: { outcome: { display: 'ok' }, scheduled: { how: 'redo' } } });
    const replay = await must(room.teacher, 'teacher:scheduler:replay', {});
    expect(replay.steps.map((s) => s.id)).toEqual([boStoreId]);
    expect(await bo.inbox.next('op:applied')).toMatchObject({ id: boStoreId });
    expect(replay.queue).toMatchObject({ canRedo: false, steps: 4 });
    expect(await counterResults(room)).toMatchObject({ expected: 2, actual: 1, lost: 1 });
  });

  it("after an undo and a different step, the board's results and the export show the step that ran", async () => {
    const { room, board, ada, bo } = await counterClass();
    await must(room.teacher, 'teacher:scheduler:start', { seed: 1 });
    const queue = async (s: LessonStudent, event: 'op:load' | 'op:store', payload: Record<string, number>) => {
      send(s, event, payload);
      return (await s.inbox.next('op:queued')).id;
    };
    const runStep = (id: number) => must(room.teacher, 'teacher:scheduler:run', { id });
    await runStep(await queue(ada, 'op:load', { map: 1, index: 0 }));
    await runStep(await queue(bo, 'op:load', { map: 1, index: 0 }));
    const adaStore = await queue(ada, 'op:store', { map: 1, index: 0, value: 1 });
    const boStore = await queue(bo, 'op:store', { map: 1, index: 0, value: 1 });
    await runStep(adaStore);

    type Students = { name: string; increments: number }[];
    const increments = (students: Students) => students.map((st) => [st.name, st.increments]);
    const exported = async () => {
      const res = await fetch(`${server.url}/api/rooms/${room.code}/export.json`, { headers: { authorization: `Bearer ${room.credential}` } });
      const part = classExport.parse(await res.json()).runs[0]?.parts[0];
      if (part?.exercise.id !== 'counter-race') throw new Error('no counter race in the export');
      return increments(part.exercise.results.students);
    };
    const pushed = (want: (number | string)[][]) => board.next('board:results', ({ results }) =>
      results.exercise.id === 'counter-race' && JSON.stringify(increments(results.exercise.results.students)) === JSON.stringify(want));
    await pushed([['Ada', 1], ['Bo', 0]]);
    expect(await exported()).toEqual([['Ada', 1], ['Bo', 0]]);

    // The log is as long again as before the undo, but it holds Bo's store, not Ada's.
    await must(room.teacher, 'teacher:scheduler:undo', {});
    await runStep(boStore);
    expect(increments((await counterResults(room)).students)).toEqual([['Ada', 0], ['Bo', 1]]);
    await pushed([['Ada', 0], ['Bo', 1]]);
    expect(await exported()).toEqual([['Ada', 0], ['Bo', 1]]);
  });

  it('runs round-robin and at random from a shown seed, keeps each process in order, and drains in arrival order when it stops', async () => {
    const { room, ada, bo } = await counterClass();
    await must(room.teacher, 'teacher:scheduler:start', {});
    const sent = [send(ada, 'op:fstat', { fd: 3 }), send(ada, 'op:load', { map: 1, index: 0 }), send(bo, 'op:fstat', { fd: 3 }), send(bo, 'op:fstat', { fd: 3 })];
    const ids = [(await ada.inbox.next('op:queued')).id, (await ada.inbox.next('op:queued')).id];
    await bo.inbox.next('op:queued');
    await bo.inbox.next('op:queued');
    // Ada's load waits behind her fstat: a process runs its operations in order.
    expect(await call(room.teacher, 'teacher:scheduler:run', { id: ids[1] })).toMatchObject({ ok: false, error: { code: 'WRONG_STATE' } });
    expect(await call(room.teacher, 'teacher:scheduler:run', { id: 999 })).toMatchObject({ ok: false, error: { code: 'WRONG_STATE' } });

    const rr1 = await must(room.teacher, 'teacher:scheduler:round-robin', {});
    const rr2 = await must(room.teacher, 'teacher:scheduler:round-robin', {});
    expect([rr1.step?.name, rr2.step?.name]).toEqual(['Ada', 'Bo']);
    const random = await must(room.teacher, 'teacher:scheduler:random', { seed: 42 });
    expect(random.queue.seed).toBe(42);
    expect(random.step?.how).toBe('random');

    const stopped = await must(room.teacher, 'teacher:scheduler:stop', {});
    expect(stopped.steps.map((s) => s.how)).toEqual(['arrival']);
    expect(stopped.queue.ordering).toBe('arrival');
    expect((await Promise.all(sent.map(reply))).every((r) => r.scheduled !== undefined)).toBe(true);
    expect(await ada.inbox.next('lesson:ordering', (o) => o.ordering === 'arrival')).toBeTruthy();
    // Arrival order again: answered at once, not queued.
    expect((await must(ada.socket, 'op:fstat', { fd: 3 })).scheduled).toBeUndefined();
    expect(await call(room.teacher, 'teacher:scheduler:round-robin', {})).toMatchObject({ ok: false, error: { code: 'WRONG_STATE' } });
  });

  it('answers queued operations CANCELLED when the room is rebooted, and keeps scheduling on the new kernel', async () => {
    const { room, ada } = await counterClass();
    await must(room.teacher, 'teacher:scheduler:start', {});
    const waiting = send(ada, 'op:load', { map: 1, index: 0 });
    await ada.inbox.next('op:queued');
    await must(room.teacher, 'teacher:reboot', { pageSize: 16 });
    expect(await waiting.ack).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    const again = await student(server.url, d, room.code, 'Ada');
    expect(again.joined.lesson.ordering).toBe('teacher');
    const queued = send(again, 'op:fstat', { fd: 3 });
    const { id } = await again.inbox.next('op:queued');
    await must(room.teacher, 'teacher:scheduler:run', { id });
    expect((await reply(queued)).outcome.display).toBe('-1 EBADF');
  });

  it('does not run a stopped process\'s queued operation: it waits for Continue all, and then returns its byte', async () => {
    const { room, board, ada } = await counterClass();
    await must(room.teacher, 'teacher:scheduler:start', { seed: 7 });
    const adaLoad = send(ada, 'op:load', { map: 1, index: 0 });
    await board.next('board:queue', (q) => q.queue.rows.length === 1);
    await must(room.teacher, 'teacher:stop-all', {});
    const { queue } = await board.next('board:queue', (q) => q.queue.rows[0]?.waits === 'stopped');
    expect(queue.rows[0]).toMatchObject({ pid: ada.pid, choosable: false });
    expect((await must(room.teacher, 'teacher:scheduler:random', {})).step).toBeNull();
    expect((await must(room.teacher, 'teacher:scheduler:round-robin', {})).step).toBeNull();
    const refused = await call(room.teacher, 'teacher:scheduler:run', { id: queue.rows[0].id });
    expect(refused.ok ? refused : refused.error.message).toMatch(/stopped: it runs nothing until SIGCONT/);
    expect(adaLoad.settled).toBe(false);

    await must(room.teacher, 'teacher:continue-all', {});
    await board.next('board:queue', (q) => q.queue.rows[0]?.choosable === true);
    await must(room.teacher, 'teacher:scheduler:random', {});
    expect((await reply(adaLoad)).outcome.display).toBe('0x00');
  });
});
