/**
 * The teacher's queue when a process dies: what it had queued is answered
 * CANCELLED and leaves the queue (it never runs under its student's name),
 * and once its student has a new process, undo cannot bring the dead one back.
 */
import { describe, expect, it } from 'vitest';
import type { Ack } from '@mmap-lab/shared/protocol/ack.ts';
import type { ReplyOf } from '@mmap-lab/shared/protocol/events.ts';
import { call, Inbox, must } from '../server/helpers/client.ts';
import { openRoom } from '../server/helpers/room.ts';
import { perTestServer } from '../server/helpers/per-test-server.ts';
import { BOARD_EVENTS, student, type LessonStudent } from './helpers.ts';

const { server, d } = perTestServer();

type OpEvent = 'op:open' | 'op:mmap' | 'op:lock' | 'op:store' | 'op:fstat';

/** Send an operation while the teacher is the scheduler: its id in the queue, and its ack (when it runs or is cancelled). */
async function queue(s: LessonStudent, event: OpEvent, payload: Record<string, unknown>) {
  const ack = call(s.socket, event, payload as never) as Promise<Ack<ReplyOf<'op:store'>>>;
  // A failing test leaves acks unanswered; closing the socket then rejects them: not a second failure.
  ack.catch(() => {});
  const { id } = await s.inbox.next('op:queued');
  return { id, ack };
}

const PROT_READ = 1;

