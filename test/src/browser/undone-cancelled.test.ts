/**
 * An operation the teacher undid waits in the queue again; if its process
 * then dies, it never runs. Its acknowledgement was used when it first ran,
 * so the page must still hear it was cancelled, not show it queued forever.
 */
import { describe, expect, it } from 'vitest';
import { must } from '../server/helpers/client.ts';
import { openRoom } from '../server/helpers/room.ts';
import { openTab } from './harness.ts';
import { liveServer } from './live-server.ts';
import { StudentTab } from './student-tab.ts';

const live = liveServer('undone-cancelled');

describe('an undone operation whose process dies', () => {
  it('settles as cancelled in the student\'s log', async () => {
    const room = await openRoom(live.url, live.d);
    const ada = new StudentTab(await openTab(live.browser));
    await ada.join(`${live.url}/join/${room.code}`, 'Ada');
    await must(room.teacher, 'teacher:scheduler:start', {});
    await ada.page.locator('[data-ordering="teacher"]').waitFor();
    await ada.select('open', 'Mode', 'O_RDWR');
    expect((await ada.run('open')).status).toBe('queued');
    await must(room.teacher, 'teacher:scheduler:round-robin', {});
    await ada.page.locator('.log ol > li[data-status="ok"]').waitFor();
    await must(room.teacher, 'teacher:scheduler:undo', {});
    const undone = ada.page.locator('.log ol > li[data-status="queued"]', { hasText: 'undone: queued again' });
    await undone.waitFor();

    await must(room.teacher, 'teacher:kill', { pid: await ada.pid() });
    const cancelled = ada.page.locator('.log ol > li', { hasText: 'Your process died before the teacher ran this.' });
    await cancelled.waitFor();
    expect(await cancelled.getAttribute('data-status')).toBe('refused');
    expect(await ada.page.locator('.log ol > li[data-status="queued"]').count()).toBe(0);
  });
});
