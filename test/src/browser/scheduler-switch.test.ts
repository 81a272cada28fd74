/**
 * The teacher starts scheduling while a student's operation is on its way:
 * the page sent it expecting an answer at once, and the server queued it.
 * Once the page hears `op:queued` it waits for the teacher as long as it
 * takes, and shows what the operation did when it runs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Inbox, must } from '../server/helpers/client.ts';
import { openRoom, type TestRoom } from '../server/helpers/room.ts';
import { BOARD_EVENTS } from '../lesson/helpers.ts';
import { openTab, screenshot } from './harness.ts';
import { liveServer } from './live-server.ts';
import { StudentTab } from './student-tab.ts';
import { dropReceived, pollingOnly } from './wire.ts';

/** Longer than a call waits for its answer while operations run as they arrive (CALL_TIMEOUT_MS). */
const PAST_CALL_TIMEOUT_MS = 11_000;

const live = liveServer('scheduler-switch');
let room: TestRoom;

beforeAll(async () => {
  room = await openRoom(live.url, live.d);
});

describe('an operation in flight when the teacher starts scheduling', () => {
  it('is queued, waits past the usual timeout, and shows its result when the teacher runs it', async () => {
    const tab = await openTab(live.browser);
    await tab.page.clock.install();
    // The page never hears that the ordering changed: as if its operation crossed that news on the wire.
    await pollingOnly(tab.page);
    await dropReceived(tab.page, (packet) => packet.includes('"lesson:ordering"'));
    const ada = new StudentTab(tab);
    await ada.join(`${live.url}/join/${room.code}`, 'Ada');

    const board = new Inbox(room.teacher, BOARD_EVENTS);
    await must(room.teacher, 'teacher:scheduler:start', { seed: 1 });
    await ada.form('open').getByRole('button', { name: 'Run' }).click();
    const entry = ada.page.locator('.log ol > li').first();
    await entry.and(ada.page.locator('[data-status="queued"]')).waitFor();

    await ada.page.clock.fastForward(PAST_CALL_TIMEOUT_MS);
    expect(await entry.getAttribute('data-status')).toBe('queued');

    const { queue } = await board.next('board:queue', (q) => q.queue.rows.length === 1);
    await must(room.teacher, 'teacher:scheduler:run', { id: queue.rows[0]!.id });
    await entry.and(ada.page.locator('[data-status="ok"]')).waitFor();
    expect(await entry.innerText()).toContain('3');
    await ada.page.locator('.process dt', { hasText: 'fd 3' }).waitFor();
    expect(tab.errors).toEqual([]);
    await screenshot(ada.page, 'scheduler-switch-in-flight');
  });
});
