/**
 * Chapters, teacher-paced: the teacher steps through them on the board;
 * students follow the live one, may look back, and return with one click.
 * On a student's page the chapter starts folded to one line, so their
 * process has the first screen; it opens on a click and stays as they leave it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { CHAPTERS } from '@mmap-lab/shared/content/lesson/index.ts';
import { screenshot } from './harness.ts';
import { LessonClass, type LessonStudent } from './lesson-class.ts';

let lesson: LessonClass;
let ada: LessonStudent;
let bob: LessonStudent;
let cy: LessonStudent;

// A laptop at projector size, and the phone of the other student tests.
const DESKTOP = { width: 1280, height: 720 };
const PHONE = { width: 390, height: 844 };

beforeAll(async () => {
  lesson = await LessonClass.start();
  ada = await lesson.join('Ada', DESKTOP);
  bob = await lesson.join('Bob', PHONE);
  await lesson.hideQr();
});

afterAll(async () => {
  await lesson?.close();
});

const liveTitle = (s: LessonStudent) => s.chapter.locator('article').getAttribute('data-chapter');
const summary = (s: LessonStudent) => s.chapter.locator('summary');

/** Where an element starts, in pixels from the top of the first screen. */
async function top(locator: Locator): Promise<number> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('not rendered');
  return box.y;
}

describe('chapters, teacher-paced', () => {
  it('a student who joins sees their process on the first screen, under a one-line chapter that opens on a click', async () => {
    for (const [s, viewport, name] of [[ada, DESKTOP, 'student-joined-desktop'], [bob, PHONE, 'student-joined-phone']] as const) {
      expect(await s.chapter.getAttribute('open')).toBeNull();
      expect(await s.chapter.locator('article').isVisible()).toBe(false);
      const line = await summary(s).textContent();
      expect(line).toContain(`Chapter 0 — ${CHAPTERS[0].title}`);
      expect(line).toContain('live');
      expect(line).toContain('Read along');
      // The process, its memory and its first program form all start on the first screen.
      for (const part of [s.page.locator('.process'), s.page.locator('section.memory'), s.form('open')]) {
        expect(await top(part)).toBeLessThan(viewport.height);
      }
      await screenshot(s.page, name);
    }
    await summary(ada).click();
    await ada.chapter.locator('article[data-chapter="0"]').waitFor();
    expect(await summary(ada).textContent()).toContain('Fold');
  });

  it('the open chapter has its text, code spans, key points, diagram and activity, and stays open over a reload', async () => {
    // `read()` in the lesson text is set as code.
    expect(await ada.chapter.locator('p code.inline', { hasText: 'read()' }).count()).toBeGreaterThan(0);
    expect(await ada.chapter.locator('.points li').count()).toBe(CHAPTERS[0].keyPoints.length);
    await ada.chapter.locator('figure[data-diagram="copy-path"]').waitFor();
    await ada.chapter.locator('section.activity').waitFor();
    await ada.page.reload();
    await ada.running();
    await ada.chapter.locator('article[data-chapter="0"]').waitFor();
    expect(await ada.chapter.getAttribute('open')).not.toBeNull();
  });

  it('the teacher steps forward: open chapters follow, a folded one names the new chapter and marks it new until opened', async () => {
    await lesson.tab('chapter');
    const board = lesson.board;
    await board.getByRole('button', { name: 'Next chapter →' }).click();
    await board.locator('article[data-chapter="1"]').waitFor();
    await ada.chapter.locator('article[data-chapter="1"]').waitFor();
    expect(await summary(ada).getAttribute('data-moved')).toBe('false');
    // Bob's folded line now names chapter 1, marked as news; the chapter itself stays folded.
    await bob.chapter.locator('summary[data-moved="true"]', { hasText: `Chapter 1 — ${CHAPTERS[1].title}` }).waitFor();
    expect(await bob.chapter.locator('article').isVisible()).toBe(false);
    await screenshot(bob.page, 'student-chapter-moved-phone');
    // He opens it from the keyboard.
    await summary(bob).focus();
    await bob.page.keyboard.press('Enter');
    await bob.chapter.locator('article[data-chapter="1"]').waitFor();
    expect(await summary(bob).getAttribute('data-moved')).toBe('false');
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

  it('a student whose own steps land on the live chapter (back then forward, or ahead to where the class arrives) follows the class again', async () => {
    const jump = (chapter: number) => lesson.board.getByLabel('Jump to a chapter').selectOption(String(chapter));
    // Back a chapter and forward again: live, with nothing to go back to, and the class's next move takes him along.
    await bob.chapter.getByRole('button', { name: '← Previous' }).click();
    await bob.chapter.locator('article[data-chapter="4"]').waitFor();
    await bob.chapter.getByRole('button', { name: 'Next →' }).click();
    await bob.chapter.locator('article[data-chapter="5"]').waitFor();
    expect(await bob.chapter.getByRole('button', { name: /Back to the live chapter/ }).count()).toBe(0);
    await jump(6);
    await ada.chapter.locator('article[data-chapter="6"]').waitFor();
    await bob.chapter.locator('article[data-chapter="6"]').waitFor();
    // Read ahead to chapter 7; once the class gets there he is following it, on to chapter 8.
    await bob.chapter.getByRole('button', { name: 'Next →' }).click();
    await bob.chapter.locator('article[data-chapter="7"]').waitFor();
    await jump(7);
    await bob.chapter.locator('summary', { hasText: 'live' }).waitFor();
    await jump(8);
    await bob.chapter.locator('article[data-chapter="8"]').waitFor();
    expect(await bob.chapter.locator('summary').textContent()).toContain('live');
    await screenshot(bob.page, 'student-followed-after-own-steps-phone');
    // Back where the class was, for the tests that follow.
    await jump(5);
    await bob.chapter.locator('article[data-chapter="5"]').waitFor();
  });

  it('a student who joins late lands, folded, on the live chapter; every chapter renders on the board; screenshots', async () => {
    cy = await lesson.join('Cy');
    expect(await liveTitle(cy)).toBe('5');
    expect(await summary(cy).textContent()).toContain(`Chapter 5 — ${CHAPTERS[5].title}`);
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
  });

  it('during an exercise the exercise and the process come first, and the chapter waits below them as each student left it', async () => {
    // Cy never opened the chapter since the class moved from 5 to 3: news, and still news below the exercise.
    expect(await summary(cy).getAttribute('data-moved')).toBe('true');
    await lesson.launch(1);
    await cy.exercise.waitFor();
    expect(await summary(cy).getAttribute('data-moved')).toBe('true');
    await summary(cy).scrollIntoViewIfNeeded();
    await screenshot(cy.page, 'student-exercise-chapter-new');
    for (const [s, open] of [[ada, true], [bob, true], [cy, false]] as const) {
      expect(await s.chapter.getAttribute('open') !== null).toBe(open);
      expect(await top(s.exercise)).toBeLessThan(s.page.viewportSize()!.height);
      expect(await top(s.chapter)).toBeGreaterThan(await top(s.page.locator('.process')));
    }
    await screenshot(bob.page, 'student-exercise-phone');
    expect(lesson.errors()).toEqual([]);
  });
});
