/**
 * Slow motion when a process dies: what it still had held back is answered
 * CANCELLED and never runs (as in the teacher's queue), after the held
 * operation that killed it, if one did.
 */
import { describe, expect, it } from 'vitest';
import type { Ack } from '@mmap-lab/shared/protocol/ack.ts';
import type { ReplyOf } from '@mmap-lab/shared/protocol/events.ts';
import { call, must } from '../server/helpers/client.ts';
import { openRoom, type TestRoom } from '../server/helpers/room.ts';
import { perTestServer } from '../server/helpers/per-test-server.ts';
import { student, type LessonStudent } from './helpers.ts';

/** Long enough for a test to send several operations and kill before the first runs; short enough to set up with. */
const SLOW_MS = 400;
const DIED = { ok: false, error: { code: 'CANCELLED', message: 'Your process died before this ran.' } };
const { server, d } = perTestServer({ slowMotionMs: SLOW_MS });

/** A room in slow motion (an exercise launched with it) with Ada in it: fd 3 open, m1 mapped with `prot`. */
async function slowRoom(prot: number): Promise<{ room: TestRoom; ada: LessonStudent }> {
  const room = await openRoom(server.url, d);
  await must(room.teacher, 'teacher:exercise:start', { id: 'counter-race', options: { increments: 1, slowMotion: true } });
  const ada = await student(server.url, d, room.code, 'Ada');
  expect(ada.joined.lesson.ordering).toBe('slow-motion');
  await must(ada.socket, 'op:open', { mode: 'O_RDWR' });
  await must(ada.socket, 'op:mmap', { len: 16, prot, flags: 'MAP_SHARED', fd: 3, off: 0 });
  return { room, ada };
}

/** Send an operation to be held back; its answer, recorded in `settled` by name when it comes. */
function hold(s: LessonStudent, event: 'op:store' | 'op:fstat', payload: Record<string, unknown>, settled: string[], name: string) {
  const ack = call(s.socket, event, payload as never) as Promise<Ack<ReplyOf<'op:store'>>>;
  void ack.then(() => settled.push(name), () => {});
  return ack;
}

describe('a process dies while slow motion holds its operations', () => {
  it('cancels what a process killed by the teacher still had held back', async () => {
    const { room, ada } = await slowRoom(3);
    const settled: string[] = [];
    const fstat = hold(ada, 'op:fstat', { fd: 3 }, settled, 'fstat');
    const store = hold(ada, 'op:store', { map: 1, index: 0, value: 1 }, settled, 'store');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await must(room.teacher, 'teacher:kill', { pid: ada.pid });
    expect(await fstat).toMatchObject(DIED);
    expect(await store).toMatchObject(DIED);
    expect(settled).toEqual(['fstat', 'store']);
  });

  it('cancels what a process held behind a store that killed it with SIGSEGV, after answering the store', async () => {
    const { ada } = await slowRoom(1);
    const settled: string[] = [];
    const store = hold(ada, 'op:store', { map: 1, index: 0, value: 1 }, settled, 'store');
    const fstat = hold(ada, 'op:fstat', { fd: 3 }, settled, 'fstat');
    expect(await store).toMatchObject({ ok: true, data: { outcome: { display: 'SIGSEGV' } } });
    expect(await fstat).toMatchObject(DIED);
    expect(settled).toEqual(['store', 'fstat']);
  });

  it('does the same when slow motion ends and everything held runs at once', async () => {
    const { room, ada } = await slowRoom(1);
    const settled: string[] = [];
    const store = hold(ada, 'op:store', { map: 1, index: 0, value: 1 }, settled, 'store');
    const fstat = hold(ada, 'op:fstat', { fd: 3 }, settled, 'fstat');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await must(room.teacher, 'teacher:exercise:stop', {});
    expect(await store).toMatchObject({ ok: true, data: { outcome: { display: 'SIGSEGV' } } });
    expect(await fstat).toMatchObject(DIED);
    expect(settled).toEqual(['store', 'fstat']);
  });

  it('lets a respawned process go on: its held operations run', async () => {
    const { room, ada } = await slowRoom(3);
    await must(room.teacher, 'teacher:kill', { pid: ada.pid });
    const respawned = await must(ada.socket, 'student:respawn', {});
    const open = await must(ada.socket, 'op:open', { mode: 'O_RDONLY' });
    expect(respawned.pid).not.toBe(ada.pid);
    expect(open.outcome.display).toBe('fd 3');
  });
});
