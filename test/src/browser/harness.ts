import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
export const SCREENSHOTS = join(ROOT, 'test-results/screenshots');
/** How long one wait for a signal in the page may take before the test fails, naming what it waited for. */
export const UI_TIMEOUT_MS = 10_000;

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** The newest source file under `dir`; tests are not bundled, so editing one needs no rebuild. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (!entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** The server serves client/dist: build it when it is missing or older than the client's source or the shared code it bundles. */
export function ensureClientBuilt(): void {
  const index = join(ROOT, 'client/dist/index.html');
  const client = join(ROOT, 'client');
  const sources = Math.max(newestMtime(join(client, 'src')), newestMtime(join(ROOT, 'shared/src')), statSync(join(client, 'index.html')).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  execFileSync('pnpm', ['--filter', '@mmap-lab/client', 'build'], { cwd: ROOT, stdio: 'ignore' });
}

export interface Tab {
  context: BrowserContext;
  page: Page;
  /** Messages the page logged as errors, and uncaught exceptions: a clean run has none. */
  errors: string[];
  /** Any alert/confirm/prompt: an injected script would show up here. */
  dialogs: string[];
}

export async function openTab(browser: Browser, viewport = { width: 1280, height: 800 }): Promise<Tab> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  const tab: Tab = { context, page, errors: [], dialogs: [] };
  page.on('pageerror', (e) => tab.errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') tab.errors.push(m.text());
  });
  page.on('dialog', (d) => {
    tab.dialogs.push(d.message());
    void d.dismiss();
  });
  return tab;
}

export async function screenshot(page: Page, name: string, fullPage = false): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}
