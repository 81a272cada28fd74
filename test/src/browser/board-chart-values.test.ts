/**
 * The locked counter's chart of what the lock cost each student ends every
 * bar with its value and unit ("150 steps"): the longest bar must leave room
 * for that text on a projector, not cut it to "150 st".
 */
import { describe, expect, it } from 'vitest';
import { must } from '../server/helpers/client.ts';
import { openRoom } from '../server/helpers/room.ts';
import { increment, loadCounter, lockCounter, mapShared, student, unlockCounter } from '../lesson/helpers.ts';
import { openBoard } from './board-tab.ts';
import { screenshot } from './harness.ts';
import { liveServer } from './live-server.ts';

// One student runs 150 operations in a row: more than a socket's default burst.
const live = liveServer('board-chart-values', { SOCKET_RATE: '10000', SOCKET_BURST: '10000' });

describe('bar charts on the board', () => {
  it('show the whole value and unit of the longest bar at 1280x720', async () => {
    const room = await openRoom(live.url, live.d);
    await must(room.teacher, 'teacher:exercise:start', { id: 'locked-counter' });
    const ada = await student(live.url, live.d, room.code, 'Ada');
    const bo = await student(live.url, live.d, room.code, 'Bo');
    await mapShared(ada);
    await mapShared(bo);
    await lockCounter(ada);
    const waiting = lockCounter(bo);
    // Bo waits while Ada runs 150 operations: a three-digit cost.
    for (let i = 0; i < 149; i++) await loadCounter(ada);
    await unlockCounter(ada);
    await waiting;
    await unlockCounter(bo);
    await increment(bo, true);

    const board = await openBoard(live, room.code, room.credential);
    const p = board.page;
    await p.locator('nav.tabs button[data-tab="exercise"]').click();
    const chart = p.locator('figure.chart', { hasText: 'What the lock cost each student' });
    const value = chart.locator('text.value', { hasText: /^1\d\d steps$/ });
    await value.waitFor();
    const svg = (await chart.locator('svg').boundingBox())!;
    const text = (await value.boundingBox())!;
    expect(text.x + text.width).toBeLessThanOrEqual(svg.x + svg.width);
    // Bo waited once: said so, not "1 waits".
    expect(await chart.locator('text.note').innerHTML()).toMatch(/^1 wait, \d+\.\d s$/);
    await chart.scrollIntoViewIfNeeded();
    await screenshot(p, 'board-chart-values');
    expect(board.errors).toEqual([]);
  });
});
