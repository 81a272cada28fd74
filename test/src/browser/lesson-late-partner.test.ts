/**
 * The deadlock exercise with an odd class: the student left over waits for
 * a partner, and the page gives them their pair and its steps the moment
 * the next student joins, without a reload.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './harness.ts';
import { LessonClass, type LessonStudent } from './lesson-class.ts';

let lesson: LessonClass;
let eve: LessonStudent;

beforeAll(async () => {
  lesson = await LessonClass.start();
  await lesson.join('Ada');
  await lesson.join('Bo');
  eve = await lesson.join('Eve', { width: 390, height: 844 });
  await lesson.hideQr();
});

afterAll(async () => {
  await lesson?.close();
});

describe('a late partner in the deadlock exercise', () => {
  it('the student left over gets the pair helper as soon as the next student joins', async () => {
    await lesson.launch(6);
    const part = eve.exercise.getByTestId('assignment');
    expect(await part.innerText()).toContain('You are waiting for a partner');
    const steps = eve.exercise.getByRole('group', { name: 'Deadlock steps' });
    expect(await steps.count()).toBe(0);
    const fay = await lesson.join('Fay');
    expect(await fay.exercise.getByTestId('assignment').innerText()).toContain('with Eve. You are partner 2');
    await part.filter({ hasText: 'Pair 2, with Fay. You are partner 1' }).waitFor();
    await steps.waitFor();
    await screenshot(eve.page, 'student-late-partner-phone');
    expect(lesson.errors()).toEqual([]);
  });
});
