/**
 * A board that lost its connection dials again and attaches again. Until
 * that attach is answered, the new socket is nobody: a control sent then
 * would be refused NOT_JOINED. So the controls stay disabled until the
 * board is attached again, not merely online.
 */
import { describe, expect, it } from 'vitest';
import { joinStudent, openRoom } from '../server/helpers/room.ts';
import { openBoard } from './board-tab.ts';
import { UI_TIMEOUT_MS } from './harness.ts';
import { liveServer } from './live-server.ts';
import { holdSent, pollingOnly } from './wire.ts';

const live = liveServer('board-reattach');

describe('a board coming back online', () => {
  it('keeps its controls disabled until its attach is answered', async () => {
    const room = await openRoom(live.url, live.d);
    const ada = await joinStudent(live.url, live.d, room.code, 'Ada');
    // On long-polling, so the attach can be held on its way.
    const board = await openBoard(live, room.code, room.credential, undefined, pollingOnly);
    const p = board.page;
    const controls = [p.getByRole('button', { name: 'Stop all' }), p.getByRole('button', { name: `Kill Ada (pid ${ada.pid})` })];
    for (const c of controls) expect(await c.isEnabled()).toBe(true);

    // The next attach (on the socket after the drop) waits on the way, as on a slow link.
    let release = (): void => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let holding = false;
    await holdSent(p, (packet) => packet.includes('"teacher:attach"'), held, () => (holding = true));
    await board.context.setOffline(true);
    await p.getByRole('status').filter({ hasText: 'Disconnected.' }).waitFor();
    await board.context.setOffline(false);
    await expect.poll(() => holding, { timeout: UI_TIMEOUT_MS * 2 }).toBe(true);
    await p.getByRole('status').filter({ hasText: 'Disconnected.' }).waitFor({ state: 'hidden' });
    for (const c of controls) expect(await c.isDisabled()).toBe(true);

    release();
    for (const c of controls) await expect.poll(() => c.isEnabled(), { timeout: UI_TIMEOUT_MS }).toBe(true);
    // Chromium logs the poll that failed while offline; nothing else went wrong.
    expect(board.errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED'))).toEqual([]);
  });
});
