import type { Locator, Page } from 'playwright-core';
import type { Tab } from './harness.ts';

export interface Ran {
  c: string;
  status: string;
  text: string;
}

/** A student's page, driven as a student would: by labels, buttons and keys. */
export class StudentTab {
  constructor(readonly tab: Tab) {}

  get page(): Page {
    return this.tab.page;
  }

  /** Open a class's join page (`/join/CODE`), join under `name`, and wait to be a running process. */
  async join(joinUrl: string, name: string): Promise<void> {
    await this.page.goto(joinUrl);
    await this.page.getByLabel('Your name').fill(name);
    await this.page.getByRole('button', { name: 'Join' }).click();
    await this.running();
  }

  /** Wait until this student is a running process (after joining, resuming, or an exercise's reboot). */
  async running(): Promise<void> {
    await this.page.locator('.process .state[data-state="running"]').waitFor();
  }

  /** open O_RDWR, then mmap the first `len` bytes MAP_SHARED (or `flags`) read-write, through the forms. */
  async openAndMap(len = '16', flags: 'MAP_SHARED' | 'MAP_PRIVATE' = 'MAP_SHARED'): Promise<void> {
    await this.select('open', 'Mode', 'O_RDWR');
    await this.run('open');
    await this.fill('mmap', 'length', len);
    await this.form('mmap').getByLabel(flags).check();
    await this.run('mmap');
  }

  form(op: string): Locator {
    return this.page.locator(`form[data-op="${op}"]`);
  }

  async pid(): Promise<number> {
    const text = await this.page.locator('.process .pid').textContent();
    return Number(/pid (\d+)/.exec(text ?? '')?.[1]);
  }

  async state(): Promise<string | null> {
    return this.page.locator('.process .state').getAttribute('data-state');
  }

  async fill(op: string, label: string, value: string): Promise<void> {
    await this.form(op).getByLabel(label, { exact: true }).fill(value);
  }

  async select(op: string, label: string, value: string): Promise<void> {
    await this.form(op).getByLabel(label, { exact: true }).selectOption(value);
  }

  /** Press Run on one form and wait for its answer to be settled at the top of the log. */
  async run(op: string): Promise<Ran> {
    const first = this.page.locator('.log ol > li').first();
    const before = (await first.count()) > 0 ? await first.getAttribute('data-id') : null;
    await this.form(op).getByRole('button').last().click();
    // A locator, not waitForFunction: the server's content security policy forbids the eval that polling a function needs.
    const settled = before === null ? ':not([data-status="pending"])' : `:not([data-id="${before}"]):not([data-status="pending"])`;
    await this.page.locator(`.log ol > li:first-child${settled}`).waitFor();
    return {
      c: (await first.locator('code').textContent()) ?? '',
      status: (await first.getAttribute('data-status')) ?? '',
      text: (await first.innerText()).replace(/\s+/g, ' '),
    };
  }

  cell(map: number, index: number): Locator {
    return this.page.locator(`section[data-map="${map}"] [data-index="${index}"]`);
  }

  /** Focus a byte cell and type a character: a store. */
  async typeInto(map: number, index: number, key: string): Promise<void> {
    await this.cell(map, index).focus();
    await this.page.keyboard.press(key);
  }
}
