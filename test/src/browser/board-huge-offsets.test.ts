/**
 * One student must not be able to freeze the teacher's board with a huge
 * number: a file of a million bytes, a mapping of 2^40 bytes and locks
 * far past 2^53 in a room of 16-byte pages. The board keeps answering, draws
 * a few dozen ticks, not one per page, shows each offset exactly as Linux
 * reports it (never clamped or rounded to a double), and a board opened
 * afterwards still shows the room.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { must } from '../server/helpers/client.ts';
import { joinStudent, openRoom } from '../server/helpers/room.ts';
import { openBoard } from './board-tab.ts';
import { screenshot } from './harness.ts';
import { liveServer } from './live-server.ts';

const live = liveServer('board-huge-offsets');
/** RulerScale draws at most this many ticks (plus the one at the origin). */
const TICKS_MAX = 65;

/** The page still runs script, and draws a small ruler. */
async function ticks(page: Page): Promise<number> {
  return page.evaluate<number>("document.querySelectorAll('.tick').length");
}

describe('a board in a room where a student uses huge offsets', () => {
  it('survives a 2^40-byte mapping and locks at 2^60, and a fresh board shows the room', async () => {
    const room = await openRoom(live.url, live.d);
    const board = await openBoard(live, room.code, room.credential);
    const ada = await joinStudent(live.url, live.d, room.code, 'Ada');
    const bob = await joinStudent(live.url, live.d, room.code, 'Bob');
    await must(ada.socket, 'op:open', { mode: 'O_RDWR' });
    await must(bob.socket, 'op:open', { mode: 'O_RDWR' });
    expect((await must(ada.socket, 'op:mmap', { len: String(2 ** 40), prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0 })).outcome.display).toBe('map m1');
    for (const start of [2n ** 60n, 2n ** 60n + 100n]) {
      const lock = await must(bob.socket, 'op:lock', { fd: 3, cmd: 'F_SETLK', type: 'F_WRLCK', start: start.toString(), len: 1 });
      expect(lock.outcome.display).toBe('ok');
    }
    await board.page.locator(`.lock[data-pid="${bob.pid}"]`).nth(1).waitFor();
    // The lock table prints the ranges Linux would: 2^60, not 9007199254740991 or 1152921504606847000.
    const ranges = await board.page.locator(`.lock[data-pid="${bob.pid}"] .range`).allInnerTexts();
    expect(ranges).toEqual(['bytes 1152921504606846976–1152921504606846976', 'bytes 1152921504606847076–1152921504606847076']);
    await board.page.locator(`.lock[data-pid="${bob.pid}"] .bar.past`, { hasText: '→ at 1152921504606846976' }).waitFor();
    await board.page.locator(`.proc[data-pid="${ada.pid}"] .bar`).waitFor();
    expect(await ticks(board.page)).toBeLessThanOrEqual(TICKS_MAX);
    // What lies past the drawn ruler says where it goes.
    await board.page.locator(`.proc[data-pid="${ada.pid}"] .bar.past`, { hasText: '1099511627776' }).waitFor();
    await screenshot(board.page, 'board-huge-offsets');
    expect(board.errors).toEqual([]);

    const fresh = await openBoard(live, room.code, room.credential);
    await fresh.page.locator(`.proc[data-pid="${ada.pid}"]`).getByRole('button', { name: /^Kill/ }).waitFor();
    expect(await fresh.page.getByRole('button', { name: /^Kill/ }).count()).toBe(2);
    expect(await ticks(fresh.page)).toBeLessThanOrEqual(TICKS_MAX);
    expect(fresh.errors).toEqual([]);
  });

  // 62,500 pages: a tick each took the board seconds to draw. (A file of 2^36 bytes is past what
  // the board's copy of the file holds today: that is board-session's to fix, not the ruler's.)
  it('draws a few dozen ticks for a file of a million bytes in 16-byte pages', async () => {
    const room = await openRoom(live.url, live.d);
    const board = await openBoard(live, room.code, room.credential);
    const ada = await joinStudent(live.url, live.d, room.code, 'Ada');
    await must(ada.socket, 'op:open', { mode: 'O_RDWR' });
    expect((await must(ada.socket, 'op:ftruncate', { fd: 3, len: 1_000_000 })).outcome.display).toBe('ok');
    await board.page.locator('.facts', { hasText: 'file 1000000 B' }).waitFor();
    expect(await ticks(board.page)).toBeLessThanOrEqual(TICKS_MAX);
    expect(board.errors).toEqual([]);

    const fresh = await openBoard(live, room.code, room.credential);
    await fresh.page.locator(`.proc[data-pid="${ada.pid}"]`).getByRole('button', { name: /^Kill/ }).waitFor();
    expect(await ticks(fresh.page)).toBeLessThanOrEqual(TICKS_MAX);
    expect(fresh.errors).toEqual([]);
  });
});
