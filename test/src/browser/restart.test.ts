/**
 * A server restart from the browsers' side: the file outlives the server
 * process, processes do not. The pages say they are disconnected, reconnect
 * by themselves, the student is told its process is gone and gets a new one,
 * and the board comes back with the file as it was.
 */
import { describe, expect, it } from 'vitest';
import { openTab, UI_TIMEOUT_MS } from './harness.ts';
import { liveServer } from './live-server.ts';
import { StudentTab } from './student-tab.ts';

const live = liveServer('restart');

describe('a server restart, seen from the browsers', () => {
  it('keeps the file, gives the student a new process and says why, and brings the board back', async () => {
    const base = live.url;

    const teacher = await openTab(live.browser, { width: 1280, height: 720 });
    const board = teacher.page;
    await board.goto(`${base}/`);
    await board.getByRole('button', { name: 'Start the class' }).click();
    const code = (await board.getByTestId('room-code').textContent())!.trim();

    const ada = new StudentTab(await openTab(live.browser));
    await ada.join(`${base}/join/${code}`, 'Ada');
    await ada.run('open');
    await ada.run('mmap');
    await ada.typeInto(1, 2, 'R');
    await ada.page.locator('.log ol > li', { hasText: "m1[2] = 'R';" }).filter({ hasText: 'ok' }).waitFor();
    await ada.page.getByText('Change or remove a mapping').click();
    const synced = await ada.run('msync');
    expect(synced.c).toBe('msync(m1, length_of_m1, MS_SYNC);');
    expect(synced.status).toBe('ok');
    const oldPid = await ada.pid();

    // A graceful stop, then the same server again on the same address and data.
    await live.stop();
    await ada.page.getByRole('status').filter({ hasText: 'Disconnected.' }).waitFor();
    await board.getByRole('status').filter({ hasText: 'Disconnected.' }).waitFor();
    await live.start();
    expect(live.url).toBe(base);

    // Socket.IO reconnects by itself (backing off up to a few seconds).
    const reconnect = { timeout: UI_TIMEOUT_MS * 2 };
    await ada.page.getByRole('status').filter({ hasText: 'your old process is gone, this is a new one' }).waitFor(reconnect);
    await ada.running();
    await ada.page.getByText('No mappings yet').waitFor();
    expect(await ada.page.locator('.process .name').textContent()).toBe('Ada');
    expect(typeof oldPid).toBe('number');

    // The file kept the synced store: map it again and read it.
    await ada.run('open');
    await ada.run('mmap');
    await expect.poll(() => ada.cell(1, 2).getAttribute('data-value'), { timeout: UI_TIMEOUT_MS }).toBe(String('R'.charCodeAt(0)));
    await board.locator('.file .cell[data-offset="2"][data-value="82"]').waitFor(reconnect);
    await board.locator('.proc .name', { hasText: 'Ada' }).waitFor();
    for (const t of [teacher, ada.tab]) expect(t.dialogs).toEqual([]);
  });
});
