/**
 * A byte that classmates write many times a second glows once, in the last
 * writer's colour: each write replaces the glow instead of stacking another
 * animation on the cell (a board at a lecture's pace stacked dozens, and
 * repainted the page every frame for them).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Disposables, must } from '../server/helpers/client.ts';
import { joinStudent, openRoom, type Student } from '../server/helpers/room.ts';
import { spawnServer, stopServer, type ChildServer } from '../server/helpers/child-server.ts';
import { ensureClientBuilt, launchBrowser, openTab, screenshot, UI_TIMEOUT_MS } from './harness.ts';
import { StudentTab } from './student-tab.ts';

const WRITES = 5;
const d = new Disposables();
let server: ChildServer | undefined;
let dataDir = '';
let browser: Browser;
let ada: StudentTab;
let bob: Student;

beforeAll(async () => {
  ensureClientBuilt();
  dataDir = mkdtempSync(join(tmpdir(), 'mmap-lab-glow-'));
  server = await spawnServer({ DATA_DIR: dataDir });
  browser = await launchBrowser();
  const room = await openRoom(server.url, d);
  ada = new StudentTab(await openTab(browser));
  await ada.join(`${server.url}/join/${room.code}`, 'Ada');
  await ada.select('open', 'Mode', 'O_RDWR');
  await ada.run('open');
  await ada.run('mmap');
  bob = await joinStudent(server.url, d, room.code, 'Bob');
  await must(bob.socket, 'op:open', { mode: 'O_RDWR' });
  await must(bob.socket, 'op:mmap', { len: 16, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0 });
});

afterAll(async () => {
  await d.closeAll();
  await browser?.close();
  await stopServer(server);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
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
