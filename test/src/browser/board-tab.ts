import { openTab, type Tab } from './harness.ts';
import type { LiveServer } from './live-server.ts';

/** A teacher's board on a projector-sized page, for a room made over HTTP: the credential is put where the browser keeps it. */
export async function openBoard(live: LiveServer, code: string, credential: string, viewport = { width: 1280, height: 720 }): Promise<Tab> {
  const tab = await openTab(live.browser, viewport);
  await tab.context.addInitScript({ content: `localStorage.setItem(${JSON.stringify(`mmap-lab:teacher:${code}`)}, ${JSON.stringify(credential)})` });
  await tab.page.goto(`${live.url}/board/${code}`);
  await tab.page.getByTestId('room-code').waitFor();
  return tab;
}
