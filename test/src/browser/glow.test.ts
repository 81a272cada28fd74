/**
 * A byte that classmates write many times a second glows once, in the last
 * writer's colour: each write replaces the glow instead of stacking another
 * animation on the cell (a board at a lecture's pace stacked dozens, and
 * repainted the page every frame for them).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { must } from '../server/helpers/client.ts';
import { joinStudent, openRoom, type Student } from '../server/helpers/room.ts';
import { openTab, screenshot, UI_TIMEOUT_MS } from './harness.ts';
import { liveServer } from './live-server.ts';
import { StudentTab } from './student-tab.ts';

const WRITES = 5;
const live = liveServer('glow');
let ada: StudentTab;
let bob: Student;

beforeAll(async () => {
  const room = await openRoom(live.url, live.d);
  ada = new StudentTab(await openTab(live.browser));
  await ada.join(`${live.url}/join/${room.code}`, 'Ada');
  await ada.openAndMap();
  bob = await joinStudent(live.url, live.d, room.code, 'Bob');
  await must(bob.socket, 'op:open', { mode: 'O_RDWR' });
  await must(bob.socket, 'op:mmap', { len: 16, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0 });
});

describe('the glow of a byte written again and again', () => {
  it('is one animation on the cell, not one per write', async () => {
    const cell = ada.cell(1, 0);
    for (let v = 1; v <= WRITES; v++) {
      await must(bob.socket, 'op:store', { map: 1, index: 0, value: 0x40 + v });
      await expect.poll(() => cell.getAttribute('data-value'), { timeout: UI_TIMEOUT_MS, interval: 20 }).toBe(String(0x40 + v));
    }
    const running = await cell.evaluate((el) =>
      (el as unknown as { getAnimations(o: { subtree: boolean }): { playState: string }[] })
        .getAnimations({ subtree: true }).filter((a) => a.playState === 'running').length);
    expect(running).toBe(1);
    expect(ada.tab.errors).toEqual([]);
    await screenshot(ada.page, 'glow-after-writes');
  });
});
