/**
 * A student away longer than the grace period comes back to a process the
 * server killed (SIGKILL) in the meantime. The page must not greet her as
 * if nothing happened: it says plainly that she was away too long.
 */
import { describe, expect, it } from 'vitest';
import { Inbox } from '../server/helpers/client.ts';
import { openRoom } from '../server/helpers/room.ts';
import { studentOnLink } from './link.ts';
import { screenshot } from './harness.ts';
import { liveServer } from './live-server.ts';

const live = liveServer('away-too-long', { RESUME_GRACE_MS: '1500' });

describe('back after the grace period', () => {
  it('says she was away longer than the grace period, with no welcome above the dead process', async () => {
    const room = await openRoom(live.url, live.d);
    const board = new Inbox(room.teacher, ['board:update']);
    const { student: ada, link } = await studentOnLink(live.browser, `${live.url}/join/${room.code}`, 'Ada');
    const pid = await ada.pid();

    await link.down();
    await board.next('board:update', (u) => u.roster?.some((r) => r.pid === pid && !r.connected) ?? false);
    await board.next('board:update', (u) => u.processes.some((p) => p.pid === pid && p.state.state === 'dead'));
    link.up();
    await ada.page.locator('.death[data-cause="SIGKILL"]').waitFor({ timeout: 20_000 });
    const page = (await ada.page.locator('main').innerText()).replace(/\s+/g, ' ');
    expect(page).not.toContain('Welcome back');
    expect(page).toContain('You were away longer than the grace period (1.5 seconds)');
    await screenshot(ada.page, 'student-away-too-long');

    // A new process, and the news goes.
    await ada.page.getByRole('button', { name: 'Start a new process' }).click();
    await ada.running();
    expect(await ada.page.getByText('away longer than the grace period').count()).toBe(0);
  });
});
