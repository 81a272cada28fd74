/**
 * Arrow Up and Down in the memory grid move one row as the grid draws it:
 * 16 cells on a wide screen, 8 on a phone, where a press must not skip a row.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Disposables } from '../server/helpers/client.ts';
import { openRoom } from '../server/helpers/room.ts';
import { spawnServer, stopServer, type ChildServer } from '../server/helpers/child-server.ts';
import { ensureClientBuilt, launchBrowser, openTab, screenshot } from './harness.ts';
import { StudentTab } from './student-tab.ts';

const d = new Disposables();
let server: ChildServer | undefined;
let dataDir = '';
let browser: Browser;
let ada: StudentTab;

beforeAll(async () => {
  ensureClientBuilt();
  dataDir = mkdtempSync(join(tmpdir(), 'mmap-lab-grid-rows-'));
  server = await spawnServer({ DATA_DIR: dataDir });
  browser = await launchBrowser();
  const room = await openRoom(server.url, d);
  ada = new StudentTab(await openTab(browser, { width: 390, height: 844 }));
  await ada.join(`${server.url}/join/${room.code}`, 'Ada');
  await ada.select('open', 'Mode', 'O_RDWR');
  await ada.run('open');
  await ada.fill('mmap', 'length', '64');
  await ada.run('mmap');
});

afterAll(async () => {
  await d.closeAll();
  await browser?.close();
  await stopServer(server);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
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
