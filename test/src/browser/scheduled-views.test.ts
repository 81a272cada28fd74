/**
 * What a student's page shows of operations the teacher ran for them, and
 * of a death after the machine rebooted behind their back: the page must
 * show what the kernel did, not what it knew when the student pressed Run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, UI_TIMEOUT_MS } from './harness.ts';
import { LessonClass, type LessonStudent } from './lesson-class.ts';

let lesson: LessonClass;
let ada: LessonStudent;
let bob: LessonStudent;
const poll = { timeout: UI_TIMEOUT_MS, interval: 50 };

beforeAll(async () => {
  lesson = await LessonClass.start();
  ada = await lesson.join('Ada');
  bob = await lesson.join('Bob');
  await lesson.hideQr();
  await ada.openAndMap();
  await bob.openAndMap('16', 'MAP_PRIVATE');
  const panel = queuePanel();
  await panel.getByLabel('seed').fill('3');
  await panel.getByRole('button', { name: 'Queue operations' }).click();
  for (const s of [ada, bob]) await s.page.locator('.ordering[data-ordering="teacher"]').waitFor();
});

afterAll(async () => {
  await lesson?.close();
});

const queuePanel = () => lesson.board.locator('.queue-panel');

/** Wait until the student's newest log entry is queued. */
async function queued(s: LessonStudent, c: string): Promise<void> {
  await s.page.locator('.log ol > li:first-child[data-status="queued"]', { hasText: c }).waitFor();
}

async function runRow(name: string, c: string): Promise<void> {
  const row = queuePanel().locator('label.q').filter({ hasText: name }).filter({ hasText: c }).first();
  await row.locator('input').check();
  await queuePanel().getByRole('button', { name: 'Run selected' }).click();
  await row.waitFor({ state: 'detached' });
}

describe('a student page after the teacher runs, undoes and redoes its operations', () => {
  it('a private store undone and redone shows again in the cell', async () => {
    await bob.typeInto(1, 1, 'x');
    await queued(bob, "m1[1] = 'x';");
    await runRow('Bob', "m1[1] = 'x';");
    await bob.typeInto(1, 1, 'B');
    await queued(bob, "m1[1] = 'B';");
    await runRow('Bob', "m1[1] = 'B';");
    await expect.poll(() => bob.cell(1, 1).getAttribute('data-value'), poll).toBe(String('B'.charCodeAt(0)));

    await queuePanel().getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => bob.cell(1, 1).getAttribute('data-value'), poll).toBe(String('x'.charCodeAt(0)));
    await queuePanel().getByRole('button', { name: 'Redo' }).click();
    // Bob's copy of the page is his alone: only his page can show the byte the redo stored.
    await expect.poll(() => bob.cell(1, 1).getAttribute('data-value'), poll).toBe(String('B'.charCodeAt(0)));
  });

  it('a store that dies after a queued mprotect is explained by the protection it met, not the one it was sent under', async () => {
    await ada.page.getByText('Change or remove a mapping').click();
    await ada.form('mprotect').getByRole('button', { name: 'Run' }).click();
    await queued(ada, 'mprotect(');
    await ada.typeInto(1, 3, 'x');
    await queued(ada, "m1[3] = 'x';");
    await runRow('Ada', 'mprotect(');
    await runRow('Ada', "m1[3] = 'x';");
    const death = ada.page.locator('.death[data-cause="SIGSEGV"]');
    await death.waitFor();
    expect(await death.innerText()).toContain('Page 0 of m1 is PROT_READ; a store needs PROT_WRITE.');
    await screenshot(ada.page, 'scheduled-death-explained');
  });

  it('a reboot while the page was away: the new process dies of something else, and no old fault is shown with it', async () => {
    await ada.tab.context.setOffline(true);
    await ada.page.getByRole('status').filter({ hasText: 'Disconnected.' }).waitFor();
    await lesson.board.getByRole('button', { name: 'New file…' }).click();
    await lesson.board.getByRole('dialog').getByRole('button', { name: 'Reboot: kill every process' }).click();
    await bob.page.getByRole('heading', { name: 'The teacher rebooted the machine' }).waitFor();
    await ada.tab.context.setOffline(false);
    // Her token answers SESSION_GONE: the page joins again, as a new process.
    await ada.running();
    const pid = await ada.pid();
    await lesson.board.locator(`.proc[data-pid="${pid}"]`).getByRole('button', { name: 'Kill' }).click();
    await lesson.board.getByRole('dialog').getByRole('button', { name: /Kill/ }).click();
    const death = ada.page.locator('.death[data-cause="SIGKILL"]');
    await death.waitFor();
    expect(await death.getByText('The line').count()).toBe(0);
    expect(await death.innerText()).not.toContain("m1[3] = 'x';");
  });
});
