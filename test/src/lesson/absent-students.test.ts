/**
 * A student away past the grace period has left: their process was killed.
 * Groups are made without them and the board does not count them, until
 * they come back.
 */
import { describe, expect, it } from 'vitest';
import { connect, Inbox, must } from '../server/helpers/client.ts';
import { openRoom, type TestRoom } from '../server/helpers/room.ts';
import { perTestServer } from '../server/helpers/per-test-server.ts';
import { BOARD_EVENTS, student, type LessonStudent } from './helpers.ts';

const { server, d } = perTestServer({ graceMs: 200 });

/** Ada, Bo, Cy and Dee join; Bo closes his laptop and stays away past the grace period. */
async function boLeaves(): Promise<{ room: TestRoom; board: Inbox<(typeof BOARD_EVENTS)[number]>; bo: LessonStudent }> {
  const room = await openRoom(server.url, d);
  const board = new Inbox(room.teacher, BOARD_EVENTS);
  await student(server.url, d, room.code, 'Ada');
  const bo = await student(server.url, d, room.code, 'Bo');
  await student(server.url, d, room.code, 'Cy');
  await student(server.url, d, room.code, 'Dee');
  await board.next('board:update', (u) => u.room?.students === 4);
  // Watched on an inbox of its own: the same update may bring the new count the test looks for on `board`.
  const feed = new Inbox(room.teacher, ['board:update']);
  bo.socket.close();
  await feed.next('board:update', (u) => u.feed.some((f) => f.text.includes('away past the grace period')));
  return { room, board, bo };
}

describe('students away past the grace period', () => {
  it('are left out of the groups an exercise launch makes', async () => {
    const { room, board } = await boLeaves();
    await must(room.teacher, 'teacher:exercise:start', { id: 'deadlock', options: {} });
    const snapshot = await board.next('board:snapshot');
    expect(snapshot.lesson.groups).toEqual({ kind: 'pairs', pairs: [['Ada', 'Cy']], leftOver: 'Dee' });
    const ada = await student(server.url, d, room.code, 'Ada');
    expect(ada.joined.assignment).toMatchObject({ kind: 'pair', partner: 'Cy' });
  });

  it('are not counted in the board\'s number of students (the quiz\'s "N of M answered"), until they come back', async () => {
    const { room, board, bo } = await boLeaves();
    expect(await board.next('board:update', (u) => u.room?.students === 3)).toBeTruthy();
    const back = d.socket(await connect(server.url));
    await must(back, 'student:resume', { code: room.code, token: bo.joined.token });
    expect(await board.next('board:update', (u) => u.room?.students === 4)).toBeTruthy();
  });
});

describe('a student away past the grace period whose process had already died', () => {
  it('is not killed again: the feed says it had already died, and nothing is signalled', async () => {
    const room = await openRoom(server.url, d);
    const board = new Inbox(room.teacher, BOARD_EVENTS);
    const ada = await student(server.url, d, room.code, 'Ada');
    await student(server.url, d, room.code, 'Bo');
    await must(ada.socket, 'op:open', { mode: 'O_RDWR' });
    await must(ada.socket, 'op:mmap', { len: 16, prot: 1, flags: 'MAP_SHARED', fd: 3, off: 0 });
    expect((await must(ada.socket, 'op:store', { map: 1, index: 0, value: 1 })).outcome.display).toBe('SIGSEGV');
    await board.next('board:update', (u) => u.room?.students === 2);

    ada.socket.close();
    const update = await board.next('board:update', (u) => u.feed.some((e) => /away past the grace period/.test(e.text)));
    expect(update.feed.find((e) => /away past the grace period/.test(e.text))?.text).toBe(`Ada is away past the grace period (pid ${ada.pid} had already died)`);
    expect(update.feed.some((e) => /SIGKILL/.test(e.text))).toBe(false);
  });
});
