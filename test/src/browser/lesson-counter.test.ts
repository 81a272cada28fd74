/**
 * The counter race and the locked counter, end to end in browsers: three
 * students press "increment k times" at once. In slow motion (the server
 * holds every operation back 1.5 s) their load/store pairs overlap and
 * updates are really lost, each attributed on the board; under a write
 * lock none is, and the board charts the waiting beside the unlocked round.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, UI_TIMEOUT_MS } from './harness.ts';
import { LessonClass, type LessonStudent } from './lesson-class.ts';

let lesson: LessonClass;
let students: LessonStudent[] = [];
const RACE_INCREMENTS = 3;
const LOCKED_INCREMENTS = 2;
/** Every operation waits 1.5 s in slow motion: a student's increments take a while. */
const SLOW = { timeout: 90_000 };

beforeAll(async () => {
  lesson = await LessonClass.start();
  students = [await lesson.join('Ada'), await lesson.join('Bob'), await lesson.join('Cy')];
  await lesson.hideQr();
});

afterAll(async () => {
  await lesson?.close();
});

async function incrementAll(): Promise<void> {
  // All at once, as a class would: each press runs load, add, store as separate operations.
  await Promise.all(students.map((s) => s.exercise.getByRole('button', { name: /^Increment the counter/ }).click()));
  await Promise.all(students.map((s) => s.exercise.locator('[data-testid="counter-progress"][data-running="false"]').waitFor(SLOW)));
}

async function finalResults(): Promise<{ expected: number; actual: number; lost: number }> {
  const results = await lesson.endExercise();
  const num = async (id: string) => Number(await results.getByTestId(id).innerText());
  return { expected: await num('expected'), actual: await num('actual'), lost: await num('lost') };
}

describe('the counter race and the locked counter', () => {
  it('in slow motion, three students incrementing at once really lose updates, and the board says whose', async () => {
    await lesson.launch(4, { increments: RACE_INCREMENTS, slowMotion: true });
    expect(await lesson.board.locator('nav.tabs .ordering').innerText()).toContain('slow motion');
    await incrementAll();
    for (const s of students) {
      expect(await s.exercise.getByTestId('counter-progress').getAttribute('data-done')).toBe(String(RACE_INCREMENTS));
    }
    // Live results first (pushed every 2 s), then the final ones.
    await lesson.board.locator('[data-testid="results"][data-exercise="counter-race"]').waitFor({ timeout: UI_TIMEOUT_MS });
    await screenshot(lesson.board, 'exercise-4-counter-race-live');
    await screenshot(students[0].page, 'student-counter-race');
    const r = await finalResults();
    expect(r.expected).toBe(3 * RACE_INCREMENTS);
    expect(r.lost).toBeGreaterThan(0);
    expect(r.actual).toBe(r.expected - r.lost);
    // Each lost update names the student whose increment vanished and the one whose pair overlapped it.
    const lost = lesson.board.getByTestId('lost-updates').locator('li');
    expect(await lost.count()).toBe(r.lost);
    expect(await lost.first().innerText()).toMatch(/(Ada|Bob|Cy) loaded \d+ and stored \d+; (Ada|Bob|Cy) had loaded \d+ before that store/);
    await screenshot(lesson.board, 'exercise-4-counter-race');
  }, 120_000);

  it('under a write lock, in slow motion too, no update is lost; the board charts the waiting beside the unlocked round', async () => {
    await lesson.launch(5, { increments: LOCKED_INCREMENTS, slowMotion: true });
    await incrementAll();
    const r = await finalResults();
    expect(r.expected).toBe(3 * LOCKED_INCREMENTS);
    expect(r.lost).toBe(0);
    expect(r.actual).toBe(r.expected);
    const results = lesson.board.locator('[data-testid="results"][data-exercise="locked-counter"]');
    // Someone waited for the lock, and the chart sets the unlocked round beside this one.
    expect(Number(await results.getByTestId('waits').innerText())).toBeGreaterThan(0);
    const chart = results.locator('figure', { hasText: 'The counter race beside the locked round' });
    const desc = await chart.locator('desc').textContent();
    expect(desc).toContain(`no lock: expected: ${3 * RACE_INCREMENTS}`);
    expect(desc).toContain(`with the lock: counted (0 lost): ${3 * LOCKED_INCREMENTS}`);
    await screenshot(lesson.board, 'exercise-5-locked-counter');
    expect(lesson.errors()).toEqual([]);
  }, 150_000);
});
