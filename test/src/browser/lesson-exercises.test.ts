/**
 * The other six exercises, end to end in browsers with four students: the
 * teacher launches each with one click on the board, students do what the
 * checklist says through their own pages, and the board shows the results
 * the server computes. (The counter exercises are in lesson-counter.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PROGRAM_SOURCE, demoOutput } from '@mmap-lab/shared/content/demo-program.ts';
import { seatOffset } from '@mmap-lab/shared/content/templates.ts';
import { screenshot } from './harness.ts';
import { LessonClass, type LessonStudent } from './lesson-class.ts';

let lesson: LessonClass;
let ada: LessonStudent;
let bob: LessonStudent;
let cy: LessonStudent;
let dee: LessonStudent;

beforeAll(async () => {
  lesson = await LessonClass.start();
  ada = await lesson.join('Ada');
  bob = await lesson.join('Bob');
  cy = await lesson.join('Cy');
  dee = await lesson.join('Dee', { width: 390, height: 844 });
  await lesson.hideQr();
});

afterAll(async () => {
  await lesson?.close();
});

const cellValue = (s: LessonStudent, index: number, value: string) =>
  s.cell(1, index).and(s.page.locator(`[data-value="${value.charCodeAt(0)}"]`));

async function load(s: LessonStudent, index: number): Promise<string> {
  await s.fill('load', 'index', String(index));
  return (await s.run('load')).text;
}

async function openTools(s: LessonStudent): Promise<void> {
  const summary = s.page.locator('summary', { hasText: 'Change or remove a mapping' });
  if ((await summary.locator('xpath=..').getAttribute('open')) === null) await summary.click();
}

/** Results on the board: the live ones, once they mention `text`. */
const liveResults = (text: string | RegExp) => lesson.board.locator('[data-testid="results"]', { hasText: text });

