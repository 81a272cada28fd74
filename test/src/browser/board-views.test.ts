/**
 * The views that the classroom test does not reach: a file of several pages
 * (the seat map, 64-byte pages), a mapping at an offset, a private mapping
 * whose page is copied on write, bytes and pages past the end of the file,
 * a hole left by munmap, and read against write locks on the board.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seatMapText, seatOffset } from '@mmap-lab/shared/content/templates.ts';
import { spawnServer, stopServer, type ChildServer } from '../server/helpers/child-server.ts';
import { ensureClientBuilt, launchBrowser, openTab, screenshot, type Tab } from './harness.ts';
import { StudentTab } from './student-tab.ts';

let server: ChildServer | undefined;
let dataDir = '';
let browser: Browser;
let teacher: Tab;
let board: Page;
let ada: StudentTab;
let bob: StudentTab;

beforeAll(async () => {
  ensureClientBuilt();
  dataDir = mkdtempSync(join(tmpdir(), 'mmap-lab-browser-'));
  server = await spawnServer({ DATA_DIR: dataDir });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await stopServer(server);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function joinClass(code: string, name: string, viewport = { width: 1280, height: 900 }): Promise<StudentTab> {
  const s = new StudentTab(await openTab(browser, viewport));
  await s.join(`${server!.url}/join/${code}`, name);
  return s;
}

describe('the board and the memory view over a file of several pages', () => {
  it('draws a mapping at an offset, a copied private page, the end of the file, a hole and both kinds of lock', async () => {
    teacher = await openTab(browser, { width: 1280, height: 720 });
    board = teacher.page;
    await board.goto(`${server!.url}/`);
    await board.getByLabel('Seat map').check();
    await board.getByLabel('Page size').selectOption('64');
    await board.getByRole('button', { name: 'Start the class' }).click();
    const code = (await board.getByTestId('room-code').textContent())!.trim();
    // 216 bytes in pages of 64: four page boundaries drawn in the file grid.
    await expect.poll(() => board.locator('.file .cell.page-start').count()).toBe(4);

    ada = await joinClass(code, 'Ada');
    bob = await joinClass(code, 'Bob', { width: 390, height: 844 });

    // Ada maps pages 1 and 2 of the file, shared.
    await ada.run('open');
    await ada.fill('mmap', 'length', '128');
    await ada.fill('mmap', 'offset', '64');
    expect((await ada.run('mmap')).c).toBe('m1 = mmap(NULL, 128, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 64);');
    await expect.poll(() => ada.cell(1, 0).getAttribute('data-value')).toBe(String(seatMapText().charCodeAt(64)));

    // Bob opens read-only and maps five pages private and writable: allowed, since nothing reaches the file.
    await bob.select('open', 'Mode', 'O_RDONLY');
    await bob.run('open');
    await bob.fill('mmap', 'length', '320');
    await bob.form('mmap').getByLabel('MAP_PRIVATE').check();
    expect((await bob.run('mmap')).status).toBe('ok');
    await bob.cell(1, 319).waitFor();
    expect(await bob.cell(1, 200).getAttribute('class')).toContain('file');
    expect(await bob.cell(1, 220).getAttribute('class')).toContain('tail');
    expect(await bob.cell(1, 300).getAttribute('class')).toContain('past-eof');

    // A store into Bob's private mapping copies the page: his view changes, the file does not.
    const seat = seatOffset('A', 3);
    const before = await board.locator(`.file .cell[data-offset="${seat}"]`).getAttribute('data-value');
    await bob.typeInto(1, seat, 'B');
    await bob.page.locator('.page.copied[data-page="0"]').waitFor();
    expect(await bob.cell(1, seat).getAttribute('data-value')).toBe(String('B'.charCodeAt(0)));
    const bobPid = await bob.pid();
    await board.locator(`.proc[data-pid="${bobPid}"] .copy`).waitFor();
    await board.locator('.feed li', { hasText: `m1[${seat}] = 'B';` }).waitFor();
    expect(await board.locator(`.file .cell[data-offset="${seat}"]`).getAttribute('data-value')).toBe(before);

    // Ada takes a write lock on row B; Bob a read lock on the header (his descriptor is read-only).
    await ada.fill('lock', 'start', String(seatOffset('B', 1)));
    await ada.fill('lock', 'length (0 = to the end)', '16');
    await ada.select('lock', 'command', 'F_SETLK');
    expect((await ada.run('lock')).status).toBe('ok');
    await bob.select('lock', 'type', 'F_RDLCK');
    await bob.fill('lock', 'length (0 = to the end)', '23');
    expect((await bob.run('lock')).status).toBe('ok');
    const adaPid = await ada.pid();
    await board.locator(`.lock[data-pid="${adaPid}"][data-type="F_WRLCK"]`, { hasText: 'WRITE' }).waitFor();
    await board.locator(`.lock[data-pid="${bobPid}"][data-type="F_RDLCK"]`, { hasText: 'read' }).waitFor();

    // Ada unmaps the first page of her mapping: a hole in her view and on her bar.
    await ada.page.getByText('Change or remove a mapping').click();
    await ada.fill('munmap', 'length', '64');
    expect((await ada.run('munmap')).c).toBe('munmap(m1 + 0, 64);');
    await expect.poll(() => ada.cell(1, 0).getAttribute('class')).toContain('hole');
    await expect.poll(() => board.locator(`.proc[data-pid="${adaPid}"] .bar`).count()).toBe(1);

    await screenshot(board, 'board-seat-map');
    // Once everyone is in, the teacher hides the QR code and the header shrinks to one line.
    await board.getByRole('button', { name: 'Show QR code', exact: true }).click();
    await board.locator('header.head.compact').waitFor();
    expect(await board.locator('svg.qr').count()).toBe(0);
    await screenshot(board, 'board-seat-map-compact');
    await screenshot(bob.page, 'student-private-phone', true);
    for (const t of [teacher, ada.tab, bob.tab]) expect(t.errors).toEqual([]);
  });

  it("the teacher's controls work from a second device given the credential, and the board reads at phone width", async () => {
    const code = (await board.getByTestId('room-code').textContent())!.trim();
    const credential = (await board.evaluate(`localStorage.getItem('mmap-lab:teacher:${code}')`)) as string;
    expect(credential).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    const phone = await openTab(browser, { width: 390, height: 844 });
    await phone.page.goto(`${server!.url}/board/${code}`);
    await phone.page.getByLabel('Teacher credential').fill('not-the-credential-at-all');
    await phone.page.getByRole('button', { name: 'Open the board' }).click();
    await phone.page.getByRole('alert').waitFor();
    await phone.page.getByLabel('Teacher credential').fill(credential);
    await phone.page.getByRole('button', { name: 'Open the board' }).click();
    await phone.page.getByTestId('room-code').waitFor();
    await phone.page.getByRole('button', { name: 'Stop all' }).click();
    await ada.page.locator('.process .state[data-state="stopped"]').waitFor();
    await phone.page.getByRole('button', { name: 'Continue all' }).click();
    await ada.running();
    await screenshot(phone.page, 'board-phone', true);
    expect(phone.errors.filter((e) => !/401|403/.test(e))).toEqual([]);
  });

  it('"New file…" starts from the room\'s page size, so keeping the bytes keeps the pages too', async () => {
    await board.getByRole('button', { name: 'New file…' }).click();
    const dialog = board.getByRole('dialog');
    expect(await dialog.getByLabel('Page size').inputValue()).toBe('64');
    await dialog.getByLabel('Page size').selectOption('256');
    await dialog.getByRole('button', { name: 'Reboot: kill every process' }).click();
    await board.getByText('page size 256 B', { exact: false }).waitFor();
  });
});
