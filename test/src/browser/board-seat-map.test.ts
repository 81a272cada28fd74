/**
 * The seat map (exercise 7's file, 216 bytes) is seven rows of the board's
 * file grid: the whole hall, row H included, is on the projector without
 * scrolling the grid.
 */
import { describe, expect, it } from 'vitest';
import { openRoom } from '../server/helpers/room.ts';
import { openBoard } from './board-tab.ts';
import { screenshot } from './harness.ts';
import { liveServer } from './live-server.ts';

const live = liveServer('board-seat-map');

describe('the seat map on the board', () => {
  it('shows every row of the file at 1280x720 and 1920x1080', async () => {
    const room = await openRoom(live.url, live.d, { template: 'seat-map', pageSize: 64 });
    for (const viewport of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
      const board = await openBoard(live, room.code, room.credential, viewport);
      const p = board.page;
      const rows = p.locator('.file .rows');
      await rows.locator('[data-offset="215"]').waitFor();
      const { client, scroll } = await rows.evaluate((el) => ({ client: el.clientHeight, scroll: el.scrollHeight }));
      expect(scroll).toBeLessThanOrEqual(client);
      const last = (await rows.locator('[data-offset="215"]').boundingBox())!;
      expect(last.y + last.height).toBeLessThanOrEqual(viewport.height);
      await screenshot(p, `board-seat-map-${viewport.height}`);
      expect(board.errors).toEqual([]);
      await board.context.close();
    }
  });
});
