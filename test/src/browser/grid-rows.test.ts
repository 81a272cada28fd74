/**
 * Arrow Up and Down in the memory grid move one row as the grid draws it:
 * 16 cells on a wide screen, 8 on a phone, where a press must not skip a row.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { openRoom } from '../server/helpers/room.ts';
import { openTab, screenshot } from './harness.ts';
import { liveServer } from './live-server.ts';
import { StudentTab } from './student-tab.ts';

const live = liveServer('grid-rows');
let ada: StudentTab;

beforeAll(async () => {
  const room = await openRoom(live.url, live.d);
  ada = new StudentTab(await openTab(live.browser, { width: 390, height: 844 }));
  await ada.join(`${live.url}/join/${room.code}`, 'Ada');
  await ada.openAndMap('64');
});

const focused = async () => Number(await ada.page.locator('section[data-map="1"] [data-index]:focus').getAttribute('data-index'));

/** Where a cell is drawn: the cell a row below sits at the same x, lower down. */
const box = async (index: number) => (await ada.cell(1, index).boundingBox())!;

describe('arrow keys in the memory grid', () => {
  it('on a phone (390 wide, 8 cells a row) Down and Up move one drawn row', async () => {
    await ada.cell(1, 0).focus();
    await ada.page.keyboard.press('ArrowDown');
    expect(await focused()).toBe(8);
    const [top, below] = [await box(0), await box(8)];
    expect(below.x).toBeCloseTo(top.x, 0);
    expect(below.y).toBeGreaterThan(top.y);
    await ada.page.keyboard.press('ArrowRight');
    await ada.page.keyboard.press('ArrowDown');
    expect(await focused()).toBe(17);
    await screenshot(ada.page, 'grid-rows-phone');
    await ada.page.keyboard.press('ArrowUp');
    await ada.page.keyboard.press('ArrowUp');
    expect(await focused()).toBe(1);
  });

  it('on a wide screen (16 cells a row) Down moves 16, after the same page is widened', async () => {
    await ada.page.setViewportSize({ width: 1280, height: 800 });
    await ada.cell(1, 0).focus();
    await ada.page.keyboard.press('ArrowDown');
    expect(await focused()).toBe(16);
    expect((await box(16)).x).toBeCloseTo((await box(0)).x, 0);
    await ada.page.keyboard.press('ArrowUp');
    expect(await focused()).toBe(0);
  });
});
