/**
 * One class, in real browsers: a teacher and three students in separate
 * browser contexts against a real server process. Every wait is for a
 * signal on the page (a locator, a DOM condition), never a fixed sleep.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsqrModule from 'jsqr';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, stopServer, type ChildServer } from '../server/helpers/child-server.ts';
import { ensureClientBuilt, launchBrowser, openTab, screenshot, UI_TIMEOUT_MS, type Tab } from './harness.ts';
import { StudentTab } from './student-tab.ts';

/**
 * Markup that would run a script if a name were ever put into the page as HTML. Names are at most
 * 24 characters (LIMITS.NAME_MAX), so `<img src=x onerror=alert(1)>` (28) cannot be one; this is its
 * 21-character cousin, which fires the moment it is parsed.
 */
// jsqr's UMD bundle exports the function itself, while its types declare it as a default export.
const jsQR = jsqrModule as unknown as typeof jsqrModule.default;

const XSS_NAME = '<svg onload=alert(1)>';
const poll = { timeout: UI_TIMEOUT_MS, interval: 50 };

let server: ChildServer | undefined;
let dataDir = '';
let browser: Browser;
let teacher: Tab;
let board: Page;
let code = '';
const students: StudentTab[] = [];
let ada: StudentTab;
let bob: StudentTab;
let eve: StudentTab;

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

const url = (path: string) => `${server!.url}${path}`;

/**
 * Decode the board's QR code the way a phone would: from its pixels, with an independent decoder.
 * The in-page part is a string because this file is compiled without the DOM's types.
 */
const QR_PIXELS = `(async () => {
  const svg = document.querySelector('svg.qr');
  const img = new Image();
  img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(new XMLSerializer().serializeToString(svg));
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = 400;
  canvas.height = 400;
  const g = canvas.getContext('2d');
  g.imageSmoothingEnabled = false;
  g.drawImage(img, 0, 0, 400, 400);
  return Array.from(g.getImageData(0, 0, 400, 400).data);
})()`;

async function decodeQr(page: Page): Promise<string | undefined> {
  const pixels = (await page.evaluate(QR_PIXELS)) as number[];
  return jsQR(Uint8ClampedArray.from(pixels), 400, 400)?.data;
}

