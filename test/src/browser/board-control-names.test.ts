/**
 * What a screen reader says for the board's buttons: each Kill names its
 * process, and a toggle keeps one label and says whether it is on.
 */
import { describe, expect, it } from 'vitest';
import { joinStudent, openRoom } from '../server/helpers/room.ts';
import { openBoard } from './board-tab.ts';
import { liveServer } from './live-server.ts';

const live = liveServer('board-control-names');

describe('the names of the board buttons', () => {
  it('names each Kill after its process and keeps toggles under one label with aria-pressed', async () => {
    const room = await openRoom(live.url, live.d);
    const board = await openBoard(live, room.code, room.credential);
    const p = board.page;
    const ada = await joinStudent(live.url, live.d, room.code, 'Ada');
    const bob = await joinStudent(live.url, live.d, room.code, 'Bob');
    for (const s of [{ name: 'Ada', pid: ada.pid }, { name: 'Bob', pid: bob.pid }]) {
      await p.getByRole('button', { name: `Kill ${s.name} (pid ${s.pid})`, exact: true }).waitFor();
    }

    const lockJoins = p.getByRole('button', { name: 'Lock joins', exact: true });
    expect(await lockJoins.getAttribute('aria-pressed')).toBe('false');
    await lockJoins.click();
    await expect.poll(() => lockJoins.getAttribute('aria-pressed')).toBe('true');

    const qr = p.getByRole('button', { name: 'Show QR code', exact: true });
    expect(await qr.getAttribute('aria-pressed')).toBe('true');
    await qr.click();
    await expect.poll(() => qr.getAttribute('aria-pressed')).toBe('false');
    expect(board.errors).toEqual([]);
  });
});