describe('the exercises, launched from the board', () => {
  it('1. see it change: one shared store shows in every shared mapping at once, and the board says who saw it', async () => {
    await lesson.launch(1);
    for (const s of [ada, bob, cy, dee]) await s.openAndMap();
    await ada.typeInto(1, 3, 'X');
    for (const s of [bob, cy, dee]) await cellValue(s, 3, 'X').waitFor();
    // Students see who wrote it, by name.
    await bob.page.locator('.recent li', { hasText: "Ada wrote 'X'" }).waitFor();
    const results = liveResults("Ada stored 'X'");
    await results.waitFor();
    expect(await results.innerText()).toMatch(/seen at once by (Bob|Cy|Dee), (Bob|Cy|Dee), (Bob|Cy|Dee)/);
    await screenshot(lesson.board, 'exercise-1-see-it-change');
  });

  it('2. shared against private: halves, copied pages, and who sees whose stores page by page', async () => {
    await lesson.launch(2);
    // Halves alternate in join order (the order students came back after the last reboot): each is told its flag.
    const half = async (s: LessonStudent) => ((await s.exercise.getByTestId('assignment').innerText()).includes('MAP_PRIVATE') ? 'MAP_PRIVATE' : 'MAP_SHARED');
    const flags = new Map<LessonStudent, 'MAP_SHARED' | 'MAP_PRIVATE'>();
    for (const s of [ada, bob, cy, dee]) flags.set(s, await half(s));
    const shared = [...flags].filter(([, f]) => f === 'MAP_SHARED').map(([s]) => s);
    const privates = [...flags].filter(([, f]) => f === 'MAP_PRIVATE').map(([s]) => s);
    expect(shared.length).toBe(2);
    const groups = await lesson.board.getByTestId('groups').innerText();
    for (const s of shared) expect(groups).toMatch(new RegExp(`MAP_SHARED half[^\\n]*${s.name}`));
    for (const s of privates) expect(groups).toMatch(new RegExp(`MAP_PRIVATE half[^\\n]*${s.name}`));
    for (const [s, f] of flags) await s.openAndMap('64', f);
    const [w1, w2] = shared;
    const [p1, p2] = privates;
    await w1.typeInto(1, 0, 'A');
    for (const s of [w2, p1, p2]) await cellValue(s, 0, 'A').waitFor();
    await p1.typeInto(1, 32, 'B');
    await p1.page.locator('section[data-map="1"] .page.copied[data-page="2"]').waitFor();
    await w2.typeInto(1, 33, 'C');
    await cellValue(p2, 33, 'C').waitFor();
    // p1's page 2 is its own copy now: the shared store is not in it.
    await cellValue(w1, 33, 'C').waitFor();
    expect(await p1.cell(1, 33).getAttribute('data-value')).not.toBe(String('C'.charCodeAt(0)));
    const results = await lesson.endExercise();
    const pages = results.getByTestId('pages');
    const page2 = pages.locator('tbody tr').filter({ has: lesson.board.locator('th', { hasText: /^2$/ }) });
    expect(await page2.innerText()).toContain(p1.name);
    // p1 (private) saw w1's page-0 store (it had not copied page 0); nobody saw p1's store.
    const row = results.getByTestId('sees').locator('tbody tr').filter({ has: lesson.board.locator('th', { hasText: p1.name }) });
    expect(await row.innerText()).toMatch(/p0/);
    expect(await results.innerText()).toContain('into a private copy: seen by nobody else');
    await screenshot(lesson.board, 'exercise-2-shared-vs-private');
  });

  it('3. crash course: three ways to die and one way to be refused, tallied by cause', async () => {
    await lesson.launch(3);
    // Ada: a store through a PROT_READ mapping.
    await ada.select('open', 'Mode', 'O_RDWR');
    await ada.run('open');
    await ada.form('mmap').getByLabel('PROT_WRITE').uncheck();
    await ada.run('mmap');
    await ada.typeInto(1, 0, 'z');
    await ada.page.locator('.death[data-cause="SIGSEGV"]').waitFor();
    // Bob: 64 bytes of a 42-byte file; the last page lies wholly past the end.
    await bob.openAndMap('64');
    expect(await load(bob, 48)).toContain('SIGBUS');
    // Cy: read-only descriptor, shared writable mapping.
    await cy.select('open', 'Mode', 'O_RDONLY');
    await cy.run('open');
    expect((await cy.run('mmap')).text).toContain('EACCES');
    // Dee: unmap the second page, then touch it.
    await dee.openAndMap('32');
    await openTools(dee);
    await dee.fill('munmap', 'offset in mapping', '16');
    await dee.fill('munmap', 'length', '16');
    await dee.run('munmap');
    expect(await load(dee, 16)).toContain('SIGSEGV');
    const results = await lesson.endExercise();
    const tally = await results.locator('figure desc').textContent();
    for (const line of ['SIGSEGV: PROT_READ store (Ada): 1', 'SIGSEGV: after munmap (Dee): 1', 'SIGBUS: past end of file (Bob): 1', 'refused: EACCES (Cy): 1']) {
      expect(tally).toContain(line);
    }
    await screenshot(lesson.board, 'exercise-3-crash-course');
  });

  it('6. deadlock: pairs lock in opposite orders; EDEADLK goes to the request that closes the cycle; the board draws it', async () => {
    await lesson.launch(6);
    // Pairs are consecutive in join order: find each student's partner and role from what they were told.
    const told = new Map<string, { partner: string; role: number }>();
    for (const s of [ada, bob, cy, dee]) {
      const m = /with (\w+)\. You are partner (\d)/.exec(await s.exercise.getByTestId('assignment').innerText());
      expect(m).not.toBeNull();
      told.set(s.name, { partner: m![1], role: Number(m![2]) });
    }
    const byName = new Map([ada, bob, cy, dee].map((s) => [s.name, s]));
    const ones = [ada, bob, cy, dee].filter((s) => told.get(s.name)!.role === 1);
    const [a1, b1] = [ones[0], byName.get(told.get(ones[0].name)!.partner)!];
    const [a2, b2] = [ones[1], byName.get(told.get(ones[1].name)!.partner)!];
    const press = async (s: LessonStudent, name: RegExp) => {
      const first = s.page.locator('.log ol > li').first();
      const before = (await first.count()) > 0 ? await first.getAttribute('data-id') : null;
      await s.exercise.getByRole('button', { name }).click();
      await s.page.locator(`.log ol > li:first-child${before === null ? '' : `:not([data-id="${before}"])`}:not([data-status="pending"])`).waitFor();
    };
    for (const s of [ada, bob, cy, dee]) await press(s, /^Open the file O_RDWR first/);
    // The first pair: both take their first byte, then each asks for the other's.
    await press(a1, /^1\. Write-lock/);
    await press(b1, /^1\. Write-lock/);
    await press(a1, /^2\. Ask for/);
    expect(await a1.state()).toBe('blocked');
    expect(await a1.page.locator('.process .state').innerText()).toContain(`held by ${b1.name}`);
    await press(b1, /^2\. Ask for/);
    expect(await b1.page.locator('.log ol > li').first().innerText()).toContain('EDEADLK');
    // The second pair: one takes both before the other asks; the other waits, then goes on when the first lets go.
    await press(a2, /^1\. Write-lock/);
    await press(a2, /^2\. Ask for/);
    await press(b2, /^1\. Write-lock/);
    expect(await b2.state()).toBe('blocked');
    const results = liveResults(/deadlock: EDEADLK/);
    await results.waitFor();
    await lesson.board.locator('.pair[data-outcome="deadlock"]', { hasText: `refused ${b1.name}'s request` }).waitFor();
    expect(await lesson.board.locator('.pair[data-outcome="deadlock"] desc').textContent()).toContain(`${b1.name}'s request for ${a1.name}'s byte was refused with EDEADLK`);
    await screenshot(lesson.board, 'exercise-6-deadlock');
    await screenshot(b1.page, 'student-deadlock');
    await press(a2, /^Release both/);
    await expect.poll(() => b2.state()).toBe('running');
    const final = await lesson.endExercise();
    const pair2 = final.locator('.pair').filter({ has: lesson.board.locator('.what strong', { hasText: new RegExp(`^${a2.name}$`) }) });
    expect(await pair2.getAttribute('data-outcome')).toBe('waited');
  });

  it('7. seat booking: check-then-claim double-books a seat; under a write lock it does not', async () => {
    await lesson.launch(7);
    const a1 = seatOffset('A', 1);
    const b1 = seatOffset('B', 1);
    for (const s of [ada, bob, cy, dee]) await s.openAndMap('256');
    // Ada and Bob both check seat A1 (free), then both claim it.
    expect(await load(ada, a1)).toContain("'.'");
    expect(await load(bob, a1)).toContain("'.'");
    await ada.typeInto(1, a1, 'a');
    await bob.typeInto(1, a1, 'b');
    await cellValue(ada, a1, 'b').waitFor();
    // Cy and Dee do it under a write lock on the seat: Cy gets B1, Dee finds it taken.
    const locked = async (s: LessonStudent, claim?: string) => {
      await s.select('lock', 'command', 'F_SETLKW');
      await s.select('lock', 'type', 'F_WRLCK');
      await s.fill('lock', 'start', String(b1));
      await s.fill('lock', 'length (0 = to the end)', '1');
      await s.run('lock');
      const seen = await load(s, b1);
      if (claim && seen.includes("'.'")) await s.typeInto(1, b1, claim);
      await s.select('lock', 'type', 'F_UNLCK');
      await s.run('lock');
      return seen;
    };
    expect(await locked(cy, 'c')).toContain("'.'");
    expect(await locked(dee, 'd')).toContain("'c'");
    const results = await lesson.endExercise();
    expect(await results.getByTestId('double-bookings').innerText()).toBe('1');
    expect(await results.getByTestId('doubles').innerText()).toMatch(/Seat A1: Ada \('a'\) then Bob \('b'\), who both saw it free/);
    await screenshot(lesson.board, 'exercise-7-seat-booking');
  });

  it('8. the demo program: students run peek with an offset and get the byte, or its refusal', async () => {
    await lesson.launch(8);
    const run = async (s: LessonStudent, arg: string) => {
      await s.exercise.getByLabel('Offset', { exact: true }).fill(arg);
      await s.exercise.getByRole('button', { name: 'Run it' }).click();
      return (await s.exercise.getByTestId('demo-output').innerText());
    };
    const printed = demoOutput(new TextEncoder().encode(DEMO_PROGRAM_SOURCE), '10').stdout.trim();
    expect(await run(ada, '10')).toContain(printed);
    expect(await run(bob, '999999')).toContain('is outside the file');
    expect(await run(cy, '-1')).toContain('is outside the file');
    expect(await run(dee, '0')).toContain('offset 0:');
    const results = await lesson.endExercise();
    expect(await results.getByTestId('runs').innerText()).toBe('2');
    expect(await results.getByTestId('refused').innerText()).toBe('2');
    await screenshot(lesson.board, 'exercise-8-demo-program');
    expect(lesson.errors()).toEqual([]);
  });
});
