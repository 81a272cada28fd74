/**
 * The locked counter's chart sets the latest counter race beside it. A board
 * opened after a locked round looks for that race run by run; a newer race
 * that starts while the search is still waiting for an answer must not be
 * replaced by the older one the search then finds.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { must } from '../server/helpers/client.ts';
import { openRoom, type TestRoom } from '../server/helpers/room.ts';
import { increment, mapShared, student } from '../lesson/helpers.ts';
import { openTab, screenshot, UI_TIMEOUT_MS } from './harness.ts';
import { liveServer } from './live-server.ts';
import { holdSent, pollingOnly } from './wire.ts';

const live = liveServer('board-rounds');
let room: TestRoom;

beforeAll(async () => {
  room = await openRoom(live.url, live.d);
});

/** Launch an exercise, and have one student on a socket do `increments` unlocked increments in it. */
async function round(id: 'counter-race' | 'locked-counter', name: string, increments: number): Promise<void> {
  await must(room.teacher, 'teacher:exercise:start', { id });
  const s = await student(live.url, live.d, room.code, name);
  await mapShared(s);
  for (let i = 0; i < increments; i++) await increment(s, id === 'locked-counter');
}

/** Hold the board's request for one past run's results until `release` is called, as a slow link would. */
async function holdResultsOfRun(page: Page, run: number): Promise<{ held: Promise<void>; release: () => void }> {
  const isIt = (packet: string): boolean => packet.includes('"teacher:exercise:results"') && packet.includes(`"run":${run}`);
  let seen: () => void;
  const held = new Promise<void>((resolve) => (seen = resolve));
  let release: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  // On long-polling one held request delays neither the events coming in nor anything but the page's own later sends.
  await pollingOnly(page);
  await holdSent(page, isIt, released, () => seen());
  return { held, release: () => release() };
}

describe('the board compares the locked round with the latest counter race', () => {
  it('a counter race that starts while the board is still looking for an older one is the one it charts', async () => {
    await round('counter-race', 'Ada', 1);
    await round('locked-counter', 'Bo', 0);

    const { page } = await openTab(live.browser, { width: 1280, height: 1000 });
    // As on the teacher's own browser: the credential the room gave is in its storage.
    await page.addInitScript(`localStorage.setItem(${JSON.stringify(`mmap-lab:teacher:${room.code}`)}, ${JSON.stringify(room.credential)})`);
    const { held, release } = await holdResultsOfRun(page, 1);
    await page.goto(`${live.url}/board/${room.code}`);
    await page.locator('button.tab[data-tab="exercise"]').click();
    // The board opened on the locked round and asks for run 1, the first race; the answer is slow.
    await held;

    await round('counter-race', 'Cy', 2);
    const race = page.locator('[data-testid="results"][data-exercise="counter-race"]');
    await race.getByTestId('expected').filter({ hasText: /^\s*2\s*$/ }).waitFor();
    release();

    await round('locked-counter', 'Di', 1);
    const chart = page.locator('[data-testid="results"][data-exercise="locked-counter"] figure', { hasText: 'The counter race beside the locked round' });
    // Live results catch up with Di's increment within a tick or two.
    await expect.poll(() => chart.locator('desc').textContent(), { timeout: UI_TIMEOUT_MS }).toContain('with the lock: expected: 1');
    expect(await chart.locator('desc').textContent()).toContain('no lock: expected: 2');
    await screenshot(page, 'board-counter-rounds-latest-race');
  });
});
