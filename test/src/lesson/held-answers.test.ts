/**
 * An operation held back (slow motion) or queued (the teacher's queue) is
 * answered when it runs.
 * - When one turn runs a student's F_SETLKW (it blocks) and then the unlock
 *   that wakes it, the student must hear "blocked" first and "woke" second,
 *   on the wire: the client applies what it gets in that order, and the
 *   other order leaves its process shown blocked for good.
 * - When it runs after its student came back on a new socket (a phone that
 *   slept), the answer's socket is gone: the new one must hear what it did.
 */
import { describe, expect, it } from 'vitest';
import type { Ack } from '@mmap-lab/shared/protocol/ack.ts';
import type { ReplyOf } from '@mmap-lab/shared/protocol/events.ts';
import { connect, Inbox, must } from '../server/helpers/client.ts';
import { openRoom, type TestRoom } from '../server/helpers/room.ts';
import { perTestServer } from '../server/helpers/per-test-server.ts';
import { lockCounter, mapShared, student, STUDENT_EVENTS, type LessonStudent } from './helpers.ts';

/** Long enough that every operation of a test is still held when the teacher releases them all at once. */
const SLOW_MS = 1500;
const { server, d } = perTestServer({ slowMotionMs: SLOW_MS });

/** What reaches a student's socket, in arrival order: its lock's answer and its wake. */
function watch(s: LessonStudent): { seen: string[]; lock(): void } {
  const seen: string[] = [];
  s.socket.on('op:woke', ({ outcome }) => seen.push(`woke ${outcome.display}`));
  const lock = () =>
    void s.socket.emit('op:lock', { fd: 3, cmd: 'F_SETLKW', type: 'F_WRLCK', start: 0, len: 1 }, (res: Ack<ReplyOf<'op:lock'>>) =>
      seen.push(res.ok ? `answer ${res.data.outcome.display}` : `refused ${res.error.code}`));
  return { seen, lock };
}

const unlock = (s: LessonStudent) => void s.socket.emit('op:lock', { fd: 3, cmd: 'F_SETLK', type: 'F_UNLCK', start: 0, len: 1 }, () => undefined);

async function twoStudents(room: TestRoom): Promise<[LessonStudent, LessonStudent]> {
  const ada = await student(server.url, d, room.code, 'Ada');
  const bo = await student(server.url, d, room.code, 'Bo');
  await Promise.all([mapShared(ada), mapShared(bo)]);
  return [ada, bo];
}

describe('answers to operations that run later', () => {
  it('from the teacher\'s queue: a lock that blocks and is woken in one drain is answered before the wake', async () => {
    const room = await openRoom(server.url, d);
    const [ada, bo] = await twoStudents(room);
    await lockCounter(bo);
    await must(room.teacher, 'teacher:scheduler:start', { seed: 1 });
    const a = watch(ada);
    a.lock();
    await ada.inbox.next('op:queued');
    unlock(bo);
    await bo.inbox.next('op:queued');
    // Back to arrival order: the queue runs oldest first, in one turn.
    await must(room.teacher, 'teacher:scheduler:stop', {});
    await expect.poll(() => a.seen.length, { timeout: 10_000 }).toBe(2);
    expect(a.seen).toEqual(['answer blocked', 'woke ok']);
  });

  it('in slow motion: the same, when slow motion ends and everything held runs at once', async () => {
    const room = await openRoom(server.url, d);
    await must(room.teacher, 'teacher:exercise:start', { id: 'locked-counter', options: { increments: 1, slowMotion: true } });
    const [ada, bo] = await twoStudents(room);
    const a = watch(ada);
    void bo.socket.emit('op:lock', { fd: 3, cmd: 'F_SETLKW', type: 'F_WRLCK', start: 0, len: 1 }, () => undefined);
    await new Promise((resolve) => setTimeout(resolve, 20));
    a.lock();
    await new Promise((resolve) => setTimeout(resolve, 20));
    unlock(bo);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await must(room.teacher, 'teacher:exercise:stop', {});
    await expect.poll(() => a.seen.length, { timeout: 10_000 }).toBe(2);
    expect(a.seen).toEqual(['answer blocked', 'woke ok']);
  });

  it('from the teacher\'s queue, after its student came back on a new socket: the new one gets op:applied', async () => {
    const room = await openRoom(server.url, d);
    const ada = await student(server.url, d, room.code, 'Ada');
    await must(ada.socket, 'op:open', { mode: 'O_RDWR' });
    await must(room.teacher, 'teacher:scheduler:start', { seed: 1 });
    void ada.socket.emit('op:mmap', { len: 16, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0 }, () => undefined);
    const { id } = await ada.inbox.next('op:queued');
    ada.socket.disconnect();
    const back = await comeBack(room, ada);
    await must(room.teacher, 'teacher:scheduler:run', { id });
    const applied = await back.next('op:applied');
    expect(applied.id).toBe(id);
    expect(applied.reply.outcome.display).toBe('map m1');
    expect(applied.reply.process?.mappings).toHaveLength(1);
  });

  it('in slow motion, after its student came back on a new socket: the new one gets the process as it is now', async () => {
    const room = await openRoom(server.url, d);
    await must(room.teacher, 'teacher:exercise:start', { id: 'counter-race', options: { increments: 1, slowMotion: true } });
    const ada = await student(server.url, d, room.code, 'Ada');
    await must(ada.socket, 'op:open', { mode: 'O_RDWR' });
    void ada.socket.emit('op:mmap', { len: 16, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0 }, () => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    ada.socket.disconnect();
    const back = await comeBack(room, ada);
    expect(back.of('process:update')).toEqual([]);
    const update = await back.next('process:update', (p) => p.process.mappings.length === 1);
    expect(update.process.pid).toBe(ada.pid);
  });
});

/** The same student on a new socket, with its resume token, listening from before it resumes. */
async function comeBack(room: TestRoom, s: LessonStudent): Promise<Inbox<(typeof STUDENT_EVENTS)[number]>> {
  const socket = d.socket(await connect(server.url));
  const inbox = new Inbox(socket, STUDENT_EVENTS);
  const back = await must(socket, 'student:resume', { code: room.code, token: s.joined.token });
  expect(back.pid).toBe(s.pid);
  expect(back.process.mappings).toHaveLength(0);
  return inbox;
}
