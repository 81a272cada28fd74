/**
 * A chapter lists its exercises, each with "Open exercise": the board's
 * exercise view then shows that exercise ready to start, even while another
 * one runs or its results are up, rather than whatever the view showed last.
 */
import { describe, expect, it } from 'vitest';
import { must } from '../server/helpers/client.ts';
import { openRoom } from '../server/helpers/room.ts';
import { openBoard } from './board-tab.ts';
import { screenshot } from './harness.ts';
import { liveServer } from './live-server.ts';

const live = liveServer('board-open-exercise');

describe("a chapter's Open exercise", () => {
  it('opens that exercise in the launcher while another one runs, and the running one when it is that one', async () => {
    const room = await openRoom(live.url, live.d);
    await must(room.teacher, 'teacher:chapter', { chapter: 5 });
    await must(room.teacher, 'teacher:exercise:start', { id: 'counter-race', options: {} });
    const board = await openBoard(live, room.code, room.credential);
    const p = board.page;
    const openFromChapter = async (title: string) => {
      await p.locator('nav.tabs button[data-tab="chapter"]').click();
      await p.locator('.activity li', { hasText: title }).getByRole('button', { name: 'Open exercise' }).click();
      await p.locator('main.grid[data-tab="exercise"]').waitFor();
    };

    await openFromChapter('Deadlock');
    const card = p.locator('.launcher li[data-exercise="deadlock"]');
    await card.waitFor();
    expect(await card.getAttribute('aria-current')).toBe('true');
    expect(await card.getByRole('button', { name: /^Start exercise 6/ }).and(p.locator(':focus')).count()).toBe(1);
    const box = (await card.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(720);
    // The running exercise is one click away.
    await p.getByRole('button', { name: 'Back to The counter race' }).waitFor();
    await screenshot(p, 'board-open-exercise-deadlock');

    await openFromChapter('The counter race');
    await p.locator('.exercise-panel .head h2', { hasText: 'Exercise 4' }).waitFor();
    expect(await p.locator('.launcher').count()).toBe(0);

    // The tab itself shows what runs, as before.
    await openFromChapter('Deadlock');
    await p.locator('nav.tabs button[data-tab="room"]').click();
    await p.locator('nav.tabs button[data-tab="exercise"]').click();
    await p.locator('.exercise-panel .head h2', { hasText: 'Exercise 4' }).waitFor();
    expect(board.errors).toEqual([]);
  });
});
