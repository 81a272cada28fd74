/**
 * A process with several mappings over the same bytes: each mapping's bar
 * keeps a lane of its own in the process's track, so none hides another
 * (m1 was drawn under m2 and m3, its label covered).
 */
import { describe, expect, it } from 'vitest';
import { must } from '../server/helpers/client.ts';
import { joinStudent, openRoom } from '../server/helpers/room.ts';
import { openBoard } from './board-tab.ts';
import { screenshot } from './harness.ts';
import { liveServer } from './live-server.ts';

const live = liveServer('board-mapping-lanes');

describe("a process's mappings on the board", () => {
  it('are drawn one above the other, every label readable', async () => {
    const room = await openRoom(live.url, live.d, { template: 'blank', pageSize: 64 });
    const ada = await joinStudent(live.url, live.d, room.code, 'Ada');
    await must(ada.socket, 'op:open', { mode: 'O_RDWR' });
    await must(ada.socket, 'op:mmap', { len: 256, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0 });
    await must(ada.socket, 'op:mmap', { len: 128, prot: 3, flags: 'MAP_PRIVATE', fd: 3, off: 0 });
    await must(ada.socket, 'op:mmap', { len: 64, prot: 1, flags: 'MAP_SHARED', fd: 3, off: 64 });
    await must(ada.socket, 'op:store', { map: 2, index: 3, value: 1 });

    const board = await openBoard(live, room.code, room.credential);
    const p = board.page;
    const proc = p.locator(`.proc[data-pid="${ada.pid}"]`);
    await proc.locator('.copy').waitFor();
    const labels = await proc.locator('.bar-label').all();
    expect(labels).toHaveLength(3);
    const boxes = await Promise.all(labels.map(async (l) => (await l.boundingBox())!));
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i], boxes[j]];
        const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
        expect(overlap, `labels ${i + 1} and ${j + 1} overlap`).toBe(false);
      }
    }
    // The private copy sits in m2's lane: under m2's label, above m3's bar.
    const copy = (await proc.locator('.copy').boundingBox())!;
    const m3 = (await proc.locator('.bar').nth(2).boundingBox())!;
    expect(copy.y).toBeGreaterThanOrEqual(boxes[1].y + boxes[1].height - 1);
    expect(copy.y + copy.height).toBeLessThanOrEqual(m3.y);
    await proc.scrollIntoViewIfNeeded();
    await screenshot(p, 'board-mapping-lanes');
    expect(board.errors).toEqual([]);
  });
});
