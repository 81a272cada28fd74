/**
 * The teacher as the scheduler, in browsers: students' operations wait in
 * the teacher's queue ("queued" on their screens), the board lists them as
 * C, and the teacher makes a lost update happen on purpose, undoes it,
 * redoes and replays it, picks round-robin and at random from a shown
 * seed, and goes back to arrival order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './harness.ts';
import { LessonClass, type LessonStudent } from './lesson-class.ts';

let lesson: LessonClass;
let ada: LessonStudent;
let bob: LessonStudent;

beforeAll(async () => {
  lesson = await LessonClass.start();
  ada = await lesson.join('Ada');
  bob = await lesson.join('Bob');
  await lesson.hideQr();
});

afterAll(async () => {
  await lesson?.close();
});

const panel = () => lesson.board.locator('.queue-panel');
const rows = () => panel().locator('label.q');

/** Send one operation from a form; it is queued, not run: returns its log entry's id. */
async function queue(s: LessonStudent, op: 'load' | 'store', value?: string): Promise<string> {
  await s.fill(op, 'index', '0');
  if (value !== undefined) await s.fill('store', 'value', value);
  const before = await s.page.locator('.log ol > li').first().getAttribute('data-id');
  await s.form(op).getByRole('button').last().click();
  const entry = s.page.locator(`.log ol > li:first-child:not([data-id="${before}"])[data-status="queued"]`);
  await entry.waitFor();
  return (await entry.getAttribute('data-id'))!;
}

const entry = (s: LessonStudent, id: string) => s.page.locator(`.log ol > li[data-id="${id}"]`);

async function runRow(name: string, c: string): Promise<void> {
  const row = rows().filter({ hasText: name }).filter({ hasText: c }).first();
  await row.locator('input').check();
  await panel().getByRole('button', { name: 'Run selected' }).click();
  await row.waitFor({ state: 'detached' });
}

const counter = () => lesson.board.locator('.file .cell[data-offset="0"]').getAttribute('data-value');

describe('the teacher as the scheduler', () => {
  it('students map the file as they arrive; then the teacher takes over the order, with a seed shown', async () => {
    for (const s of [ada, bob]) await s.openAndMap();
    await panel().getByLabel('seed').fill('7');
    await panel().getByRole('button', { name: 'Queue operations' }).click();
    expect(await panel().getByTestId('seed').innerText()).toBe('7');
    for (const s of [ada, bob]) await s.page.locator('.ordering[data-ordering="teacher"]').waitFor();
    expect(await lesson.board.locator('nav.tabs .ordering').innerText()).toContain('by you, the scheduler');
  });

  it('operations wait as "queued"; the teacher interleaves load, load, store, store and an update is lost', async () => {
    const adaLoad = await queue(ada, 'load');
    const adaStore = await queue(ada, 'store', '1');
    const bobLoad = await queue(bob, 'load');
    const bobStore = await queue(bob, 'store', '1');
    expect(await entry(ada, adaLoad).innerText()).toContain('queued');
    await expect.poll(() => rows().count()).toBe(4);
    // A process runs its operations in order: each one's store waits behind its load.
    expect(await rows().filter({ hasText: 'Ada' }).filter({ hasText: "m1[0] = 0x01;" }).locator('input').isDisabled()).toBe(true);
    await screenshot(lesson.board, 'scheduler-queue');
    await runRow('Ada', 'c = m1[0];');
    await entry(ada, adaLoad).and(ada.page.locator('[data-status="ok"]')).waitFor();
    await runRow('Bob', 'c = m1[0];');
    await runRow('Ada', 'm1[0] = 0x01;');
    await runRow('Bob', 'm1[0] = 0x01;');
    for (const [s, id] of [[ada, adaStore], [bob, bobLoad], [bob, bobStore]] as const) await entry(s, id).and(s.page.locator('[data-status="ok"]')).waitFor();
    // Two increments; the counter says one.
    await expect.poll(counter).toBe('1');
    expect(await panel().locator('.steps li').count()).toBe(4);
  });

  it('undo puts the last step back in the queue (the student is told), redo and replay run it again', async () => {
    await panel().getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => rows().count()).toBe(1);
    await bob.page.locator('.log ol > li', { hasText: 'undone: queued again' }).waitFor();
    await panel().getByRole('button', { name: 'Redo' }).click();
    await expect.poll(() => rows().count()).toBe(0);
    await bob.page.locator('.log ol > li', { hasText: 'ran again' }).waitFor();
    // Two steps back, then replay both.
    await panel().getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => rows().count()).toBe(1);
    await panel().getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => rows().count()).toBe(2);
    await expect.poll(counter).toBe('0');
    await panel().getByRole('button', { name: 'Replay' }).click();
    await expect.poll(() => rows().count()).toBe(0);
    await expect.poll(counter).toBe('1');
  });

  it('round-robin and random from the seed pick among the queued; back to arrival order runs what is left', async () => {
    const a = await queue(ada, 'load');
    const b = await queue(bob, 'load');
    const a2 = await queue(ada, 'load');
    await expect.poll(() => rows().count()).toBe(3);
    await panel().getByRole('button', { name: 'Round-robin' }).click();
    await expect.poll(() => rows().count()).toBe(2);
    await panel().getByRole('button', { name: 'Random' }).click();
    await expect.poll(() => rows().count()).toBe(1);
    expect(await panel().locator('.steps li').first().innerText()).toContain('(random)');
    await panel().getByRole('button', { name: 'Back to arrival order' }).click();
    for (const [s, id] of [[ada, a], [bob, b], [ada, a2]] as const) await entry(s, id).and(s.page.locator('[data-status="ok"]')).waitFor();
    await ada.page.locator('.ordering').waitFor({ state: 'detached' });
    // Arrival order again: an operation runs at once.
    expect((await ada.run('load')).status).toBe('ok');
    expect(lesson.errors()).toEqual([]);
  });
});
