/**
 * A student grows the file to a gigabyte: the board keeps only the first
 * FILE_MAX bytes of it (as its snapshot does) and goes on drawing stores,
 * instead of allocating and copying the whole file on every tick.
 */
import { describe, expect, it } from 'vitest';
import { must } from '../server/helpers/client.ts';
import { joinStudent } from '../server/helpers/room.ts';
import { LIMITS } from '@mmap-lab/shared/protocol/limits.ts';
import { openTab, UI_TIMEOUT_MS } from './harness.ts';
import { liveServer } from './live-server.ts';

const live = liveServer('board-huge-file');
const GIB = 2 ** 30;

describe('a board in a room whose file a student grows to a gigabyte', () => {
  it('keeps the first FILE_MAX bytes and goes on showing stores', async () => {
    const tab = await openTab(live.browser, { width: 1280, height: 720 });
    const board = tab.page;
    await board.goto(`${live.url}/`);
    await board.getByRole('button', { name: 'Start the class' }).click();
    const code = (await board.getByTestId('room-code').textContent())!.trim();
    const ada = await joinStudent(live.url, live.d, code, 'Ada');
    await must(ada.socket, 'op:open', { mode: 'O_RDWR' });
    await must(ada.socket, 'op:mmap', { len: 16, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0 });
    await must(ada.socket, 'op:ftruncate', { fd: 3, len: GIB });
    await board.getByText(`${GIB} bytes`).waitFor();
    // Each store shows on the board before the next is made: a tick each. Copying a gigabyte per tick took over a second a tick.
    const started = Date.now();
    for (let i = 0; i < 10; i++) {
      await must(ada.socket, 'op:store', { map: 1, index: i, value: 0x41 + i });
      await board.locator(`.file .cell[data-offset="${i}"][data-value="${0x41 + i}"]`).waitFor({ timeout: UI_TIMEOUT_MS });
    }
    expect(Date.now() - started).toBeLessThan(5000);
    // A store past FILE_MAX is not drawn (nor kept), and breaks nothing.
    await must(ada.socket, 'op:pwrite', { fd: 3, off: LIMITS.FILE_MAX + 5, data: '5a' });
    await must(ada.socket, 'op:store', { map: 1, index: 15, value: 0x21 });
    await board.locator('.file .cell[data-offset="15"][data-value="33"]').waitFor();
    expect(tab.errors).toEqual([]);
  });
});