describe('a process dies while the teacher is the scheduler', () => {
  it('cancels what a killed process had queued, and leaves the others queued', async () => {
    const room = await openRoom(server.url, d);
    const ada = await student(server.url, d, room.code, 'Ada');
    const bo = await student(server.url, d, room.code, 'Bo');
    const board = new Inbox(room.teacher, BOARD_EVENTS);
    await must(room.teacher, 'teacher:scheduler:start', {});
    const open = await queue(ada, 'op:open', { mode: 'O_RDWR' });
    const fstat = await queue(ada, 'op:fstat', { fd: 3 });
    const boOpen = await queue(bo, 'op:open', { mode: 'O_RDWR' });

    await must(room.teacher, 'teacher:kill', { pid: ada.pid });
    for (const { ack } of [open, fstat]) {
      expect(await ack).toMatchObject({ ok: false, error: { code: 'CANCELLED', message: 'Your process died before the teacher ran this.' } });
    }
    const { queue: after } = await board.next('board:queue', (q) => q.queue.rows.length === 1);
    expect(after.rows.map((r) => [r.id, r.name])).toEqual([[boOpen.id, 'Bo']]);
  });

  it('tells the student an operation the teacher undid was cancelled when its process died (its acknowledgement was already used)', async () => {
    const room = await openRoom(server.url, d);
    const ada = await student(server.url, d, room.code, 'Ada');
    await must(room.teacher, 'teacher:scheduler:start', {});
    const open = await queue(ada, 'op:open', { mode: 'O_RDWR' });
    await must(room.teacher, 'teacher:scheduler:round-robin', {});
    expect(await open.ack).toMatchObject({ ok: true });
    await must(room.teacher, 'teacher:scheduler:undo', {});
    expect(await ada.inbox.next('op:undone')).toMatchObject({ id: open.id });

    await must(room.teacher, 'teacher:kill', { pid: ada.pid });
    expect(await ada.inbox.next('op:cancelled')).toEqual({
      id: open.id, c: 'fd = open("file", O_RDWR);', message: 'Your process died before the teacher ran this.',
    });
  });

  it('cancels what a process queued behind a store that killed it with SIGSEGV, after answering the store', async () => {
    const room = await openRoom(server.url, d);
    const ada = await student(server.url, d, room.code, 'Ada');
    await must(ada.socket, 'op:open', { mode: 'O_RDWR' });
    await must(ada.socket, 'op:mmap', { len: 16, prot: PROT_READ, flags: 'MAP_SHARED', fd: 3, off: 0 });
    const board = new Inbox(room.teacher, BOARD_EVENTS);
    await must(room.teacher, 'teacher:scheduler:start', {});
    const store = await queue(ada, 'op:store', { map: 1, index: 0, value: 1 });
    const fstat = await queue(ada, 'op:fstat', { fd: 3 });
    const settled: string[] = [];
    void store.ack.then(() => settled.push('store'), () => {});
    void fstat.ack.then(() => settled.push('fstat'), () => {});

    const ran = await must(room.teacher, 'teacher:scheduler:run', { id: store.id });
    expect(ran.step?.display).toBe('SIGSEGV');
    expect(ran.queue.rows).toEqual([]);
    expect(await store.ack).toMatchObject({ ok: true, data: { outcome: { display: 'SIGSEGV' } } });
    expect(await fstat.ack).toMatchObject({ ok: false, error: { code: 'CANCELLED', message: 'Your process died before the teacher ran this.' } });
    expect(settled).toEqual(['store', 'fstat']);
    expect(await board.next('board:queue', (q) => q.queue.rows.length === 0 && q.queue.steps === 1)).toBeTruthy();
  });

  it('back to arrival order runs the queue one step at a time: a step that kills its process cancels what it queued behind', async () => {
    const room = await openRoom(server.url, d);
    const ada = await student(server.url, d, room.code, 'Ada');
    await must(ada.socket, 'op:open', { mode: 'O_RDWR' });
    await must(ada.socket, 'op:mmap', { len: 16, prot: PROT_READ, flags: 'MAP_SHARED', fd: 3, off: 0 });
    await must(room.teacher, 'teacher:scheduler:start', {});
    const store = await queue(ada, 'op:store', { map: 1, index: 0, value: 1 });
    const fstat = await queue(ada, 'op:fstat', { fd: 3 });

    const stopped = await must(room.teacher, 'teacher:scheduler:stop', {});
    expect(stopped.steps.map((s) => [s.id, s.display])).toEqual([[store.id, 'SIGSEGV']]);
    expect(await store.ack).toMatchObject({ ok: true, data: { outcome: { display: 'SIGSEGV' } } });
    expect(await fstat.ack).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
  });

  it('cannot undo back past a student starting a new process: the dead process and its lock stay gone', async () => {
    const room = await openRoom(server.url, d);
    const ada = await student(server.url, d, room.code, 'Ada');
    const bo = await student(server.url, d, room.code, 'Bo');
    const board = new Inbox(room.teacher, BOARD_EVENTS);
    await must(room.teacher, 'teacher:scheduler:start', {});
    const run = async (s: LessonStudent, event: OpEvent, payload: Record<string, unknown>) => {
      const { id, ack } = await queue(s, event, payload);
      await must(room.teacher, 'teacher:scheduler:run', { id });
      const a = await ack;
      if (!a.ok) throw new Error(`${a.error.code}: ${a.error.message}`);
      return a.data;
    };
    await run(ada, 'op:open', { mode: 'O_RDWR' });
    await run(ada, 'op:mmap', { len: 16, prot: PROT_READ, flags: 'MAP_SHARED', fd: 3, off: 0 });
    await run(ada, 'op:lock', { fd: 3, cmd: 'F_SETLK', type: 'F_WRLCK', start: 0, len: 1 });
    expect((await run(ada, 'op:store', { map: 1, index: 0, value: 1 })).outcome.display).toBe('SIGSEGV');
    await board.next('board:queue', (q) => q.queue.canUndo && q.queue.steps === 4);

    const respawned = await must(ada.socket, 'student:respawn', {});
    expect(respawned.pid).not.toBe(ada.pid);
    expect(await board.next('board:queue', (q) => !q.queue.canUndo && q.queue.steps === 4)).toBeTruthy();
    const undo = await must(room.teacher, 'teacher:scheduler:undo', {});
    expect(undo).toMatchObject({ undone: null, queue: { canUndo: false, canRedo: false } });

    // Ada's dead process holds no lock: Bo gets it.
    await run(bo, 'op:open', { mode: 'O_RDWR' });
    expect((await run(bo, 'op:lock', { fd: 3, cmd: 'F_SETLK', type: 'F_WRLCK', start: 0, len: 1 })).outcome.display).toBe('ok');
    // Bo's own steps can still be undone: only the time before the respawn is out of reach.
    expect((await must(room.teacher, 'teacher:scheduler:undo', {})).undone).toMatchObject({ name: 'Bo' });
  });
});
