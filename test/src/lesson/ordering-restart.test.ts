/**
 * How a room orders its students' operations survives a restart of the real
 * server, graceful or kill -9 once the teacher's change was acknowledged:
 * slow motion, the teacher as the scheduler (with its seed) and arrival
 * order again. What was held or queued does not: its processes are gone.
 */
import { describe, expect, it } from 'vitest';
import { call, connect, must } from '../server/helpers/client.ts';
import { openRoom } from '../server/helpers/room.ts';
import { restartableServer } from '../server/helpers/restartable-server.ts';
import { student } from './helpers.ts';

/** The periodic flush is pushed out of the way: what survives kill -9 was written when it changed. */
const live = restartableServer({ FLUSH_MS: '3600000' });
const { d } = live;
const start = (): Promise<string> => live.start();

/** Stop the server with `signal`, start it again, and attach as the teacher: the board as it comes back. */
async function restart(signal: NodeJS.Signals, code: string, credential: string) {
  await d.closeAll();
  live.server.child.kill(signal);
  await live.server.exited;
  const url = await start();
  const teacher = d.socket(await connect(url));
  const { board } = await must(teacher, 'teacher:attach', { code, credential });
  expect(board.view.processes).toEqual([]);
  return { url, teacher, board };
}

describe('the ordering across a real restart', () => {
  it.each(['SIGTERM', 'SIGKILL'] as const)('comes back after %s: slow motion, the teacher as the scheduler, arrival order', async (signal) => {
    const room = await openRoom(await start(), d);
    await must(room.teacher, 'teacher:exercise:start', { id: 'shared-vs-private', options: { slowMotion: true } });

    let back = await restart(signal, room.code, room.credential);
    expect(back.board.lesson.ordering).toBe('slow-motion');
    expect(back.board.queue).toBeNull();

    // The teacher takes over from slow motion while the exercise still runs.
    await must(back.teacher, 'teacher:scheduler:start', { seed: 42 });
    back = await restart(signal, room.code, room.credential);
    expect(back.board.lesson.ordering).toBe('teacher');
    expect(back.board.queue).toMatchObject({ ordering: 'teacher', seed: 42, rows: [] });
    const ada = await student(back.url, d, room.code, 'Ada');
    expect(ada.joined.lesson.ordering).toBe('teacher');
    const open = call(ada.socket, 'op:open', { mode: 'O_RDWR' });
    const { id } = await ada.inbox.next('op:queued');
    await must(back.teacher, 'teacher:scheduler:run', { id });
    expect(await open).toMatchObject({ ok: true, data: { scheduled: { id, how: 'index' } } });

    await must(back.teacher, 'teacher:scheduler:stop', {});
    back = await restart(signal, room.code, room.credential);
    expect(back.board.lesson).toMatchObject({ ordering: 'arrival', exercise: { id: 'shared-vs-private', slowMotion: true } });
    expect(back.board.queue).toBeNull();
  });

  it('answers what it held or queued CANCELLED on SIGTERM, before the connection closes', async () => {
    const url = await live.start({ SLOW_MOTION_MS: '60000' });
    const slow = await openRoom(url, d);
    await must(slow.teacher, 'teacher:exercise:start', { id: 'shared-vs-private', options: { slowMotion: true } });
    const ada = await student(url, d, slow.code, 'Ada');
    const scheduled = await openRoom(url, d);
    await must(scheduled.teacher, 'teacher:scheduler:start', { seed: 1 });
    const bo = await student(url, d, scheduled.code, 'Bo');
    const answers = Promise.all([call(ada.socket, 'op:open', { mode: 'O_RDWR' }), call(bo.socket, 'op:open', { mode: 'O_RDWR' })]);
    await bo.inbox.next('op:queued');
    live.server.child.kill('SIGTERM');
    const cancelled = { ok: false, error: { code: 'CANCELLED', message: expect.stringMatching(/shutting down/) } };
    expect(await answers.catch(String)).toMatchObject([cancelled, cancelled]);
    expect((await live.server.exited).code).toBe(0);
  });
});
