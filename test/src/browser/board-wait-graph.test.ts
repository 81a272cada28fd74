/**
 * The locked-counter exercise: one student holds the lock and twenty wait
 * for it. "Who waits for whom" must stay readable: no circle on another,
 * the holder in plain sight, and a list that does not run down the screen.
 */
import { describe, expect, it } from 'vitest';
import { must } from '../server/helpers/client.ts';
import { joinStudent, openRoom } from '../server/helpers/room.ts';
import { openBoard } from './board-tab.ts';
import { screenshot } from './harness.ts';
import { liveServer } from './live-server.ts';

const live = liveServer('board-wait-graph');
const WAITERS = 20;

describe('who waits for whom, with a class waiting on one lock', () => {
  it('draws twenty waiters around their holder without overlap, and folds the list', async () => {
    const room = await openRoom(live.url, live.d);
    const board = await openBoard(live, room.code, room.credential, { width: 1920, height: 1080 });
    const holder = await joinStudent(live.url, live.d, room.code, 'Holder');
    await must(holder.socket, 'op:open', { mode: 'O_RDWR' });
    await must(holder.socket, 'op:lock', { fd: 3, cmd: 'F_SETLK', type: 'F_WRLCK', start: 0, len: 4 });
    for (let i = 0; i < WAITERS; i++) {
      const s = await joinStudent(live.url, live.d, room.code, `S${i}`);
      await must(s.socket, 'op:open', { mode: 'O_RDWR' });
      await must(s.socket, 'op:lock', { fd: 3, cmd: 'F_SETLKW', type: 'F_WRLCK', start: 0, len: 4 });
    }
    const wait = board.page.locator('.wait');
    await expect.poll(() => wait.locator('circle').count()).toBe(WAITERS + 1);

    const circles = await wait.locator('circle').evaluateAll((els) => els.map((el) => {
      const r = el.getBoundingClientRect();
      return { x: r.x + r.width / 2, y: r.y + r.height / 2, r: r.width / 2 };
    }));
    for (const [i, a] of circles.entries()) {
      for (const b of circles.slice(i + 1)) expect(Math.hypot(a.x - b.x, a.y - b.y)).toBeGreaterThanOrEqual(a.r + b.r);
    }
    // The list says it once per holder, not once per waiter.
    expect(await wait.locator('li').count()).toBe(1);
    expect(await wait.locator('li').innerText()).toContain(`${WAITERS} wait for Holder (pid ${holder.pid})`);
    expect((await wait.boundingBox())!.height).toBeLessThan(1080 / 2);
    await screenshot(board.page, 'board-wait-graph-20');
    expect(board.errors).toEqual([]);
  });
});
