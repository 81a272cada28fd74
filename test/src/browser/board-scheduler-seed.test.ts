/**
 * A seed typed on the board starts the teacher's random picks once: pressing
 * Random again goes on with the same random stream, as the server would pick
 * from that seed, instead of starting the stream again at every press (which
 * made "random" the same first draw each time).
 */
import { describe, expect, it } from 'vitest';
import { call, must } from '../server/helpers/client.ts';
import { joinStudent, openRoom, type TestRoom } from '../server/helpers/room.ts';
import { openBoard } from './board-tab.ts';
import { liveServer } from './live-server.ts';

const live = liveServer('board-scheduler-seed');
const NAMES = ['Ada', 'Bob', 'Cy', 'Dee', 'Eve', 'Fay', 'Gus', 'Hal'];
const PICKS = 5;

/** Every student maps the file; then, once the teacher schedules, each sends one store (left waiting in the queue). */
async function classOf(room: TestRoom, scheduling: () => Promise<unknown>): Promise<void> {
  const students = [];
  for (const name of NAMES) {
    const s = await joinStudent(live.url, live.d, room.code, name);
    await must(s.socket, 'op:open', { mode: 'O_RDWR' });
    await must(s.socket, 'op:mmap', { len: 16, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0 });
    students.push(s);
  }
  await scheduling();
  // Answered when the teacher runs it; the ones never picked fail when the sockets close.
  for (const [i, s] of students.entries()) void call(s.socket, 'op:store', { map: 1, index: 0, value: 65 + i }).catch(() => undefined);
}

describe('the random pick from a typed seed', () => {
  it('picks on the board as the server picks from that seed, press after press', async () => {
    const reference = await openRoom(live.url, live.d);
    await classOf(reference, () => must(reference.teacher, 'teacher:scheduler:start', { seed: 7 }));
    await expect.poll(async () => (await must(reference.teacher, 'teacher:scheduler:start', { seed: 7 })).queue.rows.length).toBe(NAMES.length);
    const expected: string[] = [];
    for (let i = 0; i < PICKS; i++) expected.push((await must(reference.teacher, 'teacher:scheduler:random', {})).step!.name);

    const room = await openRoom(live.url, live.d);
    const board = await openBoard(live, room.code, room.credential);
    const panel = board.page.locator('.queue-panel');
    await classOf(room, async () => {
      await panel.getByLabel('seed').fill('7');
      await panel.getByRole('button', { name: 'Queue operations' }).click();
      await panel.getByTestId('seed').waitFor();
    });
    await expect.poll(() => panel.locator('label.q').count()).toBe(NAMES.length);
    for (let i = 1; i <= PICKS; i++) {
      await panel.getByRole('button', { name: 'Random' }).click();
      await expect.poll(() => panel.locator('label.q').count()).toBe(NAMES.length - i);
    }
    const picked = await panel.locator('.steps li .who').allInnerTexts();
    expect(picked.reverse()).toEqual(expected);
    expect(await panel.getByTestId('seed').innerText()).toBe('7');
    expect(board.errors).toEqual([]);
  });
});
