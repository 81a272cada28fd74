/**
 * Chapters, teacher-paced: the teacher steps through them on the board;
 * students follow the live one, may look back, and return with one click.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAPTERS } from '@mmap-lab/shared/content/lesson/index.ts';
import { screenshot } from './harness.ts';
import { LessonClass, type LessonStudent } from './lesson-class.ts';

let lesson: LessonClass;
let ada: LessonStudent;
let bob: LessonStudent;

beforeAll(async () => {
  lesson = await LessonClass.start();
  ada = await lesson.join('Ada');
  bob = await lesson.join('Bob', { width: 390, height: 844 });
  await lesson.hideQr();
  // On a phone the chapter starts folded, so the process is on the first screen: Bob unfolds it.
  expect(await bob.chapter.getAttribute('open')).toBeNull();
  await bob.chapter.locator('summary').click();
});

afterAll(async () => {
  await lesson?.close();
});

const liveTitle = (s: LessonStudent) => s.chapter.locator('article').getAttribute('data-chapter');

describe('chapters, teacher-paced', () => {
  it('students start on the live chapter, with its text, code spans, key points, diagram and activity', async () => {
    for (const s of [ada, bob]) {
      expect(await liveTitle(s)).toBe('0');
      expect(await s.chapter.locator('summary').textContent()).toContain('live');
    }
    // `read()` in the lesson text is set as code.
    expect(await ada.chapter.locator('p code.inline', { hasText: 'read()' }).count()).toBeGreaterThan(0);
    expect(await ada.chapter.locator('.points li').count()).toBe(CHAPTERS[0].keyPoints.length);
    await ada.chapter.locator('figure[data-diagram="copy-path"]').waitFor();
  });

  it('the teacher steps forward on the board and every student follows', async () => {
    await lesson.tab('chapter');
    const board = lesson.board;
    await board.getByRole('button', { name: 'Next chapter →' }).click();
    await board.locator('article[data-chapter="1"]').waitFor();
    for (const s of [ada, bob]) await s.chapter.locator('article[data-chapter="1"]').waitFor();
    // Chapter 1's diagram is asked of the kernel: O_WRONLY cannot be mapped at all.
    const row = ada.chapter.locator('figure[data-diagram="open-modes"] tr', { hasText: 'O_WRONLY' });
    expect((await row.innerText()).match(/EACCES/g)?.length).toBe(3);
  });

  it('a student looks back on their own, stays there while the class moves on, and returns with one click', async () => {
    await bob.chapter.getByRole('button', { name: '← Previous' }).click();
    await bob.chapter.locator('article[data-chapter="0"]').waitFor();
    expect(await bob.chapter.locator('summary').innerText()).toContain('the class is on chapter 1');
    // The teacher jumps to chapter 5; Bob keeps reading chapter 0, Ada follows.
    await lesson.board.getByLabel('Jump to a chapter').selectOption('5');
    await ada.chapter.locator('article[data-chapter="5"]').waitFor();
    await bob.chapter.locator('summary', { hasText: 'the class is on chapter 5' }).waitFor();
    expect(await liveTitle(bob)).toBe('0');
    await bob.chapter.getByRole('button', { name: 'Back to the live chapter (5)' }).click();
    await bob.chapter.locator('article[data-chapter="5"]').waitFor();
    expect(await bob.chapter.locator('summary').textContent()).toContain('live');
  });

  it('a student who joins late lands on the live chapter; every chapter renders on the board; screenshots', async () => {
    const cy = await lesson.join('Cy');
    expect(await liveTitle(cy)).toBe('5');
    const board = lesson.board;
    for (const c of CHAPTERS) {
      await board.getByLabel('Jump to a chapter').selectOption(String(c.number));
      await board.locator(`article[data-chapter="${c.number}"] figure[data-diagram="${c.diagram}"]`).waitFor();
    }
    await board.getByLabel('Jump to a chapter').selectOption('3');
    await board.locator('article[data-chapter="3"]').waitFor();
    await screenshot(board, 'chapter-3-board');
    await ada.chapter.locator('article[data-chapter="3"]').waitFor();
    await screenshot(ada.page, 'chapter-3-student');
    await bob.chapter.locator('article[data-chapter="3"]').waitFor();
    await screenshot(bob.page, 'chapter-3-phone');
    expect(lesson.errors()).toEqual([]);
  });
});
