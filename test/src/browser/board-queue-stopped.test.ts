/**
 * Stop all while operations wait in the teacher's queue: a stopped process
 * runs nothing until SIGCONT, so the board shows its operations waiting, not
 * pickable, and says why; Continue all makes them pickable again.
 */
import { describe, expect, it } from 'vitest';
import { call, must } from '../server/helpers/client.ts';
import { joinStudent, openRoom } from '../server/helpers/room.ts';
import { openBoard } from './board-tab.ts';
import { screenshot } from './harness.ts';
import { liveServer } from './live-server.ts';

const live = liveServer('board-queue-stopped');

describe('the teacher\'s queue when the class is stopped', () => {
  it('shows each stopped process\'s operation waiting, with why, until Continue all', async () => {
    const room = await openRoom(live.url, live.d);
    const board = await openBoard(live, room.code, room.credential);
    await must(room.teacher, 'teacher:scheduler:start', { seed: 3 });
    for (const name of ['Ada', 'Bob']) {
      const s = await joinStudent(live.url, live.d, room.code, name);
      // Answered when the teacher runs it; never, here: the socket closes first.
      void call(s.socket, 'op:fstat', { fd: 0 }).catch(() => undefined);
    }
    const rows = board.page.locator('.queue-panel label.q');
    await expect.poll(() => rows.count()).toBe(2);

    await board.page.getByRole('button', { name: 'Stop all' }).click();
    await expect.poll(() => rows.filter({ hasText: 'its process is stopped' }).count()).toBe(2);
    expect(await board.page.locator('.queue-panel input[type="radio"]:disabled').count()).toBe(2);
    expect(await board.page.locator('.queue-panel .sub').innerText()).toMatch(/^2 waiting · 0 ran · random seed 3$/);
    await screenshot(board.page, 'board-queue-stopped');

    await board.page.getByRole('button', { name: 'Continue all' }).click();
    await expect.poll(() => board.page.locator('.queue-panel input[type="radio"]:enabled').count()).toBe(2);
    expect(board.errors).toEqual([]);
  });
});
