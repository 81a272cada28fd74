/**
 * A teacher control that fails says so where the teacher looks, not only to
 * a screen reader; and the increments field keeps to what the server
 * accepts, so Start is not refused for a number typed too big.
 */
import { describe, expect, it } from 'vitest';
import { joinStudent, openRoom } from '../server/helpers/room.ts';
import { openBoard } from './board-tab.ts';
import { screenshot, UI_TIMEOUT_MS } from './harness.ts';
import { liveServer } from './live-server.ts';

const live = liveServer('board-control-alerts');

describe('the outcome of a teacher control on the board', () => {
  it('a refused control shows a visible alert with its message, until dismissed', async () => {
    const room = await openRoom(live.url, live.d);
    const board = await openBoard(live, room.code, room.credential);
    const p = board.page;
    await p.getByRole('button', { name: 'New file…' }).click();
    const dialog = p.getByRole('dialog');
    await dialog.getByLabel('File').selectOption('text');
    // One character past what the server takes as a file's text: refused.
    await dialog.locator('textarea').fill('x'.repeat(65_537));
    await dialog.getByRole('button', { name: 'Reboot: kill every process' }).click();
    const alert = p.locator('.control-alert[role="alert"]');
    await alert.waitFor();
    expect(await alert.isVisible()).toBe(true);
    expect(await alert.innerText()).toMatch(/Reboot with a new file failed: .+/);
    await screenshot(p, 'board-control-alert');
    await alert.getByRole('button', { name: 'Dismiss' }).click();
    await alert.waitFor({ state: 'detached' });
    expect(board.errors).toEqual([]);
  });

  it('a question list that failed shows the same visible alert, not only the status line', async () => {
    const room = await openRoom(live.url, live.d);
    const board = await openBoard(live, room.code, room.credential);
    const p = board.page;
    await board.context.setOffline(true);
    await p.getByRole('status').filter({ hasText: 'Disconnected.' }).waitFor();
    // The quiz panel asks for the chapter's questions when it opens: refused at once while offline.
    await p.locator('nav.tabs button[data-tab="quiz"]').click();
    const alert = p.locator('.control-alert[role="alert"]');
    await alert.waitFor();
    expect(await alert.isVisible()).toBe(true);
    expect(await alert.innerText()).toMatch(/The question list failed: .+/);
    await board.context.setOffline(false);
    expect(board.errors).toEqual([]);
  });

  it('keeps the increments each student does within the limits the server accepts', async () => {
    const room = await openRoom(live.url, live.d);
    await joinStudent(live.url, live.d, room.code, 'Ada');
    const board = await openBoard(live, room.code, room.credential);
    const p = board.page;
    await p.locator('button[data-tab="exercise"]').click();
    const ex = p.locator('li[data-exercise="counter-race"]');
    const field = ex.getByLabel('increments each');
    await field.fill('500');
    await field.press('Tab');
    // The field shows what Start will send: the most the server takes.
    expect(await field.inputValue()).toBe('100');
    await ex.getByRole('button', { name: /Start exercise/ }).click();
    await p.getByRole('button', { name: 'End the exercise' }).waitFor();
    expect(await p.locator('.control-alert').count()).toBe(0);
    expect(board.errors).toEqual([]);
  });

  it('disables the controls that send while the connection is down, and gives them back after', async () => {
    const room = await openRoom(live.url, live.d);
    const ada = await joinStudent(live.url, live.d, room.code, 'Ada');
    const board = await openBoard(live, room.code, room.credential);
    const p = board.page;
    const controls = [
      p.getByRole('button', { name: 'Stop all' }),
      p.getByRole('button', { name: 'New file…' }),
      p.getByRole('button', { name: `Kill Ada (pid ${ada.pid})` }),
    ];
    for (const c of controls) expect(await c.isEnabled()).toBe(true);
    await board.context.setOffline(true);
    await p.getByRole('status').filter({ hasText: 'Disconnected.' }).waitFor();
    for (const c of controls) expect(await c.isDisabled()).toBe(true);
    await board.context.setOffline(false);
    for (const c of controls) await expect.poll(() => c.isEnabled(), { timeout: UI_TIMEOUT_MS }).toBe(true);
    expect(board.errors).toEqual([]);
  });
});
