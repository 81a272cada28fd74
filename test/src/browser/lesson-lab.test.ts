/**
 * The solo lab: the class's kernel in the browser, with no server at all.
 * client/dist is served as plain files (no API, no Socket.IO), and every
 * result on screen comes from the kernel running in the tab.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureClientBuilt, launchBrowser, openTab, screenshot, type Tab } from './harness.ts';
import { serveClientOnly, type StaticServer } from './static-server.ts';

let site: StaticServer;
let browser: Browser;
let tab: Tab;
let page: Page;

beforeAll(async () => {
  ensureClientBuilt();
  site = await serveClientOnly();
  browser = await launchBrowser();
  tab = await openTab(browser, { width: 1280, height: 720 });
  page = tab.page;
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

const section = (name: string) => page.locator(`section[data-section="${name}"]`);

describe('the solo lab, with no server', () => {
  it('opens from the start page and says it runs in the tab', async () => {
    await page.goto(`${site.url}/`);
    await page.getByRole('link', { name: 'solo lab' }).click();
    await page.waitForURL(/\/lab$/);
    await expect.poll(() => page.locator('main.lab > section > h2').count()).toBe(3);
    expect(await page.locator('header .what').innerText()).toContain('no server');
  });

  it('steps the copy path of read() against a mapping, by button and by keyboard, and counts the copies', async () => {
    const copy = section('copy-path');
    const next = copy.getByRole('button', { name: 'Next step →' });
    for (let i = 0; i < 3; i++) await next.click();
    // Step 4: the kernel copied the page into buf for read(); the mapping shares the page cache's page.
    expect(await copy.getByTestId('copy-step').innerText()).toBe('4');
    expect(await copy.getByTestId('copies-read').innerText()).toBe('1');
    expect(await copy.getByTestId('copies-mmap').innerText()).toBe('0');
    expect(await copy.locator('.lane.read .calls').innerText()).toMatch(/pread\(3, buf, 16, 0\);\s*→\s*"Same bytes, one "/);
    await copy.locator('.copy-path').focus();
    await page.keyboard.press('ArrowRight');
    expect(await copy.getByTestId('copy-step').innerText()).toBe('5');
    expect(await copy.locator('.lane.mmap .calls').innerText()).toContain("'S'");
    await page.keyboard.press('Home');
    expect(await copy.getByTestId('copy-step').innerText()).toBe('1');
    await page.keyboard.press('End');
    expect(await copy.getByRole('button', { name: 'Next step →' }).isDisabled()).toBe(true);
  });

  it('moves the bytes along the live arrow, and with reduced motion only marks the arrow', async () => {
    const copy = section('copy-path');
    await copy.getByRole('button', { name: 'Start over' }).click();
    await copy.getByRole('button', { name: 'Next step →' }).click();
    await copy.getByRole('button', { name: 'Next step →' }).click();
    // Step 3: the disk reads the page into the page cache, on both lanes.
    expect(await copy.locator('.arrow.live .packet').count()).toBe(2);
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await expect.poll(() => copy.locator('.arrow.live .packet').count()).toBe(0);
    expect(await copy.locator('.arrow.live').count()).toBe(2);
    await page.emulateMedia({ reducedMotion: 'no-preference' });
    await expect.poll(() => copy.locator('.arrow.live .packet').count()).toBe(2);
  });

  it('maps a file, stores through the mapping and sees the file change; a PROT_READ store dies of SIGSEGV', async () => {
    const lab = section('map-a-file');
    await lab.locator('form[data-op="open"]').getByRole('button').click();
    await lab.locator('form[data-op="mmap"]').getByLabel('length', { exact: true }).fill('48');
    await lab.locator('form[data-op="mmap"]').getByRole('button').click();
    await lab.locator('section[data-map="1"]').waitFor();
    // The third page holds bytes 32..39 of the file and zero fill past its end.
    await expect.poll(() => lab.locator('section[data-map="1"] .cell.tail').count()).toBe(8);
    await lab.locator('section[data-map="1"] [data-index="2"]').focus();
    await page.keyboard.press('Z');
    await lab.locator('.file .cell[data-offset="2"][data-value="90"]').waitFor();
    expect(await lab.locator('section[data-map="1"] [data-index="2"]').getAttribute('data-value')).toBe('90');
    // Now a read-only mapping, and a store through it.
    await lab.locator('form[data-op="mmap"]').getByLabel('PROT_WRITE').uncheck();
    await lab.locator('form[data-op="mmap"]').getByRole('button').click();
    await lab.locator('section[data-map="2"]').waitFor();
    await lab.locator('section[data-map="2"] [data-index="0"]').focus();
    await page.keyboard.press('x');
    await lab.locator('.death[data-cause="SIGSEGV"]').waitFor();
    expect(await lab.locator('.death').innerText()).toContain('PROT_READ');
    expect(await lab.locator('.file .cell[data-offset="0"]').getAttribute('data-value')).toBe(String('A'.charCodeAt(0)));
    await lab.locator('.death').getByRole('button', { name: 'Start a new process' }).click();
    await expect.poll(() => lab.locator('.process .state').getAttribute('data-state')).toBe('running');
  });

  it('shows a MAP_SHARED and a MAP_PRIVATE process side by side: shared stores reach both, private ones copy the page', async () => {
    const sp = section('shared-private');
    const shared = sp.locator('.side[data-flags="MAP_SHARED"]');
    const priv = sp.locator('.side[data-flags="MAP_PRIVATE"]');
    await shared.locator('section[data-map="1"] [data-index="8"]').focus();
    await page.keyboard.press('S');
    // The store reached the file and the private process's page 0, which it has not copied.
    await sp.locator('.file .cell[data-offset="8"][data-value="83"]').waitFor();
    await priv.locator('section[data-map="1"] [data-index="8"][data-value="83"]').waitFor();
    expect(await priv.locator('section[data-map="1"] [data-index="8"]').getAttribute('aria-label')).toContain('Shared (pid 1)');
    // A private store into page 1: the page is copied, the file and the shared side do not change.
    await priv.locator('section[data-map="1"] [data-index="24"]').focus();
    await page.keyboard.press('P');
    await priv.locator('.page.copied[data-page="1"]').waitFor();
    expect(await sp.locator('.file .cell[data-offset="24"]').getAttribute('data-value')).toBe(String('.'.charCodeAt(0)));
    expect(await shared.locator('section[data-map="1"] [data-index="24"]').getAttribute('data-value')).toBe(String('.'.charCodeAt(0)));
    // A shared store into the copied page no longer shows on the private side; into page 2 it still does.
    await shared.locator('section[data-map="1"] [data-index="25"]').focus();
    await page.keyboard.press('Q');
    await shared.locator('section[data-map="1"] [data-index="25"][data-value="81"]').waitFor();
    expect(await priv.locator('section[data-map="1"] [data-index="25"]').getAttribute('data-value')).toBe(String('.'.charCodeAt(0)));
    expect(await priv.locator('.page[data-page="1"]').innerText()).toContain('private copy');
  });

  it('never asked for a server, and logged no errors; screenshots of the lab', async () => {
    await section('copy-path').getByRole('button', { name: 'Start over' }).click();
    await section('copy-path').getByRole('button', { name: 'Next step →' }).click();
    await section('copy-path').getByRole('button', { name: 'Next step →' }).click();
    await section('copy-path').getByRole('button', { name: 'Next step →' }).click();
    await section('copy-path').scrollIntoViewIfNeeded();
    await screenshot(page, 'solo-lab-copy-path');
    await section('shared-private').scrollIntoViewIfNeeded();
    await screenshot(page, 'solo-lab-shared-private');
    await screenshot(page, 'solo-lab', true);
    expect(site.requests.filter((p) => p.startsWith('/api/') || p.startsWith('/socket.io'))).toEqual([]);
    expect(tab.errors).toEqual([]);
  });
});
