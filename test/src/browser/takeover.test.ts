/**
 * One student, two tabs of one browser: the tab left behind (its link
 * down) must not take the process back by itself when its link returns.
 * Only a fresh page load or its "Use it here instead" button takes over.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { openRoom, type TestRoom } from '../server/helpers/room.ts';
import { UI_TIMEOUT_MS } from './harness.ts';
import { studentOnLink } from './link.ts';
import { liveServer } from './live-server.ts';
import { StudentTab } from './student-tab.ts';

const live = liveServer('takeover');
let room: TestRoom;

beforeAll(async () => {
  room = await openRoom(live.url, live.d);
});

const MOVED = 'This process moved to another tab';

describe('a process taken over by another tab', () => {
  it('a tab whose link comes back shows it was replaced, and leaves the process to the tab in use', async () => {
    const { student: left, link } = await studentOnLink(live.browser, `${live.url}/join/${room.code}`, 'Ada');
    const pid = await left.pid();

    await link.down();
    await left.page.getByRole('status').filter({ hasText: 'Disconnected.' }).waitFor();
    const used = new StudentTab({ ...left.tab, page: await left.tab.context.newPage() });
    await used.page.goto(`${live.url}/room/${room.code}`);
    await used.running();
    expect(await used.pid()).toBe(pid);

    // Socket.IO reconnects the tab left behind by itself (backing off up to a few seconds).
    link.up();
    await left.page.getByRole('heading', { name: MOVED }).waitFor({ timeout: UI_TIMEOUT_MS * 2 });
    expect(await used.page.getByText(MOVED).count()).toBe(0);
    await used.select('open', 'Mode', 'O_RDWR');
    expect((await used.run('open')).status).toBe('ok');

    // Its button does take the process over.
    await left.page.getByRole('button', { name: 'Use it here instead' }).click();
    await left.running();
    expect(await left.pid()).toBe(pid);
    await used.page.getByRole('heading', { name: MOVED }).waitFor();
  });
});
