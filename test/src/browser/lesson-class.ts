import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { spawnServer, stopServer, type ChildServer } from '../server/helpers/child-server.ts';
import { ensureClientBuilt, launchBrowser, openTab, type Tab } from './harness.ts';
import { StudentTab } from './student-tab.ts';

/** A student of a lesson test: the page, and the lesson parts of it. */
export class LessonStudent extends StudentTab {
  constructor(tab: Tab, readonly name: string) {
    super(tab);
  }

  get chapter(): Locator {
    return this.page.getByTestId('student-chapter');
  }

  get exercise(): Locator {
    return this.page.getByTestId('student-exercise');
  }

  get quiz(): Locator {
    return this.page.getByTestId('student-quiz');
  }
}

/**
 * One class for a lesson test: a real server, a teacher board at projector
 * size (1280x720, QR code hidden once everyone is in), students in their own
 * browser contexts who join by code.
 */
export class LessonClass {
  readonly students: LessonStudent[] = [];
  code = '';
  teacher!: Tab;

  private constructor(readonly server: ChildServer, readonly browser: Browser, readonly dataDir: string) {}

  static async start(env: Record<string, string> = {}): Promise<LessonClass> {
    ensureClientBuilt();
    const dataDir = mkdtempSync(join(tmpdir(), 'mmap-lab-lesson-'));
    const server = await spawnServer({ DATA_DIR: dataDir, ...env });
    const browser = await launchBrowser();
    const lesson = new LessonClass(server, browser, dataDir);
    lesson.teacher = await openTab(browser, { width: 1280, height: 720 });
    const board = lesson.teacher.page;
    await board.goto(lesson.url('/'));
    await board.getByLabel('Shared counter').check();
    await board.getByLabel('Page size').selectOption('16');
    await board.getByRole('button', { name: 'Start the class' }).click();
    await board.waitForURL(/\/board\/[A-Z0-9]{6}$/);
    lesson.code = (await board.getByTestId('room-code').textContent())!.trim();
    return lesson;
  }

  get board(): Page {
    return this.teacher.page;
  }

  url(path: string): string {
    return `${this.server.url}${path}`;
  }

  async join(name: string, viewport = { width: 1280, height: 800 }): Promise<LessonStudent> {
    const student = new LessonStudent(await openTab(this.browser, viewport), name);
    await student.join(this.url(`/join/${this.code}`), name);
    this.students.push(student);
    return student;
  }

  /** Hide the QR code (everyone is in): the board gets its height back, as a teacher would do on a projector. */
  async hideQr(): Promise<void> {
    const button = this.board.getByRole('button', { name: 'Show QR code', exact: true });
    if ((await button.getAttribute('aria-pressed')) === 'true') await button.click();
  }

  async tab(name: 'room' | 'chapter' | 'exercise' | 'quiz' | 'export'): Promise<void> {
    await this.board.locator(`nav.tabs button[data-tab="${name}"]`).click();
    await this.board.locator(`main.grid[data-tab="${name}"]`).waitFor();
  }

  /**
   * Start exercise `number` from the board's exercise view (showing the
   * launcher first if the last results are up) and wait for every student
   * to be a running process of the new room, with the exercise on screen.
   */
  async launch(number: number, options: { increments?: number; slowMotion?: boolean } = {}): Promise<void> {
    await this.tab('exercise');
    const choose = this.board.getByRole('button', { name: /^(Start an exercise…|Another exercise…)$/ });
    if (await choose.count()) await choose.click();
    const card = this.board.locator(`.launcher li:nth-child(${number})`);
    if (options.increments !== undefined) await card.getByLabel('increments each').fill(String(options.increments));
    if (options.slowMotion !== undefined) {
      const slow = card.getByLabel(/slow motion/);
      if ((await slow.isChecked()) !== options.slowMotion) await slow.click();
    }
    const id = await card.getAttribute('data-exercise');
    await card.getByRole('button', { name: /^Start/ }).click();
    await this.board.locator('.exercise-panel .head h2', { hasText: `Exercise ${number}` }).waitFor();
    for (const s of this.students) {
      await s.page.locator(`[data-testid="student-exercise"][data-exercise="${id}"]`).waitFor();
      await s.running();
    }
  }

  /** End the running exercise and wait for its final results on the board. */
  async endExercise(): Promise<Locator> {
    await this.board.getByRole('button', { name: 'End the exercise' }).click();
    const results = this.board.locator('[data-testid="results"][data-final="true"]');
    await results.waitFor();
    return results;
  }

  /** Page errors of every tab: a clean run has none. */
  errors(): string[] {
    return [this.teacher, ...this.students.map((s) => s.tab)].flatMap((t) => t.errors);
  }

  async close(): Promise<void> {
    await this.browser.close();
    await stopServer(this.server);
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