describe('a class in the browser: teacher board and three students', () => {
  it('the teacher starts a class and the board shows the code, the join address and a QR code that scans', async () => {
    teacher = await openTab(browser, { width: 1280, height: 720 });
    board = teacher.page;
    await board.goto(url('/'));
    await board.getByLabel('Shared counter').check();
    await board.getByLabel('Page size').selectOption('16');
    await board.getByRole('button', { name: 'Start the class' }).click();
    await board.waitForURL(/\/board\/[A-Z0-9]{6}$/);
    code = (await board.getByTestId('room-code').textContent())!.trim();
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{6}$/);
    const joinUrl = url(`/join/${code}`);
    expect(await board.getByTestId('join-url').textContent()).toBe(joinUrl.replace(/^http:\/\//, ''));
    expect(await decodeQr(board)).toBe(joinUrl);
    // The credential stays in the teacher's browser: never in the address bar.
    expect(board.url()).not.toMatch(/credential/i);
  });

  it('students join by code: from /join/CODE (pre-filled), from the start page, and with a hostile name', async () => {
    ada = new StudentTab(await openTab(browser, { width: 1280, height: 800 }));
    await ada.page.goto(url(`/join/${code}`));
    expect(await ada.page.getByLabel('Room code').inputValue()).toBe(code);
    await ada.page.getByLabel('Your name').fill('Ada');
    await ada.page.getByRole('button', { name: 'Join' }).click();

    // Bob is on a phone, and types the code in lower case.
    bob = new StudentTab(await openTab(browser, { width: 390, height: 844 }));
    await bob.page.goto(url('/'));
    await bob.page.getByLabel('Room code').fill(code.toLowerCase());
    await bob.page.getByLabel('Your name').fill('Bob');
    await bob.page.getByRole('button', { name: 'Join' }).click();

    eve = new StudentTab(await openTab(browser, { width: 1024, height: 768 }));
    await eve.page.goto(url(`/join/${code}`));
    await eve.page.getByLabel('Your name').fill(XSS_NAME);
    await eve.page.getByRole('button', { name: 'Join' }).click();

    students.push(ada, bob, eve);
    for (const s of students) await s.running();
    const pids = await Promise.all(students.map((s) => s.pid()));
    expect(new Set(pids).size).toBe(3);

    // The name is text everywhere: on the student's own page and on the board, and no script ran.
    await expect.poll(() => eve.page.locator('.process .name').textContent(), poll).toBe(XSS_NAME);
    await board.locator('.proc .name', { hasText: XSS_NAME }).waitFor();
    expect(await board.locator('svg[onload]').count()).toBe(0);
    expect(await eve.page.locator('svg[onload]').count()).toBe(0);
    await board.locator('.facts', { hasText: '3 students' }).waitFor();
  });

  it('every student opens the file and maps it MAP_SHARED', async () => {
    for (const s of students) {
      const opened = await s.run('open');
      expect(opened.c).toBe('fd = open("file", O_RDWR);');
      expect(opened.status).toBe('ok');
      await expect.poll(() => s.form('mmap').locator('.preview').textContent(), poll)
        .toContain('mmap(NULL, 16, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0);');
      const mapped = await s.run('mmap');
      expect(mapped.status).toBe('ok');
      expect(mapped.c).toBe('m1 = mmap(NULL, 16, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0);');
      await s.cell(1, 15).waitFor();
    }
    for (const s of students) await board.locator(`.proc[data-pid="${await s.pid()}"] .bar`, { hasText: 'm1 RW- shared' }).waitFor();
  });

  it("a store by one student appears in the others' pages, says who, and glows on the board", async () => {
    const adaPid = await ada.pid();
    await ada.typeInto(1, 5, 'B');
    await ada.page.locator('.log ol > li', { hasText: "m1[5] = 'B';" }).waitFor();
    for (const s of [bob, eve]) {
      await expect.poll(() => s.cell(1, 5).getAttribute('data-value'), poll).toBe('66');
      expect(await s.cell(1, 5).getAttribute('data-by')).toBe(String(adaPid));
      // Names, not pids: the server tells students their classmates' names (room:names).
      await s.page.locator('.recent li', { hasText: "Ada wrote 'B'" }).waitFor();
    }
    await expect.poll(() => board.locator('.cell[data-offset="5"]').getAttribute('data-value'), poll).toBe('66');
    expect(await board.locator('.cell[data-offset="5"]').getAttribute('data-by')).toBe(String(adaPid));
    await board.locator('.feed li', { hasText: "m1[5] = 'B';" }).waitFor();

    // Keyboard only: one cell of the grid is in the tab order; arrows move, a typed character stores.
    expect(await bob.page.locator('section[data-map="1"] [data-index][tabindex="0"]').count()).toBe(1);
    await bob.cell(1, 0).focus();
    for (let i = 0; i < 3; i++) await bob.page.keyboard.press('ArrowRight');
    expect(await bob.page.evaluate('document.activeElement.dataset.index')).toBe('3');
    await bob.page.keyboard.press('k');
    await expect.poll(() => ada.cell(1, 3).getAttribute('data-value'), poll).toBe(String('k'.charCodeAt(0)));
    expect(await bob.page.getByTestId('announce').textContent()).toContain("m1[3] = 'k'; returned ok.");

    // Loading a byte by clicking its cell shows the byte read.
    await bob.cell(1, 5).click();
    await bob.page.locator('.log ol > li', { hasText: 'c = m1[5];' }).filter({ hasText: '0x42' }).first().waitFor();
  });

  it('a write lock makes another student wait in F_SETLKW, blocked, until it is released', async () => {
    const adaPid = await ada.pid();
    const bobPid = await bob.pid();
    const held = await ada.run('lock');
    expect(held.c).toContain('fcntl(3, F_SETLKW, &(struct flock){ .l_type = F_WRLCK');
    expect(held.status).toBe('ok');
    await board.locator(`.lock[data-pid="${adaPid}"][data-type="F_WRLCK"]`).waitFor();

    const waiting = await bob.run('lock');
    expect(waiting.status).toBe('blocked');
    await bob.page.locator('.process .state[data-state="blocked"]', { hasText: 'held by Ada' }).waitFor();
    // While blocked, the process can do nothing: the board lists Bob as a waiter and draws the edge.
    await board.locator(`.lock[data-pid="${adaPid}"] [data-testid="waiters"]`, { hasText: 'Bob' }).waitFor();
    await board.locator('.wait li', { hasText: `Bob (pid ${bobPid}) waits for Ada (pid ${adaPid})` }).waitFor();
    await board.locator(`.proc[data-pid="${bobPid}"] [data-testid="state"]`, { hasText: 'blocked' }).waitFor();
    await screenshot(board, 'board-lock-wait');
    await screenshot(bob.page, 'student-blocked');

    await ada.select('lock', 'type', 'F_UNLCK');
    const released = await ada.run('lock');
    expect(released.status).toBe('ok');
    await bob.running();
    await bob.page.locator('.log ol > li', { hasText: 'woke up' }).waitFor();
    await board.locator(`.lock[data-pid="${bobPid}"][data-type="F_WRLCK"]`).waitFor();
    expect(await board.locator(`.lock[data-pid="${adaPid}"]`).count()).toBe(0);
  });

  it('a refresh gives the student the same process back', async () => {
    const before = await bob.pid();
    await bob.page.reload();
    await bob.page.getByText('Welcome back: this is the same process as before.').waitFor();
    expect(await bob.pid()).toBe(before);
    // Its mapping and the byte Ada stored are still there.
    await expect.poll(() => bob.cell(1, 5).getAttribute('data-value'), poll).toBe('66');
  });

  it('while the connection is down the page says so and sends nothing; back online it is the same process', async () => {
    const before = await bob.pid();
    await bob.tab.context.setOffline(true);
    await bob.page.getByRole('status').filter({ hasText: 'Disconnected.' }).waitFor();
    expect(await bob.form('open').getByRole('button', { name: 'Run' }).isDisabled()).toBe(true);
    // Typing into a cell while offline stores nothing: the store is not queued for later.
    await bob.typeInto(1, 7, 'Q');
    await bob.tab.context.setOffline(false);
    await bob.page.getByRole('status').filter({ hasText: 'Disconnected.' }).waitFor({ state: 'hidden' });
    await expect.poll(() => bob.form('open').getByRole('button', { name: 'Run' }).isEnabled(), poll).toBe(true);
    expect(await bob.pid()).toBe(before);
    await board.locator(`.proc[data-pid="${before}"]`).waitFor();
    // Nothing was replayed: byte 7 is still 0 for everyone.
    expect(await ada.cell(1, 7).getAttribute('data-value')).toBe('0');
    expect(await board.locator('.feed li', { hasText: "m1[7] = 'Q';" }).count()).toBe(0);
  });

  it('a store through a PROT_READ mapping shows the SIGSEGV screen, and the board shows the death', async () => {
    const evePid = await eve.pid();
    await eve.form('mmap').getByLabel('PROT_WRITE').uncheck();
    const mapped = await eve.run('mmap');
    expect(mapped.c).toBe('m2 = mmap(NULL, 16, PROT_READ, MAP_SHARED, 3, 0);');
    await eve.typeInto(2, 3, 'x');
    const death = eve.page.locator('.death[data-cause="SIGSEGV"]');
    await death.waitFor();
    expect(await death.getByRole('heading').textContent()).toContain('SIGSEGV');
    const text = await death.innerText();
    expect(text).toContain("m2[3] = 'x';");
    expect(text).toContain('a store into m2[3]');
    expect(text).toMatch(/PROT_READ; a store needs PROT_WRITE/);
    await board.locator(`.proc[data-pid="${evePid}"][data-state="dead"] [data-testid="state"]`, { hasText: 'dead: SIGSEGV' }).waitFor();

    await screenshot(eve.page, 'student-sigsegv');
    await death.getByRole('button', { name: 'Start a new process' }).click();
    await eve.running();
    expect(await eve.pid()).not.toBe(evePid);
  });

  it('screenshots of the board and of student views, with no page errors and no dialog', async () => {
    // A little more activity, so the board has something in every panel.
    await ada.typeInto(1, 0, '1');
    await bob.run('getlk');
    await board.locator('.feed li', { hasText: 'F_GETLK' }).waitFor();
    const shots = [
      await screenshot(board, 'board-light'),
      await screenshot(ada.page, 'student-desktop', true),
      await screenshot(bob.page, 'student-phone', true),
    ];
    await board.getByRole('button', { name: /Dark/ }).first().click();
    await board.locator('html[data-theme="dark"]').waitFor({ state: 'attached' });
    shots.push(await screenshot(board, 'board-dark'));
    expect(shots).toHaveLength(4);
    for (const t of [teacher, ...students.map((s) => s.tab)]) {
      expect(t.dialogs).toEqual([]);
      expect(t.errors).toEqual([]);
    }
  });

  it('teacher controls: stop and continue all, kill (after a confirmation), lock joins, reboot, close', async () => {
    await board.getByRole('button', { name: 'Stop all' }).click();
    for (const s of students) await s.page.locator('.process .state[data-state="stopped"]').waitFor();
    // A stopped process runs nothing: the store is answered, and not applied.
    await ada.typeInto(1, 9, 'Z');
    await ada.page.locator('.log ol > li', { hasText: "m1[9] = 'Z';" }).filter({ hasText: 'stopped' }).waitFor();
    await board.getByRole('button', { name: 'Continue all' }).click();
    for (const s of students) await s.running();

    // Kill asks first; cancelling changes nothing.
    const evePid = await eve.pid();
    const row = board.locator(`.proc[data-pid="${evePid}"]`);
    await row.getByRole('button', { name: 'Kill' }).click();
    await board.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    expect(await row.getAttribute('data-state')).toBe('running');
    await row.getByRole('button', { name: 'Kill' }).click();
    await board.getByRole('dialog').getByRole('button', { name: 'Kill it (SIGKILL)' }).click();
    await eve.page.locator('.death[data-cause="SIGKILL"]').waitFor();
    await board.locator(`.proc[data-pid="${evePid}"][data-state="dead"]`).waitFor();

    await board.getByRole('button', { name: 'Lock joins' }).click();
    await board.locator('.facts', { hasText: 'joins locked' }).waitFor();
    const late = await openTab(browser, { width: 800, height: 600 });
    await late.page.goto(url(`/join/${code}`));
    await late.page.getByLabel('Your name').fill('Late');
    await late.page.getByRole('button', { name: 'Join' }).click();
    await late.page.getByRole('alert').filter({ hasText: /lock/i }).waitFor();
    await late.context.close();

    // A reboot kills every process; students are told and can join again as new processes, even in a locked room.
    await board.getByRole('button', { name: 'New file…' }).click();
    await board.getByRole('dialog').getByRole('button', { name: 'Reboot: kill every process' }).click();
    await ada.page.getByRole('heading', { name: 'The teacher rebooted the machine' }).waitFor();
    await ada.page.getByRole('button', { name: 'Join again as a new process' }).click();
    await ada.running();
    // A new kernel numbers its processes afresh: the new process is told apart by being empty.
    await ada.page.getByText('No mappings yet').waitFor();
    await board.locator(`.proc[data-pid="${await ada.pid()}"] .name`, { hasText: 'Ada' }).waitFor();

    await board.getByRole('button', { name: 'Close class' }).click();
    await board.getByRole('dialog').getByRole('button', { name: 'Close the class for good' }).click();
    await board.getByRole('heading', { name: `Class ${code} is closed` }).waitFor();
    await ada.page.getByRole('heading', { name: 'The class is over' }).waitFor();
    expect(teacher.dialogs).toEqual([]);
  });
});
