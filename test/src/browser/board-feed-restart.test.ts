/**
 * The board's feed across a server restart: the server's feed starts again
 * (its numbering too), so the board takes the feed the snapshot brings,
 * which says the server restarted, instead of keeping the old lines (whose
 * numbers the new ones would clash with) and freezing.
 */
import { describe, expect, it } from 'vitest';
import { must } from '../server/helpers/client.ts';
import { joinStudent } from '../server/helpers/room.ts';
import { openTab, screenshot, UI_TIMEOUT_MS } from './harness.ts';
import { liveServer } from './live-server.ts';

const live = liveServer('board-feed-restart');

async function storeByte(url: string, code: string, name: string, index: number, value: number) {
  const s = await joinStudent(url, live.d, code, name);
  await must(s.socket, 'op:open', { mode: 'O_RDWR' });
  await must(s.socket, 'op:mmap', { len: 16, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0 });
  await must(s.socket, 'op:store', { map: 1, index, value });
  return s;
}

describe("the board's feed across a server restart", () => {
  it('says the server restarted, drops the old lines and goes on with the new ones', async () => {
    const tab = await openTab(live.browser, { width: 1280, height: 720 });
    const board = tab.page;
    await board.goto(`${live.url}/`);
    await board.getByRole('button', { name: 'Start the class' }).click();
    const room = { code: (await board.getByTestId('room-code').textContent())!.trim() };
    const feed = board.locator('.feed li');

    const ada = await storeByte(live.url, room.code, 'Ada', 0, 0x41);
    await feed.filter({ hasText: "m1[0] = 'A';" }).waitFor();
    ada.socket.close();

    await live.stop();
    await board.getByRole('status').filter({ hasText: 'Disconnected.' }).waitFor();
    await live.start();
    await feed.filter({ hasText: 'restarted: the file is as it was' }).waitFor({ timeout: UI_TIMEOUT_MS * 2 });
    await storeByte(live.url, room.code, 'Bob', 1, 0x42);
    await feed.filter({ hasText: "m1[1] = 'B';" }).waitFor();

    // Newest first: Bob's store, his mmap, open and join, then the restart; nothing from before it.
    const lines = await feed.allInnerTexts();
    expect(lines).toHaveLength(5);
    expect(lines[4]).toContain('restarted');
    expect(lines.join('\n')).not.toContain("m1[0] = 'A';");
    await screenshot(board, 'board-feed-after-restart', true);
    // While the server is down, the browser may log the failed reconnection attempts: those are expected.
    expect(tab.errors.filter((e) => !/ERR_CONNECTION_REFUSED|WebSocket connection/.test(e))).toEqual([]);
  });
});
