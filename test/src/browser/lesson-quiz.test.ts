/**
 * The live quiz round-trips in browsers: the teacher pushes a question,
 * students answer on their own pages (and may change their minds), the
 * board shows a live histogram, then the right answer with its
 * explanation; per-student results count right answers, not speed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { questionsFor } from '@mmap-lab/shared/content/quiz/index.ts';
import { screenshot } from './harness.ts';
import { LessonClass, type LessonStudent } from './lesson-class.ts';

let lesson: LessonClass;
let ada: LessonStudent;
let bob: LessonStudent;
let cy: LessonStudent;
const question = questionsFor(5)[0];
const wrong = (question.answer + 1) % question.choices.length;

beforeAll(async () => {
  lesson = await LessonClass.start();
  ada = await lesson.join('Ada');
  bob = await lesson.join('Bob', { width: 390, height: 844 });
  cy = await lesson.join('Cy');
  await lesson.hideQr();
});

afterAll(async () => {
  await lesson?.close();
});

const bar = (choice: number) => lesson.board.locator(`.histogram li[data-choice="${choice}"]`);

async function answer(s: LessonStudent, choice: number): Promise<void> {
  await s.quiz.locator(`button[data-choice="${choice}"]`).click();
  await s.quiz.locator(`button[data-choice="${choice}"][aria-pressed="true"]`).waitFor();
}

describe('the live quiz', () => {
  it('the teacher pushes a question from the bank; every student gets it, without its answer', async () => {
    await lesson.tab('quiz');
    await lesson.board.getByLabel('Chapter').selectOption('5');
    await lesson.board.locator(`.bank li[data-question="${question.id}"]`).getByRole('button', { name: 'Ask' }).click();
    expect(await lesson.board.getByTestId('quiz-prompt').innerText()).toBe(question.prompt);
    for (const s of [ada, bob, cy]) {
      await s.quiz.waitFor();
      expect(await s.quiz.locator('.prompt').innerText()).toBe(question.prompt);
      expect(await s.quiz.locator('.tag.ok').count()).toBe(0);
    }
  });

  it('answers arrive in a live histogram, and a changed answer moves its bar', async () => {
    await answer(ada, question.answer);
    await answer(bob, wrong);
    await answer(cy, wrong);
    await expect.poll(() => bar(wrong).getAttribute('data-count')).toBe('2');
    await answer(cy, question.answer);
    await expect.poll(() => bar(question.answer).getAttribute('data-count')).toBe('2');
    expect(await bar(wrong).getAttribute('data-count')).toBe('1');
    expect(await lesson.board.getByTestId('answered').innerText()).toBe('3');
    // Before the reveal the board does not say which is right: it is on the projector.
    expect(await lesson.board.locator('.histogram li.right').count()).toBe(0);
    await screenshot(lesson.board, 'quiz-live');
  });

  it('a student who reloads sees the answer the server counted, still changeable', async () => {
    await bob.page.reload();
    await bob.running();
    await bob.quiz.locator(`button[data-choice="${wrong}"][aria-pressed="true"]`).waitFor();
    expect(await bob.quiz.locator(`button[data-choice="${wrong}"]`).innerText()).toContain('your answer');
    expect(await bob.quiz.locator('.status').innerText()).toContain('sent. You can change it');
    await screenshot(bob.page, 'quiz-student-reloaded-phone');
  });

  it('the reveal shows the right answer with its explanation on the board and on every student page', async () => {
    await lesson.board.getByRole('button', { name: 'Reveal the answer' }).click();
    await bar(question.answer).and(lesson.board.locator('.right')).waitFor();
    expect(await bar(question.answer).innerText()).toContain('✓ the right answer');
    expect(await lesson.board.getByTestId('explanation').innerText()).toContain(question.explanation);
    await ada.quiz.locator('.status', { hasText: 'Right.' }).waitFor();
    await bob.quiz.locator('.status', { hasText: 'Not this time.' }).waitFor();
    expect(await bob.quiz.locator(`button[data-choice="${question.answer}"]`).innerText()).toContain('right answer');
    expect(await bob.quiz.locator('.status').innerText()).toContain(question.explanation);
    await screenshot(lesson.board, 'quiz-revealed');
    await screenshot(bob.page, 'quiz-student-phone');
    // After a reload the verdict is still his.
    await bob.page.reload();
    await bob.running();
    await bob.quiz.locator('.status', { hasText: 'Not this time.' }).waitFor();
  });

  it('results per student count right answers, with no speed bonus', async () => {
    await lesson.board.getByRole('button', { name: 'Results per student' }).click();
    const table = lesson.board.getByTestId('quiz-results');
    await table.waitFor();
    const points = async (name: string) => (await table.locator('tr', { hasText: name }).locator('td').last().innerText());
    expect(await points('Ada')).toBe('1');
    expect(await points('Bob')).toBe('0');
    expect(await points('Cy')).toBe('1');
    expect(lesson.errors()).toEqual([]);
  });
});
