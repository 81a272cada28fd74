/**
 * Shared against private with a class of 30: its "who saw whose stores"
 * table has a column per student. It scrolls inside its own box; the board
 * stays the projector's width, with the exercise's buttons on screen and the
 * side column beside the results, not over them.
 */
import { describe, expect, it } from 'vitest';
import { must } from '../server/helpers/client.ts';
import { joinStudent, openRoom, type Student } from '../server/helpers/room.ts';
import { openBoard } from './board-tab.ts';
import { screenshot } from './harness.ts';
import { liveServer } from './live-server.ts';

const live = liveServer('board-wide-results');
const CLASS = 30;

describe('exercise results for a class of 30', () => {
  it('keep the board within 1280 pixels, the end button in view and the side column clear of the results', async () => {
    const room = await openRoom(live.url, live.d);
    await must(room.teacher, 'teacher:exercise:start', { id: 'shared-vs-private' });
    const students: Student[] = [];
    for (let i = 0; i < CLASS; i++) students.push(await joinStudent(live.url, live.d, room.code, `Learner ${i + 1}`));
    for (const [i, s] of students.entries()) {
      await must(s.socket, 'op:open', { mode: 'O_RDWR' });
      await must(s.socket, 'op:mmap', { len: 64, prot: 3, flags: i % 2 ? 'MAP_PRIVATE' : 'MAP_SHARED', fd: 3, off: 0 });
      await must(s.socket, 'op:store', { map: 1, index: 9 + (i % 4) * 16, value: 65 + (i % 26) });
    }

    const board = await openBoard(live, room.code, room.credential);
    const p = board.page;
    await p.locator('nav.tabs button[data-tab="exercise"]').click();
    await p.getByTestId('sees').locator('tbody tr').nth(CLASS - 1).waitFor();
    expect(await p.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);
    const end = (await p.getByRole('button', { name: 'End the exercise' }).boundingBox())!;
    expect(end.x + end.width).toBeLessThanOrEqual(1280);
    const results = (await p.locator('.exercise-panel').boundingBox())!;
    const side = (await p.locator('.side-col').boundingBox())!;
    expect(results.x + results.width).toBeLessThanOrEqual(side.x);
    await screenshot(p, 'board-wide-results');
    expect(board.errors).toEqual([]);
  });
});
