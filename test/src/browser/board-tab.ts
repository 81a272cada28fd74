import type { Page } from 'playwright-core';
import { openTab, type Tab } from './harness.ts';
import type { LiveServer } from './live-server.ts';

/**
 * A teacher's board on a projector-sized page, for a room made over HTTP: the
 * credential is put where the browser keeps it. `prepare` runs before the page
 * loads (routes on its link, say).
 */
export async function openBoard(
  live: LiveServer, code: string, credential: string, viewport = { width: 1280, height: 720 }, prepare?: (page: Page) => Promise<void>,
): Promise<Tab> {
  const tab = await openTab(live.browser, viewport);
  await prepare?.(tab.page);
  await tab.context.addInitScript({ content: `localStorage.setItem(${JSON.stringify(`mmap-lab:teacher:${code}`)}, ${JSON.stringify(credential)})` });
  await tab.page.goto(`${live.url}/board/${code}`);
  await tab.page.getByTestId('room-code').waitFor();
  return tab;
}
