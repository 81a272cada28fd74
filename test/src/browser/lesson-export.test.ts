/**
 * After class, from the board: the class export downloads as JSON and CSV,
 * and the trace of the exercise downloads and replays with runTrace to the
 * very results the room's kernel gave.
 */
import { readFile } from 'node:fs/promises';
import type { Download, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classExport, type ClassExport } from '@mmap-lab/shared/protocol/class-export.ts';
import { questionsFor } from '@mmap-lab/shared/content/quiz/index.ts';
import { parseTrace } from '@mmap-lab/shared/trace/parse.ts';
import { runTrace } from '@mmap-lab/shared/trace/run.ts';
import { screenshot } from './harness.ts';
import { LessonClass, type LessonStudent } from './lesson-class.ts';

let lesson: LessonClass;
let students: LessonStudent[] = [];
let doc: ClassExport;

beforeAll(async () => {
  lesson = await LessonClass.start();
  students = [await lesson.join('Ada'), await lesson.join('Bob'), await lesson.join('Cy')];
  await lesson.hideQr();
});

afterAll(async () => {
  await lesson?.close();
});

async function download(button: Locator): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([lesson.board.waitForEvent('download') as Promise<Download>, button.click()]);
  return { name: file.suggestedFilename(), text: await readFile((await file.path())!, 'utf8') };
}

describe('after class: the export', () => {
  it('a class happens: the counter race with everyone at once, and a quiz question', async () => {
    await lesson.launch(4, { increments: 3, slowMotion: false });
    await Promise.all(students.map((s) => s.exercise.getByRole('button', { name: /^Increment the counter/ }).click()));
    await Promise.all(students.map((s) => s.exercise.locator('[data-testid="counter-progress"][data-done="3"][data-running="false"]').waitFor()));
    await lesson.endExercise();
    const q = questionsFor(3)[0];
    await lesson.tab('quiz');
    await lesson.board.getByLabel('Chapter').selectOption('3');
    await lesson.board.locator(`.bank li[data-question="${q.id}"]`).getByRole('button', { name: 'Ask' }).click();
    for (const [i, s] of students.entries()) await s.quiz.locator(`button[data-choice="${i % q.choices.length}"]`).click();
    await expect.poll(() => lesson.board.getByTestId('answered').innerText()).toBe('3');
  });

  it('the board downloads the whole class as JSON: roster, the exercise run, quiz answers, traces', async () => {
    await lesson.tab('export');
    const json = await download(lesson.board.getByRole('button', { name: 'Download everything (JSON)' }));
    expect(json.name).toBe(`mmap-lab-${lesson.code}.json`);
    doc = classExport.parse(JSON.parse(json.text));
    expect(doc.roster.map((r) => r.name).sort()).toEqual(['Ada', 'Bob', 'Cy']);
    expect(doc.runs.map((r) => r.id)).toEqual(['counter-race']);
    expect(doc.quiz.answers).toHaveLength(3);
    await screenshot(lesson.board, 'export-panel');
  });

  it('each table downloads as CSV', async () => {
    const table = doc.tables.find((t) => t.includes('counter-race'))!;
    const csv = await download(lesson.board.locator(`button[data-table="${table}"]`));
    expect(csv.name).toBe(`mmap-lab-${lesson.code}-${table}.csv`);
    expect(csv.text.split('\n').length).toBeGreaterThan(1);
    const roster = await download(lesson.board.locator('button[data-table="roster"]'));
    for (const name of ['Ada', 'Bob', 'Cy']) expect(roster.text).toContain(name);
  });

  it("the exercise's trace downloads and replays with runTrace to the results the room's kernel gave", async () => {
    const segment = doc.segments.find((s) => s.run === doc.runs[0].run)!;
    const trace = await download(lesson.board.locator(`button[data-segment="${segment.segment}"]`));
    expect(trace.text).toBe(segment.trace);
    const run = runTrace(parseTrace(trace.text));
    expect(run.error).toBeUndefined();
    expect(run.lines).toEqual(segment.expected);
    // Every increment of the class is in it: three students, three loads and three stores each.
    expect(run.lines.filter((l) => / load -> /.test(l))).toHaveLength(9);
    expect(run.lines.filter((l) => / store -> /.test(l))).toHaveLength(9);
    expect(lesson.errors()).toEqual([]);
  });
});
