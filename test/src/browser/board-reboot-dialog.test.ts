/**
 * "New file…" after a reboot that set up a template starts again from
 * keeping the current bytes: a teacher who only changes the page size the
 * second time must not wipe what the class wrote into the new file.
 */
import { describe, expect, it } from 'vitest';
import { openRoom } from '../server/helpers/room.ts';
import { openBoard } from './board-tab.ts';
import { liveServer } from './live-server.ts';

const live = liveServer('board-reboot-dialog');

describe('the reboot dialog', () => {
  it('opens on "keep the current bytes" and the room\'s page size after a reboot with a template', async () => {
    const room = await openRoom(live.url, live.d);
    const board = await openBoard(live, room.code, room.credential);
    const p = board.page;
    const dialog = p.getByRole('dialog');
    await p.getByRole('button', { name: 'New file…' }).click();
    await dialog.locator('select').first().selectOption('seat-map');
    await dialog.getByLabel('Page size').selectOption('64');
    await dialog.getByRole('button', { name: 'Reboot: kill every process' }).click();
    await p.getByText('page size 64 B', { exact: false }).waitFor();

    await p.getByRole('button', { name: 'New file…' }).click();
    expect(await dialog.locator('select').first().inputValue()).toBe('keep');
    expect(await dialog.getByLabel('Page size').inputValue()).toBe('64');
    expect(board.errors).toEqual([]);
  });
});
